"""What the wallet is worth: amounts times market rates, exact, in one quote currency.

Values are exact products (`Decimal`, no rounding) and the total is their exact sum;
only the screen rounds (`tui.api.amounts.format_value`). An asset holding something
whose rate is missing or "0" has no value: it is left out of the total and named, never
counted as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tui.api.amounts import exact_product, exact_sum, format_value
from tui.api.models import AssetBalance, BalanceSnapshot
from tui.api.rates import Rates

#: The total names at most this many assets it leaves out; beyond, it counts them.
MAX_NAMED_GAPS = 3


def value_of(amount: Decimal, rate: Decimal | None) -> Decimal | None:
    """`amount` in the quote currency, exactly; None when there is no rate."""
    return None if rate is None else exact_product(amount, rate)


def asset_value(balance: AssetBalance, rates: Rates | None, quote: str) -> Decimal | None:
    """The value of every balance field of `balance` together (its total), or None."""
    if rates is None:
        return None
    return value_of(balance.total, rates.rate(balance.asset, quote))


@dataclass(frozen=True)
class WalletValue:
    """The wallet's total value in `quote`.

    `total` is the exact sum of the values of the assets that have a rate; `missing`
    names, in the wallet's order, the assets holding something that have none (no rate,
    or a rate of "0"), which the total therefore leaves out.
    """

    quote: str
    total: Decimal
    missing: tuple[str, ...] = ()

    def describe(self, *, masked: bool = False) -> str:
        """ "≈ 48,210.07 USD", then ", excl. XRP: no rate" when assets are left out."""
        shown = "•••••" if masked else format_value(self.total, self.quote)
        text = f"≈ {shown} {self.quote}"
        if self.missing:
            text += f", excl. {gap_names(self.missing)}: no rate"
        return text


def gap_names(missing: tuple[str, ...]) -> str:
    """ "XRP", "XRP, TON", or "5 assets" when more than MAX_NAMED_GAPS are left out."""
    if len(missing) > MAX_NAMED_GAPS:
        return f"{len(missing)} assets"
    return ", ".join(missing)


def wallet_value(snapshot: BalanceSnapshot, rates: Rates, quote: str) -> WalletValue:
    """The total value of `snapshot` in `quote`, exact, and the assets it leaves out."""
    values: list[Decimal] = []
    missing: list[str] = []
    for balance in snapshot:
        rate = rates.rate(balance.asset, quote)
        if rate is None:
            if not balance.is_zero:
                missing.append(balance.asset)
            continue
        values.append(exact_product(balance.total, rate))
    return WalletValue(quote, exact_sum(values), tuple(missing))
