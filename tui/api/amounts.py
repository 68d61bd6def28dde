"""Exact money: parsing amount strings into `Decimal` and formatting them back.

Every amount in wallet-tui goes through this module. Amounts are never floats, are
never printed in exponent notation and are never rounded in a way that hides a
non-zero value.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import reduce

# An amount string longer than this is not a balance but an attack or a bug.
MAX_AMOUNT_CHARS = 64
# Balances need neither more than 10^40 nor finer than 10^-40; beyond that an exponent
# like "1E+999999" would make formatting allocate a megabyte-long string.
MAX_EXPONENT = 40

# The shape of nearly every amount the API sends: digits and an optional fraction, no
# sign, exponent or space. Within MAX_AMOUNT_CHARS such a string is finite and within
# MAX_EXPONENT by construction, so it skips the general checks (parsing a 5,000-asset
# wallet calls this 20,000 times).
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,40}(?:\.[0-9]{1,40})?")

# Sums and differences must be exact whatever the number of digits: the default
# context's 28 significant digits would round 18-decimal amounts above 10^10.
_EXACT = decimal.Context(
    prec=2 * (MAX_EXPONENT + MAX_AMOUNT_CHARS),
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow],
)


class AmountError(ValueError):
    """A value that is not an acceptable amount."""


def parse_amount(raw: object) -> Decimal:
    """Turn an amount from the API (a decimal string, or an exact JSON number) into a Decimal.

    Raises AmountError for anything that is not a finite decimal of sane size: booleans,
    null, "NaN", "Infinity", "1e999999", "12abc", strings of hundreds of digits.
    """
    if type(raw) is str and len(raw) <= MAX_AMOUNT_CHARS and _PLAIN_AMOUNT.fullmatch(raw):
        return Decimal(raw)
    if isinstance(raw, bool) or raw is None:
        raise AmountError(f"amount must be a decimal string, got {type(raw).__name__}")
    if isinstance(raw, Decimal | int):
        text = str(raw)
    elif isinstance(raw, str):
        text = raw.strip()
    else:
        raise AmountError(f"amount must be a decimal string, got {type(raw).__name__}")
    if not text or len(text) > MAX_AMOUNT_CHARS:
        raise AmountError(f"amount {_preview(text)!r} is empty or too long")
    if any(ch not in "0123456789+-.eE" for ch in text):
        raise AmountError(f"amount {_preview(text)!r} is not a decimal number")
    try:
        value = Decimal(text)
    except decimal.InvalidOperation:
        raise AmountError(f"amount {_preview(text)!r} is not a decimal number") from None
    if not value.is_finite():
        raise AmountError(f"amount {_preview(text)!r} is not finite")
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        raise AmountError(f"amount {_preview(text)!r} is out of range")
    if value.as_tuple().exponent < -MAX_EXPONENT:  # type: ignore[operator]
        raise AmountError(f"amount {_preview(text)!r} has too many decimals")
    if value.is_zero():
        # "-0" and "0E-8" are zero; show them as the server's digits without the sign.
        value = abs(value)
    return value


def _preview(text: str) -> str:
    return text if len(text) <= 24 else text[:24] + "…"


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """Add amounts with no rounding at all (unlike `sum`, which uses 28 digits)."""
    return reduce(_EXACT.add, values, Decimal(0))  # (the loop in C)


def exact_product(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount * rate` with no rounding (a value in a quote currency)."""
    return _EXACT.multiply(amount, rate)


def exact_products(
    amounts: Iterable[Decimal], rates: Iterable[Decimal | None]
) -> list[Decimal | None]:
    """`exact_product` of each amount and the rate at the same place; None where the
    rate is None or zero (no rate). In C loops: the values of a whole wallet at once."""
    rates = list(rates)
    if all(rates):
        return list(map(_EXACT.multiply, amounts, rates))
    multiply = _EXACT.multiply
    return [multiply(a, r) if r else None for a, r in zip(amounts, rates, strict=True)]


def value_of(amount: Decimal, rate: Decimal | None) -> Decimal | None:
    """`amount` in the quote currency, exactly; None when there is no rate.

    (Here rather than in `tui.api.values`, which uses it too: the balance grid values
    its rows with it, and the values' module is loaded with the rates, after the
    dashboard's first frame.)"""
    return None if rate is None else exact_product(amount, rate)


def exact_rescale(value: Decimal, exponent: int) -> Decimal:
    """`value` written with `exponent` (10**exponent its last place), the same number:
    trailing zeros added or taken off. Raises decimal.Inexact if digits would be lost."""
    return value.quantize(Decimal(1).scaleb(exponent), context=_EXACT)


def exact_difference(new: Decimal, old: Decimal) -> Decimal:
    """`new - old` with no rounding."""
    return _EXACT.subtract(new, old)


