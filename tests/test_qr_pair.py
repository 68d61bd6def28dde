"""The address's and the memo's QR codes: never one shown and the other gone unsaid.

The field's find: at 120x40 in the live demo, the memo code of XRP had no room and was
simply absent, nothing on screen saying so. The pair (tui/ui/widgets/qr_pair.py) now
puts the codes side by side, or the memo's under the address's, or one at a time with
`x` to switch, the shown code naming the other. These tests read the compositor's
strips at many sizes, narrow, usual and wide (the pane beside the grid from 170
columns), with short and long memos, and check that the memo itself is in its card
whole and that `m` copies it whole.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.geometry import Size
from textual.pilot import Pilot

from tests.screen_text import screen_lines
from tests.test_qr_on_screen import (
    assert_codes_whole_or_explained,
    assert_nothing_cut_on_the_right,
    settle,
)
from tui.sandbox.wallet import DemoExchange
from tui.ui.scenes import SCENES, Scene, Stage
from tui.ui.widgets.detail_pane import QR_MIN_WIDTH, DetailPane
from tui.ui.widgets.network_cards import NetworkCard
from tui.ui.widgets.qr_code import QRCode
from tui.ui.widgets.qr_pair import QRPair, place_codes

ADDRESS = "rEv7mqCgHaYd6Zm7T1oEne6kM7BLfX4PmU"
SIZES = [(70, 30), (100, 40), (120, 40), (140, 42), (200, 60)]


# The placement alone -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("room", "expected"),
    [
        (Size(59, 18), "side"),  # 33 + 1 + 25 columns, the taller code's 18 lines
        (Size(58, 18), "one"),  # a column short, and too short to stack
        (Size(58, 32), "stacked"),  # 18 + 14 lines one under the other
        (Size(33, 32), "stacked"),
        (Size(32, 40), "one"),  # narrower than the address code: one at a time
        (Size(58, 31), "one"),
        (Size(59, 17), "one"),
    ],
)
def test_place_codes(room: Size, expected: str) -> None:
    address, memo = Size(33, 18), Size(25, 14)
    assert place_codes(address, memo, room, gap=Size(1, 0)) == expected


# The pane, as the demo shows it -------------------------------------------------------


def seeded(exchange: DemoExchange) -> None:
    """The demo as it is: both codes side by side at 120x40."""


def live_amounts(exchange: DemoExchange) -> None:
    """Amounts and a hold like the live demo's: at 120x40 the codes' row is too narrow."""
    exchange.set_amount("XRP", "balance", "1867.7269")
    exchange.set_amount("XRP", "holdBalance", "100.3731")
    exchange.set_rate("XRP", "USD", "0.604151039912345678")


def long_memo(exchange: DemoExchange) -> None:
    """A 70-character memo: its code (37 columns) is wider than the address's."""
    exchange.set_deposit_address("XRP", "XRP", ADDRESS, "MEMO" + "0123456789ABCDEFGH" * 3 + "Z" * 12)


def text_memo(exchange: DemoExchange) -> None:
    """A memo in words, as TON comments are, 132 characters: a code as tall as the pane."""
    exchange.set_deposit_address("XRP", "XRP", ADDRESS, "comment for the exchange deposit " * 4)


def memo_of(stage: Stage) -> str:
    address = stage.app.screen.query_one(DetailPane).selected_address
    assert address is not None and address.memo is not None
    return address.memo


def assert_memo_whole(stage: Stage, where: str, lines: list[str] | None = None) -> None:
    """The memo is in its card whole (wrapped, never cut), and the card on screen
    (`lines`: the screen's, when the test has them)."""
    card = stage.app.screen.query_one(NetworkCard)
    memo = memo_of(stage)
    assert memo.strip() in " ".join(card.render_card().plain.split()), where
    shown = "".join("".join(screen_lines(stage.app) if lines is None else lines).split())
    # On screen: its first line at least, the rest a scroll of the cards away at most.
    assert "".join(memo.split())[:10] in shown, f"{where}: the memo is not on screen"


def memo_coin(content: Callable[[DemoExchange], None]) -> tuple[Scene, Stage]:
    """The demo's XRP scene (an address and a memo), `content` changed in its exchange."""
    scene = next(scene for scene in SCENES if scene.name == "memo-coin")
    stage = scene.stage()
    content(stage.exchange)
    return scene, stage


async def reach(pilot: Pilot[None], scene: Scene, stage: Stage) -> tuple[DetailPane, QRPair]:
    """XRP selected and the screen settled: the pane and its codes."""
    await scene.reach(pilot, stage)
    await settle(pilot)
    pane = stage.app.screen.query_one(DetailPane)
    return pane, pane.query_one(QRPair)


def shown_state(pair: QRPair) -> list[tuple[str | None, bool, bool]]:
    return [(qr.id, qr.display, qr.fits) for qr in pair.query(QRCode)]


