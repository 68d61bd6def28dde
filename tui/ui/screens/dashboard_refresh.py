"""The dashboard's `r`: refresh what the user sees, and say what is being refreshed.

`r` asks the balances, the rates, the operations (once they have started) and the
deposit methods of the asset in the detail pane (past their cache of FRESH_SECONDS).
Each feed is asked at most once: one whose call is in flight is not asked again, as
its answer is the fresh one. The status bar names what is still being refreshed
until each of them has answered or failed.
"""

from __future__ import annotations

from textual import on

from tui.ui.feeds import Feed, FeedFailed, FeedLoaded
from tui.ui.screens.dashboard_base import DashboardBase
from tui.ui.widgets.status_bar import StatusBar


def refresh_once(feed: Feed[object]) -> None:
    """Ask `feed` now, unless its call is in flight (whose answer is the fresh one)."""
    if not feed.loop.in_flight:
        feed.refresh_now()


class DashboardRefresh(DashboardBase):
    """`r`, and the status's "refreshing ..." until every feed asked has answered."""

    #: What `r` asked and is not answered yet: feed name -> what the status calls it.
    _refreshing: dict[str, str]
    #: The (wallet, asset) whose deposit methods `r` asked for.
    _refreshing_methods: tuple[str | None, str] | None

    def action_refresh(self) -> None:
        """Refresh what is shown now, also while paused: balances, rates, operations and
        the selected asset's deposit methods."""
        feeds: list[Feed[object]] = [self.balances]  # type: ignore[list-item]
        if self._followers_started:  # (else they start with the balances' answer)
            feeds += [self.rates, self.operations]  # type: ignore[list-item]
        asked = {}
        for feed in feeds:
            refresh_once(feed)
            asked[feed.name] = feed.name
        key = self._refreshing_methods = self.deposits.refresh_shown()
        if key is not None:
            asked[self.deposits.feed.name] = f"{key[1]} deposit methods"
        self._refreshing = asked
        self._show_refreshing()

    @on(FeedLoaded)
    @on(FeedFailed)
    def _refresh_answered(self, message: FeedLoaded[object] | FeedFailed) -> None:
        name = message.feed.name
        if name not in self._refreshing:
            return
        # (Here, after `r`: the deposit methods feed's module is not loaded at start.)
        from tui.ui.feeds.deposit_methods import DepositMethodsFailed, DepositMethodsLoaded

        if isinstance(message, DepositMethodsLoaded | DepositMethodsFailed):
            key = message.value.key if isinstance(message, DepositMethodsLoaded) else message.key
            if key != self._refreshing_methods:
                return  # the answer about an asset looked at before `r`
        del self._refreshing[name]
        self._show_refreshing()

    def _show_refreshing(self) -> None:
        self.query_one(StatusBar).set_info(refreshing=", ".join(self._refreshing.values()))
