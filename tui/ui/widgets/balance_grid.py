"""The balance grid: one row per asset, amounts aligned on the decimal point.

Refreshes are applied as a keyed diff against the cells last drawn, so a refresh that
changes a few amounts touches only those cells, the cursor stays on its asset (by row
key, not by index) and the scroll position is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey

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
#: How long a changed amount stays highlighted, in seconds.
FLASH_SECONDS = 1.0
#: More fraction digits than this are cut in the grid (marked "…"); the detail pane
#: beside it shows every digit.
MAX_FRACTION_DIGITS = 8
#: Sizes of DataTable's render caches (cells; rows and lines): a few screens' worth.
RENDER_CACHE_CELLS = 2000
RENDER_CACHE_LINES = 300


@dataclass(frozen=True, slots=True)
class GridChange:
    """What one `BalanceGrid.show` did to the table.

    `added`, `removed` and `updated_cells` count table operations (rows hidden by the
    filter are neither added nor updated). `changed_assets` names every asset of the
    snapshot, shown or hidden, whose amounts changed numerically since the previous
    snapshot; assets that appeared or disappeared are not in it.
    """

    added: int = 0
    removed: int = 0
    updated_cells: int = 0
    changed_assets: frozenset[str] = frozenset()


class BalanceGrid(DataTable[Text]):
    """The wallet's balances, one row per asset, keyed by the asset symbol.

    Feed it with `show(snapshot)`; narrow it with `set_filter(text)`. It posts
    `BalanceGrid.AssetSelected` whenever the asset under the cursor changes.
    """

    DEFAULT_CSS = """
    BalanceGrid {
        height: 1fr;
        & > .datatable--header {
            text-style: bold;
        }
        &.-stale {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

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
        super().__init__(
            cursor_type="row",
            zebra_stripes=False,
            name=name,
            id=id,
            classes=classes,
            disabled=disabled,
        )
        # DataTable keys these caches by a counter that every cell update moves on, so
        # after a refresh no old entry can be hit again. At their default sizes (10,000
        # cells, 1,000 rows and lines) they fill up with such dead renders over the first
        # few hundred refreshes: about 8 MB that a dashboard left open keeps for good.
        # (Private to DataTable: a Textual that names them otherwise is left as it is.)
        for cache, size in (
            (getattr(self, "_cell_render_cache", None), RENDER_CACHE_CELLS),
            (getattr(self, "_row_render_cache", None), RENDER_CACHE_LINES),
            (getattr(self, "_line_cache", None), RENDER_CACHE_LINES),
        ):
            if isinstance(cache, LRUCache):
                cache.maxsize = min(cache.maxsize, size)
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
        # The rows in the table, in table order, and what was drawn in each of them.
        self._shown: list[str] = []
        self._rows: dict[str, DrawnRow] = {}
        self._fraction_widths: tuple[int, ...] = (0,) * len(VALUE_COLUMNS)
        # Per asset: the direction (+1, -1, 0) each amount column moved at the last
        # refresh, while it is highlighted; and the change of its total.
        self._flash: dict[str, tuple[int, ...]] = {}
        self._delta: dict[str, Decimal] = {}
        self._flash_timer: Timer | None = None
        # The asset last announced with AssetSelected, and the last non-empty one
        # (to go back to it when a filter that hid every row is cleared).
        self._announced: str | None = None
        self._remembered: str | None = None

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
        self._sync(set(), force_order=True)

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
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        except CellDoesNotExist:
            return None
        return row_key.value

    def select_asset(self, asset: str) -> bool:
        """Put the cursor on `asset` and scroll it into view; False when it is not shown."""
        if asset not in self._rows:
            return False
        self.move_cursor(row=self.get_row_index(asset))
        self._announce()
        return True

    def show(self, snapshot: BalanceSnapshot) -> GridChange:
        """Apply a new snapshot as a keyed diff: only changed cells are redrawn.

        The cursor stays on its asset and the scroll position is kept; nothing at all
        is done to the table when nothing visible changed.
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
            if old is not None and same_digits(old.amounts, balance.amounts):
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
        self._snapshot = snapshot
        self._derived = derived
        self._flash = flash
        self._delta = delta
        self._order = merge_order(self._order, derived)
        added, removed, updated = self._sync(redraw)
        if flash:
            if self._flash_timer is not None:
                self._flash_timer.stop()
            self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash, name="flash")
        return GridChange(added, removed, updated, frozenset(changed))

    def _end_flash(self) -> None:
        """Take the highlight off the amounts that changed at the last refresh."""
        flashed = set(self._flash)
        self._flash = {}
        self._flash_timer = None
        self._sync(flashed)

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

    # -- keeping the table in step with the snapshot ------------------------------

    def _on_mount(self) -> None:
        self._ensure_columns()

    def _ensure_columns(self) -> None:
        if self.columns:
            return
        self.add_column(Text("Asset"), key=ASSET_COLUMN)
        for key in VALUE_COLUMNS:
            # The trailing space lines the label up with the digits, not the marker cell.
            label = AmountText(self._LABELS[key] + " ", justify="right", end="")
            self.add_column(label, key=key)

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
        for key, column in self.columns.items():
            name = key.value or ""
            arrow = f" {self._sort.arrow}" if self._sort and self._sort.column == name else ""
            if name == ASSET_COLUMN:
                column.label = Text("Asset" + arrow)
            else:
                column.label = AmountText(self._LABELS[name] + arrow + " ", justify="right", end="")

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        column = event.column_key.value or ""
        if column == ASSET_COLUMN or column in AMOUNT_COLUMNS:
            self.set_sort(sort_for_header(self._sort, column))
            self.post_message(self.SortChanged(self, self._sort))

    def _sync(self, redraw: set[str], *, force_order: bool = False) -> tuple[int, int, int]:
        """Bring the table in line with `_order`, `_derived` and the filter.

        `redraw` names the assets whose amounts changed since their rows were drawn.
        Returns the numbers of rows added, rows removed and cells updated.
        """
        self._ensure_columns()
        visible = self._visible()
        visible_set = set(visible)
        derived = self._derived

        # A column's fraction width follows the values currently shown in it.
        digit_columns = zip(
            *(
                (*derived[asset].digits, fraction_digits(self._delta.get(asset)))
                for asset in visible
            ),
            strict=True,
        )
        fraction_widths = tuple(min(max(col), MAX_FRACTION_DIGITS) for col in digit_columns)
        if not visible:
            fraction_widths = self._fraction_widths
        widths_changed = fraction_widths != self._fraction_widths
        self._fraction_widths = fraction_widths

        to_remove = [asset for asset in self._shown if asset not in visible_set]
        to_add: list[str] = []
        updates: list[tuple[str, str, Cell]] = []
        for asset in visible:
            row = self._rows.get(asset)
            if row is None:
                to_add.append(asset)
            elif widths_changed or asset in redraw:
                cells = self._render_amounts(asset)
                for key, old, new in zip(VALUE_COLUMNS, row.cells[1:], cells, strict=True):
                    if old != new:
                        updates.append((asset, key, new))
                self._rows[asset] = DrawnRow.of((row.cells[0], *cells))
        order_after = [asset for asset in self._shown if asset in visible_set] + to_add
        if not (to_remove or to_add or updates or order_after != visible or force_order):
            return 0, 0, 0  # nothing visible changed: leave the widget alone

        with self.app.batch_update():
            cursor_asset = self.selected_asset
            if cursor_asset is None:
                cursor_asset = self._remembered
            cursor_index = self.cursor_row
            shown_before = self._shown
            # DataTable.remove_row rebuilds its whole key->index map: O(rows) each.
            for asset in to_remove:
                self.remove_row(asset)
                del self._rows[asset]
            for asset, key, cell in updates:
                self.update_cell(asset, key, amount_text(cell))
            for asset in to_add:
                symbol = asset_text(asset)
                cells = self._render_amounts(asset)
                self.add_row(symbol, *map(amount_text, cells), key=asset)
                self._rows[asset] = DrawnRow.of(((symbol.plain, ""), *cells))
            if order_after != visible or force_order:
                # (Sorting also makes DataTable redraw the headers after a relabel.)
                # add_row can only append: put new and unhidden rows in their places.
                rank = {asset: index for index, asset in enumerate(visible)}
                self.sort(ASSET_COLUMN, key=lambda cell: rank[cell.asset])
            self._shown = visible
            self._fit_columns()
            self._restore_cursor(cursor_asset, cursor_index, shown_before)
        self._announce()
        return len(to_add), len(to_remove), len(updates)

    def _render_amounts(self, asset: str) -> tuple[Cell, ...]:
        if self._masked:
            return (*((MASK, "dim") for _ in AMOUNT_COLUMNS), ("", ""))
        values = self._derived[asset].values
        directions = self._flash.get(asset) or (0,) * len(values)
        *widths, delta_width = self._fraction_widths
        cells = tuple(map(amount_cell, values, widths, directions))
        return (*cells, delta_cell(self._delta.get(asset), delta_width))

    def _fit_columns(self) -> None:
        """Size every column to its widest shown cell, growing or shrinking.

        DataTable only widens columns for new rows; `update_cell(update_width=True)`
        re-measures the whole column for every cell that got narrower, and removing
        rows never narrows a column. The grid knows every cell's width already.
        """
        widest = [
            max(col)
            for col in zip(*(self._rows[asset].widths for asset in self._shown), strict=True)
        ] or [0] * (1 + len(VALUE_COLUMNS))
        resized = False
        for key, width in zip((ASSET_COLUMN, *VALUE_COLUMNS), widest, strict=True):
            column = self.columns[ColumnKey(key)]
            width = max(width, column.label.cell_len)
            if column.content_width != width:
                column.content_width = width
                resized = True
        if resized:
            # The cell caches are keyed by DataTable's update count, which the row and
            # cell changes of this same batch have already moved on.
            total = sum(column.get_render_width(self) for column in self.columns.values())
            self.virtual_size = Size(total, self.virtual_size.height)

    def _restore_cursor(self, asset: str | None, index: int, shown_before: Sequence[str]) -> None:
        """Put the cursor back on `asset`, or on its nearest neighbour still shown."""
        if not self.row_count:
            return
        target = asset if asset in self._rows else None
        if target is None and shown_before:
            # The selected row went away: stay near where it was, preferring the rows
            # that followed it, as the index-based cursor of a list would.
            after = shown_before[index + 1 :]
            before = reversed(shown_before[:index])
            target = next((a for a in (*after, *before) if a in self._rows), None)
        if target is None:
            return
        row = self.get_row_index(target)
        if row != self.cursor_row:
            # scroll=False: keep the user's scroll position. DataTable still scrolls
            # if the cursor would otherwise be out of view.
            self.move_cursor(row=row, scroll=False)

    def _announce(self) -> None:
        asset = self.selected_asset
        if asset is not None:
            self._remembered = asset
        if asset != self._announced:
            self._announced = asset
            self.post_message(self.AssetSelected(self, asset))

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Keys, clicks and DataTable's own clamping all end up here. The event's row
        # key can be stale by now (several moves in one batch), so read the cursor.
        if event.data_table is self:
            self._announce()
