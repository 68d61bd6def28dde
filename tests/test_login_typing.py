"""Keys typed at full speed on the login screen (a password manager's auto-type, xdotool):
each goes, in order, to the field focused as the user sees it, from the first key, however
the login screen was reached (and so on the dashboard: its filter box). And the
dashboard's toasts do not follow it to the login screen."""

from __future__ import annotations

import asyncio

import httpx
from textual import events
from textual.widgets import Button, Input, Static
from textual.widgets._toast import Toast

from tests.app_harness import (
    SIZE,
    RecordingWalletApp,
    api_key_app,
    dashboard,
    dashboard_of,
    grid_rows,
    keys_handled,
    make_app,
    type_at_full_speed,
    wait_until,
)
from tui.api.auth import ApiKeyAuth, PasswordAuth
from tui.sandbox.wallet import (
    DEMO_API_KEY,
    DEMO_EMAIL,
    DEMO_MERCHANT_ID,
    DEMO_PASSWORD,
    DemoExchange,
)
from tui.ui.app import WalletApp
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.login import LoginScreen
from tui.ui.widgets.balance_grid import BalanceGrid


def on_dashboard(app: WalletApp) -> bool:
    screen = app.screen
    return isinstance(screen, DashboardScreen) and screen.snapshot is not None


def fields(screen: LoginScreen) -> dict[str, str]:
    """What each field of the form holds, by its id."""
    return {str(field.id): field.value for field in screen.query(Input)}


def status(screen: LoginScreen) -> str:
    """The form's status line (an error begins with ✖)."""
    return str(screen.query_one("#login-status", Static).render())


class TypesAtOnce(RecordingWalletApp):
    """An app whose user types the password and Enter before the login screen is even
    mounted (the terminal holds the keys typed while the app starts)."""

    def on_mount(self) -> None:
        # Textual calls this, then WalletApp's (which pushes the login screen): the keys
        # are on the app's queue before the login screen is made.
        type_at_full_speed(self, *DEMO_PASSWORD, "enter")


async def test_a_password_typed_before_the_login_screen_is_up_logs_in(
    transport: httpx.ASGITransport,
) -> None:
    app = make_app(transport, password=None, app_class=TypesAtOnce)
    async with app.run_test(size=SIZE) as pilot:
        await keys_handled(pilot, app)
        # Enter was taken: the login is under way (or done), not lost.
        assert on_dashboard(app) or app.screen.query_one("#login-button", Button).disabled
        await wait_until(pilot, lambda: on_dashboard(app) or "✖" in status(app.screen))
        assert on_dashboard(app)


async def test_a_whole_login_typed_at_full_speed_logs_in(transport: httpx.ASGITransport) -> None:
    # Nothing prefilled but the base URL: merchant ID, Tab, email, Tab, password, Enter.
    app = make_app(transport, password=None, email=None, merchant_id=None)
    async with app.run_test(size=SIZE) as pilot:
        login = app.screen
        assert isinstance(login, LoginScreen)
        type_at_full_speed(app, *DEMO_MERCHANT_ID, "tab", *DEMO_EMAIL, "tab", *DEMO_PASSWORD)
        await keys_handled(pilot, app)
        assert fields(login) == {
            "base-url": "http://127.0.0.1:9",
            "merchant-id": DEMO_MERCHANT_ID,
            "email": DEMO_EMAIL,
            "password": DEMO_PASSWORD,
            "api-key": "",
        }
        assert app.focused is login.query_one("#password", Input)
        type_at_full_speed(app, "enter")
        await wait_until(pilot, lambda: on_dashboard(app) or "✖" in status(login))
        assert on_dashboard(app), status(login)
        auth = app.client.auth if app.client else None
        assert isinstance(auth, PasswordAuth)
        assert (auth.merchant_id, auth.email) == (DEMO_MERCHANT_ID, DEMO_EMAIL)


