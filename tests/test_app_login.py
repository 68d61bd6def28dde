"""The login screen and the way into the dashboard, driven with Pilot."""

from __future__ import annotations

import httpx
from textual.widgets import Input, Static, TabbedContent

from tests.app_harness import SIZE, api_key_app, make_app, wait_until
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DemoExchange
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.login import API_KEY_TAB, LoginScreen
from tui.ui.widgets.balance_grid import BalanceGrid


def on_dashboard(app: object) -> bool:
    screen = app.screen  # type: ignore[attr-defined]
    return isinstance(screen, DashboardScreen) and screen.snapshot is not None


async def test_prefilled_form_logs_in_with_enter(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = make_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoginScreen)
        assert app.focused is app.screen.query_one("#password", Input)
        assert app.focused.password  # masked
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_dashboard(app))
        grid = app.screen.query_one(BalanceGrid)
        assert grid.row_count == len(exchange.balance_payload()["data"])
        # One login, one balance request. (The rates feed starts on its own a moment after
        # the dashboard opens; the operations feed, once balances are shown; the deposit
        # methods of the asset the grid selects, whenever the detail pane shows it: on a
        # loaded machine that can come before this line runs.)
        later = ("/v2/rate/equivalent", "/v2/deposit/pre-request")
        requests = [
            r.path
            for r in exchange.requests
            if r.path not in later and not r.path.startswith("/v2/operation/")
        ]
        assert requests == ["/v2/auth/login", "/v2/balance"]


async def test_wrong_password_shows_the_reason_clears_and_refocuses(
    transport: httpx.ASGITransport,
) -> None:
    app = make_app(transport, password="not-the-password")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        password = app.screen.query_one("#password", Input)
        await wait_until(pilot, lambda: not password.disabled and password.value == "")
        status = app.screen.query_one("#login-status", Static)
        assert "Invalid email or password" in str(status.render())
        assert app.focused is password
        assert isinstance(app.screen, LoginScreen)
        # Typing the right password then works.
        await pilot.press(*"demo-password", "enter")
        await wait_until(pilot, lambda: on_dashboard(app))


async def test_empty_fields_are_asked_for_first(transport: httpx.ASGITransport) -> None:
    app = make_app(transport, password=None, email=None)
    async with app.run_test(size=SIZE) as pilot:
        email = app.screen.query_one("#email", Input)
        assert app.focused is email
        await pilot.press("enter")
        assert "Enter your email" in str(app.screen.query_one("#login-status", Static).render())
        assert isinstance(app.screen, LoginScreen)


async def test_unreachable_server_is_explained(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    faults.push(Fault(kind="html", times=1, path="/v2/auth/login"))
    app = make_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        status = app.screen.query_one("#login-status", Static)
        await wait_until(pilot, lambda: "502" in str(status.render()))
        assert "HTML error page" in str(status.render())


async def test_api_key_from_the_environment_goes_straight_to_the_dashboard(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: on_dashboard(app))
        assert all(r.auth == "api-key" for r in exchange.requests)


async def test_api_key_tab_logs_in_with_a_typed_key(transport: httpx.ASGITransport) -> None:
    app = make_app(transport, password=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == API_KEY_TAB
        assert app.focused is app.screen.query_one("#api-key", Input)
        await pilot.press(*"demo-api-key-0123456789", "enter")
        await wait_until(pilot, lambda: on_dashboard(app))


async def test_rejected_api_key_brings_the_login_screen_with_the_reason(
    transport: httpx.ASGITransport,
) -> None:
    app = make_app(transport, password=None, api_key="revoked-key")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        status = app.screen.query_one("#login-status", Static)
        assert "API key was rejected" in str(status.render())
        assert app.screen.query_one(TabbedContent).active == API_KEY_TAB
        await pilot.press(*"demo-api-key-0123456789", "enter")
        await wait_until(pilot, lambda: on_dashboard(app))
