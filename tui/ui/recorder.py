"""The app's memory and voice: balance answers to the history database, alerts to the user.

`Recorder` listens to what the feeds post (the app receives every feed message after the
screen, as Textual bubbles them up), so no refresh logic is copied here. For each answer
it queues one history write (the writer's thread does the I/O) and asks the evaluator
which alert rules became true; each alert is shown in the app, rings the bell, goes to
the desktop and the `--on-alert` command (on their own thread), and is written to the
history. Trouble with any of those is told once in the app and never stops it.

Nothing of `tui.history` is imported before the app's first frame: the writer is made
when the history opens (`open_history`), and what is handed to the history before that
waits here, in order, to be given to it then.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from tui.api.amounts import exact_product
from tui.api.models import BalanceSnapshot
from tui.config.settings import Settings
from tui.ui.feeds import MAX_RATE_AGE

if TYPE_CHECKING:
    from tui.alerts.delivery import AlertDelivery
    from tui.alerts.evaluate import Alert, AlertEvaluator
    from tui.api.rates import Rates
    from tui.history.series import Trend
    from tui.history.store import HistoryStore
    from tui.history.writer import HistoryWriter

#: Points in a sparkline: enough for a wide pane; the widget bins them to its width.
TREND_POINTS = 120

Notify = Callable[[str, str, str], None]
"""`notify(title, message, severity)`: show a notification in the app."""

HistoryJob = Callable[["HistoryWriter"], None]
"""Something handed to the history writer: a record or a query, which only queues."""


class AssetValues(Mapping[str, Decimal]):
    """The value of each asset of `snapshot` in `quote` at `rates`, worked out only for
    the assets asked for (on the writer's thread, for the rows it writes), exactly."""

    def __init__(self, snapshot: BalanceSnapshot, rates: Rates, quote: str) -> None:
        self._snapshot = snapshot
        self._rates = rates
        self._quote = quote

    def __getitem__(self, asset: str) -> Decimal:
        balance = self._snapshot.get(asset)
        rate = self._rates.rate(asset, self._quote) if balance is not None else None
        if balance is None or rate is None:
            raise KeyError(asset)
        return exact_product(balance.total, rate)

    def __iter__(self) -> Iterator[str]:
        return (b.asset for b in self._snapshot if self._rates.rate(b.asset, self._quote))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        # A Mapping is true when its length is not 0, and the length here goes through
        # every asset: the first asset with a rate is enough to tell.
        return next(iter(self), None) is not None


class Recorder:
    """History and alerts for one app. `notify` and `bell` run on the UI's thread.

    `make_writer` makes the history's writer (at its first use, see `writer`); None when
    history is off. `delivery` is None when alerts go nowhere beyond the app. `clock` is
    the app's (aware datetimes).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        make_writer: Callable[[], HistoryWriter] | None,
        delivery: AlertDelivery | None,
        notify: Notify,
        bell: Callable[[], None],
        clock: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self._make_writer = make_writer
        self._writer: HistoryWriter | None = None
        # What was handed to the history before its writer was made, oldest first: a
        # few answers (the writer is made half a second after the app mounts).
        self._early: list[HistoryJob] = []
        self.delivery = delivery
        #: The alert rules' judge; None without rules (then its modules are not loaded).
        self.evaluator = _evaluator(settings.alerts)
        self._notify = notify
        self._bell = bell
        self._clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last: dict[str | None, BalanceSnapshot] = {}
        self._rates: Rates | None = None
        self._rates_at: datetime | None = None
        #: The last good answer, or when the app started: where `offline` counts from.
        self.last_good = clock()
        #: Alerts delivered so far (newest last), for the tests and the help of a user.
        self.fired: list[Alert] = []

    @property
    def watches_connection(self) -> bool:
        """True when an `offline` rule needs the connection judged every second."""
        return self.evaluator is not None and self.evaluator.watches_connection

    @property
    def keeps_history(self) -> bool:
        """True when history is on (settings), whether or not its writer is made yet."""
        return self._make_writer is not None

    @property
    def writer(self) -> HistoryWriter | None:
        """The history's writer, None when history is off.

        Made at its first use (in the app: `open_history`, after the first frame), so
        that its modules stay off the start-up path; what was handed to the history
        before is given to it then, in the order it came (its thread is not started).
        """
        if self._writer is None and self._make_writer is not None:
            writer = self._writer = self._make_writer()
            early, self._early = self._early, []
            for job in early:
                job(writer)
        return self._writer

    @property
    def history_state(self) -> str | None:
        """None while history is recorded, else why not (for the detail pane)."""
        if self._make_writer is None:
            return "History is off (--no-history or history = false)."
        if self._writer is not None and self._writer.failure is not None:
            return f"History unavailable: {self._writer.failure}"
        return None

    def start(self) -> None:
        """Begin, on the UI's thread (where the threads' problems are reported). The
        database is opened by `open_history`, on the writer's own thread."""
        self._loop = asyncio.get_running_loop()

    def open_history(self) -> None:
        """Make the writer and start its thread, which imports SQLite and opens the
        database: the app calls it once the first frame is drawn, so that this work never
        delays it (what was recorded before is queued, and written first)."""
        if self.writer is not None:
            self.writer.start()

    def close(self) -> None:
        """Let the writer finish what is queued (briefly) and stop the threads. (Closed
        before the history opened: the writer is made now, to write what came.)"""
        if self.writer is not None:
            self.writer.close()
        if self.delivery is not None:
            self.delivery.close(timeout=0.5)

    def from_thread(self, problem: str) -> None:
        """A problem reported by the writer's or the delivery's thread: shown once each."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._notify, "History and alerts", problem, "warning")

    # What the feeds report ----------------------------------------------------------

    def balances(
        self, base_url: str, snapshot: BalanceSnapshot, at: datetime, *, masked: bool
    ) -> None:
        """A balance answer: record it, and deliver the alerts it makes true."""
        self.last_good = at
        if self.keeps_history:
            values, quote = self._values(snapshot, at)
            wallet, when = snapshot.wallet_id, at.timestamp()
            self._to_history(
                lambda writer: writer.record_balances(
                    self._source(base_url), wallet, when, snapshot, values, quote
                )
            )
        previous = self._last.get(snapshot.wallet_id)
        self._last[snapshot.wallet_id] = snapshot
        if self.evaluator is not None:
            for alert in self.evaluator.balances(snapshot, previous, at, masked=masked):
                self._deliver(base_url, alert)
        self.connection(base_url, at)

    def rates(self, rates: Rates, at: datetime) -> None:
        """Market rates from the rates feed: the values of the rows written from now on."""
        self._rates, self._rates_at = rates, at

    def _values(
        self, snapshot: BalanceSnapshot, at: datetime
    ) -> tuple[AssetValues | None, str | None]:
        rates, since = self._rates, self._rates_at
        if rates is None or since is None or (at - since).total_seconds() > MAX_RATE_AGE:
            return None, None  # no rate known now: the rows get no value
        quote = self.settings.quote
        return AssetValues(snapshot, rates, quote), quote

    def connection(self, base_url: str, now: datetime) -> None:
        """Judge the `offline` rules (each second, and after a failed request)."""
        if self.evaluator is None:
            return
        for alert in self.evaluator.connection(self.last_good, now):
            self._deliver(base_url, alert)

    def operation(
        self, base_url: str, operation_id: str, status: str, at: datetime, **facts: object
    ) -> None:
        """An operation now in `status` (for `operation STATUS` rules)."""
        if self.evaluator is None:
            return
        for alert in self.evaluator.operation(operation_id, status, at, **facts):  # type: ignore[arg-type]
            self._deliver(base_url, alert)

    def _deliver(self, base_url: str, alert: Alert) -> None:
        self.fired.append(alert)
        self._notify(f"Alert: {alert.title}", alert.message, "warning")
        self._bell()
        source = self._source(base_url)
        payload = alert.to_json(source)
        if self.delivery is not None:
            self.delivery.deliver(f"wallet-tui: {alert.title}", alert.message, payload)
        if self.keeps_history:
            wallet, when = alert.wallet, alert.at.timestamp()
            self._to_history(
                lambda writer: writer.record_alert(
                    source, wallet, when, alert.rule, alert.message, payload
                )
            )

    def _source(self, base_url: str) -> str:
        """The base URL under which `base_url`'s history and alerts are recorded."""
        # Imported at the first record written or alert fired, not at start-up.
        from tui.history.source import history_source

        return history_source(base_url, demo=self.settings.demo)

    def _to_history(self, job: HistoryJob) -> None:
        """Hand `job` to the writer; before it is made (see `writer`), keep it for then."""
        if self._writer is not None:
            job(self._writer)
        else:
            self._early.append(job)

    # The detail pane's sparkline -----------------------------------------------------

    def trend(
        self,
        base_url: str,
        wallet: str | None,
        asset: str,
        span: float,
        current: Decimal | None = None,
    ) -> Future[Trend | None]:
        """The asset's total over the last `span` seconds, read on the writer's thread.

        `current` is the total on screen now: it ends the line whether or not its write
        has reached the database yet. Fails with HistoryError when history is off or broken.
        Asked before the history opened, it is answered once it has (as a query queued
        before the writer's thread started always was).
        """
        answer: Future[Trend | None] = Future()
        if not self.keeps_history:
            from tui.history.errors import HistoryError  # (history is off: never at start)

            answer.set_exception(HistoryError(self.history_state or "history is off"))
            return answer
        end = self._clock()
        start = end - timedelta(seconds=span)

        def read(store: HistoryStore) -> Trend | None:
            # On the writer's thread, where the history's modules are loaded by now.
            from tui.history.series import trend

            totals = store.totals(self._source(base_url), wallet, asset, start.timestamp())
            if current is not None and (not totals or totals[-1][1] != current):
                totals.append((end.timestamp(), current))
            return trend(totals, start.timestamp(), end.timestamp(), TREND_POINTS)

        def ask(writer: HistoryWriter) -> None:
            if not answer.cancelled():  # (the pane asked for another meanwhile)
                writer.query(read, answer)

        self._to_history(ask)
        return answer


