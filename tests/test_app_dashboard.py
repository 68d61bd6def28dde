"""The dashboard as a user drives it: detail pane, copy, filter, pause, refresh, cursor."""

from __future__ import annotations

import httpx
from textual.widgets import Input

from tests.app_harness import (
    SIZE,
    ManualScheduler,
    api_key_app,
    balance_calls,
    dashboard_of,
    select,
    wait_until,
)
from tui.api.errors import AuthenticationError
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DemoExchange
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.login import LoginScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.status_bar import RefreshState, StatusBar


async def test_detail_pane_follows_the_cursor(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid, detail = screen.query_one(BalanceGrid), screen.query_one(DetailPane)
        assert detail.balance is not None and detail.balance.asset == grid.selected_asset
        for _ in range(3):
            await pilot.press("down")
            assert detail.balance is not None and detail.balance.asset == grid.selected_asset
        await pilot.press("up")
        assert detail.balance.asset == grid.selected_asset


async def test_copy_address_and_memo_of_the_selected_network(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    payload = {item["asset"]: item for item in exchange.balance_payload()["data"]}
    usdt_networks = list(payload["USDT"]["depositAddress"].items())
    xrp_network, xrp_entry = next(iter(payload["XRP"]["depositAddress"].items()))
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        await select(pilot, grid, "USDT")
        await pilot.press("c")
        assert app.clipboard == usdt_networks[0][1]["address"]
        await pilot.press("]", "c")
        assert app.clipboard == usdt_networks[1][1]["address"]
        title, message, _ = app.notices[-1]
        assert title == "Address sent to the terminal"
        assert message.startswith(
            f"USDT on {usdt_networks[1][0]}: {usdt_networks[1][1]['address'][:8]}"
        )
        await pilot.press("m")  # USDT has no memo: nothing copied
        assert app.clipboard == usdt_networks[1][1]["address"]
        assert "no memo/tag" in app.notices[-1][1]

        await select(pilot, grid, "XRP")
        await pilot.press("c")
        assert app.clipboard == xrp_entry["address"]
        await pilot.press("m")
        assert app.clipboard == xrp_entry["memo"]
        assert app.notices[-1][0] == "Memo/Tag sent to the terminal"
        detail_text = " ".join(str(card.render()) for card in screen.query(".network-card"))
        assert "Memo/Tag" in detail_text and "can be lost" in detail_text
        assert xrp_network in [card.address.network for card in screen.query(".network-card")]  # type: ignore[attr-defined]


async def test_nothing_to_copy_says_so_and_copies_nothing(transport: httpx.ASGITransport) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        await select(pilot, screen.query_one(BalanceGrid), "UAH")
        await pilot.press("c", "m")
        assert app.clipboard == ""
        assert [severity for _, _, severity in app.notices[-2:]] == ["warning", "warning"]
        assert "UAH has no deposit address" in app.notices[-1][1]


async def test_a_click_selects_a_network(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    payload = {item["asset"]: item for item in exchange.balance_payload()["data"]}
    second_address = list(payload["USDT"]["depositAddress"].values())[1]["address"]
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        await select(pilot, screen.query_one(BalanceGrid), "USDT")
        detail = screen.query_one(DetailPane)
        # Once the deposit methods are in (the cards are drawn again with the minimums).
        await wait_until(pilot, lambda: len(detail.query(".network-card")) == 3)
        cards = list(screen.query(".network-card"))
        await pilot.click(cards[1])
        await pilot.press("c")
        assert app.clipboard == second_address


async def test_filter_by_symbol(transport: httpx.ASGITransport) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        total = grid.row_count
        await pilot.press("/")
        assert isinstance(app.focused, Input)
        await pilot.press("u", "s", "enter")
        assert app.focused is grid
        assert [grid.get_row_at(i)[0].plain.strip() for i in range(grid.row_count)] == ["USDT"]
        assert screen.query_one(StatusBar).info.hidden_rows == total - 1
        assert screen.query_one(DetailPane).balance.asset == "USDT"  # type: ignore[union-attr]
        await pilot.press("escape")
        assert grid.row_count == total
        assert grid.selected_asset == "USDT"  # still on the same asset


async def test_pause_stops_refresh_and_r_still_refreshes(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    scheduler = ManualScheduler()
    app = api_key_app(transport, interval=1.0, scheduler=scheduler)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        status = screen.query_one(StatusBar)
        await pilot.press("p")
        assert screen.paused and status.info.state is RefreshState.PAUSED
        calls = balance_calls(exchange)
        scheduler.advance(100)  # far longer than the interval: nothing happens while paused
        await pilot.pause()
        assert balance_calls(exchange) == calls
        await pilot.press("r")
        await wait_until(pilot, lambda: balance_calls(exchange) == calls + 1)
        await wait_until(pilot, lambda: not screen.balances.loop.in_flight)
        scheduler.advance(100)
        await pilot.pause()
        assert balance_calls(exchange) == calls + 1 and screen.paused
        await pilot.press("p")
        await wait_until(pilot, lambda: balance_calls(exchange) >= calls + 2)
        assert status.info.state is RefreshState.LIVE


async def test_automatic_refresh_shows_new_values(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport, interval=1.0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        exchange.set_amount("BTC", "balance", "7.12345678")
        await wait_until(
            pilot, lambda: str(screen.snapshot.get("BTC").available) == "7.12345678", timeout=4
        )  # type: ignore[union-attr]
        grid = screen.query_one(BalanceGrid)
        row = grid.get_row("BTC")
        assert "7.12345678" in row[1].plain


async def test_cursor_stays_on_its_asset_across_a_refresh_that_changes_rows(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        await select(pilot, grid, "XRP")
        index_before = grid.cursor_row
        exchange.remove_asset("BTC")  # a row above the cursor goes away
        exchange.add_asset("ADA", {"balance": "42.5"}, {"ADA": "addr1qxy2k7lqz0n5e3f9"})
        exchange.set_amount("XRP", "balance", "1999.5")
        calls = balance_calls(exchange)
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: balance_calls(exchange) > calls and screen.snapshot.get("ADA") is not None,
        )  # type: ignore[union-attr]
        assert grid.selected_asset == "XRP"
        assert grid.cursor_row == index_before - 1
        assert "ADA" in [grid.get_row_at(i)[0].plain.strip() for i in range(grid.row_count)]
        assert screen.query_one(DetailPane).balance.available == 1999.5  # type: ignore[union-attr]


async def test_failed_refresh_keeps_the_data_and_says_why(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        rows = grid.row_count
        faults.push(Fault(kind="html", times=1))
        await pilot.press("r")
        status = screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
        assert "502" in (status.info.error or "")
        assert grid.row_count == rows and grid.has_class("-stale")
        await pilot.press("r")
        await wait_until(pilot, lambda: status.info.state is RefreshState.LIVE)
        assert not grid.has_class("-stale")


async def test_expired_session_reopens_login_over_the_dashboard(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    from tests.app_harness import make_app

    app = make_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        dashboard = await dashboard_of(app, pilot)
        rows = dashboard.query_one(BalanceGrid).row_count
        faults.push(Fault(kind="unauthorized", times=2))  # the silent re-login's retry fails too
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert "Not authorised" in str(app.screen.query_one("#login-status").render())
        assert dashboard.query_one(BalanceGrid).row_count == rows  # kept behind the login screen
        await pilot.press(*"demo-password", "enter")
        await wait_until(pilot, lambda: app.screen is dashboard)
        await wait_until(
            pilot, lambda: dashboard.query_one(StatusBar).info.state is RefreshState.LIVE
        )
        assert AuthenticationError  # the class the dashboard reacts to


async def test_help_and_command_palette_list_the_keys(transport: httpx.ASGITransport) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is screen
        titles = [command.title for command in app.get_system_commands(screen)]
        for title in (
            "Refresh now",
            "Pause / resume refresh",
            "Filter assets",
            "Copy deposit address",
            "Copy memo/tag",
            "Help",
        ):
            assert title in titles
        footer_keys = {
            binding.key
            for (_, binding, enabled, _) in screen.active_bindings.values()
            if binding.show
        }
        assert {"r", "p", "slash", "c", "m", "ctrl+c"} <= footer_keys


async def test_the_same_answer_again_draws_nothing_at_all(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    """An idle dashboard (the same body at every refresh) repaints nothing: not the grid,
    not the detail pane, not the status line (its time is to the minute); a move does."""
    from tests.app_harness import dashboard
    from tui.ui.widgets.status_bar import StatusBar

    async with dashboard(transport) as (_, pilot, screen, scheduler, clock):
        scheduler.advance(1)  # the rates' and operations' first answers come and are shown
        await wait_until(
            pilot,
            lambda: screen.rates.state.value is not None
            and screen.operations.state.value is not None,
        )
        await pilot.pause()
        status = screen.query_one(StatusBar)
        drawn: list[str] = []
        original = status.update
        status.update = lambda content="", *, layout=True: (  # type: ignore[method-assign]
            drawn.append(str(content)),
            original(content, layout=layout),
        )[1]
        asked = balance_calls(exchange)
        for turn in range(1, 4):
            clock.advance(5)
            scheduler.advance(5)
            await wait_until(pilot, lambda n=turn: balance_calls(exchange) >= asked + n)
            await pilot.pause()
        assert drawn == []
        clock.advance(60)  # a minute later the time shown moves
        scheduler.advance(5)
        await wait_until(pilot, lambda: len(drawn) == 1)
        assert "updated 12:01" in drawn[0]
