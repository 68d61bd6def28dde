"""Build the real app against the in-process sandbox, with frozen time, for Pilot tests."""

from __future__ import annotations

import asyncio
import unicodedata
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from fractions import Fraction
from typing import NamedTuple

import httpx
from textual import events
from textual.drivers.headless_driver import HeadlessDriver
from textual.events import Resize
from textual.geometry import Size
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widget import Widget

from tui.api.auth import Secret
from tui.config.settings import Secrets, Settings
from tui.sandbox.wallet import (
    DEMO_API_KEY,
    DEMO_EMAIL,
    DEMO_MERCHANT_ID,
    DEMO_PASSWORD,
    DemoExchange,
)
from tui.ui.app import WalletApp
from tui.ui.key_order import OrderedKeys
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane

# A loopback URL, as plain http:// is refused to any other host. ASGITransport serves
# requests in-process and never connects: nothing listens on port 9.
SANDBOX_URL = "http://127.0.0.1:9"
FROZEN_NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
SIZE = (120, 40)


def demo_settings(**changes: object) -> Settings:
    """Settings for the demo merchant on the in-process sandbox."""
    values: dict[str, object] = {
        "base_url": SANDBOX_URL,
        "merchant_id": DEMO_MERCHANT_ID,
        "email": DEMO_EMAIL,
        "interval": 5.0,
    }
    # History on disk only for the tests that name a file for it: the others need no
    # writer thread (and no database in the data folder).
    values["history"] = "history_file" in changes
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


class RecordingWalletApp(WalletApp):
    """The real app, also keeping every notification so that tests can read them."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.notices: list[tuple[str, str, str]] = []

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", **kwargs: object
    ) -> None:  # type: ignore[override]
        self.notices.append((title, message, severity))
        super().notify(message, title=title, severity=severity, **kwargs)  # type: ignore[arg-type]


def make_app(
    transport: httpx.AsyncBaseTransport | None,
    *,
    password: str | None = DEMO_PASSWORD,
    api_key: str | None = None,
    clock: Callable[[], datetime] = lambda: FROZEN_NOW,
    scheduler: object | None = None,
    app_class: type[RecordingWalletApp] = RecordingWalletApp,
    **settings: object,
) -> RecordingWalletApp:
    """The real WalletApp, talking HTTP to the sandbox through `transport`."""
    secrets = Secrets(
        api_key=Secret(api_key) if api_key else None,
        password=Secret(password) if password else None,
    )
    return app_class(
        demo_settings(**settings),
        secrets,
        transport=transport,
        clock=clock,
        system_clipboard=False,
        scheduler=scheduler,
    )


def api_key_app(
    transport: httpx.AsyncBaseTransport | None, **settings: object
) -> RecordingWalletApp:
    """The app started with WALLET_TUI_API_KEY set: no login screen."""
    return make_app(transport, password=None, api_key=DEMO_API_KEY, **settings)


#: How long `wait_until` lets the app run before it fails the test. Only a guard against
#: a test that would hang: no test asserts how fast the app is (a loaded machine, with
#: the suite on every core, may take seconds to lay out one frame), so it is generous.
WAIT_LIMIT = 120.0


async def wait_until(
    pilot: Pilot[object], predicate: Callable[[], bool], timeout: float = WAIT_LIMIT
) -> None:
    """Let the app run until `predicate()` holds (fails the test after `timeout` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)
    await pilot.pause()


#: For each app, how many keys it will have taken once the bursts sent to it are in.
_KEYS_SENT: weakref.WeakKeyDictionary[OrderedKeys[object], int] = weakref.WeakKeyDictionary()


