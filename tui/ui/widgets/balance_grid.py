"""The balance grid: one row per asset, amounts aligned on the decimal point.

The grid draws its own lines (Textual's Line API): a fixed header line, then one line
per shown asset, each rendered once into a Strip and cached until its cells, the cursor
or the column widths change. Refreshes are applied as a keyed diff against the cells
last drawn, and only the changed rows that are on screen are repainted; nothing at all
is done when nothing changed. The cursor stays on its asset (by key, not by index) and
the scroll position is kept.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from tui.api.amounts import exact_difference, trim_zeros
from tui.api.models import KNOWN_AMOUNT_FIELDS, BalanceSnapshot, amount_label
from tui.ui.widgets.grid_cells import (
    MASK,
    AmountText,
    Cell,
    Derived,
    DrawnRow,
    amount_cell,
    amount_text,
    asset_text,
    delta_cell,
    derive,
    direction,
    fraction_digits,
    merge_order,
    same_digits,
)
from tui.ui.widgets.grid_lines import GridColumn, GridRow, Key, draw_cells, label_cell
from tui.ui.widgets.grid_view import (
    SortOrder,
    arrange,
    describe,
    next_sort,
    select,
    sort_for_header,
)

ASSET_COLUMN = "asset"
TOTAL_COLUMN = "total"
DELTA_COLUMN = "delta"
#: The amount columns, left to right: the four documented fields, then the total.
AMOUNT_COLUMNS: tuple[str, ...] = (*KNOWN_AMOUNT_FIELDS, TOTAL_COLUMN)
#: Every numeric column: the amounts, then the change of the total since the last refresh.
VALUE_COLUMNS: tuple[str, ...] = (*AMOUNT_COLUMNS, DELTA_COLUMN)
#: Every column, left to right.
COLUMNS: tuple[str, ...] = (ASSET_COLUMN, *VALUE_COLUMNS)
#: How long a changed amount stays highlighted, in seconds.
FLASH_SECONDS = 1.0
#: More fraction digits than this are cut in the grid (marked "…"); the detail pane
#: beside it shows every digit.
MAX_FRACTION_DIGITS = 8
#: The header's height: one line that stays put while the rows scroll under it.
HEADER_HEIGHT = 1


@dataclass(frozen=True, slots=True)
class GridChange:
    """What one `BalanceGrid.show` did to the grid.

    `added`, `removed` and `updated_cells` count rows and cells of the shown rows (rows
    hidden by the filter are neither added nor updated). `changed_assets` names every
    asset of the snapshot, shown or hidden, whose amounts changed numerically since the
    previous snapshot; assets that appeared or disappeared are not in it.
    """

    added: int = 0
    removed: int = 0
    updated_cells: int = 0
    changed_assets: frozenset[str] = frozenset()


class BalanceGrid(ScrollView, can_focus=True):
    """The wallet's balances, one row per asset, keyed by the asset symbol.

    Feed it with `show(snapshot)`; narrow it with `set_filter(text)`. It posts
    `BalanceGrid.AssetSelected` whenever the asset under the cursor changes.
    """

    DEFAULT_CSS = """
    BalanceGrid {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .balance-grid--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .balance-grid--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .balance-grid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .balance-grid--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .balance-grid--header {
                background-tint: $foreground 5%;
            }
        }
        &.-stale {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"balance-grid--header", "balance-grid--cursor"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]

    #: Always a row cursor (DataTable's name for it).
    cursor_type: ClassVar[str] = "row"

    _LABELS: ClassVar[dict[str, str]] = {
        ASSET_COLUMN: "Asset",
        **{name: amount_label(name) for name in KNOWN_AMOUNT_FIELDS},
        TOTAL_COLUMN: "Total",
        DELTA_COLUMN: "Δ Total",
    }

    class AssetSelected(Message):
        """The asset under the cursor changed; `asset` is None when the grid is empty."""

        def __init__(self, grid: BalanceGrid, asset: str | None) -> None:
            super().__init__()
            self.grid = grid
            self.asset = asset

        @property
        def control(self) -> BalanceGrid:
            """The grid that posted this message."""
            return self.grid

        def can_replace(self, message: Message) -> bool:
            # Only the latest selection matters to the detail pane: a newer one from
            # the same grid supersedes one still waiting in the queue.
            return isinstance(message, BalanceGrid.AssetSelected) and message.grid is self.grid

    class SortChanged(Message):
        """The user clicked a header and the sort changed (None: the server's order)."""

        def __init__(self, grid: BalanceGrid, sort: SortOrder | None) -> None:
            super().__init__()
            self.grid = grid
            self.sort = sort

        @property
        def control(self) -> BalanceGrid:
            """The grid that posted this message."""
            return self.grid

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """A grid with no data yet; rows appear on the first `show`."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._columns: dict[str, GridColumn] = {
            key: GridColumn(Key(key), self._label(key, ""), right=key != ASSET_COLUMN)
            for key in COLUMNS
        }
        self._snapshot: BalanceSnapshot | None = None
        # Every asset of the last snapshot, in display order, shown or filtered out.
        self._order: list[str] = []
        self._derived: dict[str, Derived] = {}
        self._filter = ""
        self._sort: SortOrder | None = None
        self._hide_zero = False
        self._masked = False
        self._hidden_by_filter = 0
        self._hidden_zero = 0
        # The shown rows in order, each one's index, and the cells drawn in each.
        self._shown: list[str] = []
        self._index: dict[str, int] = {}
        self._rows: dict[str, DrawnRow] = {}
        # Per column: how many shown rows have a cell of each width, so that a column is
        # fitted to its widest cell without going over every row.
        self._width_counts: list[Counter[int]] = [Counter() for _ in COLUMNS]
        self._cursor = 0
        self._fraction_widths: tuple[int, ...] = (0,) * len(VALUE_COLUMNS)
        # Per asset: the direction (+1, -1, 0) each amount column moved at the last
        # refresh, while it is highlighted; and the change of its total.
        self._flash: dict[str, tuple[int, ...]] = {}
        self._delta: dict[str, Decimal] = {}
        self._flash_timer: Timer | None = None
        self._flash_until = 0.0
        # The asset last announced with AssetSelected, and the last non-empty one
        # (to go back to it when a filter that hid every row is cleared).
        self._announced: str | None = None
        self._remembered: str | None = None
        # Rendered lines: per asset, the key it was drawn with and its Strip; the header.
        self._strips: dict[str, tuple[tuple[object, ...], Strip]] = {}
        self._header: tuple[tuple[object, ...], Strip] | None = None
        self._styles: tuple[Style, Style, Style] | None = None
        # The header labels changed since the columns were last fitted.
        self._relabelled = False
        #: How many row lines were rendered (not taken from the cache), for tests.
        self.rendered_rows = 0

    # -- public interface ---------------------------------------------------------

    @property
    def snapshot(self) -> BalanceSnapshot | None:
        """The last snapshot shown, whole (the filter does not narrow it)."""
        return self._snapshot

    @property
    def filter_text(self) -> str:
        """The current filter; empty when every asset is shown."""
        return self._filter

    @property
    def hidden_count(self) -> int:
        """How many assets of the snapshot the filter hides."""
        return self._hidden_by_filter

    @property
    def hidden_zero_count(self) -> int:
        """How many all-zero assets are hidden (with `set_hide_zero(True)`)."""
        return self._hidden_zero

    @property
    def current_sort(self) -> SortOrder | None:
        """The sort in force; None is the server's order."""
        return self._sort

    @property
    def sort_description(self) -> str:
        """The sort for the status bar ("Total ▼"), or "" for the server's order."""
        return describe(self._sort, self._LABELS)

    @property
    def hide_zero(self) -> bool:
        """True while all-zero assets are hidden."""
        return self._hide_zero

    @property
    def masked(self) -> bool:
        """True while every amount is masked (for screen sharing)."""
        return self._masked

    def forget_changes(self) -> None:
        """Show the next snapshot without highlights or Δ (another wallet is not a change)."""
        self._derived = {}
        self._flash = {}
        self._delta = {}

    def cycle_sort(self) -> SortOrder | None:
        """Step to the next sort: symbol, available, total, each both ways, then none."""
        self.set_sort(next_sort(self._sort))
        return self._sort

    def set_sort(self, sort: SortOrder | None) -> None:
        """Sort the rows by `sort` (None: the server's order); the cursor keeps its asset."""
        if sort == self._sort:
            return
        self._sort = sort
        self._relabel_headers()
        self._sync(set())

    def set_hide_zero(self, hide: bool) -> None:
        """Hide (or show again) the assets whose every amount is zero."""
        if hide != self._hide_zero:
            self._hide_zero = hide
            self._sync(set())

    def set_masked(self, masked: bool) -> None:
        """Mask every amount (or show them again); symbols stay readable."""
        if masked != self._masked:
            self._masked = masked
            self._sync(set(self._rows))

    @property
    def selected_asset(self) -> str | None:
        """The asset under the cursor, or None when no row is shown."""
        if not self._shown:
            return None
        return self._shown[self._cursor]

    def select_asset(self, asset: str) -> bool:
        """Put the cursor on `asset` and scroll it into view; False when it is not shown."""
        if asset not in self._rows:
            return False
        self.move_cursor(row=self._index[asset])
        return True

    def show(self, snapshot: BalanceSnapshot) -> GridChange:
        """Apply a new snapshot as a keyed diff: only changed cells are redrawn.

        The cursor stays on its asset and the scroll position is kept; nothing at all
        is done to the widget when nothing visible changed.
        """
        previous = self._derived
        derived: dict[str, Derived] = {}
        # Rows that showed a highlight or a change last time are redrawn without it.
        redraw: set[str] = set(self._flash) | set(self._delta)
        changed: set[str] = set()
        flash: dict[str, tuple[int, ...]] = {}
        delta: dict[str, Decimal] = {}
        for balance in snapshot:
            asset = balance.asset
            old = previous.get(asset)
            if old is not None and (
                # The client hands over the same amounts object for an unchanged asset.
                old.amounts is balance.amounts or same_digits(old.amounts, balance.amounts)
            ):
                derived[asset] = old  # reuse the total and digit counts
                continue
            new = derived[asset] = derive(balance)
            if old is not None:
                redraw.add(asset)
                if old.amounts != balance.amounts:
                    changed.add(asset)
                    flash[asset] = tuple(map(direction, old.values, new.values))
                    moved = exact_difference(new.values[-1], old.values[-1])
                    if moved:
                        delta[asset] = trim_zeros(moved)
        same_assets = derived.keys() == previous.keys()
        self._snapshot = snapshot
        self._derived = derived
        self._flash = flash
        self._delta = delta
        if not same_assets:
            self._order = merge_order(self._order, derived)
        # The shown rows and their order move only when assets come or go, or when a
        # changed amount can move a row (a sort by amount) or hide it (zero rows hidden):
        # on the usual refresh only the changed rows are visited, not the whole wallet.
        amount_sort = self._sort is not None and self._sort.column != ASSET_COLUMN
        relayout = not same_assets or (bool(changed) and (amount_sort or self._hide_zero))
        added, removed, updated = self._sync(redraw, relayout=relayout)
        if flash:
            self._flash_until = time.monotonic() + FLASH_SECONDS
            if self._flash_timer is None:
                self._flash_timer = self.set_timer(FLASH_SECONDS, self._flash_timeout, name="flash")
        return GridChange(added, removed, updated, frozenset(changed))

    def _flash_timeout(self) -> None:
        # One timer at a time: a refresh during a highlight moves its end, not the timer.
        left = self._flash_until - time.monotonic()
        if left > 0.01:
            self._flash_timer = self.set_timer(left, self._flash_timeout, name="flash")
        else:
            self._end_flash()

    def _end_flash(self) -> None:
        """Take the highlight off the amounts that changed at the last refresh."""
        flashed = set(self._flash)
        self._flash = {}
        self._flash_timer = None
        self._sync(flashed, relayout=False, digits=False)

    def set_filter(self, text: str) -> None:
        """Show only the assets whose symbol contains `text`, ignoring case; "" shows all."""
        text = text.strip()
        if text == self._filter:
            return
        self._filter = text
        self._sync(set())

    def mark_stale(self, stale: bool) -> None:
        """Dim the grid while its data is old because refreshes fail."""
        self.set_class(stale, "-stale")

    # -- DataTable-shaped access, for the app and the tests ------------------------

    @property
    def row_count(self) -> int:
        """How many rows are shown."""
        return len(self._shown)

    @property
    def cursor_row(self) -> int:
        """The index of the row under the cursor (0 when no row is shown)."""
        return self._cursor

    @property
    def columns(self) -> dict[str, GridColumn]:
        """The columns by key."""
        return self._columns

    @property
    def ordered_columns(self) -> list[GridColumn]:
        """The columns, left to right."""
        return list(self._columns.values())

    @property
    def ordered_rows(self) -> list[GridRow]:
        """The shown rows, top to bottom."""
        return [GridRow(Key(asset)) for asset in self._shown]

    def get_row_index(self, asset: str) -> int:
        """The index of `asset`'s row; KeyError when it is not shown."""
        return self._index[asset]

    def get_column_index(self, column: str) -> int:
        """The index of a column by key."""
        return COLUMNS.index(column)

    def get_row(self, asset: str) -> list[Text]:
        """The cells of `asset`'s row as Rich Text, left to right."""
        row = self._rows[asset]
        return [asset_text(asset), *map(amount_text, row.cells[1:])]

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of the row at `index`."""
        return self.get_row(self._shown[index])

    def get_cell(self, asset: str, column: str) -> Text:
        """One cell of `asset`'s row, as Rich Text."""
        if column == ASSET_COLUMN:
            if asset not in self._rows:
                raise KeyError(asset)
            return asset_text(asset)
        return amount_text(self._rows[asset].cells[COLUMNS.index(column)])

    def move_cursor(self, *, row: int | None = None, scroll: bool = True) -> None:
        """Put the cursor on row `row` (clamped); scroll it into view unless `scroll` is
        False, in which case the view moves only if the cursor would be out of it."""
        if row is not None and self._shown:
            row = max(0, min(row, len(self._shown) - 1))
            if row != self._cursor:
                old = self._cursor
                self._cursor = row
                self._refresh_rows((old, row))
        self._scroll_to_cursor(always=scroll)
        self._announce()

    # -- keeping the grid in step with the snapshot -------------------------------

    def _label(self, key: str, arrow: str) -> Text:
        if key == ASSET_COLUMN:
            return Text("Asset" + arrow)
        # The trailing space lines the label up with the digits, not the marker cell.
        return AmountText(self._LABELS[key] + arrow + " ", justify="right", end="")

    def _visible(self) -> list[str]:
        ordered = arrange(self._order, self._sort, self._value)
        shown, self._hidden_by_filter, self._hidden_zero = select(
            ordered, needle=self._filter, hide_zero=self._hide_zero, is_zero=self._is_zero
        )
        return shown

    def _value(self, asset: str, column: str) -> Decimal | None:
        return self._derived[asset].values[AMOUNT_COLUMNS.index(column)]

    def _is_zero(self, asset: str) -> bool:
        return all(value is None or value.is_zero() for value in self._derived[asset].values)

    def _relabel_headers(self) -> None:
        for key, column in self._columns.items():
            arrow = f" {self._sort.arrow}" if self._sort and self._sort.column == key else ""
            column.label = self._label(key, arrow)
        self._relabelled = True
        self.refresh_line(self.scroll_offset.y)  # the header is always the top line

    def _sync(
        self, redraw: set[str], *, relayout: bool = True, digits: bool = True
    ) -> tuple[int, int, int]:
        """Bring the rows in line with `_order`, `_derived` and the filter.

        `redraw` names the assets whose amounts changed since their rows were drawn.
        With `relayout` False the caller knows that the shown rows and their order
        stay as they are, and with `digits` False that no amount's digits changed.
        Returns the numbers of rows added, rows removed and cells updated.
        """
        visible = self._visible() if relayout else self._shown
        derived = self._derived

        # (A set only when rows may come or go; else the index serves.)
        visible_set: AbstractSet[str] = set(visible) if relayout else self._index.keys()
        # A column's fraction width follows the values currently shown in it.
        if visible and digits:
            digit_columns = zip(*(derived[asset].digits for asset in visible), strict=True)
            delta_digits = max(
                (fraction_digits(d) for a, d in self._delta.items() if a in visible_set),
                default=0,
            )
            fraction_widths = tuple(
                min(max(col), MAX_FRACTION_DIGITS) for col in (*digit_columns, (delta_digits,))
            )
        else:
            fraction_widths = self._fraction_widths
        if fraction_widths == self._fraction_widths:
            candidates: Iterable[str] = redraw & visible_set
        elif fraction_widths[:-1] == self._fraction_widths[:-1]:
            # Only the Δ column's width moved: only the rows that show a Δ, or showed one.
            candidates = (redraw | self._delta.keys()) & visible_set
        else:
            candidates = visible
        self._fraction_widths = fraction_widths

        rows = self._rows
        # (Set operations first: on a usual refresh no row comes or goes.)
        gone = rows.keys() - visible_set if relayout else ()
        removed = [asset for asset in self._shown if asset in gone] if gone else []
        new_rows = visible_set - rows.keys() if relayout else set()
        added = 0
        updated = 0
        changed_rows: list[str] = []
        for asset in candidates:
            row = rows.get(asset)
            if row is None:
                continue
            cells = (row.cells[0], *self._render_amounts(asset))
            if cells != row.cells:
                updated += sum(old != new for old, new in zip(row.cells, cells, strict=True))
                self._put_row(asset, DrawnRow.of(cells))
                changed_rows.append(asset)
        for asset in (a for a in visible if a in new_rows) if new_rows else ():
            if asset not in rows:
                cells = ((asset_text(asset).plain, ""), *self._render_amounts(asset))
                self._put_row(asset, DrawnRow.of(cells))
                added += 1
        for asset in removed:
            self._put_row(asset, None)
            self._strips.pop(asset, None)
        reordered = visible is not self._shown and visible != self._shown
        resized: set[str] = set()
        if added or removed or changed_rows or self._relabelled:
            resized = self._fit_columns()
            self._relabelled = False
        if not (reordered or resized or changed_rows):
            return 0, 0, 0  # nothing visible changed: leave the widget alone

        cursor_asset = self.selected_asset
        if cursor_asset is None:
            cursor_asset = self._remembered
        shown_before = self._shown
        if reordered:
            self._shown = visible
            self._index = {asset: index for index, asset in enumerate(visible)}
            self._restore_cursor(cursor_asset, shown_before)
        if reordered or resized:
            width = sum(column.get_render_width() for column in self._columns.values())
            size = Size(width, len(visible) + HEADER_HEIGHT)
            old_size = self.virtual_size
            fits = max(size.width, old_size.width) <= self.scrollable_content_region.width
            if not reordered and resized == {DELTA_COLUMN} and fits:
                # Only the last column changed width and the grid fits before and after:
                # no column moves and no scrollbar comes or goes, so no layout is needed;
                # only the header and the rows whose Δ changed look different.
                self.set_reactive(BalanceGrid.virtual_size, size)
                self.refresh_line(self.scroll_offset.y)
                self._refresh_rows([self._index[asset] for asset in changed_rows])
            else:
                if size != old_size:
                    self.virtual_size = size
                self.refresh()
        else:
            self._refresh_rows([self._index[asset] for asset in changed_rows])
        self._announce()
        return added, len(removed), updated

    def _render_amounts(self, asset: str) -> tuple[Cell, ...]:
        if self._masked:
            return (*((MASK, "dim") for _ in AMOUNT_COLUMNS), ("", ""))
        values = self._derived[asset].values
        directions = self._flash.get(asset) or (0,) * len(values)
        *widths, delta_width = self._fraction_widths
        cells = tuple(map(amount_cell, values, widths, directions))
        return (*cells, delta_cell(self._delta.get(asset), delta_width))

    def _put_row(self, asset: str, row: DrawnRow | None) -> None:
        """Record the cells drawn in `asset`'s row (None: the row is gone), and their widths."""
        counts = self._width_counts
        old = self._rows.pop(asset, None)
        if old is not None:
            for count, width in zip(counts, old.widths, strict=True):
                count[width] -= 1
                if not count[width]:
                    del count[width]
        if row is not None:
            self._rows[asset] = row
            for count, width in zip(counts, row.widths, strict=True):
                count[width] += 1

    def _fit_columns(self) -> set[str]:
        """Size every column to its widest shown cell or its label, growing or shrinking.

        Returns the keys of the columns whose width changed.
        """
        resized = set()
        for (key, column), count in zip(self._columns.items(), self._width_counts, strict=True):
            width = max(max(count, default=0), column.label.cell_len)
            if column.content_width != width:
                column.content_width = width
                resized.add(key)
        return resized

    def _restore_cursor(self, asset: str | None, shown_before: Sequence[str]) -> None:
        """Put the cursor back on `asset`, or on its nearest neighbour still shown."""
        index = self._cursor
        if not self._shown:
            self._cursor = 0
            return
        target = asset if asset in self._index else None
        if target is None and shown_before:
            # The selected row went away: stay near where it was, preferring the rows
            # that followed it, as the index-based cursor of a list would.
            after = shown_before[index + 1 :]
            before = reversed(shown_before[:index])
            target = next((a for a in (*after, *before) if a in self._index), None)
        row = self._index[target] if target is not None else min(index, len(self._shown) - 1)
        self._cursor = row
        # Keep the user's scroll position unless the cursor would be out of view.
        self.call_after_refresh(self._scroll_to_cursor, always=False)

    def _scroll_to_cursor(self, *, always: bool = True) -> None:
        if not self._shown:
            return
        rows_in_view = self.scrollable_content_region.height - HEADER_HEIGHT
        top = self.scroll_offset.y
        if not always and top <= self._cursor < top + rows_in_view:
            return
        if rows_in_view <= 0:
            return
        self.scroll_to_region(
            Region(self.scroll_offset.x, self._cursor + HEADER_HEIGHT, 1, 1),
            spacing=Spacing(top=HEADER_HEIGHT),
            animate=False,
            force=True,
            immediate=True,
        )

    def _announce(self) -> None:
        asset = self.selected_asset
        if asset is not None:
            self._remembered = asset
        if asset != self._announced:
            self._announced = asset
            self.post_message(self.AssetSelected(self, asset))

    # -- drawing ------------------------------------------------------------------

    def _refresh_rows(self, indexes: Iterable[int]) -> None:
        """Repaint the lines of the rows at `indexes` that are on screen, and no other."""
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height - HEADER_HEIGHT
        for index in indexes:
            if top <= index < top + height:
                self.refresh_line(index + HEADER_HEIGHT)

    def notify_style_update(self) -> None:
        # Focus, theme or class changed: the styles, hence every drawn line, may differ.
        super().notify_style_update()
        self._styles = None
        self._strips.clear()
        self._header = None

    def _get_styles(self) -> tuple[Style, Style, Style]:
        if self._styles is None:
            base = self.rich_style
            self._styles = (
                base,
                base + self.get_component_rich_style("balance-grid--header"),
                base + self.get_component_rich_style("balance-grid--cursor"),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base, header_style, cursor_style = self._get_styles()
        columns = list(self._columns.values())
        widths = tuple(column.content_width for column in columns)
        if y < HEADER_HEIGHT:
            key: tuple[object, ...] = (tuple(c.label.plain for c in columns), widths, width)
            if self._header is None or self._header[0] != key:
                cells, label_widths = zip(*map(label_cell, columns), strict=True)
                strip = draw_cells(cells, label_widths, columns, header_style, width)
                self._header = (key, strip)
            strip = self._header[1]
        else:
            index = y - HEADER_HEIGHT + scroll_y
            if index >= len(self._shown):
                return Strip.blank(width, base)
            asset = self._shown[index]
            row = self._rows[asset]
            cursor = index == self._cursor
            key = (row.cells, cursor, widths, width)
            cached = self._strips.get(asset)
            if cached is None or cached[0] != key:
                style = cursor_style if cursor else base
                strip = draw_cells(row.cells, row.widths, columns, style, width)
                self._strips[asset] = (key, strip)
                self.rendered_rows += 1
            else:
                strip = cached[1]
        if scroll_x or strip.cell_length > width:
            strip = strip.crop(scroll_x, scroll_x + width)
        return strip

    # -- input --------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        page = max(1, self.scrollable_content_region.height - HEADER_HEIGHT)
        self.move_cursor(row=self._cursor - page)

    def action_page_down(self) -> None:
        page = max(1, self.scrollable_content_region.height - HEADER_HEIGHT)
        self.move_cursor(row=self._cursor + page)

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=len(self._shown) - 1)

    def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset
        if y < HEADER_HEIGHT:
            x += self.scroll_offset.x
            for key, column in self._columns.items():
                x -= column.get_render_width()
                if x < 0:
                    self._header_clicked(key)
                    break
            return
        index = y - HEADER_HEIGHT + self.scroll_offset.y
        if index < len(self._shown):
            self.move_cursor(row=index, scroll=False)

    def _header_clicked(self, column: str) -> None:
        if column == ASSET_COLUMN or column in AMOUNT_COLUMNS:
            self.set_sort(sort_for_header(self._sort, column))
            self.post_message(self.SortChanged(self, self._sort))
