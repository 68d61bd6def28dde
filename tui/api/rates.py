"""Market rates: `GET /v2/rate/equivalent`, what one unit of each asset is worth.

The answer is `{"data": [{"asset": "BTC", "equivalent": {"USD": "26230.10", "UAH":
"1230963", ...}}, ...]}`: per asset, per quote currency, a decimal string. A rate of
"0" means the exchange has no rate: it is kept as given, and `Rates.rate` says None,
so that a missing rate is never taken for a value of zero. An answer with anything
wrong in it (a bad rate, a negative one, an asset twice) is rejected whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tui.api.amounts import AmountError, parse_amount
from tui.api.errors import BadResponseError
from tui.api.json_body import load_json
from tui.api.text import clean_text

RATES_PATH = "/v2/rate/equivalent"
#: Quote currency codes are short identifiers ("USD", "USDT", "BTC").
MAX_QUOTE_CHARS = 16
MAX_ASSET_CHARS = 64


@dataclass(frozen=True)
class Rates:
    """One answer of `/v2/rate/equivalent`.

    `table[asset][quote]` is the value of one unit of `asset` in `quote`, exactly as
    the server sent it (a Decimal, "0" included). `quotes` lists every quote currency
    the answer offers, in the order they first appear.
    """

    table: Mapping[str, Mapping[str, Decimal]]
    quotes: tuple[str, ...]

    def rate(self, asset: str, quote: str) -> Decimal | None:
        """One unit of `asset` in `quote`; None when there is no rate or it is zero."""
        rate = self.table.get(asset, {}).get(quote)
        return rate if rate else None

    def __len__(self) -> int:
        return len(self.table)


def parse_rates_payload(payload: Any) -> Rates:
    """Validate a decoded `/v2/rate/equivalent` answer and build `Rates`.

    Raises BadResponseError, naming the asset and quote, for anything that is not the
    documented shape: no `data` array, an item without `asset`, an `equivalent` that is
    not an object, a rate that is not a non-negative decimal, an asset twice.
    An item whose `equivalent` is null or absent has no rates.
    """
    if not isinstance(payload, dict) or "data" not in payload:
        raise BadResponseError("rates response has no 'data' field")
    items = payload["data"]
    if not isinstance(items, list):
        raise BadResponseError("rates 'data' must be an array")
    table: dict[str, dict[str, Decimal]] = {}
    # Quote currency keys, checked once per answer (every asset repeats the same few).
    quotes: dict[str, str] = {}
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadResponseError(f"rates data[{position}] must be an object")
        asset = _symbol(item.get("asset"), f"rates data[{position}].asset", MAX_ASSET_CHARS)
        if asset in table:
            raise BadResponseError(f"rates: asset {asset!r} appears twice")
        raw = item.get("equivalent")
        if raw is None:
            table[asset] = {}
            continue
        if not isinstance(raw, dict):
            raise BadResponseError(f"rates of {asset!r}: 'equivalent' must be an object")
        rates: dict[str, Decimal] = {}
        for key, value in raw.items():
            quote = quotes.get(key) if type(key) is str else None
            if quote is None:
                quote = _symbol(key, f"rates of {asset!r}: a quote currency", MAX_QUOTE_CHARS)
                quotes[key] = quote
            try:
                rate = parse_amount(value)
            except AmountError as exc:
                raise BadResponseError(f"rate of {asset!r} in {quote}: {exc}") from None
            if rate < 0:
                raise BadResponseError(f"rate of {asset!r} in {quote} is negative")
            rates[quote] = rate
        table[asset] = rates
    return Rates(table, tuple(dict.fromkeys(quotes.values())))


def parse_rates_response(body: bytes, charset: str | None = None) -> Rates:
    """Parse the raw body of a `/v2/rate/equivalent` answer (see `parse_rates_payload`),
    read as every answer is (`tui.api.json_body.load_json`: the declared `charset`, a
    duplicate key rejected)."""
    return parse_rates_payload(load_json(body, charset))


def _symbol(value: Any, where: str, limit: int) -> str:
    if type(value) is str and 0 < len(value) <= limit and value.isalnum() and value.isascii():
        return value  # nearly every symbol: nothing to clean
    if not isinstance(value, str):
        raise BadResponseError(f"{where} must be a string")
    text = clean_text(value).strip()
    if not text or len(text) > limit:
        raise BadResponseError(f"{where} is empty or too long")
    return text
