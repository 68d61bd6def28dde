"""Every network of an asset in the detail pane: minimums, new addresses with `g`, copy."""

from __future__ import annotations

import asyncio

import httpx
from textual.pilot import Pilot

from tests.app_harness import (
    SIZE,
    MovingClock,
    api_key_app,
    dashboard,
    dashboard_of,
    select,
    wait_until,
)
from tui.sandbox.deposits import generate_address
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import MAIN_WALLET_ID, DemoExchange
from tui.ui.screens.confirm_address import ConfirmAddressScreen
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane, NetworkCard

PRE_REQUEST = "/v2/deposit/pre-request"
ADDRESS = "/v2/deposit/address"


def calls(exchange: DemoExchange, path: str) -> int:
    return sum(1 for r in exchange.requests if r.path == path)


def cards(detail: DetailPane) -> dict[str, str]:
    """Each card's network and its text, as drawn."""
    return {card.entry.source: str(card.render()) for card in detail.query(NetworkCard)}


async def show(pilot: Pilot[object], screen: DashboardScreen, asset: str) -> DetailPane:
    """Select `asset` and wait until its deposit methods are shown."""
    await select(pilot, screen.query_one(BalanceGrid), asset)
    detail = screen.query_one(DetailPane)
    await wait_until(
        pilot,
        lambda: detail.view.note is None or "Loading" not in detail.view.note,
    )
    return detail


