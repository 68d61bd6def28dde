"""The operations table: one row per operation, newest first, OnHold/Declined highlighted.

Rows are keyed by operation id. A new answer that only changed statuses repaints those
lines; one with new or gone operations repaints the table and puts the cursor back on
the operation it was on (by key, not by index). Server text is shown as plain Text.

Nothing is cut without a mark. When the columns are wider than the view, the Id, Type
and Status columns give up cells first (their text cut with "…"; Enter shows every
field whole); what is still too wide scrolls sideways, and a column the view cuts is
blanked with an arrow in the header, as in the balance grid (grid_edges.py), so an
amount or an id is never shown as a bare prefix of itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from decimal import Decimal
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.api.amounts import format_amount
from tui.api.operations import DECLINED, ON_HOLD, Operation
from tui.api.text import clean_text
from tui.ui.cell_fit import fit_text
from tui.ui.widgets.grid_edges import LEFT, RIGHT, apply_edges, find_edges

COLUMNS = ("Time", "Type", "Status", "Source", "Target", "Id")
MASK = "•••••"
#: Cells between columns.
GAP = 2
#: The columns that are cut (with "…") to fit the view, in the order they give up
#: cells, and how narrow each may get: an id keeps 8 characters to tell rows apart, a status
#: the width of "Processing".
SHRINK_ORDER = ((5, 9), (1, 8), (2, 10))


def fit_widths(natural: Sequence[int], room: int) -> list[int]:
    """Column widths (cells, without the gaps) for a view `room` cells wide.

    `natural` are the widths that show every cell whole. When they (and the gaps) do not
    fit, the columns of `SHRINK_ORDER` give up cells in turn, down to their minimum;
    amounts and times never shrink (what still does not fit scrolls sideways).
    """
    widths = list(natural)
    if room <= 0:
        return widths  # not laid out yet
    over = sum(widths) + GAP * (len(widths) - 1) - room
    for column, least in SHRINK_ORDER:
        if over <= 0:
            break
        give = max(0, min(over, widths[column] - least))
        widths[column] -= give
        over -= give
    return widths


def status_style(status: str | None) -> str:
    """The style of a status: OnHold and Declined stand out, pending ones are yellow."""
    if status == DECLINED:
        return "bold red"
    if status == ON_HOLD:
        return "bold magenta"
    if status in ("Created", "Processing"):
        return "yellow"
    if status == "Completed":
        return "green"
    return "bold"  # a status we do not know: shown as it came, in plain bold


def local_time(operation: Operation, zone: tzinfo | None) -> str:
    """When the operation was created, in the app's timezone ("11-25 14:10:03")."""
    when = operation.sort_time
    return "—" if when is None else when.astimezone(zone).strftime("%m-%d %H:%M:%S")


def side(asset: str | None, amount: Decimal | None, *, masked: bool = False) -> str:
    """"0.042 BTC": an amount, exact and whole, and its asset."""
    if asset is None and amount is None:
        return "—"
    shown = "" if amount is None else (MASK if masked else format_amount(amount, grouping=True))
    return clean_text(f"{shown} {asset or ''}".strip())


def operation_row(operation: Operation, zone: tzinfo | None, *, masked: bool = False) -> list[Text]:
    """The cells of one operation's row."""
    alert = operation.needs_attention
    row_style = status_style(operation.status) if alert else ""
    cells = [
        Text(local_time(operation, zone), style=row_style or "dim"),
        Text(clean_text(operation.type or "—"), style=row_style),
        Text(clean_text(operation.status or "—"), style=status_style(operation.status)),
        Text(side(operation.source_asset, operation.source_amount, masked=masked), style=row_style),
        Text(side(operation.target_asset, operation.target_amount, masked=masked), style=row_style),
        Text(clean_text(operation.id), style=row_style or "dim"),
    ]
    return cells


