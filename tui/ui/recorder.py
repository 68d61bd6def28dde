"""The app's memory and voice: balance answers to the history database, alerts to the user.

`Recorder` listens to what the feeds post (the app receives every feed message after the
screen, as Textual bubbles them up), so no refresh logic is copied here. For each answer
it queues one history write (the writer's thread does the I/O) and asks the evaluator
which alert rules became true; each alert is shown in the app, rings the bell, goes to
the desktop and the `--on-alert` command (on their own thread), and is written to the
history. Trouble with any of those is told once in the app and never stops it.
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
from tui.api.rates import Rates
from tui.config.settings import Settings
from tui.history.errors import HistoryError
from tui.history.series import Trend, trend
from tui.history.source import history_source
from tui.history.writer import HistoryWriter
from tui.ui.feeds import MAX_RATE_AGE

if TYPE_CHECKING:
    from tui.alerts.delivery import AlertDelivery
    from tui.alerts.evaluate import Alert, AlertEvaluator

#: Points in a sparkline: enough for a wide pane; the widget bins them to its width.
TREND_POINTS = 120

Notify = Callable[[str, str, str], None]
"""`notify(title, message, severity)`: show a notification in the app."""


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


class Recorder:
    """History and alerts for one app. `notify` and `bell` run on the UI's thread.

    `writer` is None when history is off; `delivery` None when alerts go nowhere beyond
    the app. `clock` is the app's (aware datetimes).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        writer: HistoryWriter | None,
        delivery: AlertDelivery | None,
        notify: Notify,
        bell: Callable[[], None],
        clock: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.writer = writer
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
    def history_state(self) -> str | None:
        """None while history is recorded, else why not (for the detail pane)."""
        if self.writer is None:
            return "History is off (--no-history or history = false)."
        if self.writer.failure is not None:
            return f"History unavailable: {self.writer.failure}"
        return None

    def start(self) -> None:
        """Begin, on the UI's thread (where the threads' problems are reported). The
        database is opened by `open_history`, on the writer's own thread."""
        self._loop = asyncio.get_running_loop()

    def open_history(self) -> None:
        """Start the writer's thread, which imports SQLite and opens the database: the app
        calls it once the first frame is drawn, so that this work never delays it (what
        was recorded before is queued, and written first)."""
        if self.writer is not None:
            self.writer.start()

    def close(self) -> None:
        """Let the writer finish what is queued (briefly) and stop the threads."""
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
        source = history_source(base_url, demo=self.settings.demo)
        if self.writer is not None:
            values, quote = self._values(snapshot, at)
            self.writer.record_balances(
                source, snapshot.wallet_id, at.timestamp(), snapshot, values, quote
            )
        previous = self._last.get(snapshot.wallet_id)
        self._last[snapshot.wallet_id] = snapshot
        if self.evaluator is not None:
            for alert in self.evaluator.balances(snapshot, previous, at, masked=masked):
                self._deliver(source, alert)
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
        source = history_source(base_url, demo=self.settings.demo)
        for alert in self.evaluator.connection(self.last_good, now):
            self._deliver(source, alert)

    def operation(
        self, base_url: str, operation_id: str, status: str, at: datetime, **facts: object
    ) -> None:
        """An operation now in `status` (for `operation STATUS` rules)."""
        if self.evaluator is None:
            return
        source = history_source(base_url, demo=self.settings.demo)
        for alert in self.evaluator.operation(operation_id, status, at, **facts):  # type: ignore[arg-type]
            self._deliver(source, alert)

    def _deliver(self, source: str, alert: Alert) -> None:
        self.fired.append(alert)
        self._notify(f"Alert: {alert.title}", alert.message, "warning")
        self._bell()
        payload = alert.to_json(source)
        if self.delivery is not None:
            self.delivery.deliver(f"wallet-tui: {alert.title}", alert.message, payload)
        if self.writer is not None:
            self.writer.record_alert(
                source, alert.wallet, alert.at.timestamp(), alert.rule, alert.message, payload
            )

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
        """
        if self.writer is None:
            failed: Future[Trend | None] = Future()
            failed.set_exception(HistoryError(self.history_state or "history is off"))
            return failed
        source = history_source(base_url, demo=self.settings.demo)
        end = self._clock()
        start = end - timedelta(seconds=span)

        def read(store: object) -> Trend | None:
            totals = store.totals(source, wallet, asset, start.timestamp())  # type: ignore[attr-defined]
            if current is not None and (not totals or totals[-1][1] != current):
                totals.append((end.timestamp(), current))
            return trend(totals, start.timestamp(), end.timestamp(), TREND_POINTS)

        return self.writer.query(read)


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

    writer = (
        HistoryWriter(settings.history_path, keep_days=settings.history_days, on_failure=problem)
        if settings.history
        else None
    )
    delivery = None
    if settings.alerts and (settings.on_alert or settings.desktop_alerts):
        from tui.alerts.delivery import AlertDelivery

        delivery = AlertDelivery(
            hook=settings.on_alert, desktop=settings.desktop_alerts, on_problem=problem
        )
    recorder = Recorder(
        settings, writer=writer, delivery=delivery, notify=notify, bell=bell, clock=clock
    )
    holder.append(recorder)
    return recorder
