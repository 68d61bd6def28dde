"""The detail pane's columns are seen whole, or scroll with their scrollbar in sight.

A tester's find: at 120x40 XRP's network card had no bottom border, its last line below
the cards' view, which Textual had made two columns too wide when measuring the cards
(the scrollbar's gutter) and so a line or two too short. And where the pane (at most 60%
of the dashboard) had fewer lines than the cards' view's fixed `max-height: 20`, or than
the amounts' column, the pane cut them at its bottom edge with no mark at all (USDT's
cards and values at 120x30). Each size and asset below failed one way or the other.
"""

from __future__ import annotations

import httpx
from textual.app import App, ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from tests.app_harness import dashboard, select, wait_until
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import CARDS_KEPT_LINES, DetailPane, NetworkCard
from tui.ui.widgets.room_scroll import RoomScroll
from tui.ui.widgets.visible_room import height_room

#: (columns, lines) of the terminal, narrow (pane under the grid) and wide (beside it).
SIZES = (
    (120, 40),
    (120, 30),
    (145, 40),
    (100, 40),
    (160, 45),
    (170, 30),
    (200, 50),
    (170, 24),  # wide and short: the amounts leave the cards their lines
    (180, 18),
)


def within(inner: Region, outer: Region) -> bool:
    return outer.contains_region(inner) or inner.area == 0


def assert_seen_or_scrolls(column: Widget, pane: DetailPane, where: str) -> None:
    """`column` stands inside the pane; what it holds is either all in view, or it
    scrolls, as tall as its room allows, its scrollbar drawn."""
    assert within(column.region, pane.region), (
        f"{where}: #{column.id} {column.region} runs past the pane {pane.region}"
    )
    if column.max_scroll_y == 0:
        for child in column.displayed_children:
            assert within(child.region, column.region), (
                f"{where}: {child} {child.region} cut by #{column.id} {column.region}"
            )
        return
    assert column.show_vertical_scrollbar, f"{where}: #{column.id} scrolls with no scrollbar"
    room, _ = height_room(column)
    cap = column.styles.base.max_height
    fits = min(room, int(cap.value)) if cap is not None and cap.is_cells else room
    if isinstance(column, RoomScroll) and column._followed_below():
        fits -= column.leave  # the lines it keeps for the cards under it (wide layout)
    assert column.region.height >= fits, (
        f"{where}: #{column.id} scrolls at {column.region.height} lines with room for {fits}"
    )


async def check_sizes(pilot: object, screen: DashboardScreen, asset: str) -> None:
    pane = screen.query_one(DetailPane)
    for width, height in SIZES:
        await pilot.resize_terminal(width, height)  # type: ignore[attr-defined]
        await pilot.pause(0.1)  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        where = f"{asset} at {width}x{height}"
        assert pane.query(NetworkCard), where
        for column in (pane.query_one("#detail-networks"), pane.query_one("#detail-left")):
            assert isinstance(column, Widget)
            assert_seen_or_scrolls(column, pane, where)
        networks = pane.query_one("#detail-networks")
        assert networks.region.height >= min(CARDS_KEPT_LINES, networks.virtual_size.height), (
            f"{where}: the cards have {networks.region.height} lines"
        )


async def test_cards_and_amounts_whole_or_scrolling_at_every_size(
    transport: httpx.ASGITransport,
) -> None:
    async with dashboard(transport, values=True) as (_, pilot, screen, _, _):
        grid = screen.query_one(BalanceGrid)
        pane = screen.query_one(DetailPane)
        for asset in ("BTC", "USDT", "XRP"):
            await select(pilot, grid, asset)
            await wait_until(
                pilot, lambda: pane.view.note is None or "Loading" not in pane.view.note
            )
            await check_sizes(pilot, screen, asset)


async def test_a_selected_card_is_scrolled_into_view(transport: httpx.ASGITransport) -> None:
    """Where the cards scroll, `]` brings the next network's card into sight whole."""
    async with dashboard(transport, values=True) as (_, pilot, screen, _, _):
        await pilot.resize_terminal(120, 30)
        await select(pilot, screen.query_one(BalanceGrid), "USDT")
        pane = screen.query_one(DetailPane)
        await wait_until(pilot, lambda: len(pane.query(NetworkCard)) == 3)
        await pilot.pause(0.1)
        networks = pane.query_one("#detail-networks")
        assert networks.max_scroll_y > 0
        for _ in range(2):
            await pilot.press("right_square_bracket")
            await pilot.pause(0.1)
            await pilot.pause()
        last = pane.query(NetworkCard).last()
        assert within(last.region, networks.region), (last.region, networks.region)
        assert within(networks.region, pane.region)