class OperationsTable(ScrollView, can_focus=True):
    """The operations shown, newest first, under a fixed header; a row cursor.

    Drawn with Textual's Line API: each row is rendered once into a Strip and cached
    until its operation, the cursor or the column widths change, so that a refresh of
    500 operations of which three changed status repaints three lines, not the table
    (DataTable renders every visible cell again after any `update_cell`).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"operations-table--header", "operations-table--cursor"}
    DEFAULT_CSS = """
    OperationsTable > .operations-table--header { text-style: bold; background: $panel; }
    OperationsTable > .operations-table--cursor { background: $block-cursor-background; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor(-1000000)", "First", show=False),
        Binding("end", "cursor(1000000)", "Last", show=False),
        Binding("enter", "select", "Details", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]

    class Selected(Message):
        """Enter (or a double click) on an operation."""

        def __init__(self, operation: Operation) -> None:
            super().__init__()
            self.operation = operation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone: tzinfo | None = None
        self.masked = False
        self._shown: tuple[Operation, ...] = ()
        self._cells: list[list[Text]] = []
        self._index: dict[str, int] = {}
        self._natural = [len(name) for name in COLUMNS]
        self._widths = list(self._natural)
        self.cursor_row = 0
        # Per operation id: what its line was drawn from, and the line.
        self._strips: dict[str, tuple[tuple[object, ...], Strip]] = {}

    @property
    def operations(self) -> tuple[Operation, ...]:
        """The operations on screen, in order."""
        return self._shown

    @property
    def row_count(self) -> int:
        """How many operations are shown."""
        return len(self._shown)

    @property
    def selected(self) -> Operation | None:
        """The operation under the cursor, or None when the table is empty."""
        if not self._shown:
            return None
        return self._shown[min(self.cursor_row, len(self._shown) - 1)]

    def get_row(self, key: str) -> list[Text]:
        """The cells of the operation with id `key`."""
        return self._cells[self._index[key]]

    def get_row_index(self, key: str) -> int:
        """Where the operation with id `key` is shown."""
        return self._index[key]

    def show(self, operations: Sequence[Operation]) -> None:
        """Show `operations` (newest first), keeping the cursor on the same operation."""
        new = tuple(operations)
        old, old_cells = self._shown, self._cells
        keep = self.selected.id if self.selected else None
        same_order = len(new) == len(old) and all(a.id == b.id for a, b in zip(old, new, strict=True))
        reuse = {op.id: (op, cells) for op, cells in zip(old, old_cells, strict=True)}
        cells: list[list[Text]] = []
        changed: list[int] = []
        for row, op in enumerate(new):
            before = reuse.get(op.id)
            if before is not None and (before[0] is op or before[0] == op):
                cells.append(before[1])
            else:
                cells.append(operation_row(op, self.zone, masked=self.masked))
                changed.append(row)
        self._shown, self._cells = new, cells
        self._index = {op.id: row for row, op in enumerate(new)}
        widths = [len(name) for name in COLUMNS]
        for row_cells in cells:
            for column, cell in enumerate(row_cells):
                if cell.cell_len > widths[column]:
                    widths[column] = cell.cell_len
        self._natural = widths
        relaid = self._lay_out()
        if keep is not None and keep in self._index:
            self.cursor_row = self._index[keep]
        else:
            self.cursor_row = min(self.cursor_row, max(0, len(new) - 1))
        if same_order and not relaid:
            for row in changed:
                self.refresh_line(row + 1 - round(self.scroll_y))
        else:
            self.refresh()
        self._scroll_cursor_into_view()

    def _lay_out(self) -> bool:
        """Fit the columns to the view's width; True when their widths changed."""
        widths = fit_widths(self._natural, self.scrollable_content_region.width or self.size.width)
        relaid = widths != self._widths
        self._widths = widths
        # (The last column's gap is drawn but need not be scrolled to.)
        self.virtual_size = Size(sum(widths) + GAP * (len(widths) - 1), len(self._shown) + 1)
        return relaid

    def on_resize(self) -> None:
        if self._lay_out():
            self.refresh()

    @property
    def column_widths(self) -> tuple[int, ...]:
        """The columns' widths as drawn (cells, without the gaps)."""
        return tuple(self._widths)

    def set_masked(self, masked: bool) -> None:
        """Mask the amounts (for screen sharing)."""
        if masked != self.masked:
            self.masked = masked
            shown, self._shown, self._cells = self._shown, (), []
            self.show(shown)

    # Drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = round(self.scroll_x), round(self.scroll_y)
        if y == 0:
            header = [Text(name) for name in COLUMNS]
            strip = self._line(header, self.get_component_rich_style("operations-table--header"))
        else:
            row = y - 1 + scroll_y
            if not 0 <= row < len(self._shown):
                return Strip.blank(width, self.rich_style)
            op = self._shown[row]
            cursor = row == self.cursor_row and self.has_focus
            key = (self._cells[row], tuple(self._widths), cursor)
            cached = self._strips.get(op.id)
            if cached is not None and cached[0] == key:
                strip = cached[1]
            else:
                style = self.get_component_rich_style("operations-table--cursor") if cursor else self.rich_style
                strip = self._line(self._cells[row], style)
                self._strips[op.id] = (key, strip)
        shown = strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, self.rich_style)
        # The gaps count as columns of their own: a cut gap needs no blanking (and the
        # last column's gap is not part of the table).
        spans = [part for column in self._widths for part in (column, GAP)][:-1]
        edges = find_edges(spans, scroll_x, width)
        shown = apply_edges(shown, edges, self.rich_style, header=False)
        if y == 0 and width >= 2:
            shown = self._arrows(shown, more_left=edges.more_left, more_right=edges.more_right)
        return shown

    def _arrows(self, header: Strip, *, more_left: bool, more_right: bool) -> Strip:
        """The header with an arrow at an end where there is more to scroll to, drawn
        only on a blank cell (a gap), never over a column's name."""
        width = header.cell_length
        text = "".join(segment.text for segment in header)
        style = self.get_component_rich_style("operations-table--header")
        if more_left and text[:1] == " ":
            header = Strip.join([Strip([Segment(LEFT, style)], 1), header.crop(1, width)])
        if more_right and text[-1:] == " ":
            header = Strip.join([header.crop(0, width - 1), Strip([Segment(RIGHT, style)], 1)])
        return header

    def _line(self, cells: list[Text], style: Style) -> Strip:
        segments: list[Segment] = []
        console = self.app.console
        for cell, width in zip(cells, self._widths, strict=True):
            cell = fit_text(cell, width)
            segments.extend(cell.render(console))
            segments.append(Segment(" " * (width - cell.cell_len + GAP)))
        return Strip(Segment.apply_style(segments, style), sum(self._widths) + GAP * len(self._widths))

    # Cursor ------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Move the cursor `step` rows (clamped)."""
        self._move(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        """Move the cursor a screenful."""
        self._move(self.cursor_row + direction * max(1, self.size.height - 2))

    def move_cursor(self, *, row: int) -> None:
        """Put the cursor on `row`."""
        self._move(row)

    def _move(self, row: int) -> None:
        if not self._shown:
            return
        row = max(0, min(row, len(self._shown) - 1))
        if row == self.cursor_row:
            return
        before, self.cursor_row = self.cursor_row, row
        self.refresh_line(before + 1 - round(self.scroll_y))
        self.refresh_line(row + 1 - round(self.scroll_y))
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self) -> None:
        visible = max(1, self.size.height - 1)
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
            self.refresh()
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)
            self.refresh()

    def action_scroll_left(self) -> None:
        """Scroll sideways to the start of the previous column (whole columns only)."""
        x = round(self.scroll_x)
        target = max((s for s in self._column_starts() if s < x), default=0)
        self.scroll_to(x=target, animate=False, immediate=True)

    def action_scroll_right(self) -> None:
        """Scroll sideways to the start of the next column, as far as the table goes."""
        x = round(self.scroll_x)
        target = min((s for s in self._column_starts() if s > x), default=x)
        self.scroll_to(x=min(target, self.max_scroll_x), animate=False, immediate=True)

    def _column_starts(self) -> list[int]:
        """Scroll positions that show a column from its start, with one cell of the gap
        before it (where the header's `←` goes)."""
        starts, x = [], 0
        for width in self._widths:
            starts.append(max(0, x - 1))
            x += width + GAP
        return starts

    def action_select(self) -> None:
        """Open the operation under the cursor."""
        if self.selected is not None:
            self.post_message(self.Selected(self.selected))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1 + round(self.scroll_y)
        if event.y >= 1 and 0 <= row < len(self._shown):
            self._move(row)
            if event.chain >= 2:
                self.action_select()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
