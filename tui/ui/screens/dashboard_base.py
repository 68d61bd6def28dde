"""What every part of the dashboard screen shares: the screen's state and feeds.

`DashboardScreen` (dashboard.py) is made of parts, one job each: routing the feeds'
messages to the widgets (dashboard_feeds.py), the notifications of what changed
(dashboard_notices.py), `r` (dashboard_refresh.py), the other keys' actions
(dashboard_actions.py), copying and export (dashboard_output.py) and the sparkline
(dashboard_trend.py). Each part subclasses
`DashboardBase`, which names the state they share; the screen sets it up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.api.client import KunaClient
    from tui.api.models import BalanceSnapshot
    from tui.api.values import RunningValue
    from tui.ui.feeds import BalancesFeed, FeedGroup, OperationsFeed, RatesFeed
    from tui.ui.screens.dashboard_deposits import DashboardDeposits
    from tui.ui.services import AppServices

#: The first rates and operations requests wait this long after the first balances are
#: shown, so that the frame with balances never waits for them (nor for the HTTP stack's
#: import in this process: the first balances came from the start-up prefetch's child).
FIRST_RATES_DELAY = 0.5


class DashboardBase(Screen[None]):
    """The dashboard's shared state (set up by `DashboardScreen.__init__`)."""

    services: AppServices
    client: KunaClient
    #: The balances on screen (None until the first answer, and after `w`).
    snapshot: BalanceSnapshot | None
    #: The total value, updated by differences (made with the first rates).
    _worth: RunningValue | None
    _wallet_index: int
    #: True once balances were shown: a refused key then keeps them.
    _ever_shown: bool
    #: The rates and operations feeds have started (they start with the first balances).
    _followers_started: bool
    balances: BalancesFeed
    rates: RatesFeed
    operations: OperationsFeed
    feeds: FeedGroup
    #: The quote currency of the values (`v` cycles through those offered).
    quote: str
    deposits: DashboardDeposits

    @property
    def wallet_id(self) -> str | None:
        """The wallet shown (None: the account's main wallet)."""
        return self.services.wallets[self._wallet_index]

    @property
    def paused(self) -> bool:
        """True while automatic refresh is paused (`r` still refreshes)."""
        return self.feeds.paused
