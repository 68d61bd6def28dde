"""Deposit methods and deposit addresses: models and parsers, all or nothing.

Two endpoints (see ../shared/api/README.md, "Deposits"):

- `POST /v2/deposit/pre-request` `{"asset": "USDT"}`: the asset's deposit methods, one per
  source (network), each with its fees and its minimum and maximum amounts. The answer's
  shape is not published; our assumption is `{"data": [{"source": "TRX",
  "paymentMethodCode": "USDT_TRX", "feeFixed": "0", "feeRate": "0", "minAmount": "15",
  "maxAmount": "1000000"}, ...]}`. Tolerated: a single object instead of the list, missing
  fee or limit fields (None: unknown), a missing `source` when `paymentMethodCode` is
  `<ASSET>_<SOURCE>`, amounts as JSON numbers. Unknown fields are kept.
- `POST /v2/deposit/address` `{"asset", "source", "walletId"?}` ("get or generate"): the
  permanent address of the asset on that source, `{"data": {"asset", "source", "address",
  "memo"}}`; asking again gives the same address.

A bad answer (wrong shape, a bad amount, a source twice, an answer about another asset or
source) raises BadResponseError and nothing of it is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tui.api.amounts import AmountError, format_amount, parse_amount
from tui.api.errors import BadResponseError
from tui.api.models import DepositAddress
from tui.api.parse import _Invalid, _json_type, _text, load_json

PRE_REQUEST_PATH = "/v2/deposit/pre-request"
ADDRESS_PATH = "/v2/deposit/address"

#: The method fields we read, as the API names them; every other field is kept in `extra`.
_AMOUNT_FIELDS = {
    "feeFixed": "fee_fixed",
    "feeRate": "fee_rate",
    "minAmount": "min_amount",
    "maxAmount": "max_amount",
}
_TEXT_FIELDS = frozenset({"source", "paymentMethodCode", "asset"})


@dataclass(frozen=True, slots=True)
class DepositMethod:
    """One way to deposit an asset: a source (network) with its fees and limits.

    Amounts are in units of the asset and None when the server did not say (unknown,
    not zero). `fee_rate` is the API's `feeRate` as sent; the API does not document
    its unit, so it is shown as a number, never turned into a percentage. `extra` holds
    the fields we do not read, as decoded (numbers as Decimal), in the server's order.
    """

    source: str
    payment_method_code: str | None = None
    fee_fixed: Decimal | None = None
    fee_rate: Decimal | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def has_fee(self) -> bool:
        """True when a non-zero fixed fee or fee rate is known."""
        return bool(self.fee_fixed) or bool(self.fee_rate)


@dataclass(frozen=True)
class DepositMethods:
    """The answer of `/v2/deposit/pre-request` for one asset: its methods in the server's order."""

    asset: str
    methods: tuple[DepositMethod, ...]

    def __iter__(self) -> Iterator[DepositMethod]:
        return iter(self.methods)

    def __len__(self) -> int:
        return len(self.methods)

    @property
    def sources(self) -> tuple[str, ...]:
        """The source (network) codes, in the server's order."""
        return tuple(m.source for m in self.methods)

    def get(self, source: str) -> DepositMethod | None:
        """The method for `source` (compared case-insensitively), or None."""
        wanted = source.upper()
        for method in self.methods:
            if method.source.upper() == wanted:
                return method
        return None


def _amount(raw: Any, where: str) -> Decimal | None:
    if raw is None:
        return None
    try:
        value = parse_amount(raw)
    except AmountError as exc:
        raise BadResponseError(f"{where}: {exc}") from None
    if value < 0:
        raise BadResponseError(f"{where}: amount {format_amount(value)} is negative")
    return value


def _optional_text(item: dict[str, Any], key: str, where: str) -> str | None:
    raw = item.get(key)
    if raw is None:
        return None
    try:
        return _text(raw)
    except _Invalid as problem:
        raise BadResponseError(f"{where}.{key} {problem}") from None


def _parse_method(item: Any, asset: str, where: str) -> DepositMethod:
    if not isinstance(item, dict):
        raise BadResponseError(f"{where} must be an object, got {_json_type(item)}")
    said_asset = _optional_text(item, "asset", where)
    if said_asset is not None and said_asset.upper() != asset.upper():
        raise BadResponseError(f"{where} is a method of {said_asset!r}, not of {asset!r}")
    code = _optional_text(item, "paymentMethodCode", where)
    source = _optional_text(item, "source", where)
    if source is None and code is not None:
        # "USDT_TRX is source TRX" (the pre-request page).
        prefix = f"{asset.upper()}_"
        if code.upper().startswith(prefix) and len(code) > len(prefix):
            source = code[len(prefix) :]
    if source is None:
        raise BadResponseError(f"{where} names no source (network)")
    amounts = {
        name: _amount(item.get(key), f"{where} ({source}) {key}")
        for key, name in _AMOUNT_FIELDS.items()
    }
    low, high = amounts["min_amount"], amounts["max_amount"]
    if low is not None and high is not None and high < low:
        raise BadResponseError(
            f"{where} ({source}): maxAmount {format_amount(high)} is below "
            f"minAmount {format_amount(low)}"
        )
    extra = tuple(
        (str(key), value)
        for key, value in item.items()
        if key not in _AMOUNT_FIELDS and key not in _TEXT_FIELDS
    )
    return DepositMethod(source=source, payment_method_code=code, extra=extra, **amounts)


