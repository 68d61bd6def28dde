"""What the wallet is worth: amounts times market rates, exact, in one quote currency.

Values are exact products (`Decimal`, no rounding) and the total is their exact sum;
only the screen rounds (`tui.api.amounts.format_value`). An asset holding something
whose rate is missing or "0" has no value: it is left out of the total and named, never
counted as zero.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress
from operator import is_not

from tui.api.amounts import (
    exact_difference,
    exact_product,
    exact_rescale,
    exact_sum,
    format_value,
    value_of,
)
from tui.api.models import AssetBalance, BalanceSnapshot
from tui.api.rates import Rates

#: The total names at most this many assets it leaves out; beyond, it counts them.
MAX_NAMED_GAPS = 3


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
    return _summed(snapshot, rates, quote)[0]


def _summed(
    snapshot: BalanceSnapshot, rates: Rates, quote: str
) -> tuple[WalletValue, list[Decimal]]:
    """`wallet_value`, and the values it added up."""
    balances = snapshot.balances
    # One pass over the wallet for the values (Rates.values), then C loops.
    worth = rates.values([b.asset for b in balances], [b.total for b in balances], quote)
    values = [value for value in worth if value is not None]
    missing = ()
    if len(values) < len(worth):
        missing = tuple(
            b.asset
            for b, value in zip(balances, worth, strict=True)
            if value is None and not b.is_zero
        )
    return WalletValue(quote, exact_sum(values), missing), values


class RunningValue:
    """The wallet's total value kept up to date as snapshots and rates come, exactly.

    `update` gives the same `WalletValue` as `wallet_value` (the same total, to its last
    digit and exponent, and the same "excl." list in the wallet's order), but does only
    what changed: nothing when the snapshot, the rates and the quote are those of the
    last call, and, when only some assets are new objects in the same places (the
    client keeps an asset sent exactly as before), the old values of those assets are
    taken out of the total and their new values put in. Exact Decimal arithmetic makes
    that difference the same sum; the exponent a full sum would have (the least of its
    terms', and 0) is tracked so that the very same Decimal comes out. New rates, another
    quote, or assets that came, went or moved: the full sum, as `wallet_value`.
    """

    def __init__(self) -> None:
        self._snapshot: BalanceSnapshot | None = None
        self._rates: Rates | None = None
        self._quote = ""
        self._value: WalletValue | None = None
        self._exponents: Counter[int] = Counter()

    def update(self, snapshot: BalanceSnapshot, rates: Rates, quote: str) -> WalletValue:
        """The value of `snapshot` at `rates` in `quote` (see the class)."""
        last, value = self._snapshot, self._value
        if value is not None and rates is self._rates and quote == self._quote:
            if snapshot is last:
                return value
            if last is not None and len(last.balances) == len(snapshot.balances):
                changed = self._changed(last, snapshot)
                if changed is not None:
                    self._snapshot = snapshot
                    self._value = self._apply(snapshot, rates, quote, value, changed)
                    return self._value
        self._snapshot, self._rates, self._quote = snapshot, rates, quote
        self._value = self._full(snapshot, rates, quote)
        return self._value

    @staticmethod
    def _changed(
        last: BalanceSnapshot, snapshot: BalanceSnapshot
    ) -> list[tuple[AssetBalance, AssetBalance]] | None:
        """The (old, new) balances that are new objects in the same places; None when an
        asset came, went or moved (or so many changed that a full sum is as cheap)."""
        old, new = last.balances, snapshot.balances
        pairs = list(compress(zip(old, new, strict=True), map(is_not, old, new)))
        if len(pairs) > len(new) // 4 + 1:
            return None
        if any(before.asset != after.asset for before, after in pairs):
            return None
        return pairs

    def _full(self, snapshot: BalanceSnapshot, rates: Rates, quote: str) -> WalletValue:
        value, terms = _summed(snapshot, rates, quote)
        self._exponents = Counter(_exponent(term) for term in terms)
        return value

    def _apply(
        self,
        snapshot: BalanceSnapshot,
        rates: Rates,
        quote: str,
        value: WalletValue,
        changed: list[tuple[AssetBalance, AssetBalance]],
    ) -> WalletValue:
        total, exponents = value.total, self._exponents
        gaps_moved = False
        for before, after in changed:
            rate = rates.rate(after.asset, quote)
            if rate is None:
                gaps_moved |= before.is_zero != after.is_zero
                continue
            old = exact_product(before.total, rate)
            new = exact_product(after.total, rate)
            total = exact_difference(exact_sum((total, new)), old)
            gone = _exponent(old)
            exponents[gone] -= 1
            if not exponents[gone]:
                del exponents[gone]
            exponents[_exponent(new)] += 1
        # The exponent the full sum would have: the least of its terms' and Decimal(0)'s.
        least = min(0, min(exponents, default=0))
        if _exponent(total) != least:
            total = exact_rescale(total, least)
        missing = value.missing
        if gaps_moved:
            missing = tuple(
                b.asset for b in snapshot if not b.is_zero and rates.rate(b.asset, quote) is None
            )
        return WalletValue(quote, total, missing)


def _exponent(value: Decimal) -> int:
    return value.as_tuple().exponent  # type: ignore[return-value]  # finite: an int