def type_at_full_speed(app: OrderedKeys[object], *keys: str | events.Paste) -> None:
    """Send `keys` (names as `Pilot.press` takes them, or a paste) the way the terminal
    does a burst of them: all on the app's queue at once, with no wait between them.

    `Pilot.press` waits for the app to go idle after each key, so it never shows what a
    password manager's auto-type or xdotool does. (A key's name and character are worked
    out as `Pilot.press` does.) `keys_handled` waits for them."""
    driver = app._driver
    assert driver is not None
    _KEYS_SENT[app] = max(_KEYS_SENT.get(app, 0), app.keys_taken) + len(keys)
    for key in keys:
        if isinstance(key, events.Paste):
            driver.send_message(key)
            continue
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char: str | None = unicodedata.lookup(
                _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
            )
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)


async def keys_handled(pilot: Pilot[object], app: OrderedKeys[object]) -> None:
    """Wait until the app has taken every key `type_at_full_speed` sent it, and each has
    been handled by the widget it went to (and whatever acted on it on the way up)."""
    sent = _KEYS_SENT.get(app, 0)
    await wait_until(pilot, lambda: app.keys_taken >= sent and app.keys_pending == 0)
    await pilot.pause()


async def resize_for_layout(
    pilot: Pilot[object], widget: Widget, width: int, height: int, timeout: float = WAIT_LIMIT
) -> None:
    """Resize the terminal to `width` x `height` and return once `widget` (one that fills
    the screen's width) is laid out at that width and has handled its own resize event,
    without waiting for an idle CPU and without painting a frame.

    For tests that read a widget's lines themselves (`render_line`), which are worked
    out from the layout alone: `Pilot.resize_terminal` then `pause` also waits for the
    CPU to go idle (at least 10 ms of real time, often more) and paints a frame, which
    over a few hundred widths is most of such a test's time.
    """
    size = Size(width, height)
    app = pilot.app
    if isinstance(app._driver, HeadlessDriver):  # as Pilot.resize_terminal
        app._driver._size = size
    app.post_message(Resize(size, size))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    # The app passes a resize on to its screen after 1/120 s (Textual debounces them),
    # so this polls every millisecond rather than spinning the CPU meanwhile.
    while widget.outer_size.width != width:  # (its padding and border too)
        if loop.time() > deadline:
            raise AssertionError(f"{widget} not laid out at {width} columns in time")
        await asyncio.sleep(0.001)
    # The layout posted the widget its own Resize: let it handle that (and whatever was
    # queued before it) too.
    handled = asyncio.Event()
    widget.call_later(handled.set)
    await asyncio.wait_for(handled.wait(), max(0.0, deadline - loop.time()))


class ManualScheduler:
    """A scheduler whose time moves only when a test calls `advance`.

    It records every delay each feed asks for, so that tests assert the exact timing
    of refreshes (backoff, Retry-After) without sleeping. `requested` and `next_delay`
    are the balances feed's (what most tests are about); `requested_by` and
    `next_delay_of` name a feed ("rates"). `advance` runs every feed's calls.

    Time is kept exactly (a Fraction of the floats it is given): after jittered delays
    a float clock would say a 2 s delay is 1.9999999999999716 s away.
    """

    def __init__(self) -> None:
        self._now = Fraction(0)
        self.requested_by: dict[str, list[float]] = {}
        self._pending: list[tuple[Fraction, int, Callable[[], object], _Handle, str]] = []
        self._count = 0

    @property
    def now(self) -> float:
        """Seconds since the scheduler was made."""
        return float(self._now)

    def call_later(
        self, delay: float, callback: Callable[[], object], *, feed: str = "balances"
    ) -> _Handle:
        """Note the call; it runs when `advance` passes its due time."""
        handle = _Handle()
        self.requested_by.setdefault(feed, []).append(delay)
        self._count += 1
        self._pending.append((self._now + Fraction(delay), self._count, callback, handle, feed))
        return handle

    @property
    def requested(self) -> list[float]:
        """Every delay the balances feed asked for, in order."""
        return self.requested_by.setdefault("balances", [])

    @property
    def next_delay(self) -> float | None:
        """Seconds until the balances feed's next call, or None when nothing waits."""
        return self.next_delay_of("balances")

    def next_delay_of(self, feed: str) -> float | None:
        """Seconds until `feed`'s next live scheduled call, or None when nothing waits."""
        live = [
            due for due, _, _, handle, name in self._pending if name == feed and not handle.stopped
        ]
        return float(min(live) - self._now) if live else None

    def advance(self, seconds: float) -> int:
        """Move time on and run what fell due, in order; returns how many ran."""
        self._now += Fraction(seconds)
        ran = 0
        while True:
            due = sorted(item for item in self._pending if item[0] <= self._now + _EPSILON)
            if not due:
                return ran
            item = due[0]
            self._pending.remove(item)
            if not item[3].stopped:
                item[3].stopped = True
                item[2]()
                ran += 1


