"""Seeded, frozen-time states of the app, shared by the snapshot tests and the screenshots.

Each scene builds the real app against an in-process sandbox (fixed seed, still
balances, a frozen clock) and drives it with Pilot to the state it shows, so that
the pictures in the README and the snapshots the tests compare are the same states.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from textual.pilot import Pilot
from textual.widgets import Input

from tui.api.auth import Secret
from tui.api.models import AVAILABLE, HOLD, AssetBalance
from tui.config.settings import Secrets, Settings
from tui.history.store import HistoryStore
from tui.sandbox.app import create_app
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import (
    DEMO_API_KEY,
    DEMO_EMAIL,
    DEMO_MERCHANT_ID,
    DEMO_PASSWORD,
    DemoExchange,
)
from tui.ui.app import WalletApp
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.status_bar import RefreshState, StatusBar

SCENE_URL = "https://sandbox.wallet-tui.dev"
SCENE_TIME = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
SCENE_SIZE = (120, 40)


@dataclass
class Stage:
    """A scene's app with the sandbox behind it."""

    app: WalletApp
    exchange: DemoExchange
    faults: FaultPlan


@dataclass(frozen=True)
class Scene:
    """A named state of the app and how to reach it."""

    name: str
    description: str
    use_api_key: bool
    reach: Callable[[Pilot[None], Stage], Awaitable[None]]
    #: Fills a fresh history database for the scene; None: the scene records no history.
    history: Callable[[HistoryStore], None] | None = None

    def stage(self) -> Stage:
        """A fresh app and sandbox for this scene."""
        # Operations are dated from the scene's time, so that their times are seeded too.
        exchange = DemoExchange(
            seed=7, clock=lambda: 0.0, moving=False, started_at=SCENE_TIME.timestamp()
        )
        faults = FaultPlan()
        transport = httpx.ASGITransport(app=create_app(exchange, faults))
        history_file = None
        if self.history is not None:
            history_file = Path(tempfile.mkdtemp(prefix="wallet-tui-scene-")) / "history.sqlite3"
            store = HistoryStore(history_file)
            self.history(store)
            store.close()
        settings = Settings(
            base_url=SCENE_URL,
            merchant_id=DEMO_MERCHANT_ID,
            email=DEMO_EMAIL,
            interval=5.0,
            history=history_file is not None,
            history_file=history_file,
        )
        secrets = Secrets(
            api_key=Secret(DEMO_API_KEY) if self.use_api_key else None,
            password=Secret(DEMO_PASSWORD),
        )
        app = WalletApp(
            settings,
            secrets,
            transport=transport,
            clock=lambda: SCENE_TIME,
            system_clipboard=False,
        )
        return Stage(app, exchange, faults)


