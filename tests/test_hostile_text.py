"""Server text is data: hostile strings go sandbox -> client -> app and are shown literally.

Markup, escape sequences (OSC 52 clipboard writes, CSI cursor moves and colours), BEL,
bidi overrides and zero-width characters come from the real sandbox over the real
client; what reaches the terminal, the clipboard and the notifications is checked.
"""

from __future__ import annotations

import json
import random

import httpx
from textual.geometry import Region

from tests.app_harness import SIZE, RecordingWalletApp, api_key_app, make_app, wait_until
from tests.screen_text import assert_no_control_characters, screen_lines
from tui.api.text import clean_text
from tui.sandbox.wallet import DemoExchange
from tui.ui.screens.dashboard import DashboardScreen, brief
from tui.ui.screens.login import LoginScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane, NetworkCard
from tui.ui.widgets.status_bar import StatusBar

ASSET = "[bold red]X[/]"
NETWORK = "[link=https://evil.example]TRC20[/link]\x1b[31m"
ADDRESS = (
    "\x1b]52;c;ZXZpbA==\x07T9yD[@click=app.quit]q\x1b[2J\x1b[H"
    "\u202eabc\u202c\u200bdef\x9b31m\x1b]0;pwned\x07end"
)
MEMO = "\x07memo\x1b[5m[blink]1[/blink]\u2066\u200d42"
#: A grid cell must never take more than this (the symbol is cut at 12 cells).
MAX_ASSET_COLUMN = 12
#: The address card keeps at least this width (scroll bar aside), whatever sits beside it.
MIN_CARD_WIDTH = 24


def cleaned(text: str) -> str:
    """What the user must see and copy: the text with every control character removed."""
    return clean_text(text).strip()


def hostile_exchange(exchange: DemoExchange) -> None:
    exchange.add_asset(
        ASSET, {"balance": "1.5"}, deposit_addresses={NETWORK: {"address": ADDRESS, "memo": MEMO}}
    )


async def dashboard(app: RecordingWalletApp, pilot: object) -> DashboardScreen:
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, DashboardScreen) and app.screen.snapshot is not None,
    )
    assert isinstance(app.screen, DashboardScreen)
    return app.screen


async def show_asset(pilot: object, screen: DashboardScreen, asset: str) -> DetailPane:
    grid = screen.query_one(BalanceGrid)
    assert grid.select_asset(asset)
    detail = screen.query_one(DetailPane)
    await wait_until(pilot, lambda: detail.balance is not None and detail.balance.asset == asset)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: len(detail.query(NetworkCard)) == len(detail.addresses))  # type: ignore[arg-type]
    return detail


def card_text(card: NetworkCard) -> str:
    """Everything the card draws, its border and every wrapped line, as one string."""
    width, height = card.outer_size
    strips = card.render_lines(Region(0, 0, width, height))
    return "\n".join(strip.text for strip in strips)


def card_content(card: NetworkCard) -> str:
    """The card's text with its border and the line wrapping taken out."""
    lines = card_text(card).splitlines()[1:-1]  # the top and bottom borders
    return "".join(line.strip().strip("│").strip() for line in lines)


