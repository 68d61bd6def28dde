"""`HistoryWriter`: the thread that owns the history database, so the UI never waits on disk.

The UI hands over work with `record_balances`, `record_alert` and `query`, which only put an
item on a queue (no I/O, no lock held by the disk). The thread opens the database itself,
writes in order, prunes now and then, and answers queries through futures. The first
failure (locked, full, read-only, corrupt, newer schema) is reported once through
`on_failure`, and from then on the writer drops what it is given: the app goes on without
history and nothing is lost from the screen.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress
from operator import is_not
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tui.api.models import BalanceSnapshot
from tui.history.errors import HistoryError

if TYPE_CHECKING:
    # Imported on the writer's thread: sqlite3 stays off the app's start-up path.
    from tui.history.store import HistoryStore

T = TypeVar("T")
#: Pruning runs at start and then at most this often, in seconds.
PRUNE_EVERY = 3600.0
#: More pending items than this means the disk cannot keep up: stop rather than hoard memory.
MAX_PENDING = 10_000


@dataclass
class _Balances:
    base_url: str
    wallet: str | None
    at: float
    snapshot: BalanceSnapshot
    values: Mapping[str, Decimal] | None
    quote: str | None


@dataclass
class _Alert:
    base_url: str
    wallet: str | None
    at: float
    rule: str
    message: str
    detail: Mapping[str, object]


@dataclass
class _Query:
    run: Callable[[HistoryStore], Any]
    future: Future[Any] = field(default_factory=Future)


_STOP = object()


class HistoryWriter:
    """Records balances and alerts to the database at `path` on a thread of its own.

    `keep_days`: rows older than this are pruned (each asset's latest row stays).
    `on_failure(reason)` is called once, on the writer's thread, when history stops.
    `clock` gives Unix seconds (for pruning); `busy_timeout_ms`: how long a write waits
    for another window's transaction before the database counts as locked.
    """

    def __init__(
        self,
        path: Path,
        *,
        keep_days: int = 90,
        on_failure: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
        busy_timeout_ms: int = 5000,
    ) -> None:
        self.path = path
        self._busy_timeout_ms = busy_timeout_ms
        self.keep_days = keep_days
        self._on_failure = on_failure
        self._clock = clock
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._idle = threading.Condition()
        self._pending = 0
        #: Why history stopped, or None while it works.
        self.failure: str | None = None
        # The last snapshot written per (base URL, wallet): the client hands over the very
        # same AssetBalance object for an asset that did not change, so `is` finds what did.
        self._last: dict[tuple[str, str | None], BalanceSnapshot] = {}
        # The last snapshot queued per (base URL, wallet), on the UI's side: the same
        # answer again (the very object: the client hands it back when the body did not
        # change) would write nothing, so it is not queued at all.
        self._queued: dict[tuple[str, str | None], BalanceSnapshot] = {}
        self._last_prune = float("-inf")
        self._closed = False

    # --- the UI's side: never blocks -----------------------------------------------------

    def start(self) -> None:
        """Start the thread; the database is opened there, not on the caller's thread.
        What was recorded before is queued and written first."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="history", daemon=True)
            self._thread.start()

    def record_balances(
        self,
        base_url: str,
        wallet: str | None,
        at: float,
        snapshot: BalanceSnapshot,
        values: Mapping[str, Decimal] | None = None,
        quote: str | None = None,
    ) -> None:
        """Queue a balance answer received at `at` (Unix seconds); returns at once.

        The very snapshot queued last for this wallet is not queued again: none of its
        assets changed, so it would add no row.
        """
        key = (base_url, wallet)
        if self._queued.get(key) is snapshot:
            return
        if self._put(_Balances(base_url, wallet, at, snapshot, values, quote)):
            self._queued[key] = snapshot

    def record_alert(
        self,
        base_url: str,
        wallet: str | None,
        at: float,
        rule: str,
        message: str,
        detail: Mapping[str, object],
    ) -> None:
        """Queue an alert that fired; returns at once."""
        self._put(_Alert(base_url, wallet, at, rule, message, dict(detail)))

    def query(self, run: Callable[[HistoryStore], T], future: Future[T] | None = None) -> Future[T]:
        """Run `run(store)` on the writer's thread, after what was queued before it.

        Its answer goes to `future` when given (one made before this writer was, see
        `Recorder.trend`; not cancelled), else to a new one. The future fails with
        HistoryError when history is off or stops.
        """
        item = _Query(run) if future is None else _Query(run, future)
        if self.failure is not None:
            item.future.set_exception(HistoryError(self.failure))
        elif not self._put(item):
            item.future.set_exception(HistoryError(self.failure or "history is off"))
        return item.future

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far is done (tests, and closing). True if it was.
        Starts the thread if it was not yet (see `start`)."""
        if self._thread is None and not self._closed:
            self.start()
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 2.0) -> None:
        """Finish what is queued (up to `timeout` s), then close the database."""
        self._closed = True
        with self._idle:
            queued = self._pending > 0
        if self._thread is None and queued:
            self.start()  # answers came before the thread was started: write them now
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def _put(self, item: object) -> bool:
        # (Before `start` too: the thread takes what was queued once it runs.)
        if self.failure is not None or self._closed:
            return False
        with self._idle:
            if self._pending >= MAX_PENDING:
                return False
            self._pending += 1
        self._queue.put(item)
        return True

    # --- the writer's thread -------------------------------------------------------------

    def _run(self) -> None:
        from tui.history.store import HistoryStore

        store: HistoryStore | None = None
        try:
            store = HistoryStore(self.path, busy_timeout_ms=self._busy_timeout_ms)
        except HistoryError as error:
            self._fail(str(error))
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            try:
                if store is None or self.failure is not None:
                    if isinstance(item, _Query):
                        item.future.set_exception(HistoryError(self.failure or "history is off"))
                    continue
                self._handle(store, item)
            except HistoryError as error:
                if isinstance(item, _Query):
                    item.future.set_exception(error)
                else:
                    self._fail(str(error))
                    store.close()
                    store = None
            except Exception as error:  # a bug must stop history, never the app
                if isinstance(item, _Query):
                    item.future.set_exception(error)
                else:
                    self._fail(f"{type(error).__name__}: {error}")
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()
        if store is not None:
            store.close()

    def _handle(self, store: HistoryStore, item: object) -> None:
        if isinstance(item, _Query):
            if item.future.set_running_or_notify_cancel():
                item.future.set_result(item.run(store))
            return
        if isinstance(item, _Balances):
            self._write_balances(store, item)
        elif isinstance(item, _Alert):
            store.append_alert(
                item.base_url, item.wallet, item.at, item.rule, item.message, item.detail
            )
        now = self._clock()
        if now - self._last_prune >= PRUNE_EVERY:
            self._last_prune = now
            store.prune(now - self.keep_days * 86400)

    def _write_balances(self, store: HistoryStore, item: _Balances) -> None:
        key = (item.base_url, item.wallet)
        last = self._last.get(key)
        balances = item.snapshot.balances
        if last is None:
            changed = list(balances)
        else:
            # Where the last answer has the very same object at the same place, the asset
            # did not change: a C-level pass finds the others, and only those are looked
            # up by name (an asset that only moved place is the same object).
            before = last.balances
            if len(before) == len(balances):
                candidates = compress(balances, map(is_not, before, balances))
            else:
                candidates = iter(balances)
            changed = [b for b in candidates if last.get(b.asset) is not b]
        if changed:
            store.append_balances(
                item.base_url, item.wallet, item.at, changed, item.values, item.quote
            )
        self._last[key] = item.snapshot

    def _fail(self, reason: str) -> None:
        if self.failure is not None:
            return
        self.failure = reason
        if self._on_failure is not None:
            self._on_failure(reason)