def _evaluator(rules: Sequence[str]) -> AlertEvaluator | None:
    """The judge of the configured alert rules (`--alert`, `alerts = [...]`; already
    checked with the settings), None when there are none: the rules' parser and the
    evaluator are then never imported (they are not needed for the first frame)."""
    if not rules:
        return None
    from tui.alerts.evaluate import AlertEvaluator
    from tui.alerts.rules import parse_rule

    return AlertEvaluator([parse_rule(text) for text in rules])


def make_recorder(
    settings: Settings,
    *,
    notify: Notify,
    bell: Callable[[], None],
    clock: Callable[[], datetime],
) -> Recorder:
    """The recorder these settings ask for: history on or off, hook and desktop or not."""
    recorder: Recorder
    holder: list[Recorder] = []

    def problem(text: str) -> None:
        if holder:
            holder[0].from_thread(text)

    def make_writer() -> HistoryWriter:
        # Imported when the history opens, after the first frame (start-up).
        from tui.history.writer import HistoryWriter

        return HistoryWriter(
            settings.history_path, keep_days=settings.history_days, on_failure=problem
        )

    delivery = None
    if settings.alerts and (settings.on_alert or settings.desktop_alerts):
        from tui.alerts.delivery import AlertDelivery

        delivery = AlertDelivery(
            hook=settings.on_alert, desktop=settings.desktop_alerts, on_problem=problem
        )
    recorder = Recorder(
        settings,
        make_writer=make_writer if settings.history else None,
        delivery=delivery,
        notify=notify,
        bell=bell,
        clock=clock,
    )
    holder.append(recorder)
    return recorder
