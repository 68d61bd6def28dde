"""A rejected API key keeps the dashboard: data kept and marked stale, the server's words
in the status, refresh at the backoff's pace until it recovers; ctrl+l logs in again."""

from __future__ import annotations

import httpx
from textual.widgets import TabbedContent

from tests.app_harness import (
    SIZE,
    ManualScheduler,
    api_key_app,
    balance_calls,
    dashboard,
    dashboard_of,
    wait_until,
)
from tui.api.deposits import PRE_REQUEST_PATH
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DemoExchange
from tui.ui.screens.dashboard import FIRST_RATES_DELAY
from tui.ui.screens.login import LoginScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.status_bar import RefreshState, StatusBar

REJECTED = "The API key was rejected: Access token expired"


async def test_a_rejected_key_keeps_the_dashboard_and_recovers_by_itself(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    async with dashboard(transport) as (app, pilot, screen, scheduler, _):
        grid, status = screen.query_one(BalanceGrid), screen.query_one(StatusBar)
        rows = grid.row_count
        faults.push(Fault(kind="unauthorized", times=2))
        calls = balance_calls(exchange)
        scheduler.advance(scheduler.next_delay or 0)
        await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
        assert app.screen is screen  # no login screen
        assert grid.row_count == rows and grid.has_class("-stale")
        assert status.info.error == REJECTED
        first_wait = scheduler.next_delay
        assert first_wait is not None and first_wait >= 5  # the usual backoff
        notices = [n for n in app.notices if n[0] == "API key rejected"]
        assert len(notices) == 1 and "ctrl+l" in notices[0][1]
        # A second refusal: still here, told once, waiting longer.
        scheduler.advance(first_wait)
        await wait_until(pilot, lambda: balance_calls(exchange) == calls + 2)
        await pilot.pause()
        assert app.screen is screen and status.info.error == REJECTED
        assert len([n for n in app.notices if n[0] == "API key rejected"]) == 1
        # The gateway is back: the next answer puts the dashboard live again by itself.
        scheduler.advance(scheduler.next_delay or 0)
        await wait_until(pilot, lambda: status.info.state is RefreshState.LIVE)
        assert status.info.error is None and not grid.has_class("-stale")
        assert balance_calls(exchange) == calls + 3


async def test_ctrl_l_opens_the_login_screen_and_esc_goes_back(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    async with dashboard(transport) as (app, pilot, screen, scheduler, _):
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.screen.query_one(TabbedContent).active == "api-key-tab"
        assert scheduler.next_delay is None  # no refresh behind the login screen
        calls = balance_calls(exchange)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: balance_calls(exchange) == calls + 1)
        status = screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.state is RefreshState.LIVE)
        assert scheduler.next_delay == 5


async def test_ctrl_l_logs_in_with_another_key(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    async with dashboard(transport) as (app, pilot, screen, scheduler, _):
        faults.push(Fault(kind="unauthorized", times=1))
        scheduler.advance(scheduler.next_delay or 0)
        status = screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press(*"demo-api-key-0123456789", "enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: status.info.state is RefreshState.LIVE)


async def test_log_in_again_is_in_the_command_palette(transport: httpx.ASGITransport) -> None:
    async with dashboard(transport) as (app, _, screen, _, _):
        titles = [command.title for command in app.get_system_commands(screen)]
        assert any(title.startswith("Log in again") for title in titles)


async def test_the_other_feeds_wait_for_the_first_balance_answer(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    # The first balance answer may come late (the prefetch child's, told after the dashboard
    # is up; a slow exchange): the rates and the operations wait for it, so that a key the
    # exchange refuses is not sent again by every feed.
    faults.push(Fault(kind="slow", delay=1.0, times=1))
    scheduler = ManualScheduler()
    app = api_key_app(transport, scheduler=scheduler)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        scheduler.advance(FIRST_RATES_DELAY)  # the rates' first call, were they started
        screen = await dashboard_of(app, pilot)  # the slow answer
        paths = [record.path for record in exchange.requests]
        # Nothing but the balances before their answer; since, at most the deposit
        # methods of the asset it shows (asked FETCH_DELAY_SECONDS after it is drawn,
        # which a loaded machine may take to mount the pane's parts).
        assert paths[0] == "/v2/balance"
        assert set(paths) <= {"/v2/balance", PRE_REQUEST_PATH}, paths
        scheduler.advance(FIRST_RATES_DELAY)  # now they follow
        await wait_until(pilot, lambda: screen.rates.state.value is not None)
        assert {record.path for record in exchange.requests} >= {"/v2/rate/equivalent"}