class GatedTransport(httpx.AsyncBaseTransport):
    """The sandbox, with address requests held until the test opens the gate."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == ADDRESS:
            await self.gate.wait()
        return await self.inner.handle_async_request(request)


async def test_every_network_with_its_minimum_and_the_fee_where_there_is_one(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    # Balance refreshes only when the test asks for them (no interval passing meanwhile).
    async with dashboard(transport) as (_, pilot, screen, _, _):
        detail = await show(pilot, screen, "USDT")
        shown = cards(detail)
        assert list(shown) == ["TRX", "ETH", "BSC"]
        assert "Minimum deposit 20 USDT. Smaller deposits may not be credited." in shown["TRX"]
        assert "Minimum deposit 50 USDT." in shown["ETH"] and "Fee 5 USDT" in shown["ETH"]
        assert "Fee" not in shown["TRX"] and "Maximum 1,000,000 USDT" in shown["TRX"]
        assert "No address yet: press g to generate one." in shown["BSC"]
        assert "Minimum deposit 10 USDT." in shown["BSC"]
        assert "3 networks" in str(screen.query_one("#detail-title").render())
        # Fetched once per asset the cursor stopped on, and not again on the next balance
        # refreshes, nor when coming back to an asset (cached per wallet and asset).
        await wait_until(pilot, lambda: not screen.deposits.feed.loop.in_flight)
        fetched = calls(exchange, PRE_REQUEST)
        assert fetched <= 3  # BTC, ETH, USDT: the cursor passed them
        for _ in range(2):
            screen.balances.refresh_now()  # balance refreshes alone ask nothing
            await pilot.pause()
        await wait_until(pilot, lambda: calls(exchange, "/v2/balance") >= 3)
        assert calls(exchange, PRE_REQUEST) == fetched
        await pilot.press("r")  # what is shown, the asset's methods too (past the cache)
        await wait_until(pilot, lambda: calls(exchange, "/v2/balance") >= 4)
        await wait_until(pilot, lambda: calls(exchange, PRE_REQUEST) == fetched + 1)
        # Coming back to assets whose methods are known asks nothing again. (BTC is shown
        # first: the cursor may have passed it too fast for its methods to be asked.)
        grid = screen.query_one(BalanceGrid)
        assert grid.select_asset("BTC")
        detail = screen.query_one(DetailPane)
        await wait_until(
            pilot,
            lambda: detail.balance is not None
            and detail.balance.asset == "BTC"
            and (detail.view.note is None or "Loading" not in detail.view.note),
        )
        await wait_until(pilot, lambda: not screen.deposits.feed.loop.in_flight)
        known = calls(exchange, PRE_REQUEST)
        for asset in ("USDT", "BTC", "USDT"):
            assert grid.select_asset(asset)
            await pilot.pause()
        await wait_until(pilot, lambda: len(cards(screen.query_one(DetailPane))) == 3)
        await pilot.pause(0.6)  # past the cursor's rest before a fetch
        assert calls(exchange, PRE_REQUEST) == known


async def test_the_opening_assets_minimums_come_without_a_refresh_even_when_it_fails(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    # The balance refreshes never come by themselves (the scheduler is not moved), and
    # the one the user asks for fails: the pane must not say "Loading" with nothing asked.
    async with dashboard(transport) as (_, pilot, screen, _, _):
        faults.push(Fault(kind="html", times=None))  # /v2/balance only
        await pilot.press("r")
        detail = screen.query_one(DetailPane)
        assert detail.balance is not None and detail.balance.asset == "BTC"
        # Asked (once after the first frame, and again by r if that one was already
        # answered when r came: r refreshes the asset's methods too).
        await wait_until(pilot, lambda: calls(exchange, PRE_REQUEST) >= 1)
        await wait_until(pilot, lambda: detail.view.note is None)
        assert calls(exchange, PRE_REQUEST) <= 2
        assert "Minimum deposit" in cards(detail)["BTC"]
        assert calls(exchange, "/v2/balance") == 2  # the opening answer and the r


async def test_generate_confirm_then_the_new_address_with_its_qr_and_copy(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    expected = generate_address(MAIN_WALLET_ID, "USDT", "BSC")[0]
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        detail = await show(pilot, screen, "USDT")
        await pilot.press("]", "]")
        assert detail.selected_entry.source == "BSC"  # type: ignore[union-attr]
        await pilot.press("c")  # nothing to copy yet
        assert app.clipboard == "" and "press g to generate one" in app.notices[-1][1]
        await pilot.press("g")
        dialog = app.screen
        assert isinstance(dialog, ConfirmAddressScreen)
        question = str(dialog.query_one("#confirm-question").render())
        assert "USDT" in question and "BSC" in question
        assert "Minimum deposit 10 USDT." in question
        assert "memo" not in question.lower()
        await pilot.press("enter")
        await wait_until(pilot, lambda: detail.selected_address is not None)
        assert calls(exchange, ADDRESS) == 1
        assert detail.selected_address.address == expected  # type: ignore[union-attr]
        assert app.notices[-1][0] == "Deposit address generated"
        assert "Minimum deposit 10 USDT." in app.notices[-1][1]
        await wait_until(pilot, lambda: not detail.qr_pending)
        assert screen.query_one("#qr-address").data == expected  # type: ignore[attr-defined]
        await pilot.press("c")
        await wait_until(pilot, lambda: app.notices[-1][0].startswith("Address "))
        assert app.clipboard == expected
        assert app.notices[-1][1].endswith(
            "\nMinimum deposit 10 USDT. Smaller deposits may not be credited."
        )
        # /v2/balance lists it now; g again says it is there, and asks nothing.
        await wait_until(
            pilot, lambda: "BSC" in exchange.balance_payload()["data"][2]["depositAddress"]
        )
        await pilot.press("g")
        assert not isinstance(app.screen, ConfirmAddressScreen)
        assert "has an address already" in app.notices[-1][1]
        assert calls(exchange, ADDRESS) == 1


async def test_a_memo_coin_is_warned_about_and_generated_with_its_tag(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    exchange.add_asset("XRP", {"balance": "1"}, {}, wallet_id=MAIN_WALLET_ID)  # no address yet
    address, tag = generate_address(MAIN_WALLET_ID, "XRP", "XRP")
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        detail = await show(pilot, screen, "XRP")
        assert "(with its memo/tag)" in cards(detail)["XRP"]
        await pilot.press("g")
        question = str(app.screen.query_one("#confirm-question").render())
        assert "XRP deposits need a memo/tag as well as the address" in question
        await pilot.press("y")
        await wait_until(pilot, lambda: detail.selected_address is not None)
        assert (detail.selected_address.address, detail.selected_address.memo) == (address, tag)  # type: ignore[union-attr]
        await pilot.press("m")
        await wait_until(pilot, lambda: app.notices[-1][0].startswith("Memo/Tag "))
        assert app.clipboard == tag
        assert "Minimum deposit 20 XRP." in app.notices[-1][1]


async def test_cancel_asks_nothing(transport: httpx.ASGITransport, exchange: DemoExchange) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        detail = await show(pilot, screen, "TRX")
        assert list(cards(detail)) == ["TRX"]
        for cancel in ("escape", "n"):
            await pilot.press("g")
            assert isinstance(app.screen, ConfirmAddressScreen)
            await pilot.press(cancel)
            assert isinstance(app.screen, DashboardScreen)
        await pilot.pause()
        assert calls(exchange, ADDRESS) == 0
        assert detail.selected_address is None


async def test_a_refusal_in_the_servers_words_and_nothing_half_shown(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    desk = transport.app.state.deposits  # type: ignore[attr-defined]
    desk.refuse("TRX", "TRX", "TRX deposits are suspended for maintenance")
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        detail = await show(pilot, screen, "TRX")
        await pilot.press("g", "enter")
        await wait_until(pilot, lambda: app.notices and app.notices[-1][2] == "error")
        title, message, _ = app.notices[-1]
        assert title == "TRX address on TRX not generated"
        assert message == "Server error 400 Bad Request: TRX deposits are suspended for maintenance"
        logged = app.messages.errors[-1]  # and in the messages view's errors (`l`)
        assert (logged.source, logged.message) == ("TRX address on TRX", message)
        assert detail.selected_address is None
        await wait_until(pilot, lambda: not detail.qr_pending)
        assert screen.query_one("#qr-address").data is None  # type: ignore[attr-defined]
        assert "Not generated: Server error 400" in cards(detail)["TRX"]
        assert "Press g to try again." in cards(detail)["TRX"]
        desk.allow("TRX", "TRX")
        await pilot.press("g", "enter")
        await wait_until(pilot, lambda: detail.selected_address is not None)
        assert "Not generated" not in cards(detail)["TRX"]


async def test_a_bad_answer_is_refused_whole(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    faults.push(Fault.parse(f"wrong_shape x1 @{ADDRESS}".replace(" ", "")))
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        detail = await show(pilot, screen, "TRX")
        await pilot.press("g", "enter")
        await wait_until(pilot, lambda: app.notices and app.notices[-1][2] == "error")
        assert "address must be a string" in app.notices[-1][1]
        # The garbled answer is not used; the exchange did make the address, and the
        # balances list it from the next refresh on.
        await pilot.press("r")
        expected = generate_address(MAIN_WALLET_ID, "TRX", "TRX")[0]
        await wait_until(pilot, lambda: detail.selected_address is not None)
        assert detail.selected_address.address == expected  # type: ignore[union-attr]


async def test_double_g_makes_one_request(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    gated = GatedTransport(transport)
    app = api_key_app(gated)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        detail = await show(pilot, screen, "TRX")
        await pilot.press("g", "enter")
        await wait_until(pilot, lambda: "Generating the address…" in cards(detail)["TRX"])
        await pilot.press("g")
        assert not isinstance(app.screen, ConfirmAddressScreen)
        assert "is being generated" in app.notices[-1][1]
        gated.gate.set()
        await wait_until(pilot, lambda: detail.selected_address is not None)
        assert calls(exchange, ADDRESS) == 1


async def test_limits_unknown_leave_the_addresses_usable_and_come_back(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    faults.push(Fault.parse(f"html@{PRE_REQUEST}"))
    clock = MovingClock()
    app = api_key_app(transport, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        detail = await show(pilot, screen, "USDT")
        note = detail.view.note or ""
        assert note.startswith("Networks and minimum deposits unknown: Server error 502")
        assert list(cards(detail)) == ["TRX", "ETH"]  # the addresses of /v2/balance
        await pilot.press("c")
        await wait_until(pilot, lambda: app.notices[-1][0].startswith("Address "))
        assert app.clipboard.startswith("T")
        assert "Minimum" not in app.notices[-1][1]
        faults.clear()
        clock.advance(61)  # the retry time has come: the next look at the asset asks again
        await pilot.press("r")  # a balance refresh looks at the asset shown
        await wait_until(pilot, lambda: detail.view.note is None)
        assert list(cards(detail)) == ["TRX", "ETH", "BSC"]


async def test_fiat_says_it_has_no_deposit_network(transport: httpx.ASGITransport) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        detail = await show(pilot, screen, "UAH")
        assert "UAH has no deposit method with an address" in (detail.view.note or "")
        await pilot.press("g")
        assert "no deposit method" in app.notices[-1][1]