def parse_deposit_methods_payload(payload: Any, asset: str) -> DepositMethods:
    """Validate a decoded pre-request answer for `asset` (see the module docstring)."""
    if not isinstance(payload, dict) or "data" not in payload:
        raise BadResponseError("deposit methods response has no 'data' field")
    data = payload["data"]
    if isinstance(data, dict):
        items: list[Any] = [data]  # one method sent as an object
    elif isinstance(data, list):
        items = data
    elif data is None:
        items = []
    else:
        raise BadResponseError(f"'data' must be an array of methods, got {_json_type(data)}")
    methods: list[DepositMethod] = []
    seen: set[str] = set()
    for position, item in enumerate(items):
        method = _parse_method(item, asset, f"data[{position}]")
        key = method.source.upper()
        if key in seen:
            raise BadResponseError(f"source {method.source!r} appears twice")
        seen.add(key)
        methods.append(method)
    return DepositMethods(asset, tuple(methods))


def parse_deposit_methods(body: bytes, asset: str) -> DepositMethods:
    """Parse the raw body of a pre-request answer (see `parse_deposit_methods_payload`)."""
    return parse_deposit_methods_payload(load_json(body), asset)


def parse_deposit_address_payload(payload: Any, asset: str, source: str) -> DepositAddress:
    """Validate a decoded `/v2/deposit/address` answer: the address of `asset` on `source`.

    `data` may also be a list holding exactly one such object. An answer naming another
    asset or source is refused: an address for the wrong network loses the deposit.
    """
    if not isinstance(payload, dict) or "data" not in payload:
        raise BadResponseError("deposit address response has no 'data' field")
    data = payload["data"]
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise BadResponseError(f"'data' must be an address object, got {_json_type(data)}")
    said_asset = _optional_text(data, "asset", "data")
    if said_asset is not None and said_asset.upper() != asset.upper():
        raise BadResponseError(f"the server sent an address of {said_asset!r}, not of {asset!r}")
    said_source = _optional_text(data, "source", "data")
    if said_source is not None and said_source.upper() != source.upper():
        raise BadResponseError(f"the server sent an address on {said_source!r}, not on {source!r}")
    try:
        field = "address"
        address = _text(data.get("address"))
        field = "memo"
        raw_memo = data.get("memo")
        memo = None if raw_memo is None else (_text(raw_memo, allow_empty=True) or None)
    except _Invalid as problem:
        raise BadResponseError(f"data.{field} {problem}") from None
    return DepositAddress(said_source or source, address, memo)


def parse_deposit_address(body: bytes, asset: str, source: str) -> DepositAddress:
    """Parse the raw body of a `/v2/deposit/address` answer."""
    return parse_deposit_address_payload(load_json(body), asset, source)


# --- words for people (the detail pane, the notifications and the one-shot command) ----------

MEMO_WARNING = "A deposit without this memo/tag can be lost: enter both the address and the memo."


def minimum_sentence(asset: str, method: DepositMethod) -> str | None:
    """ "Minimum deposit 20 USDT. Smaller deposits may not be credited." (None: no minimum known)."""
    if method.min_amount is None or method.min_amount.is_zero():
        return None
    return (
        f"Minimum deposit {format_amount(method.min_amount, grouping=True)} {asset}. "
        "Smaller deposits may not be credited."
    )


def limits_line(asset: str, method: DepositMethod) -> str:
    """The maximum and the fee, when known: "Maximum 1,000,000 USDT · Fee 5 USDT"."""
    parts: list[str] = []
    if method.max_amount is not None:
        parts.append(f"Maximum {format_amount(method.max_amount, grouping=True)} {asset}")
    fees: list[str] = []
    if method.fee_fixed:
        fees.append(f"{format_amount(method.fee_fixed, grouping=True)} {asset}")
    if method.fee_rate:
        fees.append(f"rate {format_amount(method.fee_rate)}")
    if fees:
        parts.append("Fee " + " + ".join(fees))
    return " · ".join(parts)


def method_json(method: DepositMethod) -> dict[str, Any]:
    """A method under the API's field names, amounts as exact strings (None: not sent)."""
    record: dict[str, Any] = {
        "source": method.source,
        "paymentMethodCode": method.payment_method_code,
    }
    for key, name in _AMOUNT_FIELDS.items():
        value = getattr(method, name)
        record[key] = None if value is None else format_amount(value)
    for key, value in method.extra:
        record.setdefault(key, _jsonable(value))
    return record


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
