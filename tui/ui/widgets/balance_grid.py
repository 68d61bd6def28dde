"""The balance grid: one row per asset, amounts aligned on the decimal point.

The grid draws its own lines (Textual's Line API): a fixed header line, then one line
per shown asset, each rendered once into a Strip and cached until its cells, the cursor
or the column widths change. Refreshes are applied as a keyed diff against the cells
last drawn, and only the changed rows that are on screen are repainted; nothing at all
is done when nothing changed. The cursor stays on its asset (by key, not by index) and
the scroll position is kept.

This module is the widget's public face: what it shows, the messages it posts and the
DataTable-shaped access the app and the tests use. The work is done by two helpers:
`GridRows` (grid_rows.py) diffs each snapshot against the rows drawn, and `GridCanvas`
(grid_canvas.py), the widget's base class, draws the lines and moves the cursor.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import NamedTuple

from rich.text import Text
from textual.message import Message
from textual.timer import Timer

from tui.api.models import BalanceSnapshot
from tui.api.rates import Rates
from tui.ui.widgets.grid_canvas import HEADER_HEIGHT, GridCanvas
from tui.ui.widgets.grid_lines import GridColumn, GridRow, Key
from tui.ui.widgets.grid_rows import (
    AMOUNT_COLUMNS,
    ASSET_COLUMN,
    COLUMN_LABELS,
    COLUMNS,
    DELTA_COLUMN,
    MAX_FRACTION_DIGITS,
    QUOTE_VALUE_COLUMN,
    SORTABLE_COLUMNS,
    TOTAL_COLUMN,
    VALUE_COLUMNS,
)
from tui.ui.widgets.grid_view import SortOrder, describe, next_sort, sort_for_header

__all__ = [
    "AMOUNT_COLUMNS",
    "ASSET_COLUMN",
    "COLUMNS",
    "DELTA_COLUMN",
    "FLASH_SECONDS",
    "HEADER_HEIGHT",
    "MAX_FRACTION_DIGITS",
    "QUOTE_VALUE_COLUMN",
    "TOTAL_COLUMN",
    "VALUE_COLUMNS",
    "BalanceGrid",
    "GridChange",
]

#: How long a changed amount stays highlighted, in seconds.
FLASH_SECONDS = 1.0


class GridChange(NamedTuple):
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


class BalanceGrid(GridCanvas, can_focus=True):
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
        /* The roles of amount cells (grid_cells.py). A change is also bold or underlined:
           colour alone does not tell it (NO_COLOR, colour blindness). */
        & > .balance-grid--up {
            color: $text-success;
            text-style: bold;
        }
        & > .balance-grid--down {
            color: $text-error;
            text-style: bold underline;
        }
        & > .balance-grid--gain {
            color: $text-success;
        }
        & > .balance-grid--loss {
            color: $text-error;
        }
        & > .balance-grid--quiet {
            color: $text-muted;
        }
        & > .balance-grid--stale {
            color: $text-muted;
            text-style: italic;
        }
    }
    /* NO_COLOR: no background marks the cursor row; the terminal's inverse does. */
    .-no-color BalanceGrid > .balance-grid--cursor,
    .-no-color BalanceGrid:focus > .balance-grid--cursor {
        text-style: reverse bold;
    }
    """

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

    # One timer for the highlights of changed amounts, however many refreshes come while
    # it runs: it goes off at `_flash_until`, which each change moves on. (Class-level
    # defaults, set on the instance by `show`, so that the canvas's __init__ serves.)
    _flash_timer: Timer | None = None
    _flash_until: float = 0.0

    # -- public interface ---------------------------------------------------------

    @property
    def snapshot(self) -> BalanceSnapshot | None:
        """The last snapshot shown, whole (the filter does not narrow it)."""
        return self._rows.snapshot

    @property
    def filter_text(self) -> str:
        """The current filter; empty when every asset is shown."""
        return self._rows.filter

    @property
    def hidden_count(self) -> int:
        """How many assets of the snapshot the filter hides."""
        return self._rows.hidden_by_filter

    @property
    def hidden_zero_count(self) -> int:
        """How many all-zero assets are hidden (with `set_hide_zero(True)`)."""
        return self._rows.hidden_zero

    @property
    def current_sort(self) -> SortOrder | None:
        """The sort in force; None is the server's order."""
        return self._rows.sort

    @property
    def sort_description(self) -> str:
        """The sort for the status bar ("Total ▼"), or "" for the server's order."""
        return describe(self._rows.sort, COLUMN_LABELS)

    @property
    def hide_zero(self) -> bool:
        """True while all-zero assets are hidden."""
        return self._rows.hide_zero

    @property
    def masked(self) -> bool:
        """True while every amount is masked (for screen sharing)."""
        return self._rows.masked

    def forget_changes(self) -> None:
        """Show the next snapshot without highlights or Δ (another wallet is not a change)."""
        self._rows.forget_changes()

    def cycle_sort(self) -> SortOrder | None:
        """Step to the next sort: symbol, available, total, each both ways, then none."""
        self.set_sort(next_sort(self._rows.sort))
        return self._rows.sort

    def set_sort(self, sort: SortOrder | None) -> None:
        """Sort the rows by `sort` (None: the server's order); the cursor keeps its asset."""
        if sort == self._rows.sort:
            return
        self._rows.sort_by(sort)
        self.refresh_line(self.scroll_offset.y)  # the header is always the top line
        self._apply(self._rows.sync(set()))

    def set_hide_zero(self, hide: bool) -> None:
        """Hide (or show again) the assets whose every amount is zero."""
        self._apply(self._rows.set_hide_zero(hide))

    def set_masked(self, masked: bool) -> None:
        """Mask every amount (or show them again); symbols stay readable."""
        self._apply(self._rows.set_masked(masked))

    def set_filter(self, text: str) -> None:
        """Show only the assets whose symbol contains `text`, ignoring case; "" shows all."""
        self._apply(self._rows.set_filter(text.strip()))

    def set_rates(self, rates: Rates | None, quote: str, *, stale: bool = False) -> None:
        """Show each row's value in `quote` at `rates` (the Value column); `stale` marks
        the values as resting on old rates."""
        self._apply(self._rows.set_rates(rates, quote, stale=stale))

    @property
    def rates(self) -> Rates | None:
        """The market rates of the Value column (None until the first answer)."""
        return self._rows.rates

    @property
    def rates_stale(self) -> bool:
        """True while the Value column rests on stale rates."""
        return self._rows.rates_stale

    @property
    def quote(self) -> str:
        """The quote currency of the Value column."""
        return self._rows.quote

    def quote_value(self, asset: str) -> Decimal | None:
        """The exact value of `asset`'s total in the quote currency (None: no rate)."""
        return self._rows.quote_value(asset) if asset in self._rows.drawn else None

    def mark_stale(self, stale: bool) -> None:
        """Dim the grid while its data is old because refreshes fail."""
        self.set_class(stale, "-stale")

    def select_asset(self, asset: str) -> bool:
        """Put the cursor on `asset` and scroll it into view; False when it is not shown."""
        if asset not in self._rows.drawn:
            return False
        self.move_cursor(row=self._rows.index[asset])
        return True

    def show(self, snapshot: BalanceSnapshot) -> GridChange:
        """Apply a new snapshot as a keyed diff: only changed cells are redrawn.

        The cursor stays on its asset and the scroll position is kept; nothing at all
        is done to the widget when nothing visible changed.
        """
        change, changed_assets = self._rows.update(snapshot)
        self._apply(change)
        if self._rows.flashing:
            self._flash_until = time.monotonic() + FLASH_SECONDS
            if self._flash_timer is None:
                self._flash_timer = self.set_timer(FLASH_SECONDS, self._flash_timeout, name="flash")
        return GridChange(change.added, len(change.removed), change.updated, changed_assets)

    def _flash_timeout(self) -> None:
        # One timer at a time: a refresh during a highlight moves its end, not the timer.
        left = self._flash_until - time.monotonic()
        if left > 0.01:
            self._flash_timer = self.set_timer(left, self._flash_timeout, name="flash")
        else:
            self._end_flash()

    def _end_flash(self) -> None:
        """Take the highlight off the amounts that changed at the last refresh."""
        self._flash_timer = None
        self._apply(self._rows.end_flash())

    # -- DataTable-shaped access, for the app and the tests ------------------------

    @property
    def row_count(self) -> int:
        """How many rows are shown."""
        return len(self._rows.shown)

    @property
    def cursor_row(self) -> int:
        """The index of the row under the cursor (0 when no row is shown)."""
        return self._cursor

    @property
    def columns(self) -> dict[str, GridColumn]:
        """The columns by key."""
        return self._rows.columns

    @property
    def ordered_columns(self) -> list[GridColumn]:
        """The columns shown, left to right ("Other" only when some asset needs it)."""
        return [column for column in self._rows.columns.values() if column.shown]

    @property
    def ordered_rows(self) -> list[GridRow]:
        """The shown rows, top to bottom."""
        return [GridRow(Key(asset)) for asset in self._rows.shown]

    def get_row_index(self, asset: str) -> int:
        """The index of `asset`'s row; KeyError when it is not shown."""
        return self._rows.index[asset]

    def get_column_index(self, column: str) -> int:
        """The index of a column by key."""
        return COLUMNS.index(column)

    def get_row(self, asset: str) -> list[Text]:
        """The cells of `asset`'s row as Rich Text, left to right."""
        return self._rows.texts(asset)

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of the row at `index`."""
        return self._rows.texts(self._rows.shown[index])

    def get_cell(self, asset: str, column: str) -> Text:
        """One cell of `asset`'s row, as Rich Text."""
        return self._rows.text(asset, column)

    # -- what the canvas's cursor and header clicks mean ---------------------------

    def _selection_changed(self, asset: str | None) -> None:
        self.post_message(self.AssetSelected(self, asset))

    def _header_clicked(self, column: str) -> None:
        if column in SORTABLE_COLUMNS:
            self.set_sort(sort_for_header(self._rows.sort, column))
            self.post_message(self.SortChanged(self, self._rows.sort))
