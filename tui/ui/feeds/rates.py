"""The rates feed: `GET /v2/rate/equivalent`, every 30 s (and never more often than balances).

Its own request, interval, backoff and errors: a rates failure marks the values stale
and never touches the balances, and a balances failure never blanks the values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.ui.feeds.feed import Feed, FeedFailed, FeedLoaded

if TYPE_CHECKING:
    from tui.api.rates import Rates

#: Seconds between two rates requests by default. Market rates move slower than a
#: wallet is watched, and the endpoint is shared by every client of the exchange.
RATES_INTERVAL = 30.0
#: Rates older than this many seconds are marked stale even when no request failed.
MAX_RATE_AGE = 300.0


def rates_interval(balance_interval: float) -> float:
    """The rates interval for a balance interval: 30 s, or the balance interval if longer."""
    return max(RATES_INTERVAL, balance_interval)


# "Rates" as a string: the rates' module is loaded by the feed's first call, after the
# dashboard's first frame (the client's `fetch_rates`), not with this one.
class RatesLoaded(FeedLoaded["Rates"]):
    """Market rates as of `received_at` (`rates`, the feed's value)."""

    @property
    def rates(self) -> Rates:
        """Per asset, per quote currency, what one unit is worth."""
        return self.value


class RatesFailed(FeedFailed):
    """A rates request failed; the last good rates stay in use, marked stale."""


class RatesFeed(Feed["Rates"]):
    """The exchange's market rates, for the Value column and the wallet's total."""

    name = "rates"
    Loaded = RatesLoaded
    Failed = RatesFailed
