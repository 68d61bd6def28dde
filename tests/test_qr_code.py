"""QR codes of deposit addresses: decode the half blocks back to segno's modules, explicit
black on white in every cell, and a widget that shows the code whole or asks for room."""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import segno
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.pilot import Pilot
from textual.strip import Strip

from tui.ui.widgets.qr_code import (
    DEFAULT_BORDER,
    QRCode,
    QRSize,
    fit_message,
    qr_lines,
    qr_size,
    qr_text,
)

ROOT = Path(__file__).resolve().parent.parent

BTC = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
ETH = "0x52908400098527886E0F7030069857D2E4169EE7"
XRP_MEMO = "2784516309"
LONG = "EQD" + "x7Kq9-_Zb" * 9 + "abcdef"  # 90 characters
assert len(LONG) == 90
SAMPLES = [BTC, ETH, XRP_MEMO, LONG]

Cell = tuple[str, Style]


def is_dark(color: Color | None) -> bool:
    """Whether a cell colour reads as a dark module (it must be an explicit RGB colour)."""
    assert color is not None, "a cell without an explicit colour"
    red, green, blue = color.get_truecolor()
    return 0.299 * red + 0.587 * green + 0.114 * blue < 128


def decode(rows: list[list[Cell]]) -> list[list[bool]]:
    """Module rows (True = dark) from half-block cells, from the glyphs *and* the colours.

    A blank cell shows its background in both halves, a full block its foreground; an upper
    half block has the foreground on top, a lower half block below.
    """
    modules: list[list[bool]] = []
    for row in rows:
        upper: list[bool] = []
        lower: list[bool] = []
        for char, style in row:
            fg, bg = is_dark(style.color), is_dark(style.bgcolor)
            top, bottom = {" ": (bg, bg), "█": (fg, fg), "▀": (fg, bg), "▄": (bg, fg)}[char]
            upper.append(top)
            lower.append(bottom)
        modules += [upper, lower]
    return modules


def cells_of(lines: list[list[Segment]]) -> list[list[Cell]]:
    rows = []
    for line in lines:
        row: list[Cell] = []
        for segment in line:
            assert not segment.control
            assert segment.style is not None, f"unstyled segment {segment.text!r}"
            row += [(char, segment.style) for char in segment.text]
        rows.append(row)
    return rows


def render_segments(text: Text) -> list[list[Segment]]:
    """`text` as a truecolour terminal would get it, split into lines of segments."""
    console = Console(file=io.StringIO(), color_system="truecolor", width=200, legacy_windows=False)
    segments = list(console.render(text))
    return [line for line in Segment.split_lines(segments) if line]


