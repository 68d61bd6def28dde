"""The grid's edges: only whole columns are drawn; a column cut by the view is left blank.

A grid wider than its view scrolls sideways. Cropping the drawn line at the view's
edges would cut an amount without a mark (`2,678.8` for 2,678.873456), which reads as
a true value. So a column that the view shows only part of is blanked, and the header
says there is more that way (`←`, `→`). This works on column widths alone, so it holds
for any column set, columns added later included.

A column wider than the whole view cannot be shown whole anywhere: it is drawn cut,
with `…` at each cut edge, so that it is still never a bare prefix of its value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

#: The marks (a terminal that cannot show them gets look-alikes: see terminal_text.py).
ELLIPSIS = "…"
LEFT = "←"
RIGHT = "→"


class Edges(NamedTuple):
    """What the view `[left, left + width)` shows of columns of the given widths.

    `blank`: spans (view coordinates, start and end) to clear, each a cut column.
    `ellipses`: view columns where a too-wide column is cut (drawn as `…`).
    `more_left` / `more_right`: columns (wholly or partly) out of view on that side.
    """

    blank: tuple[tuple[int, int], ...]
    ellipses: tuple[int, ...]
    more_left: bool
    more_right: bool

    @property
    def clean(self) -> bool:
        """True when the line needs no change: every column whole, nothing out of view."""
        return not (self.blank or self.ellipses or self.more_left or self.more_right)


def find_edges(widths: Sequence[int], left: int, width: int) -> Edges:
    """The cut columns of a line of columns `widths` (in cells) seen through the view."""
    right = left + width
    blank: list[tuple[int, int]] = []
    ellipses: list[int] = []
    more_left = more_right = False
    start = 0
    for column_width in widths:
        end = start + column_width
        if start < left:
            more_left = True
        if end > right:
            more_right = True
        inside = left <= start and end <= right
        overlaps = start < right and end > left
        if overlaps and not inside:
            if column_width > width:
                # Never whole in any position: draw it, marked where it is cut.
                if start < left:
                    ellipses.append(0)
                if end > right:
                    ellipses.append(width - 1)
            else:
                blank.append((max(start, left) - left, min(end, right) - left))
        start = end
    return Edges(tuple(blank), tuple(ellipses), more_left, more_right)


def apply_edges(strip: Strip, edges: Edges, style: Style, *, header: bool) -> Strip:
    """`strip` (already cropped to the view) with cut columns blanked or marked.

    On the header line the outermost cells (always a column's padding or a blank) show
    an arrow where there is more to scroll to.
    """
    if edges.clean:
        return strip
    width = strip.cell_length
    marks: list[tuple[int, int, str]] = [(a, b, " " * (b - a)) for a, b in edges.blank]
    marks += [(x, x + 1, ELLIPSIS) for x in edges.ellipses]
    if header and width >= 2:
        if edges.more_left and not any(a <= 0 < b for a, b, text in marks if text.strip()):
            marks.append((0, 1, LEFT))
        if edges.more_right:
            marks.append((width - 1, width, RIGHT))
    # Later marks win where they overlap (an arrow over a blanked span).
    for start, end, text in marks:
        start, end = max(0, start), min(width, end)
        if start >= end:
            continue
        pieces = [strip.crop(0, start), Strip([Segment(text[: end - start], style)], end - start)]
        if end < width:
            pieces.append(strip.crop(end, width))
        strip = Strip.join(pieces)
    return strip
