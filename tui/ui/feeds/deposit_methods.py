"""The deposit methods feed: `POST /v2/deposit/pre-request` for the asset shown, rarely.

Unlike the balances feed, its question changes with the selection: `ask(wallet, asset)`
sets what the next call asks, and the owner calls `refresh_now()` when its cache has
nothing fresh for that asset (`tui.ui.deposit_networks.MethodsCache`). Each answer and
each failure names the (wallet, asset) it is about, so an answer that arrives after the
cursor moved on is still kept for that asset. One call in flight at a time, as for every
feed; while it succeeds the asset shown is asked again every `FRESH_SECONDS` (minutes),
off the balance refresh's path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tui.api.deposits import DepositMethods
from tui.api.errors import KunaError
from tui.ui.deposit_networks import FRESH_SECONDS, Key
from tui.ui.feeds.feed import Feed, FeedFailed, FeedLoaded

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.api.client import KunaClient
    from tui.ui.refresh import Scheduler


@dataclass(frozen=True)
class AssetMethods:
    """The deposit methods of `asset` as answered for the wallet `wallet_id`."""

    wallet_id: str | None
    asset: str
    methods: DepositMethods

    @property
    def key(self) -> Key:
        """(wallet, asset): what the answer is about."""
        return (self.wallet_id, self.asset)


class DepositMethodsLoaded(FeedLoaded[AssetMethods]):
    """An asset's deposit methods (`value`) as of `received_at`."""

    @property
    def about(self) -> str:
        """The asset whose methods these are."""
        return self.value.asset


class DepositMethodsFailed(FeedFailed):
    """A deposit methods request failed; `key` is the (wallet, asset) it asked about."""

    def __init__(
        self,
        feed: Feed[object],
        error: KunaError,
        failed_at: datetime,
        retry_at: datetime | None,
    ) -> None:
        super().__init__(feed, error, failed_at, retry_at)
        # Made as the call ends, before another can start: the key of that very call.
        self.key: Key | None = getattr(feed, "asked", None)

    @property
    def about(self) -> str | None:
        """The asset asked about (None: no asset was selected)."""
        return None if self.key is None else self.key[1]


class DepositMethodsFeed(Feed[AssetMethods]):
    """The deposit methods of the asset shown; `ask` when the selection changes."""

    name = "deposit-methods"
    Loaded = DepositMethodsLoaded
    Failed = DepositMethodsFailed

    def __init__(
        self,
        host: DOMNode,
        client: Callable[[], KunaClient],
        *,
        clock: Callable[[], datetime],
        scheduler: Scheduler | None = None,
    ) -> None:
        super().__init__(
            host, self._fetch, interval=FRESH_SECONDS, clock=clock, scheduler=scheduler
        )
        self._client = client
        #: What the next call asks about; None before the first selection.
        self.wanted: Key | None = None
        #: What the call in flight (or the last one) asked about.
        self.asked: Key | None = None

    def ask(self, wallet_id: str | None, asset: str) -> None:
        """Ask about this wallet's asset from the next call on (the owner calls `refresh_now`)."""
        self.wanted = (wallet_id, asset)

    async def _fetch(self) -> AssetMethods:
        key = self.asked = self.wanted
        if key is None:
            raise KunaError("no asset selected")
        wallet_id, asset = key
        methods = await self._client().fetch_deposit_methods(asset)
        return AssetMethods(wallet_id, asset, methods)
