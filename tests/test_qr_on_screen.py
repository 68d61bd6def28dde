"""A QR code is drawn whole on screen or not at all, whatever stands beside it.

The lead's find: in the detail pane, the QR codes' row (a Horizontal sized to its
content) overflowed the screen when the amounts beside grew a few cells wider, and the
second code lost its right columns: the widget measured its room by its container,
which itself overflowed. These tests look at what the terminal would get (the
compositor's strips), not at the widget's own idea of its size: every black-on-white
cell on screen must belong to a code that is there whole, a code not shown whole must
be replaced by its message, and nothing else in the pane may be pushed off the right
edge either. Many terminal sizes, and long contents beside the codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.cells import cell_len
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.errors import NoWidget
from textual.geometry import Region, Size
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui.sandbox.wallet import DemoExchange
from tui.ui.scenes import SCENES, Stage
from tui.ui.widgets import qr_code
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.qr_code import MIN_MESSAGE_COLUMNS, QRCode, qr_lines, qr_size

#: What is said instead of a code: by the code (qr_code.py), and by the pane where the
#: terminal is too narrow for the codes' column altogether (detail_pane.py).
MESSAGES = ("to show the QR code", "Too little room here", "QR codes: widen the terminal")

#: 100 to 200 columns, with the edges of the layouts (QR codes from 110 columns, the
#: pane beside the grid from 170).
WIDTHS = (100, 110, 115, 120, 126, 140, 169, 170, 200)


def is_qr_cell(segment: Segment) -> bool:
    """Drawn as a QR module is: explicit black on white (`QR_STYLE`)."""
    style = segment.style
    if style is None or style.color is None or style.bgcolor is None:
        return False
    return style.color.get_truecolor() == (0, 0, 0) and style.bgcolor.get_truecolor() == (
        255,
        255,
        255,
    )


def screen_cells(
    app: App[object], strips: list[Strip] | None = None
) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """The screen as rows of cells (a double-width character fills its first cell and
    leaves "" in its second), and the (x, y) of every cell drawn as a QR module.
    `strips`: the screen as `settle` last drew it (drawn again when not given)."""
    rows: list[list[str]] = []
    qr_cells: set[tuple[int, int]] = set()
    if strips is None:
        strips = app.screen._compositor.render_strips()
    for y, strip in enumerate(strips):
        row: list[str] = []
        for segment in strip:
            start = len(row)
            for char in segment.text:
                row.append(char)
                if cell_len(char) == 2:
                    row.append("")
            if is_qr_cell(segment):
                qr_cells.update((x, y) for x in range(start, len(row)))
        rows.append(row)
    return rows, qr_cells


def text_in(rows: list[list[str]], region: Region) -> str:
    """The words drawn in `region` of the screen, lines joined by spaces."""
    lines = ["".join(row[region.x : region.right]) for row in rows[region.y : region.bottom]]
    return " ".join(" ".join(lines).split())


def assert_codes_whole_or_explained(
    app: App[object], root: Widget, where: str, strips: list[Strip] | None = None
) -> None:
    """Every QR cell on screen is part of a whole code; a code not whole says why.
    `strips`: the screen as `settle` returned it, when nothing has run since."""
    rows, qr_cells = screen_cells(app, strips)
    width, height = app.size
    whole_cells: set[tuple[int, int]] = set()
    for qr in root.query(QRCode):
        if qr.data is None or not qr.visible:
            continue
        if not qr.display:
            # One code at a time (QRPair): the one shown names this one, on screen.
            if not explained_below(root):
                assert_named_by_the_other(rows, qr, app, where)
            continue
        region = qr.content_region
        expected = qr_lines(qr.data, border=qr.border)
        size = qr_size(qr.data, border=qr.border)
        drawn = (
            qr.region.width > 0  # 0: not laid out (its column hidden, or no room)
            and region.x >= 0
            and region.y >= 0
            and region.x + size.width <= width
            and region.y + size.height <= height
            and [
                "".join(rows[region.y + row][region.x : region.x + size.width])
                for row in range(size.height)
            ]
            == expected
        )
        if drawn:
            whole_cells |= {
                (region.x + column, region.y + row)
                for column in range(size.width)
                for row in range(size.height)
            }
        elif qr.region.width == 0 and qr.parent is not None and qr.parent.display:
            # Laid out with no width: only where there is not room even for the message
            # (the code before it took the row; see MIN_MESSAGE_COLUMNS).
            assert width - region.x < MIN_MESSAGE_COLUMNS, f"{where}: {qr.id} left out"
        elif not explained_below(root):
            # Not drawn whole: its message stands in its place, in words.
            said = text_in(rows, qr.content_region.intersection(Region(0, 0, width, height)))
            assert any(message in said for message in MESSAGES), (
                f"{where}: {qr.id} not shown whole, and its message is not on screen: {said!r}"
            )
    stray = qr_cells - whole_cells
    assert not stray, (
        f"{where}: {len(stray)} QR cells on screen outside any whole code "
        f"(first {sorted(stray)[:3]})"
    )


def assert_named_by_the_other(
    rows: list[list[str]], hidden: QRCode, app: App[object], where: str
) -> None:
    """`hidden` is left out for the other code of its pair: that one's caption (or its
    message) names it, with the key that shows it or the terminal size it needs."""
    assert hidden.parent is not None
    shown = [qr for qr in hidden.parent.query(QRCode) if qr.display and qr is not hidden]
    assert len(shown) == 1, f"{where}: {hidden.id} hidden, and no code in its place"
    name = "memo" if hidden.id == "qr-memo" else "address"
    said = text_in(rows, shown[0].content_region.intersection(Region(0, 0, *app.size)))
    assert f"x: {name} QR code instead" in said or f"to show the {name} QR code" in said, (
        f"{where}: {hidden.id} hidden, and {shown[0].id} does not say so: {said!r}"
    )


def explained_below(root: Widget) -> bool:
    """True when the pane's codes' column is hidden and its hint is up instead (under
    the pane's title, where it is always seen: see test_narrow_hint_is_seen)."""
    hints = root.query("#qr-hint")
    return bool(hints) and hints.first().display and not root.query_one("#detail-qr").display


def assert_nothing_cut_on_the_right(app: App[object], root: Widget, where: str) -> None:
    """No part of `root` (a leaf widget: text, card, code) reaches past what is seen."""
    width = app.size.width
    for widget in root.query("*"):
        if widget.children or not widget.display or not widget.visible:
            continue
        try:
            geometry = app.screen.find_widget(widget)
        except NoWidget:  # inside a hidden container
            continue
        region = geometry.region
        if not region.width or not region.height:
            continue
        assert region.right <= min(width, geometry.clip.right), (
            f"{where}: {widget!r} drawn to column {region.right}, "
            f"seen only to {min(width, geometry.clip.right)}"
        )
        assert region.x >= geometry.clip.x, f"{where}: {widget!r} cut on the left"


async def settle(pilot: Pilot[None]) -> list[Strip]:
    """Until the screen stops changing (the codes take a second look after a layout);
    the screen's lines as last drawn, which stand until the test lets the app run again
    (for the checks below, instead of drawing the whole screen again for each)."""
    previous: list[str] | None = None
    for _ in range(12):
        await pilot.pause()
        strips = pilot.app.screen._compositor.render_strips()
        lines = [strip.text for strip in strips]
        if lines == previous:
            return strips
        previous = lines
    raise AssertionError("the screen kept changing")


# The detail pane of the demo, XRP selected: an address code and a memo code ----------


def seeded(exchange: DemoExchange) -> None:
    """The demo as it is."""


def long_amounts(exchange: DemoExchange) -> None:
    """Amounts and a rate a dozen cells wider than the demo's: the column beside grows."""
    exchange.set_amount("XRP", "balance", "123456789012345.123456")
    exchange.set_rate("XRP", "USD", "0.612345678901234567")


def huge_amounts(exchange: DemoExchange) -> None:
    """An amount wider than half the pane, at full precision."""
    exchange.set_amount("XRP", "balance", "123456789012345678901234567890.123456")
    exchange.set_amount("XRP", "holdBalance", "98765432109876543210.5")
    exchange.set_rate("XRP", "USD", "0.612345678901234567891234")


def wide_network(exchange: DemoExchange) -> None:
    """A long network name in double-width (CJK) characters, and a longer memo."""
    exchange.set_deposit_address(
        "XRP",
        "瑞波币主网络 XRP Ledger mainnet",
        "rEv7mqCgHaYd6Zm7T1oEne6kM7BLfX4PmU",
        "149901731749990173",
    )


@pytest.mark.parametrize(
    "content",
    [seeded, long_amounts, huge_amounts, wide_network],
    ids=lambda content: content.__name__,
)
async def test_detail_pane_codes_are_whole_or_a_message(
    content: Callable[[DemoExchange], None],
) -> None:
    scene = next(scene for scene in SCENES if scene.name == "memo-coin")
    stage: Stage = scene.stage()
    content(stage.exchange)
    async with stage.app.run_test(size=(120, 40)) as pilot:
        await scene.reach(pilot, stage)
        pane = stage.app.screen.query_one(DetailPane)
        shown_whole = 0
        for size in [(width, 40) for width in WIDTHS] + [(200, 60), (130, 30), (120, 40)]:
            await pilot.resize_terminal(*size)
            strips = await settle(pilot)
            where = f"{content.__name__} at {size[0]}x{size[1]}"
            assert_codes_whole_or_explained(stage.app, pane, where, strips)
            assert_nothing_cut_on_the_right(stage.app, pane, where)
            shown_whole += sum(1 for qr in pane.query(QRCode) if qr.fits)
            if content is seeded and size == (120, 40):
                # The README's picture: address and memo codes side by side, whole.
                assert [qr.fits for qr in pane.query(QRCode)] == [True, True]
        # Not a test passed by never drawing a code: where there is room, they are drawn.
        assert shown_whole > 0


# The widget alone, beside a column that grows: the kind, not the one pane ----------


class Row(App[None]):
    """A text column and two codes in a row sized to its content, like the pane."""

    CSS = """
    #row { height: auto; }
    #beside { width: auto; }
    #codes { width: auto; height: auto; }
    QRCode { margin-right: 1; }
    """

    def __init__(self, beside: str) -> None:
        super().__init__()
        self.beside = beside

    def compose(self) -> ComposeResult:
        with Vertical(), Horizontal(id="row"):
            yield Static(self.beside, id="beside")
            with Horizontal(id="codes"):
                yield QRCode("rEv7mqCgHaYd6Zm7T1oEne6kM7BLfX4PmU", "address", id="one")
                yield QRCode("1499017317", "memo", id="two")


@pytest.mark.parametrize("beside", [0, 10, 40, 50, 60, 90])
async def test_a_row_wider_than_the_screen_never_cuts_a_code(beside: int) -> None:
    app = Row("8" * beside)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        where = f"{beside} cells beside"
        assert_codes_whole_or_explained(app, app.screen, where)
        one, two = app.query_one("#one", QRCode), app.query_one("#two", QRCode)
        # 33 + 1 + 25 columns of codes: both fit beside 40 cells, one beside 60.
        assert one.fits == (beside + 33 <= 100)
        assert two.fits == (beside + 33 + 1 + 25 <= 100)
        if one.fits and not two.fits and two.size.width:
            # The number asked for is the one that makes room for it.
            message = " ".join(two.render_line(y).text for y in range(two.size.height))
            needed = int(message.split(" at least ")[1].split()[0])
            await pilot.resize_terminal(needed, 30)
            await settle(pilot)
            assert two.fits
            assert_codes_whole_or_explained(app, app.screen, f"{where}, widened")


async def test_a_room_measured_on_the_way_is_measured_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found by hand (XRP, then a quick move, 70 columns, then 200x60): a layout made
    while the pane was still changing measured too few lines, and the code kept saying
    "make the terminal taller" in a terminal tall enough. Here the first layouts
    after the resize measure the old height: the code must still come out whole."""
    app = Row("")
    async with app.run_test(size=(100, 15)) as pilot:
        await settle(pilot)
        one = app.query_one("#one", QRCode)
        assert not one.fits  # 17 lines of code and a caption in 15
        checks = 0  # the code's looks at its room after a layout
        in_layout = False
        real_room = qr_code.height_room
        content_height = QRCode.get_content_height

        def laid_out(self: QRCode, container: Size, viewport: Size, width: int) -> int:
            nonlocal in_layout
            in_layout = True
            try:
                return content_height(self, container, viewport, width)
            finally:
                in_layout = False

        def on_the_way(widget: Widget) -> tuple[int, int | None]:
            # Layouts see the old height until the code has looked at its room three
            # times after them (twice would not catch a code that lays out only once).
            nonlocal checks
            lines, cap = real_room(widget)
            if widget is not one:
                return lines, cap
            if not in_layout:
                checks += 1
                return lines, cap
            return (min(lines, 15), cap) if checks < 3 else (lines, cap)

        monkeypatch.setattr(QRCode, "get_content_height", laid_out)
        monkeypatch.setattr(qr_code, "height_room", on_the_way)
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert checks >= 3
        assert one.fits
        assert_codes_whole_or_explained(app, app.screen, "after a room measured on the way")
