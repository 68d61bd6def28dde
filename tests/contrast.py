"""WCAG contrast of the characters the terminal would draw, read from the compositor's segments.

The segments are the ones Textual writes to the terminal, after its line filters (the
ANSI-to-truecolor mapping, NO_COLOR's monochrome). Colours a terminal chooses itself
(`default`, the 16 ANSI colours of the ansi-* themes) are read through the app's
terminal palette; `dim` is drawn as most terminals draw it, halfway to the background;
`reverse` swaps the two. Each pair is also checked as a 256-colour terminal shows it
(tmux and screen often downgrade), where rounding to the palette can cost contrast.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich.color import Color, ColorSystem
from rich.color_triplet import ColorTriplet
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.geometry import Region
from textual.strip import Strip

#: How far a terminal moves a `dim` character towards its background (xterm, VTE: half).
DIM_TOWARDS_BACKGROUND = 0.5


def luminance(rgb: ColorTriplet) -> float:
    """WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: ColorTriplet, b: ColorTriplet) -> float:
    """WCAG 2 contrast ratio of two colours, 1.0 to 21.0."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _blend(fg: ColorTriplet, bg: ColorTriplet, towards_bg: float) -> ColorTriplet:
    return ColorTriplet(
        *(round(f + (b - f) * towards_bg) for f, b in zip(fg, bg, strict=True))
    )


def _rgb(color: Color | None, palette: TerminalTheme, *, foreground: bool) -> ColorTriplet:
    if color is None:
        color = Color.default()
    return color.get_truecolor(palette, foreground=foreground)


def drawn_colors(style: Style | None, palette: TerminalTheme) -> tuple[ColorTriplet, ColorTriplet]:
    """(foreground, background) as the terminal draws a character in `style`."""
    style = style or Style()
    fg = _rgb(style.color, palette, foreground=True)
    bg = _rgb(style.bgcolor, palette, foreground=False)
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = _blend(fg, bg, DIM_TOWARDS_BACKGROUND)
    return fg, bg


def ratios(style: Style | None, palette: TerminalTheme) -> tuple[float, float]:
    """The contrast in truecolor and in a 256-colour terminal."""
    fg, bg = drawn_colors(style, palette)
    true = contrast(fg, bg)

    def eight_bit(rgb: ColorTriplet) -> ColorTriplet:
        return Color.from_triplet(rgb).downgrade(ColorSystem.EIGHT_BIT).get_truecolor(palette)

    return true, contrast(eight_bit(fg), eight_bit(bg))


@dataclass(frozen=True)
class Glyph:
    """One digit on the screen with its colours' contrast."""

    where: str
    x: int
    y: int
    line: str
    truecolor: float
    eight_bit: float
    style: Style | None

    @property
    def worst(self) -> float:
        return min(self.truecolor, self.eight_bit)

    def __str__(self) -> str:
        return (
            f"{self.where} ({self.x},{self.y}) {self.truecolor:.2f}:1"
            f" (256 colours {self.eight_bit:.2f}:1) in {self.line.strip()!r} style={self.style}"
        )


def digits_in(
    app: App[object], region: Region, where: str, strips: Sequence[Strip] | None = None
) -> Iterator[Glyph]:
    """Every digit the screen shows inside `region`, with its contrast. `strips`: the
    screen's lines as the compositor draws them, when the caller has them already (one
    drawing of the screen for several regions)."""
    palette = app.ansi_theme
    if strips is None:
        strips = app.screen._compositor.render_strips()
    for y in range(region.y, region.bottom):
        strip = strips[y].crop(region.x, region.right)
        line = strip.text
        x = region.x
        for segment in strip:
            text, style = segment.text, segment.style
            if any(ch.isdigit() for ch in text):
                true, eight = ratios(style, palette)
                for offset, ch in enumerate(text):
                    if ch.isdigit():
                        yield Glyph(where, x + offset, y, line, true, eight, style)
            x += segment.cell_length
