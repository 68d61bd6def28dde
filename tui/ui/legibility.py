"""Legible text in every theme: a line filter that keeps each character readable on its
background, and the choice of what NO_COLOR draws.

Themes pick their colours for looks; a theme's error red on its cursor blue, or a muted
grey on a muted panel, can fall to 1.5:1. Rather than tune each widget for each theme
(and each column added later), the last step before the terminal checks every drawn
character: where its foreground has less than `TARGET` (WCAG 2 contrast, 4.5:1 for body
text) against its background, the foreground is moved towards black or white, whichever
the background needs, only as far as needed, so the hue stays recognisable.

Colours the terminal picks itself (`default`, the 16 ANSI colours of the ansi-* themes)
are read through the palette Textual assumes for the terminal; where that falls short
the character takes the terminal's own foreground (or its inverse on an ANSI background),
which the user's terminal makes readable. `dim` is judged as terminals draw it, halfway
to the background, and replaced by an explicit colour when that would be too faint.

NO_COLOR (https://no-color.org) means no colour at all: Textual's default for it turns
colours into greys of the theme (a balance drop drew grey 237 on grey 235); here the
terminal's own foreground and background are used throughout, and the app marks what
colour marked (cursor: reverse, changes: sign, bold, underline; see the grid's CSS).
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.color import Color
from textual.filter import LineFilter, Monochrome, NoColor

#: The contrast every character keeps against its background (WCAG 2 AA, body text).
TARGET = 4.5
#: How far a terminal moves a `dim` character towards its background (xterm, VTE).
DIM_TOWARDS_BACKGROUND = 0.5

#: Bounds of `Legible`'s cache (a screen uses a few backgrounds and dozens of styles).
MAX_CACHED_BACKGROUNDS = 64
MAX_CACHED_STYLES = 4096

_DEFAULT = RichColor.default()
_NOT_DIM = Style(dim=False)


def contrast(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1.0 (same) to 21.0 (black on white)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


@lru_cache(maxsize=4096)
def _in_256_colours(color: Color) -> Color:
    rich = RichColor.from_rgb(color.r, color.g, color.b).downgrade(ColorSystem.EIGHT_BIT)
    return Color(*rich.get_truecolor())


def drawn_contrast(foreground: Color, background: Color) -> float:
    """The lower of the contrast in truecolor and in a 256-colour terminal (tmux and
    screen often downgrade; rounding to the palette can cost a third of the contrast)."""
    return min(
        contrast(foreground, background),
        contrast(_in_256_colours(foreground), _in_256_colours(background)),
    )


def readable(foreground: Color, background: Color, target: float = TARGET) -> Color:
    """`foreground`, moved towards black or white just enough to reach `target` against
    `background` in truecolor and in 256 colours (unchanged when it already does).
    Either end reaches 4.58:1 or more against any background; should rounding to 256
    colours keep the target out of reach, the end colour itself is used."""
    if drawn_contrast(foreground, background) >= target:
        return foreground
    ends = (Color(0, 0, 0), Color(255, 255, 255))
    end = max(ends, key=lambda color: drawn_contrast(color, background))
    for step in range(1, 20):  # rounding to the palette is not monotonic: walk, do not bisect
        blended = foreground.blend(end, step / 20)
        if drawn_contrast(blended, background) >= target:
            return blended
    return end


class Legible(LineFilter):
    """Keeps every non-blank character at `TARGET` contrast or more (see the module)."""

    def __init__(self, palette: TerminalTheme, enabled: bool = True) -> None:
        super().__init__(enabled=enabled)
        self.palette = palette
        # What `_fix` gives, per background, then per style: the filter runs on every
        # rendered line (each frame, each refresh), where a theme uses a few dozen
        # styles; a dict lookup per segment (Rich caches a Style's hash) is the cost.
        self._fixed: dict[Color, dict[Style, Style]] = {}

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        fixed = self._fixed.get(background)
        if fixed is None:
            if len(self._fixed) >= MAX_CACHED_BACKGROUNDS:
                self._fixed.clear()  # a theme switched many times: start afresh
            fixed = self._fixed[background] = {}
        out = []
        for segment in segments:
            text, style, control = segment
            if style is None or control or text.isspace():
                out.append(segment)
                continue
            new = fixed.get(style)
            if new is None:
                if len(fixed) >= MAX_CACHED_STYLES:
                    fixed.clear()
                new = fixed[style] = _fix(style, background, self.palette)
            out.append(segment if new is style else Segment(text, new))
        return out


@lru_cache(maxsize=4096)
def _fix(style: Style, background: Color, palette: TerminalTheme) -> Style:
    fg_color = style.color or _DEFAULT
    bg_color = style.bgcolor or _DEFAULT
    # No background of its own: the widget's (Textual fills every cell, so this is rare).
    bg = background if style.bgcolor is None else _terminal(bg_color, palette, foreground=False)
    fg = _terminal(fg_color, palette, foreground=True)
    if style.reverse:
        fg, bg = bg, fg
    drawn = fg.blend(bg, DIM_TOWARDS_BACKGROUND) if style.dim else fg
    if drawn_contrast(drawn, bg) >= TARGET:
        return style
    if style.reverse:
        return style  # the terminal's inverse of its own colours; leave it be
    if fg_color.triplet is None or (style.bgcolor is not None and style.bgcolor.triplet is None):
        # The terminal's palette decides: its own foreground (on its own background), or
        # the colour that is readable on an ANSI background.
        if style.bgcolor is None or style.bgcolor.is_default:
            return style + Style(color=_DEFAULT) + _NOT_DIM
        return style + Style(color=readable(fg, bg).rich_color) + _NOT_DIM
    return style + Style(color=readable(drawn, bg).rich_color) + _NOT_DIM


def _terminal(color: RichColor, palette: TerminalTheme, *, foreground: bool) -> Color:
    return Color(*color.get_truecolor(palette, foreground=foreground))


def no_color_filters(filters: list[LineFilter]) -> None:
    """Under NO_COLOR, swap Textual's greys (Monochrome) for no colour at all (NoColor)."""
    for index, line_filter in enumerate(filters):
        if isinstance(line_filter, Monochrome):
            filters[index] = NoColor(enabled=line_filter.enabled)