async def test_markup_and_escapes_are_shown_literally_and_copied_clean(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    hostile_exchange(exchange)
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard(app, pilot)
        detail = await show_asset(pilot, screen, ASSET)
        await pilot.pause()

        # The markup is text: "[bold red]X[/]" is on screen as typed, in the heading...
        lines = screen_lines(app)
        assert any(ASSET in line for line in lines)
        (card,) = detail.query(NetworkCard)
        drawn = card_text(card)
        # ...and so is the network's "[link=...]" in the card's title (cut to the card's
        # width), and the address, wrapped over as many lines as it takes.
        assert cleaned(NETWORK)[:16] in drawn.splitlines()[0]
        assert cleaned(ADDRESS) in card_content(card)
        assert_no_control_characters(lines)
        assert_no_control_characters(drawn.splitlines())

        # Copy gives exactly the visible, cleaned text: no ESC, BEL, OSC 52, bidi override.
        await pilot.press("c")
        assert app.clipboard == cleaned(ADDRESS)
        await pilot.press("m")
        assert app.clipboard == cleaned(MEMO)
        assert all(ch.isprintable() for ch in app.clipboard)

        # The notifications name the asset and network literally, with no control characters.
        await pilot.pause()
        copied = [message for title, message, _ in app.notices if "to the terminal" in title]
        assert len(copied) == 2
        # (Names longer than a notification allows are cut there: see `brief`.)
        named = f"{brief(ASSET)} on {brief(cleaned(NETWORK))}: "
        assert all(message.startswith(named) for message in copied)
        # (A notice's own line breaks separate what was copied from how it went.)
        assert_no_control_characters(
            line for title, message, _ in app.notices for line in (title + message).splitlines()
        )
        assert_no_control_characters(screen_lines(app))  # the toasts as drawn
        assert app.is_running  # [@click=app.quit] did nothing


async def test_long_strings_are_cut_in_the_grid_and_wrapped_in_the_detail_pane(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    rng = random.Random(7)
    long_asset = "L" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(999))
    long_address = "".join(rng.choice("0123456789abcdef") for _ in range(1000))
    long_memo = "".join(rng.choice("0123456789") for _ in range(600))
    exchange.add_asset(
        long_asset, {"balance": "2"}, deposit_addresses={"NET": (long_address, long_memo)}
    )
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard(app, pilot)
        grid = screen.query_one(BalanceGrid)
        detail = await show_asset(pilot, screen, long_asset)
        await pilot.pause()

        # The grid: the symbol is cut with an ellipsis, the table still fits the screen.
        row = grid.get_row(long_asset)
        assert row[0].cell_len <= MAX_ASSET_COLUMN and row[0].plain.endswith("…")
        assert grid.virtual_size.width <= grid.size.width
        assert all(len(line) <= SIZE[0] for line in screen_lines(app))

        # The detail pane: address and memo wrap, every character of them is there.
        (card,) = detail.query(NetworkCard)
        drawn = card_text(card)
        assert all(len(line) <= card.outer_size.width for line in drawn.splitlines())
        assert long_address in card_content(card) and long_memo in card_content(card)
        assert len(drawn.splitlines()) > 1000 // card.size.width
        # However large the QR code of such an address, the card stays readable.
        assert card.outer_size.width >= MIN_CARD_WIDTH

        await pilot.press("c")
        assert app.clipboard == long_address


async def test_an_absurdly_long_address_rejects_the_whole_answer(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    exchange.add_asset("LONG", {"balance": "3"}, deposit_addresses={"NET": "short-address"})
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard(app, pilot)
        before = screen.snapshot
        # 10,000 characters is no address: the next answer is refused as a whole...
        exchange.set_amount("BTC", "balance", "999")
        exchange.set_deposit_address("LONG", "NET", "\x1b[31m" + "b" * 10_000)
        await pilot.press("r")
        status = screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.error is not None)
        assert "too long" in status.info.error
        # ...nothing of it is applied: the old balances and the old address stay.
        assert screen.snapshot is before
        assert screen.query_one(BalanceGrid).snapshot is before
        btc = before.get("BTC") if before else None
        assert btc is not None and str(btc.available) != "999"
        assert_no_control_characters(screen_lines(app))
        assert all(len(line) <= SIZE[0] for line in screen_lines(app))


HOSTILE_ERROR = (
    "\x1b]52;c;cm0gLXJmIH4=\x07[bold magenta]Maintenance[/] \x1b[2J\x1b[1;1H"
    "[@click=app.quit]click[/] \u202eereh\u202c\x07"
)


def hostile_error_transport(status: int) -> httpx.MockTransport:
    """A server that answers every request with an error message full of escapes."""

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.dumps({"errors": [{"code": "X", "message": HOSTILE_ERROR}]})
        return httpx.Response(status, content=body, headers={"content-type": "application/json"})

    return httpx.MockTransport(handle)


async def test_server_error_messages_are_plain_text_in_the_status_bar() -> None:
    app = api_key_app(hostile_error_transport(503))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        status = app.screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.error is not None)
        assert cleaned(HOSTILE_ERROR) in (status.info.error or "")
        lines = screen_lines(app)
        assert any("[bold magenta]Maintenance[/]" in line for line in lines)
        assert_no_control_characters(lines)
        assert app.is_running


async def test_server_error_messages_are_plain_text_on_the_login_screen() -> None:
    app = make_app(hostile_error_transport(401))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Maintenance" in "\n".join(screen_lines(app)))
        assert isinstance(app.screen, LoginScreen)
        lines = screen_lines(app)
        assert any("[bold magenta]Maintenance[/]" in line for line in lines)
        assert_no_control_characters(lines)
        # (A notice's own line breaks separate what was copied from how it went.)
        assert_no_control_characters(
            line for title, message, _ in app.notices for line in (title + message).splitlines()
        )


async def test_the_window_title_holds_no_server_text_and_no_credentials(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    hostile_exchange(exchange)
    app = make_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = await dashboard(app, pilot)
        titles = [app.title, app.sub_title, screen.title or "", screen.sub_title or ""]
        assert "127.0.0.1:9" in screen.sub_title  # the user's own base URL, and only that
        assert_no_control_characters(titles)
        text = " ".join(titles)
        assert "X[/]" not in text and "demo-password" not in text
        assert app.client is not None and app.client._tokens is not None
        assert app.client._tokens.access_token not in text
