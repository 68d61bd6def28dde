"""The balances feed: `POST /v2/balance` for the wallet shown, every interval (5 s by default)."""

from __future__ import annotations

from tui.api.models import BalanceSnapshot
from tui.ui.feeds.feed import Feed, FeedFailed, FeedLoaded


class BalancesLoaded(FeedLoaded[BalanceSnapshot]):
    """The wallet's balances as of `received_at` (`snapshot`, the feed's value)."""

    @property
    def snapshot(self) -> BalanceSnapshot:
        """The balances answered: one `Balance` per asset, in the server's order."""
        return self.value


class BalancesFailed(FeedFailed):
    """A balance request failed; the last good balances stay on screen, marked stale."""


class BalancesFeed(Feed[BalanceSnapshot]):
    """The balances of the wallet shown; `restart()` when another wallet is chosen."""

    name = "balances"
    Loaded = BalancesLoaded
    Failed = BalancesFailed