async def test_auto_type_with_enter_and_a_paste_in_one_burst(
    transport: httpx.ASGITransport,
) -> None:
    # The email field first (merchant ID prefilled); the password comes as a paste after
    # Tab, and Enter at once: all of it on the app's queue before the first is handled.
    app = make_app(transport, password=None, email=None)
    async with app.run_test(size=SIZE) as pilot:
        login = app.screen
        assert isinstance(login, LoginScreen)
        type_at_full_speed(app, *DEMO_EMAIL, "tab", events.Paste(DEMO_PASSWORD), "enter")
        await wait_until(pilot, lambda: on_dashboard(app) or "✖" in status(login))
        assert on_dashboard(app), status(login)
        auth = app.client.auth if app.client else None
        assert isinstance(auth, PasswordAuth) and auth.email == DEMO_EMAIL


async def test_the_api_key_tab_switched_and_typed_at_full_speed(
    transport: httpx.ASGITransport,
) -> None:
    app = make_app(transport, password=None)
    async with app.run_test(size=SIZE) as pilot:
        login = app.screen
        assert isinstance(login, LoginScreen)
        # ctrl+t leaves no field focused until the new tab is shown: the key waits for it.
        type_at_full_speed(app, "ctrl+t", *DEMO_API_KEY)
        await keys_handled(pilot, app)
        assert fields(login)["api-key"] == DEMO_API_KEY
        assert fields(login)["base-url"] == "http://127.0.0.1:9"
        type_at_full_speed(app, "enter")
        await wait_until(pilot, lambda: on_dashboard(app) or "✖" in status(login))
        assert on_dashboard(app), status(login)
        assert isinstance(app.client.auth if app.client else None, ApiKeyAuth)


async def test_keys_typed_with_ctrl_l_go_to_the_login_screen_focus(
    transport: httpx.ASGITransport,
) -> None:
    async with dashboard(transport) as (app, pilot, screen, _, _):
        old_client = app.client
        # ctrl+l and the key in one burst: the keys after ctrl+l were on the app's queue
        # before the login screen was even made.
        type_at_full_speed(app, "ctrl+l", *DEMO_API_KEY)
        await keys_handled(pilot, app)
        login = app.screen
        assert isinstance(login, LoginScreen)
        assert app.focused is login.query_one("#api-key", Input)
        assert fields(login)["api-key"] == DEMO_API_KEY
        assert fields(login)["base-url"] == "http://127.0.0.1:9"
        type_at_full_speed(app, "enter")
        await wait_until(pilot, lambda: app.screen is screen or "✖" in status(login))
        assert app.screen is screen, status(login)
        assert app.client is not old_client


async def test_keys_typed_right_after_ctrl_l_when_it_asks_for_the_password(
    transport: httpx.ASGITransport,
) -> None:
    # Logged in with the password: ctrl+l asks for it again (merchant ID and email kept).
    app = make_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_dashboard(app))
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.action_log_in()  # what ctrl+l does: the login screen is pushed...
        # ...and the keys follow with no pause, while it is being put up.
        assert isinstance(app.screen, LoginScreen) and not app.screen.is_mounted
        type_at_full_speed(app, *DEMO_PASSWORD)
        await keys_handled(pilot, app)
        login = app.screen
        assert isinstance(login, LoginScreen)
        assert fields(login)["password"] == DEMO_PASSWORD
        assert app.focused is login.query_one("#password", Input)
        type_at_full_speed(app, "enter")
        await wait_until(pilot, lambda: app.screen is screen or "✖" in status(login))
        assert app.screen is screen, status(login)


async def test_a_key_typed_at_once_after_a_refused_key(transport: httpx.ASGITransport) -> None:
    # The key from the environment is refused: the login screen comes up by itself, on
    # the API key tab, and the new key is typed as soon as it is there.
    app = make_app(transport, password=None, api_key="revoked-key")
    async with app.run_test(size=SIZE) as pilot:
        # The keys as soon as it is pushed, before it is even mounted.
        while not isinstance(app.screen, LoginScreen):
            await asyncio.sleep(0)
        login = app.screen
        type_at_full_speed(app, *DEMO_API_KEY)
        await keys_handled(pilot, app)
        assert fields(login)["api-key"] == DEMO_API_KEY
        type_at_full_speed(app, "enter")
        await wait_until(pilot, lambda: on_dashboard(app) or "✖" in status(login))
        assert on_dashboard(app), (status(login), fields(login))


