"""Market rates: `GET /v2/rate/equivalent`, what one unit of each asset is worth.

The answer is `{"data": [{"asset": "BTC", "equivalent": {"USD": "26230.10", "UAH":
"1230963", ...}}, ...]}`: per asset, per quote currency, a decimal string. A rate of
"0" means the exchange has no rate: it is kept as given, and `Rates.rate` says None,
so that a missing rate is never taken for a value of zero. An answer with anything
wrong in it (a bad rate, a negative one, an asset twice) is rejected whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import chain, repeat
from typing import Any

from tui.api.amounts import (
    MAX_AMOUNT_CHARS,
    AmountError,
    exact_products,
    parse_amount,
)
from tui.api.errors import BadResponseError
from tui.api.json_body import count_keys, decode_text, parse_json_fast, refuse_duplicates
from tui.api.text import clean_text

RATES_PATH = "/v2/rate/equivalent"
#: Quote currency codes are short identifiers ("USD", "USDT", "BTC").
MAX_QUOTE_CHARS = 16
MAX_ASSET_CHARS = 64
#: Plain decimal strings (as `tui.api.amounts.parse_amount`'s fast path takes them:
#: digits, an optional fraction), each followed by a comma.
#: Possessive: a digit taken is never given back, so no state is kept for backtracking
#: (about a third of the time of the same pattern without, over 10,000 rates).
_PLAIN_RATES = re.compile(r"(?:[0-9]{1,40}+(?:\.[0-9]{1,40}+)?+,)*+")


class Rates:
    """One answer of `/v2/rate/equivalent`.

    `table[asset][quote]` is the value of one unit of `asset` in `quote`, exactly as
    the server sent it (a Decimal, "0" included). `quotes` lists every quote currency
    the answer offers, in the order they first appear.

    `Rates(table, quotes)` takes the Decimals. The parser makes it from the answer's
    own rate strings, each already checked to be a plain decimal (`of_text`): those of
    a quote currency become Decimals when that quote is first asked for (`column`),
    every one of them at once, and the whole `table` when it is first read. The app
    values a wallet in one quote at a time: a rates answer of 2,000 assets in five
    quotes then makes 2,000 Decimals, not 10,000 (and their 2,000 objects). Read-only.
    """

    __slots__ = ("_columns", "_table", "_text", "quotes")

    def __init__(self, table: Mapping[str, Mapping[str, Decimal]], quotes: tuple[str, ...]) -> None:
        self.quotes = quotes
        self._table: Mapping[str, Mapping[str, Decimal]] | None = table
        self._text: Mapping[str, dict[str, str]] | None = None
        self._columns: dict[str, dict[str, Decimal]] = {}

    @classmethod
    def of_text(cls, text: Mapping[str, dict[str, str]], quotes: tuple[str, ...]) -> Rates:
        """Rates from checked rate strings: each plain digits with an optional fraction,
        so its Decimal is what `parse_amount` gives."""
        rates = cls({}, quotes)
        rates._table, rates._text = None, text
        return rates

    @property
    def table(self) -> Mapping[str, Mapping[str, Decimal]]:
        """Every rate: `table[asset][quote]`, a Decimal."""
        if self._table is None:
            text = self._text or {}
            self._table = {
                asset: dict(zip(rates, map(Decimal, rates.values()), strict=True))
                for asset, rates in text.items()
            }
        return self._table

    def column(self, quote: str) -> Mapping[str, Decimal]:
        """Every asset's rate in `quote` (a zero one included), by asset; made once."""
        column = self._columns.get(quote)
        if column is None:
            if self._table is None and self._text is not None:
                # (C loops: 2,000 assets' rates in about a millisecond)
                texts = list(map(dict.get, self._text.values(), repeat(quote)))
                if None in texts:
                    pairs = zip(self._text, texts, strict=True)
                    column = {asset: Decimal(text) for asset, text in pairs if text is not None}
                else:
                    column = dict(zip(self._text, map(Decimal, texts), strict=True))
            else:
                rows = ((asset, rates.get(quote)) for asset, rates in self.table.items())
                column = {asset: rate for asset, rate in rows if rate is not None}
            self._columns[quote] = column  # (two threads at once: the same column twice)
        return column

    def rate(self, asset: str, quote: str) -> Decimal | None:
        """One unit of `asset` in `quote`; None when there is no rate or it is zero."""
        rate = self.column(quote).get(asset)
        return rate if rate else None

    def values(
        self, assets: Sequence[str], amounts: Sequence[Decimal], quote: str
    ) -> list[Decimal | None]:
        """The exact value in `quote` of each of `amounts`, the amount of the asset at
        the same place in `assets`; None where that asset has no rate (or a zero one),
        as `rate` says. One pass for many assets (the grid's Value column, the total)."""
        if len(assets) != len(amounts):
            raise ValueError("as many amounts as assets")
        return exact_products(amounts, map(self.column(quote).get, assets))

    def __len__(self) -> int:
        return len(self._text if self._table is None else self._table)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rates):
            return NotImplemented
        return self.quotes == other.quotes and self.table == other.table

    __hash__ = None  # type: ignore[assignment]  # (its table is a dict)

    def __repr__(self) -> str:
        return f"Rates(table={self.table!r}, quotes={self.quotes!r})"


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
    (`map`, `chain`), and the rates kept as their checked strings until a quote is
    asked for (`Rates.of_text`): at 2,000 assets of 5 quotes the per-asset, per-rate
    Python loop cost about 20 ms of CPU, this a few. The usual answer: `data` a list of
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
    quotes = tuple(dict.fromkeys(chain.from_iterable(raws)))  # (in order of first appearance)
    if quotes and not _plain_symbols(list(quotes), MAX_QUOTE_CHARS):
        return None
    values = list(chain.from_iterable(map(dict.values, raws)))
    # Every rate a plain decimal string, checked by one match over them all, each
    # followed by a comma: as many commas as rates, so that no rate holds one.
    try:
        joined = ",".join(values) + "," if values else ""
    except TypeError:
        return None  # a rate that is not a string
    if joined.count(",") != len(values) or not _PLAIN_RATES.fullmatch(joined):
        return None
    if values and max(map(len, values)) > MAX_AMOUNT_CHARS:
        return None  # (up to 40 digits each side of the point, but 64 in all at most)
    others = sum(count_keys(value) for key, value in payload.items() if key != "data")
    keys = len(payload) + others + 2 * len(items) + len(values)
    return Rates.of_text(dict(zip(assets, raws, strict=True)), quotes), keys


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
