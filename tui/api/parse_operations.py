"""Validate and parse `/v2/operation/find` and `/v2/operation/details` answers, all or nothing.

What the pages document is thin (see shared/api/README.md, "Operations"), so the
parser is lenient about shape and strict about values:

- the envelope is `{"data": [...]}`, or `{"data": {"items"|"rows": [...], "total"|"count": N}}`;
  details may send one object instead of a list of one;
- `id` is required (a string, or a whole number turned into text); `type`, `status`,
  `walletId`, `sourceAsset`, `targetAsset` are text or absent; unknown types and
  statuses are kept as sent;
- every `amount` or `*Amount` field must be an exact decimal (or null); `createdAt`,
  `updatedAt` an ISO 8601 time (or null), or Unix seconds or milliseconds;
- every other field is kept as sent (text cleaned of control characters).

Anything wrong (not JSON, a duplicate key, a bad amount or time, an id twice) raises
BadResponseError and nothing of the answer is used.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tui.api.amounts import AmountError, parse_amount
from tui.api.errors import BadResponseError
from tui.api.json_body import load_json
from tui.api.operations import JsonObject, JsonValue, Operation, OperationPage
from tui.api.parse import (  # the same words for the same faults
    MAX_TEXT_CHARS,
    _json_type,
)
from tui.api.text import clean_text

#: Free text of an unknown field longer than this is not an operation's detail.
MAX_VALUE_CHARS = 16_384
#: Nested objects deeper than this are refused (nothing in an operation nests so deep).
MAX_DEPTH = 8
TIME_FIELDS = ("createdAt", "updatedAt")
_TEXT_FIELDS = ("type", "status", "walletId", "sourceAsset", "targetAsset")
# Unix times above this are milliseconds (1e11 s is the year 5138).
_MILLISECONDS_FROM = Decimal(100_000_000_000)


def is_amount_key(name: str) -> bool:
    """True for `amount` and every `*Amount` field: values that must be exact decimals."""
    return name == "amount" or (name.endswith("Amount") and len(name) > len("Amount"))


def load_strict_json(body: bytes, charset: str | None = None) -> Any:
    """A JSON body read as every answer is (`tui.api.json_body.load_json`): in its
    declared charset, exact numbers, NaN, Infinity, a duplicate key or a JWE refused."""
    return load_json(body, charset)


def parse_operations_response(body: bytes, charset: str | None = None) -> OperationPage:
    """Parse the raw body of a `/v2/operation/find` answer into one page."""
    return parse_operations_payload(load_strict_json(body, charset))


def parse_operations_payload(payload: Any) -> OperationPage:
    """Validate a decoded `/v2/operation/find` answer (see the module docstring)."""
    if not isinstance(payload, dict) or "data" not in payload:
        raise BadResponseError("operations response has no 'data' field")
    data = payload["data"]
    total: int | None = None
    if isinstance(data, dict):
        items = next((data[k] for k in ("items", "rows") if k in data), None)
        if not isinstance(items, list):
            raise BadResponseError("operations 'data' object has no 'items' or 'rows' array")
        count = next((data[k] for k in ("total", "count") if k in data), None)
        if count is not None:
            if not (
                isinstance(count, Decimal) and count == count.to_integral_value() and count >= 0
            ):
                raise BadResponseError(
                    f"operations total must be a whole number, got {_shown(count)}"
                )
            total = int(count)
    elif isinstance(data, list):
        items = data
    else:
        raise BadResponseError(f"operations 'data' must be an array, got {_json_type(data)}")
    operations = _parse_items(items)
    return OperationPage(operations, total)


def parse_operation_details_response(
    body: bytes, charset: str | None = None
) -> tuple[Operation, ...]:
    """Parse `/v2/operation/details`: `{"data": [<operation>]}` (one object tolerated)."""
    payload = load_strict_json(body, charset)
    if not isinstance(payload, dict) or "data" not in payload:
        raise BadResponseError("operation details response has no 'data' field")
    data = payload["data"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise BadResponseError(f"operation details 'data' must be an array, got {_json_type(data)}")
    return _parse_items(data)


def _parse_items(items: list[Any]) -> tuple[Operation, ...]:
    operations: list[Operation] = []
    seen: set[str] = set()
    for position, item in enumerate(items):
        operation = parse_operation(item, f"data[{position}]")
        if operation.id in seen:
            raise BadResponseError(f"operation {operation.id!r} appears twice")
        seen.add(operation.id)
        operations.append(operation)
    return tuple(operations)


def parse_operation(item: Any, where: str = "operation") -> Operation:
    """One operation object; `where` names it in the error message."""
    if not isinstance(item, dict):
        raise BadResponseError(f"{where} must be an object, got {_json_type(item)}")
    operation_id = _id(item.get("id"), where)
    where = f"operation {operation_id!r}"
    text: dict[str, str | None] = {}
    for name in _TEXT_FIELDS:
        text[name] = _optional_text(item.get(name), f"{where}: {name}")
    amounts: dict[str, Decimal | None] = {}
    times: dict[str, datetime | None] = {}
    fields: list[tuple[str, JsonValue]] = []
    names: set[str] = set()
    for key, raw in item.items():
        name = clean_text(key)[:64] or "?"
        if name in names:
            # Two keys that show the same ("id" and "id\u200b"): which one is meant?
            raise BadResponseError(f"{where}: field {name!r} appears twice")
        names.add(name)
        if is_amount_key(key):
            value: JsonValue = None if raw is None else _amount(raw, f"{where}: {name}")
            amounts[key] = value
        elif key in TIME_FIELDS:
            times[key] = None if raw is None else _time(raw, f"{where}: {name}")
            value = _value(raw, 0, f"{where}: {name}")
        elif key in text:
            value = text[key]
        else:
            value = _value(raw, 0, f"{where}: {name}")
        fields.append((name, value))
    return Operation(
        id=operation_id,
        type=text["type"],
        status=text["status"],
        wallet_id=text["walletId"],
        source_asset=text["sourceAsset"],
        source_amount=amounts.get("sourceAmount"),
        target_asset=text["targetAsset"],
        target_amount=amounts.get("targetAmount"),
        created_at=times.get("createdAt"),
        updated_at=times.get("updatedAt"),
        fields=tuple(fields),
    )


def _id(raw: Any, where: str) -> str:
    if isinstance(raw, Decimal) and raw == raw.to_integral_value() and raw >= 0:
        return str(int(raw))
    if isinstance(raw, str):
        cleaned = clean_text(raw).strip()
        if cleaned and len(cleaned) <= MAX_TEXT_CHARS:
            return cleaned
    raise BadResponseError(f"{where}.id must be a non-empty string, got {_shown(raw)}")


def _optional_text(raw: Any, where: str) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise BadResponseError(f"{where} must be a string, got {_json_type(raw)}")
    if len(raw) > MAX_TEXT_CHARS:
        raise BadResponseError(f"{where} is too long ({len(raw):,} characters)")
    return clean_text(raw).strip() or None


def _amount(raw: Any, where: str) -> Decimal:
    try:
        return parse_amount(raw)
    except AmountError as exc:
        raise BadResponseError(f"{where}: {exc}") from None


def _time(raw: Any, where: str) -> datetime:
    """An ISO 8601 time (no zone: UTC), or Unix seconds or milliseconds, as an aware datetime."""
    if isinstance(raw, Decimal) and raw.is_finite():
        seconds = raw / 1000 if abs(raw) >= _MILLISECONDS_FROM else raw
        try:
            return datetime.fromtimestamp(float(seconds), UTC)  # a time, not money
        except (OverflowError, OSError, ValueError):
            pass
    elif isinstance(raw, str) and 0 < len(raw) <= 64:
        try:
            when = datetime.fromisoformat(raw.strip())
        except ValueError:
            pass
        else:
            return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    raise BadResponseError(f"{where} is not an ISO 8601 time: {_shown(raw)}")


def _value(raw: Any, depth: int, where: str) -> JsonValue:
    """An unknown field's value, kept: text cleaned, numbers exact, containers as tuples."""
    if raw is None or isinstance(raw, bool | Decimal):
        return raw
    if isinstance(raw, str):
        if len(raw) > MAX_VALUE_CHARS:
            raise BadResponseError(f"{where} is too long ({len(raw):,} characters)")
        return clean_text(raw)
    if depth >= MAX_DEPTH:
        raise BadResponseError(f"{where} nests too deep")
    if isinstance(raw, list):
        return tuple(_value(v, depth + 1, where) for v in raw)
    if isinstance(raw, dict):
        return JsonObject(
            tuple((clean_text(k)[:64] or "?", _value(v, depth + 1, where)) for k, v in raw.items())
        )
    raise BadResponseError(f"{where} has an unexpected value")  # pragma: no cover


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = clean_text(value)
        return repr(text if len(text) <= 40 else text[:40] + "…")
    if isinstance(value, Decimal):
        return str(value)[:40]
    return _json_type(value)