class Cards(App[None]):
    """A `RoomScroll` (or Textual's own view, to compare) of wrapping text, under a
    line of text, in a box of `lines` lines."""

    CSS = """
    #box { height: auto; max-height: 6; }
    #cards { width: 12; height: auto; max-height: 20; scrollbar-gutter: stable; }
    """

    def __init__(self, view: type[VerticalScroll], text: str) -> None:
        super().__init__()
        self.view, self.text = view, text

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("title")
            with self.view(id="cards"):
                yield Static(self.text)


#: At 10 columns (12 less the scrollbar's gutter) four lines; at 12, two.
WRAPPING = "aaaaa bbbbb ccccc ddddd"


async def test_children_measured_at_the_width_they_get() -> None:
    """Textual's own view measures the text at 12 columns and is a line short (plus a
    blank line for a horizontal scrollbar): the last line is scrolled out of sight."""
    async with Cards(VerticalScroll, WRAPPING).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        assert pilot.app.query_one("#cards").max_scroll_y == 1  # the fault, in Textual
    async with Cards(RoomScroll, WRAPPING).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        cards = pilot.app.query_one("#cards")
        assert cards.region.height == 4 and cards.max_scroll_y == 0


async def test_never_taller_than_its_room() -> None:
    """In a box of 6 lines under a title, ten lines scroll in 5, none past the box."""
    text = "\n".join(f"line {n}" for n in range(10))
    async with Cards(RoomScroll, text).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        cards = pilot.app.query_one("#cards")
        box = pilot.app.query_one("#box")
        assert cards.region.height == 5 and cards.region.bottom == box.region.bottom
        assert cards.max_scroll_y == 5 and cards.show_vertical_scrollbar


async def test_a_card_taller_than_its_room_is_reached_from_the_keyboard(
    transport: httpx.ASGITransport,
) -> None:
    """TON's one card (address, memo, warning, limits) is taller than the cards' room at
    110x30: Tab takes the focus to the amounts, then to the cards, whose bottom End
    brings into view; Tab goes round to the grid again."""
    async with dashboard(transport, values=True) as (app, pilot, screen, _, _):
        await pilot.resize_terminal(110, 30)
        grid = screen.query_one(BalanceGrid)
        await select(pilot, grid, "TON")
        pane = screen.query_one(DetailPane)
        await wait_until(pilot, lambda: len(pane.query(NetworkCard)) == 1)
        await wait_until(pilot, lambda: pane.view.note is None)  # the minimum is in
        await pilot.pause(0.1)
        networks = pane.query_one("#detail-networks")
        card = pane.query_one(NetworkCard)
        assert networks.max_scroll_y > 0 and not within(card.region, networks.region)
        focused = []
        for _ in range(4):
            await pilot.press("tab")
            focused.append(app.focused)
            if app.focused is networks:
                break
        assert focused[0] is pane.query_one("#detail-left") and focused[-1] is networks
        # Where the focus is shows: the cards' borders are heavy while they have it.
        await wait_until(pilot, lambda: card.styles.border_top[0] == "heavy")
        await pilot.press("end")
        await pilot.pause()
        assert networks.scroll_y == networks.max_scroll_y
        assert card.region.bottom == networks.region.bottom


async def test_the_focus_shows_on_the_amounts_and_on_the_cards(
    transport: httpx.ASGITransport,
) -> None:
    """Tab moves the focus from the grid to the amounts, then to the cards: each marks
    it (a tint, heavy borders) and loses the mark when the focus leaves."""
    async with dashboard(transport) as (app, pilot, screen, _, _):
        grid = screen.query_one(BalanceGrid)
        await select(pilot, grid, "USDT")
        pane = screen.query_one(DetailPane)
        await wait_until(pilot, lambda: len(pane.query(NetworkCard)) > 1)
        amounts = pane.query_one("#detail-left")

        def borders() -> set[str]:
            # (Queried each time: the cards are drawn again when the minimums come.)
            return {card.styles.border_top[0] for card in pane.query(NetworkCard)}

        # (Styles follow the focus once Textual has applied the CSS again.)
        def marked(tint: bool, border: str) -> bool:
            return (amounts.styles.background_tint.a > 0) == tint and borders() == {border}

        assert marked(tint=False, border="round")
        await pilot.press("tab")
        assert app.focused is amounts
        await wait_until(pilot, lambda: marked(tint=True, border="round"))
        await pilot.press("tab")
        assert app.focused is pane.query_one("#detail-networks")
        await wait_until(pilot, lambda: marked(tint=False, border="heavy"))
        # The selected network's card keeps its accent colour, heavy too.
        cards = list(pane.query(NetworkCard))
        selected = [card for card in cards if card.has_class("-selected")]
        assert selected and selected[0].styles.border_top[1] != cards[-1].styles.border_top[1]
        await pilot.press("tab")
        assert app.focused is grid
        await wait_until(pilot, lambda: marked(tint=False, border="round"))
