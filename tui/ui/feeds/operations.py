"""The operations feed: `POST /v2/operation/find` for the wallet shown, newest first.

It calls every OPERATIONS_INTERVAL seconds (slower than the balances: operations change
less often and the page is larger), and at once when the dashboard's balances feed sees
a balance move (`balance_moved`), so that a deposit shows up with the balance it
explains; moves that come faster are answered at most every MOVE_GAP seconds.

Besides its Loaded/Failed messages, it posts one `OperationChanged` per operation that
is new or changed status since its last answer for the same wallet: the event that
notifications (and alert rules) subscribe to. The first answer, and the first after a
wallet switch, post none: that is history, not news.

What it fetches is `fetch_recent_operations`: the newest page and, when that page is
full, the unsettled operations by status, and the new status of any operation it knew
as unsettled that has left both (settled off the first page).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual.message import Message

from tui.api.errors import KunaError, NotFoundError
from tui.ui.feeds.feed import Feed, FeedFailed, FeedLoaded

if TYPE_CHECKING:
    from tui.api.client import KunaClient
    from tui.api.operations import OperationChange, OperationList

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


#: At most this many settled-off-page operations are looked up per answer (one details
#: request each, one after another): a burst of settlements is learnt over a few polls.
MAX_DETAILS_PER_ANSWER = 10


async def fetch_recent_operations(
    client: KunaClient, wallet_id: str | None, previous: OperationList | None
) -> OperationList:
    """The wallet's newest page of operations; when that page is full, the unsettled
    ones asked for by status too, so that the pending summary and the hold explanations
    never miss an old hold.

    `previous` is the feed's last answer (None: none yet, or another wallet's). An
    operation it held as unsettled that is in none of the answers settled off the page
    (an old hold released, an old withdrawal completed): its new status is learnt from
    `/v2/operation/details`, so that it raises the same `OperationChanged` (and the same
    notice and alert) as one on the first page. Every request is made in turn: one in
    flight per feed. One that cannot be looked up now (the lookup failed, or more than
    MAX_DETAILS_PER_ANSWER settled at once) stays as last known, to be asked again at
    the next answer; one the server no longer knows (404, or an empty answer) leaves
    the list. Raises what the client raises for the page and status requests.
    """
    # Imported at the first call, not at start: the dashboard's first frame needs none
    # of the operations' types (README, Performance).
    from tui.api.operations import OperationFilter, OperationList

    page = await client.find_operations(OperationFilter(wallet_id=wallet_id), take=RECENT_OPERATIONS)
    if len(page) < RECENT_OPERATIONS:
        return OperationList.of(page, wallet_id)  # the whole history: nothing is missed
    found = list(page)
    for status in UNSETTLED_STATUSES:
        found.extend(
            await client.find_operations(
                OperationFilter(wallet_id=wallet_id, status=status), take=RECENT_OPERATIONS
            )
        )
    if previous is None or previous.wallet_id != wallet_id:
        return OperationList.of(found, wallet_id)
    seen = {op.id for op in found}
    gone = [op for op in previous if op.status in UNSETTLED_STATUSES and op.id not in seen]
    for number, operation in enumerate(gone):
        if number >= MAX_DETAILS_PER_ANSWER:
            found.append(operation)
            continue
        try:
            now = await client.operation_details(operation)
        except NotFoundError:
            continue  # the server no longer knows it: it leaves the list
        except KunaError:
            found.append(operation)  # as last known, asked again next time
            continue
        if now is not None:
            found.append(now)
    return OperationList.of(found, wallet_id)


class OperationsLoaded(FeedLoaded["OperationList"]):
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


class OperationsFeed(Feed["OperationList"]):
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
        from tui.api.operations import changes  # (loaded by the fetch already)

        for change in changes(previous, value):
            self._host.post_message(OperationChanged(change, value.wallet_id, self._clock()))
