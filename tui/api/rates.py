"""Market rates: `GET /v2/rate/equivalent`, what one unit of each asset is worth.

The answer is `{"data": [{"asset": "BTC", "equivalent": {"USD": "26230.10", "UAH":
"1230963", ...}}, ...]}`: per asset, per quote currency, a decimal string. A rate of
"0" means the exchange has no rate: it is kept as given, and `Rates.rate` says None,
so that a missing rate is never taken for a value of zero. An answer with anything
wrong in it (a bad rate, a negative one, an asset twice) is rejected whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, repeat
from typing import Any

from tui.api.amounts import MAX_AMOUNT_CHARS, PLAIN_AMOUNT, AmountError, parse_amount
from tui.api.errors import BadResponseError
from tui.api.json_body import count_keys, decode_text, parse_json_fast, refuse_duplicates
from tui.api.text import clean_text

RATES_PATH = "/v2/rate/equivalent"
#: Quote currency codes are short identifiers ("USD", "USDT", "BTC").
MAX_QUOTE_CHARS = 16
MAX_ASSET_CHARS = 64
#: Plain decimal strings (`tui.api.amounts.PLAIN_AMOUNT`, at most MAX_AMOUNT_CHARS
#: long), each followed by a comma.
_PLAIN_RATES = re.compile(rf"(?:(?=[0-9.]{{1,{MAX_AMOUNT_CHARS}}},)(?:{PLAIN_AMOUNT.pattern}),)*")


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
    read as every answer is (as `tui.api.json_body.load_json`: the declared `charset`,
    a duplicate key rejected).

    The usual answer (every item an object with a plain symbol and an object of plain
    decimal strings) is checked and converted in bulk (`_parse_plain`); anything else
    goes through `parse_rates_payload`, which names what is wrong.
    """
    text = decode_text(body, charset)
    payload = parse_json_fast(text)
    plain = _parse_plain(payload)
    if plain is not None:
        rates, keys = plain
        refuse_duplicates(text, keys)
        return rates
    refuse_duplicates(text, count_keys(payload))
    return parse_rates_payload(payload)


def _parse_plain(payload: Any) -> tuple[Rates, int] | None:
    """`Rates` of the usual answer, and how many keys its objects hold (for the duplicate
    check); None for anything else, which `parse_rates_payload` then reads (never raises).

    The same result as `parse_rates_payload`, with the per-value work done by C loops
    (`map`, `chain`): at 2,000 assets of 5 quotes the per-asset, per-rate Python loop
    cost about 20 ms of CPU, the loops here a few. The usual answer: `data` a list of
    objects, each with an `asset` that is an ASCII alphanumeric symbol (no cleaning
    needed), each asset once, and an `equivalent` object whose keys are such symbols
    and whose values are plain decimal strings (digits, an optional fraction: no sign,
    so never negative), as `parse_amount`'s fast path takes them.
    """
    if type(payload) is not dict:
        return None
    items = payload.get("data")
    if type(items) is not list or not items:
        return None
    if set(map(type, items)) != {dict}:
        return None
    if sum(map(len, items)) != 2 * len(items):
        # Other fields in the items (or some missing): the full reader. (The key count
        # below would be short of theirs, which is safe, only slower: the duplicate
        # check then parses again.)
        return None
    assets = list(map(dict.get, items, repeat("asset")))
    if set(map(type, assets)) != {str} or not _plain_symbols(assets, MAX_ASSET_CHARS):
        return None
    raws: list[dict[str, Any]] = list(map(dict.get, items, repeat("equivalent")))
    if set(map(type, raws)) != {dict}:
        return None  # (null rates, or not an object: the full reader)
    if len(set(assets)) != len(assets):
        return None  # an asset twice: the full reader names it
    # Distinct quote sets in order of first appearance: their keys in that order are
    # the quotes in order of first appearance over the whole answer.
    key_sets = dict.fromkeys(map(tuple, raws))
    quotes = tuple(dict.fromkeys(chain.from_iterable(key_sets)))
    if quotes and not _plain_symbols(list(quotes), MAX_QUOTE_CHARS):
        return None
    values = list(chain.from_iterable(map(dict.values, raws)))
    if set(map(type, values)) - {str}:
        return None
    # Every rate a plain decimal string, checked by one match over them all, each
    # followed by a comma: as many commas as rates, so that no rate holds one.
    joined = ",".join(values) + "," if values else ""
    if joined.count(",") != len(values) or not _PLAIN_RATES.fullmatch(joined):
        return None
    decimals = map(Decimal, values)  # what parse_amount gives a plain string
    # zip stops at the end of each asset's keys without taking a value of the next.
    table = {
        asset: dict(zip(raw, decimals, strict=False))
        for asset, raw in zip(assets, raws, strict=True)
    }
    others = sum(count_keys(value) for key, value in payload.items() if key != "data")
    keys = len(payload) + others + 2 * len(items) + len(values)
    return Rates(table, quotes), keys


def _plain_symbols(symbols: list[str], limit: int) -> bool:
    """True when every symbol is 1 to `limit` ASCII letters or digits (kept as sent)."""
    return (
        max(map(len, symbols)) <= limit
        and all(map(str.isalnum, symbols))  # (False for "": none is empty)
        and all(map(str.isascii, symbols))
    )


def _symbol(value: Any, where: str, limit: int) -> str:
    if type(value) is str and 0 < len(value) <= limit and value.isalnum() and value.isascii():
        return value  # nearly every symbol: nothing to clean
    if not isinstance(value, str):
        raise BadResponseError(f"{where} must be a string")
    text = clean_text(value).strip()
    if not text or len(text) > limit:
        raise BadResponseError(f"{where} is empty or too long")
    return text
