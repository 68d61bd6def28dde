"""Live data: one feed per polled endpoint, each posting typed messages to its screen.

Feeds today: `BalancesFeed` (`POST /v2/balance`, every 5 s), `RatesFeed`
(`GET /v2/rate/equivalent`, every 30 s) and `OperationsFeed` (`POST /v2/operation/find`,
every 30 s and at once when a balance moves); the dashboard shows all three.

A feed = a client call + a schedule (`RefreshLoop`: the interval, backoff, Retry-After,
pause, a hold during a login, never two calls in flight) + the state of its data
(`FeedState`: the last good value, when it came, the last error, when the next try is
due; `is_stale(now, max_age)`). Each answer is posted to the screen as the feed's
`Loaded` message, each failure as its `Failed` message. Screens route those messages to
widgets; they never fetch, schedule or keep stale bookkeeping themselves.

How to add a feed (operations, deposit methods, history...):

1. A file here, e.g. `tui/ui/feeds/operations.py`, with two messages and the feed::

       class OperationsLoaded(FeedLoaded[OperationPage]):
           '''The operations as of `received_at` (`value`).'''

       class OperationsFailed(FeedFailed):
           '''An operations request failed; the last good page stays, marked stale.'''

       class OperationsFeed(Feed[OperationPage]):
           name = "operations"
           Loaded = OperationsLoaded
           Failed = OperationsFailed

   (Top-level message classes: Textual names their handlers after them.)
2. Export them from this `__init__`.
3. In the screen's `__init__`, make it with its call and interval, and add it to the
   screen's `FeedGroup` so that `p`, `r` and a login act on it too::

       self.operations = OperationsFeed(
           self,
           lambda: self.client.find_operations(...),   # returns the parsed value
           interval=30.0,
           clock=services.now,
           scheduler=services.scheduler,              # tests pass a hand-moved clock
       )
       self.feeds.add(self.operations)

   Start it in `on_mount` with `self.operations.start()` (a call now).
4. Route its messages to widgets: `def on_operations_loaded(self, message)` shows
   `message.value`; `def on_operations_failed(self, message)` marks the widget stale
   and shows `message.error.message` and `message.retry_at`. `message.needs_login`
   says the credentials were refused (the feed then waits: see the dashboard).

When what the feed asks changes (another wallet), call `feed.restart()`: the value is
forgotten and an answer to the old question is dropped. Tests drive feeds through the
screen with `ManualScheduler` (tests/app_harness.py): no sleeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.ui.feeds.balances import BalancesFailed, BalancesFeed, BalancesLoaded
from tui.ui.feeds.feed import Feed, FeedFailed, FeedLoaded, FeedState
from tui.ui.feeds.group import FeedGroup
from tui.ui.feeds.operations import (
    OperationChanged,
    OperationsFailed,
    OperationsFeed,
    OperationsLoaded,
)
from tui.ui.feeds.rates import (
    MAX_RATE_AGE,
    RatesFailed,
    RatesFeed,
    RatesLoaded,
    rates_interval,
)

if TYPE_CHECKING:
    from tui.ui.feeds.deposit_methods import (
        AssetMethods,
        DepositMethodsFailed,
        DepositMethodsFeed,
        DepositMethodsLoaded,
    )

#: Exported, yet imported at first use (PEP 562 `__getattr__` below): the deposit
#: methods feed starts after the dashboard's first frame, and its modules (the
#: deposit models and the networks' logic) stay off the start-up path.
_DEPOSIT_METHODS = frozenset(
    {"AssetMethods", "DepositMethodsFailed", "DepositMethodsFeed", "DepositMethodsLoaded"}
)

__all__ = [
    "MAX_RATE_AGE",
    "AssetMethods",
    "BalancesFailed",
    "BalancesFeed",
    "BalancesLoaded",
    "DepositMethodsFailed",
    "DepositMethodsFeed",
    "DepositMethodsLoaded",
    "Feed",
    "FeedFailed",
    "FeedGroup",
    "FeedLoaded",
    "FeedState",
    "OperationChanged",
    "OperationsFailed",
    "OperationsFeed",
    "OperationsLoaded",
    "RatesFailed",
    "RatesFeed",
    "RatesLoaded",
    "rates_interval",
]


def __getattr__(name: str) -> object:
    """The deposit methods feed's names, from `tui.ui.feeds.deposit_methods` on first use."""
    if name in _DEPOSIT_METHODS:
        from tui.ui.feeds import deposit_methods

        return getattr(deposit_methods, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
