"""The operations feed: `POST /v2/operation/find` for the wallet shown, newest first.

It calls every OPERATIONS_INTERVAL seconds (slower than the balances: operations change
less often and the page is larger), and at once when the dashboard's balances feed sees
a balance move (`balance_moved`), so that a deposit shows up with the balance it
explains; moves that come faster are answered at most every MOVE_GAP seconds.

Besides its Loaded/Failed messages, it posts one `OperationChanged` per operation that
is new or changed status since its last answer for the same wallet: the event that
notifications (and alert rules) subscribe to. The first answer, and the first after a
wallet switch, post none: that is history, not news.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from textual.message import Message

from tui.api.operations import OperationChange, OperationList, changes
from tui.ui.feeds.feed import Feed, FeedFailed, FeedLoaded

#: Seconds between operations calls when no balance moved.
OPERATIONS_INTERVAL = 30.0
#: A balance move asks for the operations at once, but not within this many seconds of
#: the last ask: a wallet that moves at every 1 s refresh (a busy exchange account)
#: would otherwise fetch the operations page every second, for moves the page a few
#: seconds later explains just as well.
MOVE_GAP = 5.0
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: When the last call began (None: never), for MOVE_GAP.
        self._last_asked: datetime | None = None
        #: When the call a balance move brought forward is due (None: none is waiting).
        self._move_due: datetime | None = None
        #: A balance moved while a call begun less than MOVE_GAP ago was in flight.
        self._moved_meanwhile = False

    def balance_moved(self) -> None:
        """A balance moved: ask now, or when MOVE_GAP seconds have passed since the last
        ask began (once, however many moves come meanwhile). Never two calls in flight."""
        now = self._clock()
        wait = (
            0.0
            if self._last_asked is None
            else MOVE_GAP - (now - self._last_asked).total_seconds()
        )
        if wait <= 0:
            self.refresh_now()  # (in flight: once more right after it)
        elif self.loop.in_flight:
            self._moved_meanwhile = True  # its answer may predate the move: see _loaded
        elif self._move_due is None or self._move_due > now + timedelta(seconds=wait):
            self._move_due = now + timedelta(seconds=wait)
            self.loop.schedule(wait)

    def _start(self) -> None:
        # This call begins after every move seen so far: it explains them all.
        self._last_asked, self._move_due, self._moved_meanwhile = self._clock(), None, False
        super()._start()

    def _loaded(self, generation: int, value: OperationList) -> None:
        previous = self.state.value if generation == self._generation else None
        super()._loaded(generation, value)
        if self._moved_meanwhile:
            self._moved_meanwhile = False
            self.balance_moved()  # the next call, no sooner than MOVE_GAP after this one's
        if previous is None or self.state.value is not value:
            return
        for change in changes(previous, value):
            self._host.post_message(OperationChanged(change, value.wallet_id, self._clock()))