def trim_zeros(value: Decimal) -> Decimal:
    """`value` without trailing fraction zeros ("0.25000000" -> "0.25"), exactly.

    For computed amounts such as differences, whose trailing zeros were not written by
    the server and say nothing.
    """
    if value.is_zero():
        return Decimal(0)
    trimmed = _EXACT.normalize(value)
    # normalize() turns 100 into 1E+2; keep whole numbers' exponent at zero.
    return trimmed.quantize(Decimal(1)) if trimmed.as_tuple().exponent > 0 else trimmed  # type: ignore[operator]


def format_amount(value: Decimal, *, grouping: bool = False) -> str:
    """The exact value as plain positional digits: never exponent notation, no digit lost.

    `format_amount(Decimal("1E-18")) == "0.000000000000000001"`; trailing zeros the
    server sent are kept, since they are part of what it said. With grouping, the
    integer part gets thousands separators ("1,234.5").
    """
    if value.is_zero():
        value = abs(value)
    return format(value, ",f" if grouping else "f")


def split_amount(value: Decimal, *, grouping: bool = True) -> tuple[str, str]:
    """The formatted integer part (with sign) and the fraction digits, for decimal alignment."""
    text = format_amount(value, grouping=grouping)
    whole, _, fraction = text.partition(".")
    return whole, fraction


def format_aligned(value: Decimal, fraction_width: int, *, grouping: bool = True) -> str:
    """`value` with its fraction padded or cut to `fraction_width` digits, for a column.

    The result always ends in one marker cell: a space, or "…" when digits were cut, so
    that a cut value is never mistaken for the whole one. A non-zero value that would
    show as zero after the cut is shown as the smallest step instead ("<0.00000001"),
    so no rounding ever hides a non-zero amount.
    """
    whole, fraction = split_amount(value, grouping=grouping)
    if len(fraction) <= fraction_width:
        digits = whole + ("." + fraction if fraction else "")
        pad = fraction_width - len(fraction) + (1 if fraction_width and not fraction else 0)
        return digits + " " * pad + " "
    shown = fraction[:fraction_width]
    if value and not whole.lstrip("-").strip("0,") and not shown.strip("0"):
        sign = "-" if value < 0 else ""
        smallest = "0." + "0" * (fraction_width - 1) + "1" if fraction_width else "1"
        # "<0.00000001" reads "more than zero, less than the step"; ">-0.00000001" the mirror.
        return (f"<{smallest}" if not sign else f">-{smallest}") + " "
    if fraction_width == 0:
        return whole + "…"
    return f"{whole}.{shown}…"


#: Quote currencies shown to the cent: the fiat currencies (ISO 4217) an exchange quotes
#: in. Any other quote (BTC, ETH, USDT...) is a crypto quote, shown to 8 decimals.
FIAT_QUOTES = frozenset(
    [
        "USD",
        "EUR",
        "UAH",
        "GBP",
        "PLN",
        "CHF",
        "JPY",
        "CNY",
        "CAD",
        "AUD",
        "NZD",
        "SEK",
        "NOK",
        "DKK",
        "CZK",
        "HUF",
        "RON",
        "BGN",
        "TRY",
        "GEL",
        "KZT",
        "AZN",
        "MDL",
        "ILS",
        "AED",
        "SAR",
        "INR",
        "IDR",
        "THB",
        "VND",
        "KRW",
        "SGD",
        "HKD",
        "TWD",
        "MYR",
        "PHP",
        "BRL",
        "MXN",
        "ARS",
        "CLP",
        "COP",
        "PEN",
        "ZAR",
        "NGN",
        "KES",
        "EGP",
    ]
)
CRYPTO_QUOTE_PLACES = 8
FIAT_QUOTE_PLACES = 2
# Rounds a value for display: half to even, the banker's rule, so that rounding a
# column of values has no upward bias.
_DISPLAY = decimal.Context(
    prec=2 * (MAX_EXPONENT + MAX_AMOUNT_CHARS), rounding=decimal.ROUND_HALF_EVEN
)


def value_places(quote: str) -> int:
    """Decimals a value in `quote` is shown with: 2 for fiat, 8 for a crypto quote."""
    return FIAT_QUOTE_PLACES if quote.upper() in FIAT_QUOTES else CRYPTO_QUOTE_PLACES


def format_value(value: Decimal, quote: str, *, grouping: bool = True) -> str:
    """A value in `quote` for the screen: to the cent for fiat, 8 decimals for crypto,
    rounded half to even; a non-zero value never shows as 0 ("<0.01", ">-0.01").

    The exact value is `format_amount(value)`; this is its rounded face.
    """
    places = value_places(quote)
    step = Decimal(1).scaleb(-places)
    rounded = _DISPLAY.quantize(value, step)
    if rounded.is_zero() and not value.is_zero():
        smallest = format_amount(step)  # "0.01", never "1E-8"
        return f"<{smallest}" if value > 0 else f">-{smallest}"
    return format_amount(rounded, grouping=grouping)