async def _settle(pilot: Pilot[None], predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    # The QR codes follow the selection a moment later (DetailPane._show_qr).
    while not predicate() or any(pane.qr_pending for pane in pilot.app.screen.query(DetailPane)):
        if loop.time() > deadline:
            raise TimeoutError("the scene did not reach its state")
        await pilot.pause(0.02)
    for field in pilot.app.query(Input):
        field.cursor_blink = False  # a blinking cursor would make pictures differ
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def _dashboard_ready(stage: Stage) -> bool:
    """Balances shown, and the values and the operations too (their first answers come
    a moment later)."""
    screen = stage.app.screen
    return (
        isinstance(screen, DashboardScreen)
        and screen.snapshot is not None
        and screen.query_one(BalanceGrid).rates is not None
        and screen.operations.state.value is not None
    )


def _networks_shown(stage: Stage) -> bool:
    """True once the selected asset's deposit methods are in the detail pane."""
    screen = stage.app.screen
    if not isinstance(screen, DashboardScreen):
        return False
    note = screen.query_one(DetailPane).view.note
    return note is None or not note.startswith("Loading")


async def _login(pilot: Pilot[None], stage: Stage) -> None:
    await _settle(pilot, lambda: bool(stage.app.screen.query("#password")))


async def _dashboard(pilot: Pilot[None], stage: Stage) -> None:
    await _settle(pilot, lambda: _dashboard_ready(stage))
    await pilot.press("down", "down")  # USDT: one asset on three networks
    await _settle(pilot, lambda: _networks_shown(stage))


async def _memo_coin(pilot: Pilot[None], stage: Stage) -> None:
    await _settle(pilot, lambda: _dashboard_ready(stage))
    grid = stage.app.screen.query_one(BalanceGrid)
    while grid.selected_asset != "XRP":
        await pilot.press("down")
    await _settle(pilot, lambda: _networks_shown(stage))


async def _error(pilot: Pilot[None], stage: Stage) -> None:
    await _settle(pilot, lambda: _dashboard_ready(stage))
    stage.faults.push(Fault(kind="html", times=None))
    await pilot.press("r")
    status = stage.app.screen.query_one(StatusBar)
    # BTC's deposit methods come on their own (not with the failing balances).
    await _settle(
        pilot, lambda: status.info.state is RefreshState.ERROR and _networks_shown(stage)
    )


async def _masked(pilot: Pilot[None], stage: Stage) -> None:
    await _settle(pilot, lambda: _dashboard_ready(stage))
    await pilot.press("down", "down", "h")
    await _settle(pilot, lambda: _networks_shown(stage))


async def _deposit_networks(pilot: Pilot[None], stage: Stage) -> None:
    await _settle(pilot, lambda: _dashboard_ready(stage))
    await pilot.press("down", "down")  # USDT
    await _settle(pilot, lambda: _networks_shown(stage))
    await pilot.press("]", "]")  # BSC: its minimum, and no address yet
    await _settle(pilot, lambda: True)


async def _generate_address(pilot: Pilot[None], stage: Stage) -> None:
    from tui.ui.screens.confirm_address import ConfirmAddressScreen

    await _deposit_networks(pilot, stage)
    await pilot.press("g")
    await _settle(pilot, lambda: isinstance(stage.app.screen, ConfirmAddressScreen))


async def _values(pilot: Pilot[None], stage: Stage) -> None:
    await _settle(pilot, lambda: _dashboard_ready(stage))
    await pilot.press("v", "v")  # EUR: the sandbox has no EUR rate for XRP
    for _ in range(7):  # sorted by value, largest first
        await pilot.press("s")
    grid = stage.app.screen.query_one(BalanceGrid)
    while grid.selected_asset != "ETH":
        await pilot.press("down")
    await _settle(pilot, lambda: _networks_shown(stage))
    _clear_toasts(stage)
    await _settle(pilot, lambda: True)


async def _operations(pilot: Pilot[None], stage: Stage) -> None:
    from tui.ui.screens.operations import OperationsScreen

    await _settle(pilot, lambda: _dashboard_ready(stage))
    screen = stage.app.screen
    assert isinstance(screen, DashboardScreen)
    stage.exchange.advance(12)  # deposits and withdrawals under way, one withdrawal declined
    before = screen.operations.state.value
    await pilot.press("r")
    await _settle(pilot, lambda: screen.operations.state.value is not before)
    await pilot.press("o")
    await _settle(pilot, lambda: isinstance(stage.app.screen, OperationsScreen))
    await pilot.press("down", "down")
    _clear_toasts(stage)
    await _settle(pilot, lambda: True)


def _clear_toasts(stage: Stage) -> None:
    """Toasts expire by the wall clock (2 to 12 s): on a loaded machine a scene may
    outlast them or not, so scenes whose subject is not a toast are taken without."""
    stage.app.clear_notifications()


async def _help(pilot: Pilot[None], stage: Stage) -> None:
    from tui.ui.screens.help import HelpScreen

    await _settle(pilot, lambda: _dashboard_ready(stage) and _networks_shown(stage))
    await pilot.press("question_mark")
    await _settle(pilot, lambda: isinstance(stage.app.screen, HelpScreen))


def _btc_history(store: HistoryStore) -> None:
    """BTC over the last day: a deposit in the morning, a withdrawal held, then cleared."""
    steps = [
        (26.0, "0.31234567", "0"),
        (20.0, "0.41234567", "0"),
        (14.5, "0.46234567", "0.05"),
        (9.0, "0.46234567", "0"),
        (5.0, "0.50234567", "0"),
        (2.0, "0.51234567", "0.04205"),
    ]
    for hours_ago, available, hold in steps:
        at = SCENE_TIME - timedelta(hours=hours_ago)
        balance = AssetBalance("BTC", ((AVAILABLE, Decimal(available)), (HOLD, Decimal(hold))))
        store.append_balances(SCENE_URL, None, at.timestamp(), [balance])


async def _sparkline(pilot: Pilot[None], stage: Stage) -> None:
    from tui.ui.widgets.trend_view import TrendView

    await _settle(pilot, lambda: _dashboard_ready(stage))
    view = stage.app.screen.query_one(TrendView)
    await _settle(pilot, lambda: bool(view.query_one("Sparkline").data))  # type: ignore[attr-defined]
    await _settle(pilot, lambda: _networks_shown(stage))


SCENES: tuple[Scene, ...] = (
    Scene("login", "The login screen, prefilled for the demo merchant", False, _login),
    Scene("dashboard", "The dashboard: balance grid, USDT on three networks", True, _dashboard),
    Scene("memo-coin", "The detail pane of a memo coin (XRP) with its warning", True, _memo_coin),
    Scene("error", "A proxy's 502 page: last data kept, marked stale, reason shown", True, _error),
    Scene("masked", "Amounts masked for screen sharing (h)", True, _masked),
    Scene(
        "deposit-networks",
        "USDT on TRX, ETH and BSC, each with its minimum; BSC has no address yet",
        True,
        _deposit_networks,
    ),
    Scene(
        "generate-address",
        "g on a network without an address: the confirmation with the minimum",
        True,
        _generate_address,
    ),
    Scene(
        "values",
        "Values in EUR sorted by value: XRP has no EUR rate, the total says so",
        True,
        _values,
    ),
    Scene("help", "The help screen: every key (?)", True, _help),
    Scene(
        "operations",
        "The operations view (o): live statuses, OnHold and Declined highlighted",
        True,
        _operations,
    ),
    Scene(
        "sparkline",
        "The detail pane's sparkline: BTC's total over 24 h, with the exact change",
        True,
        _sparkline,
        history=_btc_history,
    ),
)