def expected_modules(data: str, border: int) -> list[list[bool]]:
    """segno's own matrix of the same symbol, with its border, padded to an even height."""
    qr = segno.make(data, error="m", micro=False)
    rows = [[bool(module) for module in row] for row in qr.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return rows


@pytest.mark.parametrize("data", SAMPLES, ids=["btc-bech32", "eth", "xrp-memo", "90-chars"])
@pytest.mark.parametrize("border", [DEFAULT_BORDER, 4])
def test_half_blocks_decode_to_segnos_matrix(data: str, border: int) -> None:
    rows = cells_of(render_segments(qr_text(data, border=border)))
    decoded = decode(rows)
    assert decoded == expected_modules(data, border)

    # The symbol inside the quiet zone is exactly segno's matrix.
    qr = segno.make(data, error="m", micro=False)
    size = len(qr.matrix)
    inner = [row[border : border + size] for row in decoded[border : border + size]]
    assert inner == [[bool(module) for module in row] for row in qr.matrix]

    # The quiet zone is light all round (and so is the half row under an odd symbol).
    width = size + 2 * border
    for y, row in enumerate(decoded):
        assert len(row) == width
        for x, dark in enumerate(row):
            if not (border <= x < border + size and border <= y < border + size):
                assert not dark, f"dark module in the quiet zone at {x},{y}"


@pytest.mark.parametrize("data", SAMPLES)
def test_qr_lines_match_qr_text_and_size(data: str) -> None:
    lines = qr_lines(data)
    size = qr_size(data)
    modules = len(segno.make(data, error="m", micro=False).matrix)
    assert size == QRSize(modules + 2 * DEFAULT_BORDER, -(-(modules + 2 * DEFAULT_BORDER) // 2))
    assert len(lines) == size.height
    assert {len(line) for line in lines} == {size.width}
    assert set("".join(lines)) <= {" ", "▀", "▄", "█"}
    assert qr_text(data).plain == "\n".join(lines)


def test_typical_sizes() -> None:
    # What the detail pane has to make room for (columns × lines).
    assert qr_size(BTC) == (33, 17)
    assert qr_size(ETH) == (33, 17)
    assert qr_size(XRP_MEMO) == (25, 13)
    assert qr_size(LONG) == (45, 23)


@pytest.mark.parametrize("data", SAMPLES)
def test_every_cell_is_explicitly_black_on_white(data: str) -> None:
    segments = [segment for line in render_segments(qr_text(data)) for segment in line]
    assert segments
    for segment in segments:
        assert segment.style is not None
        assert segment.style.color is not None and segment.style.bgcolor is not None
        # RGB colours, never a theme's "default" nor a remappable ANSI colour.
        assert segment.style.color.get_truecolor() == (0, 0, 0)
        assert segment.style.bgcolor.get_truecolor() == (255, 255, 255)
        assert segment.style.color.triplet is not None
        assert segment.style.bgcolor.triplet is not None
        assert not segment.control
        assert all(unicodedata.category(char)[0] != "C" for char in segment.text)


def test_markup_like_data_is_encoded_literally() -> None:
    data = "[bold]x[/]"
    decoded = decode(cells_of(render_segments(qr_text(data))))
    assert decoded == expected_modules(data, DEFAULT_BORDER)
    assert decoded != expected_modules("x", DEFAULT_BORDER)


def test_too_long_for_a_qr_code_raises_value_error() -> None:
    with pytest.raises(ValueError):
        qr_lines("x" * 5000)


def test_fit_message_numbers() -> None:
    qr, screen = QRSize(33, 17), QRSize(80, 24)
    assert fit_message(qr, QRSize(40, 20), screen) is None
    assert fit_message(qr, QRSize(30, 20), screen) == (
        "Widen the terminal to at least 83 columns to show the QR code"
    )
    assert fit_message(qr, QRSize(40, 10), screen) == (
        "Make the terminal at least 31 lines tall to show the QR code"
    )
    assert "at least 86 columns × 31 lines" in (fit_message(qr, QRSize(27, 10), screen) or "")
    # A height fixed in the CSS: no terminal is tall enough, so do not ask for one.
    assert fit_message(qr, QRSize(40, 10), screen, height_cap=10) == (
        "Too little room here to show the QR code: it needs 17 lines"
    )
    assert fit_message(qr, QRSize(40, 20), screen, height_cap=20) is None


def test_segno_is_imported_lazily() -> None:
    # Start-up time is measured: importing the widget must not import the encoder.
    code = "import sys, tui.ui.widgets.qr_code; assert 'segno' not in sys.modules, 'segno'"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# The widget ----------------------------------------------------------------------


class QRApp(App[None]):
    """The widget alone on the screen, or nested like the detail pane's network cards."""

    CSS = """
    #pane { height: auto; max-height: 60%; border-top: solid white; }
    #networks { height: auto; }
    .card { height: auto; border: round white; padding: 0 1; }
    """

    def __init__(self, qr: QRCode, *, nested: bool = False, networks_css: str = "") -> None:
        super().__init__()
        self.qr = qr
        self.nested = nested
        self.networks_css = networks_css

    def compose(self) -> ComposeResult:
        if self.nested:
            # Like the detail pane: a share of the screen, a scrolling list of cards in it.
            with Vertical(id="pane"), VerticalScroll(id="networks"), Vertical(classes="card"):
                yield self.qr
        else:
            yield self.qr

    def on_mount(self) -> None:
        if self.networks_css:
            self.query_one("#networks").set_styles(self.networks_css)


async def settle(pilot: Pilot[None]) -> None:
    """Let the widget's second look at the room (after the first layout) take effect."""
    for _ in range(3):
        await pilot.pause()


def screen_lines(widget: QRCode) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.content_size.height)]


def strips(widget: QRCode) -> list[Strip]:
    return [widget.render_line(y) for y in range(widget.content_size.height)]


async def test_fits_at_a_large_size() -> None:
    qr = QRCode(BTC, "Scan: BTC on BTC address")
    async with QRApp(qr).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert qr.fits
        assert qr.content_size == (33, 18)
        lines = screen_lines(qr)
        assert lines[:17] == qr_lines(BTC)
        assert lines[17].strip() == "Scan: BTC on BTC address"
        # What Textual paints is still explicit black on white, QR row by QR row.
        decoded = decode(
            cells_of([list(strip) for strip in strips(qr)[:17]])  # type: ignore[arg-type]
        )
        assert decoded == expected_modules(BTC, DEFAULT_BORDER)


async def test_says_to_widen_at_a_small_width() -> None:
    qr = QRCode(BTC, "Scan: BTC on BTC address")
    async with QRApp(qr).run_test(size=(30, 30)) as pilot:
        await pilot.pause()
        assert not qr.fits
        text = " ".join(line.strip() for line in screen_lines(qr))
        assert "Widen the terminal to at least 33 columns to show the QR code" in text
        assert "▀" not in text and "▄" not in text


async def test_says_to_heighten_at_a_small_height() -> None:
    qr = QRCode(BTC, "Scan: BTC on BTC address")
    async with QRApp(qr).run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        assert not qr.fits
        text = " ".join(line.strip() for line in screen_lines(qr))
        assert "Make the terminal at least 18 lines tall to show the QR code" in text


async def test_switches_when_the_terminal_is_resized() -> None:
    qr = QRCode(ETH, "Scan: ETH on ERC20 address")
    async with QRApp(qr).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert qr.fits
        await pilot.resize_terminal(32, 30)
        await pilot.pause()
        assert not qr.fits
        assert "Widen the terminal to at least 33 columns" in " ".join(screen_lines(qr))
        await pilot.resize_terminal(33, 30)
        await pilot.pause()
        assert qr.fits
        assert screen_lines(qr)[:17] == qr_lines(ETH)


def asked_for(message: str, unit: str) -> int:
    """The number of columns or lines a message asks for."""
    return int(message.split(" at least ")[1].split(f" {unit}")[0].split()[-1])


async def test_inside_growing_cards_in_a_scroll_view() -> None:
    qr = QRCode(BTC, "Scan: BTC on BTC address")
    async with QRApp(qr, nested=True).run_test(size=(60, 40)) as pilot:
        await settle(pilot)
        assert qr.fits
        assert screen_lines(qr)[:17] == qr_lines(BTC)
        # Card border and padding take 4 columns.
        await pilot.resize_terminal(34, 40)
        await settle(pilot)
        assert not qr.fits
        message = " ".join(screen_lines(qr))
        assert "Widen the terminal to at least 37 columns" in message
        await pilot.resize_terminal(asked_for(message, "columns"), 40)
        await settle(pilot)
        assert qr.fits


async def test_a_share_of_the_screen_limits_the_height() -> None:
    # The pane takes at most 60 % of the screen, less its top border: 18 lines need 32.
    qr = QRCode(BTC, "Scan: BTC on BTC address")
    async with QRApp(qr, nested=True).run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        assert not qr.fits
        message = " ".join(screen_lines(qr))
        assert "Make the terminal at least" in message
        height = asked_for(message, "lines")
        assert 30 < height <= 32
        while not qr.fits:  # "at least": a share grows slower than the terminal
            assert height <= 32
            await pilot.resize_terminal(60, height)
            await settle(pilot)
            height += 1
        assert screen_lines(qr)[:17] == qr_lines(BTC)


async def test_a_height_fixed_in_the_css_is_not_blamed_on_the_terminal() -> None:
    qr = QRCode(BTC, "Scan: BTC on BTC address")
    app = QRApp(qr, nested=True, networks_css="max-height: 12;")
    async with app.run_test(size=(60, 50)) as pilot:
        await settle(pilot)
        assert not qr.fits
        message = " ".join(screen_lines(qr))
        assert "Too little room here to show the QR code: it needs 18 lines" in message


async def test_set_data_and_markup_like_text_shown_literally() -> None:
    qr = QRCode()
    async with QRApp(qr).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert qr.content_size.height == 0
        qr.set_data("[bold]x[/]", "Scan: [red]memo[/]")
        await pilot.pause()
        assert qr.fits
        lines = screen_lines(qr)
        assert lines[: len(qr_lines("[bold]x[/]"))] == qr_lines("[bold]x[/]")
        assert lines[-1].strip() == "Scan: [red]memo[/]"
        qr.set_data(None, "")
        await pilot.pause()
        assert qr.content_size.height == 0


async def test_caption_control_characters_are_removed() -> None:
    qr = QRCode(XRP_MEMO, "Scan:\x1b[31m memo\x07")
    async with QRApp(qr).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert qr.caption == "Scan:[31m memo"
        assert "\x1b" not in "".join(screen_lines(qr))


async def test_data_too_long_for_a_qr_code() -> None:
    qr = QRCode("x" * 5000, "Scan")
    async with QRApp(qr).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert not qr.fits
        assert "Too long to show as a QR code" in " ".join(screen_lines(qr))
