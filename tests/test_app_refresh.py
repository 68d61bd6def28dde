"""`r` refreshes what the user sees: balances, rates, operations and the deposit methods
of the asset in the detail pane (past their cache), each feed asked at most once, and
the status bar says what is being refreshed until each has answered.

The sandbox counts the requests per path; the feeds' own schedule never runs (the
scheduler is moved by hand and is not moved here), so every request counted is `r`'s.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from textual.pilot import Pilot

from tests.app_harness import (
    SIZE,
    ManualScheduler,
    RecordingWalletApp,
    api_key_app,
    dashboard_of,
    values_of,
    wait_until,
)
from tui.sandbox.wallet import DemoExchange
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.operations import OperationsScreen
from tui.ui.widgets.status_bar import StatusBar

BALANCE = "/v2/balance"
RATES = "/v2/rate/equivalent"
OPERATIONS = "/v2/operation/find"
METHODS = "/v2/deposit/pre-request"


class GatedTransport(httpx.AsyncBaseTransport):
    """The sandbox, whose answers on `held` paths (None: every path) wait while the gate
    is closed."""

    def __init__(self, inner: httpx.AsyncBaseTransport, held: set[str] | None = None) -> None:
        self.inner = inner
        self.held = held
        self.gate = asyncio.Event()
        self.gate.set()
        self.waiting: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.held is not None and request.url.path not in self.held:
            return await self.inner.handle_async_request(request)
        self.waiting.append(request.url.path)
        try:
            await self.gate.wait()
        finally:
            self.waiting.remove(request.url.path)
        return await self.inner.handle_async_request(request)


def counted(exchange: DemoExchange) -> Counter[str]:
    return Counter(record.path for record in exchange.requests)


def gated_app(
    transport: httpx.ASGITransport, held: set[str] | None = None
) -> tuple[GatedTransport, ManualScheduler, RecordingWalletApp]:
    """The app on a gated sandbox, with a scheduler that only a test moves."""
    gated = GatedTransport(transport, held)
    scheduler = ManualScheduler()
    return gated, scheduler, api_key_app(gated, scheduler=scheduler)


async def settled(
    app: RecordingWalletApp,
    pilot: Pilot[object],
    scheduler: ManualScheduler,
    exchange: DemoExchange,
) -> DashboardScreen:
    """The dashboard once the opening requests are answered: balances, rates,
    operations and the opening asset's deposit methods (asked once the cursor rests)."""
    screen = await dashboard_of(app, pilot)
    await values_of(screen, pilot, scheduler)
    await wait_until(
        pilot,
        lambda: (
            screen.operations.state.value is not None
            and counted(exchange)[METHODS] == 1
            and not any(feed.loop.in_flight for feed in (*screen.feeds, screen.deposits.feed))
        ),
    )
    return screen


async def test_r_refreshes_everything_shown_once_and_says_what(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    gated, scheduler, app = gated_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await settled(app, pilot, scheduler, exchange)
        before = counted(exchange)
        status = screen.query_one(StatusBar)
        assert status.info.refreshing == ""

        gated.gate.clear()
        await pilot.press("r")
        await wait_until(pilot, lambda: len(gated.waiting) == 4)
        assert sorted(gated.waiting) == sorted([BALANCE, RATES, OPERATIONS, METHODS])
        # BTC's methods came a moment ago: `r` asks past their 10-minute cache.
        said = "balances, rates, operations, BTC deposit methods"
        assert status.info.refreshing == said
        assert f"↻ refreshing {said}" in status.render_status().plain
        # Asked again while every feed is asking: nothing more is asked, now or after.
        await pilot.press("r", "r")
        gated.gate.set()
        await wait_until(pilot, lambda: status.info.refreshing == "")
        for _ in range(5):
            await pilot.pause()
        assert counted(exchange) - before == Counter(
            {BALANCE: 1, RATES: 1, OPERATIONS: 1, METHODS: 1}
        )
        assert "↻" not in status.render_status().plain


async def test_the_status_names_what_is_still_coming(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    # Only the balances are held: the rest answer, and leave the status one by one.
    held, scheduler, app = gated_app(transport, {BALANCE})
    async with app.run_test(size=SIZE) as pilot:
        screen = await settled(app, pilot, scheduler, exchange)
        await pilot.press("p")  # paused: `r` still refreshes everything
        held.gate.clear()
        await pilot.press("r")
        status = screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.refreshing == "balances")
        assert "⏸ paused  ↻ refreshing balances" in status.render_status().plain
        held.gate.set()
        await wait_until(pilot, lambda: status.info.refreshing == "")


async def test_r_in_the_operations_view_asks_once(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    gated, scheduler, app = gated_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await settled(app, pilot, scheduler, exchange)
        await pilot.press("o")
        assert isinstance(app.screen, OperationsScreen)
        before = counted(exchange)
        gated.gate.clear()
        await pilot.press("r", "r", "r")
        await wait_until(pilot, lambda: gated.waiting == [OPERATIONS])
        gated.gate.set()
        await wait_until(pilot, lambda: not screen.operations.loop.in_flight)
        for _ in range(5):
            await pilot.pause()
        assert counted(exchange) - before == Counter({OPERATIONS: 1})
