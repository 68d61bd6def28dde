"""The operations feed: `POST /v2/operation/find` for the wallet shown, newest first.

It calls every OPERATIONS_INTERVAL seconds (slower than the balances: operations change
less often and the page is larger), and at once when the dashboard's balances feed sees
a balance move (`refresh_now`), so that a deposit shows up with the balance it explains.

Besides its Loaded/Failed messages, it posts one `OperationChanged` per operation that
is new or changed status since its last answer for the same wallet: the event that
notifications (and alert rules) subscribe to. The first answer, and the first after a
wallet switch, post none: that is history, not news.
"""

from __future__ import annotations

from datetime import datetime

from textual.message import Message

from tui.api.operations import OperationChange, OperationList, changes
from tui.ui.feeds.feed import Feed, FeedFailed, FeedLoaded

#: Seconds between operations calls when no balance moved.
OPERATIONS_INTERVAL = 30.0
#: How many of the newest operations the feed asks for (one page).
RECENT_OPERATIONS = 100
#: Statuses of operations not settled yet. When the newest page is full, the feed also
#: asks for these by status: an old hold (an AML check can last days) must not fall off
#: the page while its amount still sits in lockBalance.
UNSETTLED_STATUSES = ("Created", "Processing", "OnHold")


class OperationsLoaded(FeedLoaded[OperationList]):
    """The wallet's recent operations as of `received_at` (`operations`, newest first)."""

    @property
    def operations(self) -> OperationList:
        """The operations answered, newest first, each id once."""
        return self.value


class OperationsFailed(FeedFailed):
    """An operations request failed; the last good list stays, marked stale. The
    balances feed is not affected."""


class OperationChanged(Message):
    """One operation is new, or changed status, since the feed's previous answer.

    `change.after` is the operation now, `change.before` as it was (None when new);
    `change.old_status`/`new_status` the statuses. `wallet_id` is the wallet asked
    about (None: the main wallet); `at` when the answer came. Posted to the feed's host
    (the dashboard) and bubbles up to the app, oldest change first.
    """

    def __init__(self, change: OperationChange, wallet_id: str | None, at: datetime) -> None:
        super().__init__()
        self.change = change
        self.wallet_id = wallet_id
        self.at = at


class OperationsFeed(Feed[OperationList]):
    """The recent operations of the wallet shown; `restart()` when another is chosen."""

    name = "operations"
    Loaded = OperationsLoaded
    Failed = OperationsFailed

    def _loaded(self, generation: int, value: OperationList) -> None:
        previous = self.state.value if generation == self._generation else None
        super()._loaded(generation, value)
        if previous is None or self.state.value is not value:
            return
        for change in changes(previous, value):
            self._host.post_message(OperationChanged(change, value.wallet_id, self._clock()))