@pytest.mark.parametrize(
    "content", [seeded, live_amounts, long_memo, text_memo], ids=lambda c: c.__name__
)
async def test_a_code_not_shown_is_named_at_every_size(
    content: Callable[[DemoExchange], None],
) -> None:
    scene, stage = memo_coin(content)
    async with stage.app.run_test(size=(120, 40)) as pilot:
        pane, pair = await reach(pilot, scene, stage)
        for size in SIZES:
            await pilot.resize_terminal(*size)
            strips = await settle(pilot)  # the screen as drawn, for every check below
            lines = [strip.text for strip in strips]
            where = f"{content.__name__} at {size[0]}x{size[1]}"
            assert_codes_whole_or_explained(stage.app, pane, where, strips)
            assert_nothing_cut_on_the_right(stage.app, pane, where)
            assert_memo_whole(stage, where, lines)
            if size[0] < QR_MIN_WIDTH:
                # No codes at all: the pane says so under its title, where it is seen.
                assert any(pane.qr_hint in line for line in lines), where
                continue
            address_qr, memo_qr = pair.address_code, pair.memo_code
            if pair.placement == "one":
                # One at a time: the address's first, its caption naming the memo's.
                assert (address_qr.display, memo_qr.display) == (True, False), where
                # (On screen in its place: assert_codes_whole_or_explained read it there.)
                assert "memo QR code" in address_qr.note, where
            else:
                assert address_qr.display and memo_qr.display, where
        # What each layout gives (the README's picture: side by side at 120x40).
        placements = {}
        for size in [(120, 40), (200, 60)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            placements[size] = (pair.placement, [qr.fits for qr in pair.query(QRCode)])
        expected = {
            seeded: ("side", "side"),
            live_amounts: ("one", "side"),
            long_memo: ("one", "one"),  # 33 + 1 + 37 columns: wider than the wide pane
            text_memo: ("one", "one"),
        }[content]
        assert (placements[120, 40][0], placements[200, 60][0]) == expected
        if expected[0] == "side":
            assert placements[120, 40][1] == [True, True]
        # `m` copies the memo whole, whatever the codes do.
        await pilot.press("m")
        await settle(pilot)
        assert stage.app.clipboard == memo_of(stage)


async def switch(pilot: Pilot[None]) -> None:
    await pilot.press("x")
    await settle(pilot)


async def test_x_shows_the_memo_code_in_the_address_codes_place() -> None:
    """The live demo's case: at 120x40 the memo code shows on `x`, and back."""
    scene, stage = memo_coin(live_amounts)
    async with stage.app.run_test(size=(120, 40)) as pilot:
        pane, pair = await reach(pilot, scene, stage)
        assert pair.placement == "one"
        assert shown_state(pair) == [("qr-address", True, True), ("qr-memo", False, False)]
        await switch(pilot)
        assert pair.shown == "memo"
        assert shown_state(pair) == [("qr-address", False, False), ("qr-memo", True, True)]
        said = " ".join(" ".join(screen_lines(stage.app)).split())
        assert "x: address QR code instead" in said
        assert_codes_whole_or_explained(stage.app, pane, "memo shown")
        # The choice stays while the terminal is resized; room for both shows both.
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        assert pair.placement == "side"
        assert shown_state(pair) == [("qr-address", True, True), ("qr-memo", True, True)]
        await switch(pilot)  # nothing to switch: said so
        assert pair.shown == "memo"
        assert stage.app._notifications and any(
            "Both QR codes are on screen" in str(n.message) for n in stage.app._notifications
        )
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert shown_state(pair) == [("qr-address", False, False), ("qr-memo", True, True)]
        await switch(pilot)
        assert shown_state(pair) == [("qr-address", True, True), ("qr-memo", False, False)]
        # Narrow: no codes; `x` says why instead of switching codes nobody sees.
        await pilot.resize_terminal(100, 40)
        await settle(pilot)
        await switch(pilot)
        assert pair.shown == "address"
        assert any(pane.qr_hint in str(n.message) for n in stage.app._notifications)


async def test_a_long_memo_goes_under_the_address_where_there_is_height() -> None:
    """Wide layout, tall terminal: the 37-column memo code stands under the address's."""
    scene, stage = memo_coin(long_memo)
    async with stage.app.run_test(size=(200, 80)) as pilot:
        pane, pair = await reach(pilot, scene, stage)
        assert pair.placement == "stacked"
        assert shown_state(pair) == [("qr-address", True, True), ("qr-memo", True, True)]
        address_qr, memo_qr = pair.address_code, pair.memo_code
        assert memo_qr.region.y >= address_qr.region.bottom
        assert_codes_whole_or_explained(stage.app, pane, "stacked at 200x80")
        assert_nothing_cut_on_the_right(stage.app, pane, "stacked at 200x80")
        # Shorter: no room to stack; one at a time, named.
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        assert pair.placement == "one"
        assert_codes_whole_or_explained(stage.app, pane, "long memo at 200x60")