#: Calls due this close to now run too (a test's 0.1 + 0.2 is 0.30000000000000004).
_EPSILON = Fraction(1, 10**9)


class _Handle:
    """A scheduled call of ManualScheduler."""

    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class MovingClock:
    """The app's wall clock for tests: frozen, moved by hand."""

    def __init__(self, start: datetime = FROZEN_NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.now += timedelta(seconds=seconds)


def balance_calls(exchange: DemoExchange) -> int:
    """How many `/v2/balance` requests the sandbox has answered."""
    return sum(1 for record in exchange.requests if record.path == "/v2/balance")


async def dashboard_of(app: WalletApp, pilot: Pilot[object]) -> DashboardScreen:
    """Wait for the dashboard to show its first data, with the detail pane's parts
    mounted (just after that first frame), and return it."""

    def ready() -> bool:
        screen = app.screen
        return (
            isinstance(screen, DashboardScreen)
            and screen.snapshot is not None
            and screen.query_one(DetailPane).built
        )

    await wait_until(pilot, ready)
    assert isinstance(app.screen, DashboardScreen)
    return app.screen


class OnDashboard(NamedTuple):
    """The app on its dashboard, and the hand-moved time it runs on (`dashboard`)."""

    app: RecordingWalletApp
    pilot: Pilot[object]
    screen: DashboardScreen
    scheduler: ManualScheduler
    clock: MovingClock


@asynccontextmanager
async def dashboard(
    transport: httpx.AsyncBaseTransport | None, *, values: bool = False, **settings: object
) -> AsyncIterator[OnDashboard]:
    """The app started with an API key (`api_key_app`), at SIZE, on the dashboard with its
    first balances; its refreshes wait for the test to move the scheduler, and its clock
    stands at FROZEN_NOW until the test moves it. With `values`, the first rates are shown
    too (`values_of`). `settings` as for `demo_settings`."""
    scheduler, clock = ManualScheduler(), MovingClock()
    app = api_key_app(transport, scheduler=scheduler, clock=clock, **settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        if values:
            await values_of(screen, pilot, scheduler)
        yield OnDashboard(app, pilot, screen, scheduler, clock)


async def values_of(
    screen: DashboardScreen, pilot: Pilot[object], scheduler: ManualScheduler | None = None
) -> None:
    """Let the dashboard's first rates request go out (moving `scheduler` past its delay)
    and wait until the values are shown."""
    from tui.ui.screens.dashboard import FIRST_RATES_DELAY

    if scheduler is not None:
        scheduler.advance(FIRST_RATES_DELAY)
    await wait_until(pilot, lambda: screen.query_one(BalanceGrid).rates is not None)


async def select(pilot: Pilot[object], grid: BalanceGrid, asset: str) -> None:
    """Move the cursor with the arrow keys, as a user would, until `asset` is selected."""
    for _ in range(grid.row_count):
        if grid.selected_asset == asset:
            return
        await pilot.press("down")
    assert grid.selected_asset == asset


def grid_rows(grid: BalanceGrid) -> list[str]:
    """The asset symbols of the grid's rows, top to bottom."""
    return [grid.get_row_at(i)[0].plain.strip() for i in range(grid.row_count)]


def grid_text(grid: BalanceGrid) -> list[str]:
    """Every row of the grid as the text it shows."""
    return [" ".join(cell.plain for cell in grid.get_row_at(i)) for i in range(grid.row_count)]
