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


#: Operations `KnownOperations` remembers at most (a few pages' worth).
MAX_KNOWN_OPERATIONS = 1000


class KnownOperations:
    """The operations of the last good answer, as sent and as parsed.

    The operations feed asks for the same page again and again, and most of it is the
    same each time: an operation sent exactly as last time (equal items, keys in the
    same order, every value a string or null, since `1` and `1.0` are equal numbers
    but different text) keeps its object. Parsing then costs a dict comparison, and
    the table knows an unchanged operation by identity. A rejected answer leaves it as
    it was; one instance serves one client.
    """

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: dict[Any, tuple[dict[str, Any], Operation]] = {}

    def reuse(self, item: Any) -> Operation | None:
        """The operation parsed from an item identical to `item` last time, if any."""
        if type(item) is not dict:
            return None
        key = item.get("id")
        known = self._items.get(key) if type(key) is str else None
        if known is None or known[0] != item or list(known[0]) != list(item):
            return None
        return known[1]

    def replace(self, entries: dict[Any, tuple[dict[str, Any], Operation]]) -> None:
        """Remember the items of an answer that was accepted whole, beside those of the
        answers before it (the feed asks a few pages in turn: newest, then unsettled by
        status) up to MAX_KNOWN_OPERATIONS; an item only ever matches an equal one."""
        if len(self._items) + len(entries) > MAX_KNOWN_OPERATIONS:
            self._items = entries
        else:
            self._items = {**self._items, **entries}


def _reusable(item: dict[str, Any]) -> bool:
    return type(item.get("id")) is str and all(
        type(value) is str or value is None for value in item.values()
    )


def parse_operations_response(
    body: bytes, known: KnownOperations | None = None, charset: str | None = None
) -> OperationPage:
    """Parse the raw body of a `/v2/operation/find` answer into one page; with `known`,
    operations sent exactly as in its last answer keep their objects."""
    return parse_operations_payload(load_strict_json(body, charset), known)


def parse_operations_payload(payload: Any, known: KnownOperations | None = None) -> OperationPage:
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
    operations = _parse_items(items, known)
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


def _parse_items(items: list[Any], known: KnownOperations | None = None) -> tuple[Operation, ...]:
    operations: list[Operation] = []
    seen: set[str] = set()
    remembered: dict[Any, tuple[dict[str, Any], Operation]] = {}
    for position, item in enumerate(items):
        operation = known.reuse(item) if known is not None else None
        if operation is None:
            operation = parse_operation(item, f"data[{position}]")
        if known is not None and _reusable(item):
            remembered[item["id"]] = (item, operation)
        if operation.id in seen:
            raise BadResponseError(f"operation {operation.id!r} appears twice")
        seen.add(operation.id)
        operations.append(operation)
    if known is not None:
        known.replace(remembered)
    return tuple(operations)


class _Invalid(ValueError):
    """What is wrong with a value; the caller adds where it was (only on this error path,
    so that a good answer of 500 operations formats no message at all)."""


def parse_operation(item: Any, where: str = "operation") -> Operation:
    """One operation object; `where` names it in the error message."""
    if not isinstance(item, dict):
        raise BadResponseError(f"{where} must be an object, got {_json_type(item)}")
    try:
        operation_id = _id(item.get("id"))
    except _Invalid as problem:
        raise BadResponseError(f"{where}.id {problem}") from None
    field = "?"
    try:
        text: dict[str, str | None] = {}
        for field in _TEXT_FIELDS:
            text[field] = _optional_text(item.get(field))
        amounts: dict[str, Decimal | None] = {}
        times: dict[str, datetime | None] = {}
        fields: list[tuple[str, JsonValue]] = []
        names: set[str] = set()
        for field, raw in item.items():
            name = field if field.isascii() and field.isprintable() else clean_text(field)[:64] or "?"
            if name in names:
                # Two keys that show the same ("id" and "id\u200b"): which one is meant?
                raise _Invalid("appears twice")
            names.add(name)
            if is_amount_key(field):
                value: JsonValue = None if raw is None else _amount(raw)
                amounts[field] = value
            elif field in TIME_FIELDS:
                times[field] = None if raw is None else _time(raw)
                value = _value(raw, 0)
            elif field in text:
                value = text[field]
            else:
                value = _value(raw, 0)
            fields.append((name, value))
    except _Invalid as problem:
        shown = clean_text(field)[:64]
        raise BadResponseError(f"operation {operation_id!r}: {shown}: {problem}") from None
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


def _id(raw: Any) -> str:
    if isinstance(raw, Decimal) and raw == raw.to_integral_value() and raw >= 0:
        return str(int(raw))
    if isinstance(raw, str):
        cleaned = clean_text(raw).strip()
        if cleaned and len(cleaned) <= MAX_TEXT_CHARS:
            return cleaned
    raise _Invalid(f"must be a non-empty string, got {_shown(raw)}")


def _optional_text(raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise _Invalid(f"must be a string, got {_json_type(raw)}")
    if len(raw) > MAX_TEXT_CHARS:
        raise _Invalid(f"is too long ({len(raw):,} characters)")
    return clean_text(raw).strip() or None


def _amount(raw: Any) -> Decimal:
    try:
        return parse_amount(raw)
    except AmountError as exc:
        raise _Invalid(str(exc)) from None


def _time(raw: Any) -> datetime:
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
    raise _Invalid(f"is not an ISO 8601 time: {_shown(raw)}")


def _value(raw: Any, depth: int) -> JsonValue:
    """An unknown field's value, kept: text cleaned, numbers exact, containers as tuples."""
    if raw is None or isinstance(raw, bool | Decimal):
        return raw
    if isinstance(raw, str):
        if len(raw) > MAX_VALUE_CHARS:
            raise _Invalid(f"is too long ({len(raw):,} characters)")
        return clean_text(raw)
    if depth >= MAX_DEPTH:
        raise _Invalid("nests too deep")
    if isinstance(raw, list):
        return tuple(_value(v, depth + 1) for v in raw)
    if isinstance(raw, dict):
        return JsonObject(
            tuple((clean_text(k)[:64] or "?", _value(v, depth + 1)) for k, v in raw.items())
        )
    raise _Invalid("has an unexpected value")  # pragma: no cover


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = clean_text(value)
        return repr(text if len(text) <= 40 else text[:40] + "…")
    if isinstance(value, Decimal):
        return str(value)[:40]
    return _json_type(value)