async def test_the_dashboards_toasts_are_not_drawn_over_the_login_screen(
    transport: httpx.ASGITransport,
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await dashboard_of(app, pilot)
        app.notify("BTC address copied", timeout=30)
        app.notify("BTC below 0.5", title="Alert: balance", severity="warning", timeout=30)
        await wait_until(pilot, lambda: len(screen.query(Toast)) == 2)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        login = app.screen
        await wait_until(pilot, lambda: login.is_mounted)
        await pilot.pause()
        assert not login.query(Toast)
        # Still in the messages view (`l`), whole.
        assert any(entry.message == "BTC address copied" for entry in app.messages.notices)
        # Back on the dashboard they are not shown again (they were about that moment).
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert not screen.query(Toast)
        # A toast raised now shows as ever.
        app.notify("ETH address copied", timeout=30)
        await wait_until(pilot, lambda: len(screen.query(Toast)) == 1)


async def test_the_dashboard_filter_typed_at_full_speed(
    transport: httpx.ASGITransport,
) -> None:
    # The same on the dashboard: `/` opens the filter box (mounted the first time), and
    # what follows at once is the filter, not the grid's keys (`c` would copy an address).
    async with dashboard(transport) as (app, pilot, screen, _, _):
        type_at_full_speed(app, "slash", *"btc", "enter")
        await keys_handled(pilot, app)
        assert screen.query_one("#filter", Input).value == "btc"
        grid = screen.query_one(BalanceGrid)
        assert app.focused is grid  # Enter went back to the grid
        assert grid_rows(grid) == ["BTC"]
        assert not [notice for notice in app.notices if "copied" in notice[1]]


async def test_a_key_after_a_burst_of_arrows_acts_on_the_row_they_reached(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    # Down Down Down c at once: c copied the address of the row the burst started from
    # (the grid's selection had not reached the screen yet), a wrong address.
    payload = {item["asset"]: item for item in exchange.balance_payload()["data"]}
    async with dashboard(transport) as (app, pilot, screen, _, _):
        grid = screen.query_one(BalanceGrid)
        type_at_full_speed(app, "home", "down", "down", "down", "c")
        await keys_handled(pilot, app)
        assert grid_rows(grid)[grid.cursor_row] == "XRP"
        assert app.clipboard == next(iter(payload["XRP"]["depositAddress"].values()))["address"]
        # The same from the other end: End, then Up to TON.
        type_at_full_speed(app, "end", "up", "up", "up", "c")
        await keys_handled(pilot, app)
        assert grid_rows(grid)[grid.cursor_row] == "TON"
        assert app.clipboard == next(iter(payload["TON"]["depositAddress"].values()))["address"]


async def test_a_key_after_enter_in_the_filter_goes_to_the_grid(
    transport: httpx.ASGITransport,
) -> None:
    # / t r x Enter c at once: the c went into the filter box ("trxc", nothing shown);
    # the Enter's Submitted, which gives the focus back to the grid, came after it.
    async with dashboard(transport) as (app, pilot, screen, _, _):
        type_at_full_speed(app, "slash", *"trx", "enter", "c")
        await keys_handled(pilot, app)
        assert screen.query_one("#filter", Input).value == "trx"
        grid = screen.query_one(BalanceGrid)
        assert app.focused is grid and grid_rows(grid) == ["TRX"]
        assert "TRX" in app.notices[-1][1]  # c acted on the grid's row


async def test_keys_from_the_environment_dashboard_still_work_one_by_one(
    transport: httpx.ASGITransport,
) -> None:
    # The dashboard's own keys, at full speed, still act in order (down, down, up).
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: on_dashboard(app))
        grid = app.screen.query_one(BalanceGrid)
        start = grid.cursor_row
        type_at_full_speed(app, "down", "down", "down", "up")
        await keys_handled(pilot, app)
        assert grid.cursor_row == start + 2
