"""The balance grid's lines: columns, and one row of (text, style) cells drawn as a Strip.

Kept apart from the widget: these functions turn plain data (cells, widths, Rich styles)
into segments, so that the widget only decides which lines to draw and when.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.ui.widgets.grid_cells import Cell

#: Blank cells on each side of every column, as DataTable draws them.
CELL_PADDING = 1


class Key(NamedTuple):
    """A row's or column's key, shaped like DataTable's (`.value`)."""

    value: str


@dataclass(eq=False)
class GridColumn:
    """One column: its key, its header label and the width of its widest shown cell.

    Shaped like DataTable's Column (`.key.value`, `.label`, `.content_width`,
    `.get_render_width`) for the code and tests that measure the grid.
    """

    key: Key
    label: Text
    #: Right-justified (amounts) or left-justified (the symbol).
    right: bool = True
    content_width: int = field(default=0)
    #: False while the column has nothing to show (the "Other" column of a wallet whose
    #: every field has a column of its own): it then takes no room at all.
    shown: bool = True

    def __post_init__(self) -> None:
        # Before any row (no answer yet, or an error first): as wide as its label, so
        # that the header's labels keep their padding ("Asset  Available", not run
        # together); rows widen it (`_fit_columns`).
        self.content_width = max(self.content_width, self.label.cell_len)

    def get_render_width(self, _grid: object = None) -> int:
        """The column's width on screen, padding included (0 when not shown)."""
        return self.content_width + 2 * CELL_PADDING if self.shown else 0


class GridRow(NamedTuple):
    """A shown row, shaped like DataTable's Row for `ordered_rows`."""

    key: Key


@lru_cache(maxsize=256)
def _parse(style: str) -> Style:
    return Style.parse(style) if style else Style()


@lru_cache(maxsize=512)
def _combine(base: Style, style: str) -> Style:
    return base + _parse(style) if style else base


def draw_cells(
    cells: Sequence[Cell],
    widths: Sequence[int],
    columns: Sequence[GridColumn],
    base: Style,
    min_width: int,
    roles: Mapping[str, Style] | None = None,
) -> Strip:
    """One line of the grid: each cell padded to its column and aligned, in `base` style
    under the cell's own, then blank to `min_width` (the widget's width) if narrower.

    A cell's style is a role (`roles`: role -> its whole style on this line, from the
    grid's CSS) or else a Rich style string drawn over `base`."""
    roles = roles or {}
    segments: list[Segment] = []
    append = append_blank = segments.append
    blank = ""
    for (plain, style), width, column in zip(cells, widths, columns, strict=True):
        if not column.shown:
            continue
        gap = column.content_width - width
        if column.right:
            blank += " " * (CELL_PADDING + gap)
            tail = " " * CELL_PADDING
        else:
            blank += " " * CELL_PADDING
            tail = " " * (CELL_PADDING + gap)
        if style:
            append_blank(Segment(blank, base))
            append(Segment(plain, roles.get(style) or _combine(base, style)))
            blank = tail
        else:
            blank += plain + tail
    total = sum(column.get_render_width() for column in columns)
    if total < min_width:
        blank += " " * (min_width - total)
    if blank:
        append_blank(Segment(blank, base))
    return Strip(segments, max(total, min_width))


def label_cell(column: GridColumn) -> tuple[Cell, int]:
    """A header label as a cell, with its width."""
    plain = column.label.plain
    return (plain, ""), cell_len(plain)
