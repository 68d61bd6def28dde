"""The demo exchange's market rates: what one unit of each asset is worth, moving a little.

Each asset has a price in USD that takes a seeded random walk, one small step per tick
of the exchange (at most `MAX_STEP` either way); the other quote currencies follow from
it: fiat at fixed cross rates, BTC and USDT at their own current prices. Deterministic:
two markets with the same seed that took the same steps quote the same rates.

Two gaps, on purpose, so that the app's handling of missing rates can be seen: XRP has
no EUR rate at all, and TON's UAH rate is "0" (the documented "no rate").
"""

from __future__ import annotations

import decimal
import random
from decimal import Decimal
from typing import Any

from tui.api.amounts import format_amount

#: The quote currencies offered, in the order the answer lists them.
QUOTES = ("USD", "UAH", "EUR", "BTC", "USDT")
#: Fixed cross rates of the fiat quotes, per USD.
FIAT_PER_USD = {"USD": Decimal(1), "UAH": Decimal("41.37"), "EUR": Decimal("0.9215")}
#: Starting USD prices of the demo assets (and a few the exchange lists besides).
START_USD: dict[str, Decimal] = {
    "BTC": Decimal("67250.40"),
    "ETH": Decimal("3512.87"),
    "USDT": Decimal("1.0002"),
    "XRP": Decimal("0.6123"),
    "TON": Decimal("6.842"),
    "TRX": Decimal("0.1218"),
    "UAH": Decimal("0.02417"),
    "SOL": Decimal("171.35"),
    "ADA": Decimal("0.4521"),
    "DOGE": Decimal("0.1587"),
}
#: Prices that never move (a stablecoin's peg is the point of it; fiat moves by FX only).
STILL = frozenset({"USDT", "UAH"})
#: The largest move of a price per tick, as a fraction.
MAX_STEP = Decimal("0.004")
#: (asset, quote) pairs with no rate at all, and pairs quoted as "0".
NO_RATE = frozenset({("XRP", "EUR")})
ZERO_RATE = frozenset({("TON", "UAH")})

# Rates are cut to this many significant digits, as an exchange's feed would give them.
_RATE_DIGITS = decimal.Context(prec=10, rounding=decimal.ROUND_HALF_EVEN)


class DemoRates:
    """Seeded, moving market rates for `GET /v2/rate/equivalent`. Not thread-safe: the
    exchange that owns it holds its lock."""

    def __init__(self, seed: int = 7) -> None:
        # Its own dice, so that rates never shift the balance simulation's events.
        self._rng = random.Random(f"rates-{seed}")
        self._usd: dict[str, Decimal] = dict(START_USD)
        #: Rates set by hand (tests), which win over the computed ones; None removes one.
        self._fixed: dict[tuple[str, str], Decimal | None] = {}

    def step(self) -> None:
        """Move every price one tick's worth (every asset draws, so one never shifts another)."""
        for asset, price in self._usd.items():
            move = Decimal(self._rng.randint(-1000, 1000)) / 1000 * MAX_STEP
            if asset not in STILL:
                self._usd[asset] = _RATE_DIGITS.multiply(price, 1 + move)

    def set_rate(self, asset: str, quote: str, rate: Decimal | str | None) -> None:
        """Quote `asset` in `quote` at exactly `rate` from now on (None: no rate at all)."""
        self._fixed[(asset, quote)] = None if rate is None else Decimal(rate)

    def add_asset(self, asset: str, usd: Decimal | str) -> None:
        """List another asset, at `usd` per unit."""
        self._usd[asset] = Decimal(usd)

    def rate(self, asset: str, quote: str) -> Decimal | None:
        """One unit of `asset` in `quote` now, None when it has no rate."""
        if (asset, quote) in self._fixed:
            return self._fixed[(asset, quote)]
        if asset == quote:
            return Decimal(1)
        if (asset, quote) in NO_RATE or asset not in self._usd:
            return None
        if (asset, quote) in ZERO_RATE:
            return Decimal(0)
        usd = self._usd[asset]
        if quote in FIAT_PER_USD:
            return _RATE_DIGITS.multiply(usd, FIAT_PER_USD[quote])
        if quote in self._usd:
            return _RATE_DIGITS.divide(usd, self._usd[quote])
        return None

    def payload(self) -> dict[str, Any]:
        """The `/v2/rate/equivalent` answer: `{"data": [{"asset", "equivalent"}, ...]}`."""
        data = []
        for asset in self._usd:
            equivalent = {}
            for quote in QUOTES:
                rate = self.rate(asset, quote)
                if rate is not None:
                    equivalent[quote] = format_amount(rate)
            data.append({"asset": asset, "equivalent": equivalent})
        return {"data": data}
