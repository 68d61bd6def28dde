"""The balance grid's rows: which assets are shown, in what order, with which cells.

A plain object that the widget owns. It applies each snapshot as a keyed diff against
the cells last drawn, fits the columns to the widest shown cell, and reports what it
changed as a `RowsChange`; the widget only repaints what that names. Nothing here
touches the screen, so the diffing can be read (and reasoned about) without Textual.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from itertools import compress
from operator import is_not
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text

from tui.api.amounts import exact_difference, trim_zeros, value_of
from tui.api.models import KNOWN_AMOUNT_FIELDS, AssetBalance, BalanceSnapshot, amount_label
from tui.ui.widgets.grid_cells import (
    MASK,
    QUIET,
    AmountText,
    Cell,
    Derived,
    DrawnRow,
    amount_cell,
    amount_style,
    amount_text,
    asset_text,
    delta_cell,
    derive,
    direction,
    fraction_digits,
    merge_order,
    quote_value_cell,
    same_digits,
    value_column_width,
)
from tui.ui.widgets.grid_lines import GridColumn, Key
from tui.ui.widgets.grid_view import SortOrder, arrange, select

if TYPE_CHECKING:
    from tui.api.rates import Rates

ASSET_COLUMN = "asset"
TOTAL_COLUMN = "total"
DELTA_COLUMN = "delta"
#: Every amount field without a column of its own (a settlement balance...), summed, so
#: that each row's parts add up to its total on screen. Shown only when some asset of
#: the wallet has such a field; the detail pane names the fields it holds.
OTHER_COLUMN = "other"
#: The amount columns, left to right: the four documented fields, Other, then the total.
AMOUNT_COLUMNS: tuple[str, ...] = (*KNOWN_AMOUNT_FIELDS, OTHER_COLUMN, TOTAL_COLUMN)
_OTHER_INDEX = AMOUNT_COLUMNS.index(OTHER_COLUMN)
#: Every numeric column: the amounts, then the change of the total since the last refresh.
VALUE_COLUMNS: tuple[str, ...] = (*AMOUNT_COLUMNS, DELTA_COLUMN)
#: The row's total in the quote currency (amount x market rate).
QUOTE_VALUE_COLUMN = "value"
#: Every column, left to right; the Δ column stays last, as a change of its width then
#: moves no other column (the canvas repaints less).
COLUMNS: tuple[str, ...] = (ASSET_COLUMN, *AMOUNT_COLUMNS, QUOTE_VALUE_COLUMN, DELTA_COLUMN)
_VALUE_INDEX = COLUMNS.index(QUOTE_VALUE_COLUMN)
#: The columns a click on the header (or `s`) sorts by.
SORTABLE_COLUMNS: tuple[str, ...] = (ASSET_COLUMN, *AMOUNT_COLUMNS, QUOTE_VALUE_COLUMN)
#: More fraction digits than this are cut in the grid (marked "…"); the detail pane
#: beside it shows every digit.
MAX_FRACTION_DIGITS = 8
#: Each column's header label, without the sort arrow.
COLUMN_LABELS: dict[str, str] = {
    ASSET_COLUMN: "Asset",
    **{name: amount_label(name) for name in KNOWN_AMOUNT_FIELDS},
    OTHER_COLUMN: "Other",
    TOTAL_COLUMN: "Total",
    DELTA_COLUMN: "Δ Total",
    QUOTE_VALUE_COLUMN: "Value",
}


def column_label(key: str, arrow: str, quote: str = "", stale: bool = False) -> Text:
    """The header label of column `key`, followed by `arrow` (the sort marker, or "").

    The value column names its quote currency ("Value USD"), and says when its rates
    are stale.
    """
    if key == ASSET_COLUMN:
        return Text("Asset" + arrow)
    label = COLUMN_LABELS[key]
    if key == QUOTE_VALUE_COLUMN:
        label = f"{label} {quote}" + (" (stale)" if stale else "")
    # The trailing space lines the label up with the digits, not the marker cell.
    return AmountText(label + arrow + " ", justify="right", end="", style="yellow" if stale else "")


class RowsChange(NamedTuple):
    """What one `GridRows.sync` changed, for the widget to repaint.

    A sync in which nothing visible changed returns `UNCHANGED` itself, so that the
    widget can leave the screen alone with one identity check.
    """

    #: How many rows came.
    added: int = 0
    #: The rows that went away (their cached lines can be dropped).
    removed: Sequence[str] = ()
    #: How many cells of the rows still shown changed.
    updated: int = 0
    #: The shown rows or their order changed; `shown_before` is the order before.
    reordered: bool = False
    shown_before: Sequence[str] = ()
    #: The keys of the columns whose width changed.
    resized: AbstractSet[str] = frozenset()
    #: The rows still shown whose cells changed.
    changed_rows: Sequence[str] = ()
    #: Every row's value cell may have changed (new rates, quote or stale mark): the
    #: rows on screen are to be drawn again (the others are, when they come into view).
    revalued: bool = False


UNCHANGED = RowsChange()


class GridRows:
    """The grid's data: every asset of the last snapshot, the rows shown and their cells.

    The widget reads `columns`, `shown`, `index` and `drawn` to draw, and the settings
    (`filter`, `sort`, `hide_zero`, `masked`) and counts to report them; it changes them
    only through the methods, each of which returns what to repaint.
    """

    def __init__(self) -> None:
        """No data yet: no row is shown until the first `update`."""
        #: The market rates the value column uses (None: none yet), its quote currency,
        #: and whether the rates are stale (a failed refresh, or too old).
        self.rates: Rates | None = None
        self.quote = "USD"
        self.rates_stale = False
        #: The columns by key, each as wide as its widest shown cell or its label.
        self.columns: dict[str, GridColumn] = {
            key: GridColumn(Key(key), column_label(key, "", self.quote), right=key != ASSET_COLUMN)
            for key in COLUMNS
        }
        self.columns[OTHER_COLUMN].shown = False  # until some asset has an extra field
        #: The last snapshot, whole (the filter does not narrow it).
        self.snapshot: BalanceSnapshot | None = None
        self.filter = ""
        self.sort: SortOrder | None = None
        self.hide_zero = False
        self.masked = False
        #: How many assets the filter hides, and how many all-zero ones are hidden.
        self.hidden_by_filter = 0
        self.hidden_zero = 0
        #: The shown rows in order, each one's index, and the cells drawn in each.
        self.shown: list[str] = []
        self.index: dict[str, int] = {}
        self.drawn: dict[str, DrawnRow] = {}
        # Every asset of the last snapshot, in display order, shown or filtered out.
        self._order: list[str] = []
        self._derived: dict[str, Derived] = {}
        # Per column: how many shown rows have a cell of each width, so that a column is
        # fitted to its widest cell without going over every row.
        self._width_counts: list[Counter[int]] = [Counter() for _ in COLUMNS]
        self._fraction_widths: tuple[int, ...] = (0,) * len(VALUE_COLUMNS)
        # Per asset: the direction (+1, -1, 0) each amount column moved at the last
        # refresh, while it is highlighted; and the change of its total.
        self._flash: dict[str, tuple[int, ...]] = {}
        self._delta: dict[str, Decimal] = {}
        # The header labels changed since the columns were last fitted.
        self._relabelled = False
        # The value column (see `set_rates`): each asset's exact value at `rates` in
        # `quote`, worked out when first needed; the shown rows whose value cell was
        # drawn before the last change of rates, quote or stale mark (drawn again when
        # next drawn or read, so a rates answer does not format 2,000 cells, most of
        # them off screen); the width of the widest value cell of the shown rows
        # (`_width_counts` does not serve this column), and whether it must be worked
        # out again over every shown row.
        self._worth: dict[str, Decimal | None] = {}
        self._unvalued: set[str] = set()
        self._worth_width = 0
        self._worth_dirty = False

    @property
    def flashing(self) -> bool:
        """True while some amounts are highlighted for having changed."""
        return bool(self._flash)

    def forget_changes(self) -> None:
        """Take the next snapshot without highlights or Δ (another wallet is not a change)."""
        self._derived = {}
        self._flash = {}
        self._delta = {}

    def update(self, snapshot: BalanceSnapshot) -> tuple[RowsChange, frozenset[str]]:
        """Apply a new snapshot as a keyed diff: only changed cells are drawn again.

        Returns what changed on screen, and every asset of the snapshot, shown or
        hidden, whose amounts changed numerically since the previous one.
        """
        previous = self._derived
        if snapshot is self.snapshot and previous:
            # The very same answer (the client hands it back when the body did not
            # change): nothing moved; only last refresh's highlights and Δ go.
            redraw = set(self._flash) | set(self._delta)
            self._flash, self._delta = {}, {}
            return self.sync(redraw, relayout=False, digits=False), frozenset()
        # Rows that showed a highlight or a change last time are redrawn without it.
        redraw: set[str] = set(self._flash) | set(self._delta)
        changed: set[str] = set()
        flash: dict[str, tuple[int, ...]] = {}
        delta: dict[str, Decimal] = {}
        # Whether an amount's number of fraction digits moved (its column may widen).
        digits_moved = False
        derived, visit = self._to_visit(snapshot)
        for balance in visit:
            asset = balance.asset
            old = previous.get(asset)
            if old is not None:
                # The client hands over the same amounts object for an unchanged asset.
                if old.amounts is balance.amounts:
                    derived[asset] = old  # reuse the total and digit counts
                    continue
                if same_digits(old.amounts, balance.amounts):
                    # Equal amounts in a new object (the first answer after the start-up
                    # prefetch's, another client): keep the work, take the new object, so
                    # that the next refresh knows the asset by identity again.
                    derived[asset] = old._replace(amounts=balance.amounts)
                    continue
            new = derived[asset] = derive(balance)
            self._worth.pop(asset, None)  # its value, if it had one, is that of old amounts
            if old is not None:
                redraw.add(asset)
                digits_moved = digits_moved or new.digits != old.digits
                if old.amounts != balance.amounts:
                    changed.add(asset)
                    flash[asset] = tuple(map(direction, old.values, new.values))
                    moved = exact_difference(new.values[-1], old.values[-1])
                    if moved:
                        delta[asset] = trim_zeros(moved)
        same_assets = derived.keys() == previous.keys()
        other = self.columns[OTHER_COLUMN]
        has_other = any(d.values[_OTHER_INDEX] is not None for d in derived.values())
        if has_other != other.shown:
            other.shown = has_other
            self._relabelled = True  # fit the columns again: this one comes or goes
        self.snapshot = snapshot
        self._derived = derived
        self._flash = flash
        self._delta = delta
        if not same_assets:
            self._order = merge_order(self._order, derived)
            self._worth = {}  # (not to keep the values of gone assets)
        # The shown rows and their order move only when assets come or go, or when a
        # changed amount can move a row (a sort by amount) or hide it (zero rows hidden):
        # on the usual refresh only the changed rows are visited, not the whole wallet.
        amount_sort = self.sort is not None and self.sort.column != ASSET_COLUMN
        relayout = not same_assets or (bool(changed) and (amount_sort or self.hide_zero))
        change = self.sync(redraw, relayout=relayout, digits=relayout or digits_moved)
        return change, frozenset(changed)

    def _to_visit(
        self, snapshot: BalanceSnapshot
    ) -> tuple[dict[str, Derived], Iterable[AssetBalance]]:
        """The derived data to start from, and the balances that need a look.

        When the new snapshot lists the same assets in the same places as the last one,
        the balances that are the very objects of the last snapshot (the client's for
        unchanged assets) are found by a comparison run in C, and only the others are
        visited; else every balance is, from scratch.
        """
        last = self.snapshot
        previous = self._derived
        if last is None or not previous or len(last.balances) != len(snapshot.balances):
            return {}, snapshot.balances
        old, new = last.balances, snapshot.balances
        moved = list(compress(new, map(is_not, old, new)))
        if len(moved) > len(new) // 4:
            return {}, new  # many changed: one pass over all is as cheap
        for balance in compress(old, map(is_not, old, new)):
            if snapshot.get(balance.asset) is None or previous.get(balance.asset) is None:
                return {}, new  # an asset came or went in its place
        if any(last.get(balance.asset) is None for balance in moved):
            return {}, new
        return dict(previous), moved

    def end_flash(self) -> RowsChange:
        """Take the highlight off the amounts that changed at the last refresh.

        Only the styles of the highlighted cells change: their texts were drawn with
        the widths and values in force (anything that moved since drew the row again,
        highlight included), so no amount is formatted again.
        """
        flashed, self._flash = self._flash, {}
        if self.masked:
            return UNCHANGED  # masked amounts are drawn without a highlight
        rows = self.drawn
        derived = self._derived
        updated = 0
        changed_rows: list[str] = []
        for asset, directions in flashed.items():
            row = rows.get(asset)
            if row is None:
                continue  # hidden (filtered out): drawn afresh when shown again
            cells = list(row.cells)
            values = derived[asset].values
            # The amount cells follow the asset's; a highlighted one had a direction.
            moved = [column for column, way in enumerate(directions, 1) if way]
            for column in moved:
                cells[column] = (cells[column][0], amount_style(values[column - 1]))
            if moved:
                updated += len(moved)
                rows[asset] = DrawnRow(tuple(cells), row.widths)  # the same widths
                changed_rows.append(asset)
        if not changed_rows:
            return UNCHANGED
        return RowsChange(updated=updated, shown_before=self.shown, changed_rows=changed_rows)

    def set_filter(self, text: str) -> RowsChange:
        """Show only the assets whose symbol contains `text`, ignoring case; "" shows all."""
        if text == self.filter:
            return UNCHANGED
        self.filter = text
        return self.sync(set())

    def set_hide_zero(self, hide: bool) -> RowsChange:
        """Hide (or show again) the assets whose every amount is zero."""
        if hide == self.hide_zero:
            return UNCHANGED
        self.hide_zero = hide
        return self.sync(set())

    def set_masked(self, masked: bool) -> RowsChange:
        """Mask every amount (or show them again); symbols stay readable."""
        if masked == self.masked:
            return UNCHANGED
        self.masked = masked
        self._worth_dirty = True
        return self.sync(set(self.drawn))

    def set_rates(self, rates: Rates | None, quote: str, *, stale: bool = False) -> RowsChange:
        """Value the rows with `rates` in `quote`; `stale` marks the values as old.

        The value cells are not drawn here: a row's is drawn again when the row is next
        drawn or read (`row`), and the column's width is worked out from the values
        themselves (`value_column_width`), so a rates answer for a wallet of 2,000
        assets formats the cells of the rows on screen, not 2,000. Sorted by value, the
        rows are sorted again.
        """
        if rates is self.rates and quote == self.quote and stale == self.rates_stale:
            return UNCHANGED
        relabel = quote != self.quote or stale != self.rates_stale
        revalue = rates is not self.rates or quote != self.quote
        self.rates, self.quote, self.rates_stale = rates, quote, stale
        if relabel:
            self.sort_by(self.sort)
        if revalue:
            self._worth = {}
            self._worth_dirty = True
        self._unvalued = set(self.drawn)
        by_value = revalue and self.sort is not None and self.sort.column == QUOTE_VALUE_COLUMN
        moved = self.sync(set(), relayout=by_value, digits=False)
        return moved._replace(revalued=True) if self.drawn else moved

    def row(self, asset: str) -> DrawnRow:
        """The cells of `asset`'s row as they are to be drawn now; KeyError if not shown.

        A row whose value cell was drawn before the rates, the quote or the stale mark
        last changed gets it drawn again first (see `set_rates`)."""
        row = self.drawn[asset]
        if asset in self._unvalued:
            self._unvalued.discard(asset)
            cell = self._worth_cell(asset)
            if cell != row.cells[_VALUE_INDEX]:
                cells, widths = row
                width = len(cell[0])  # (ASCII digits, "—" and "•": one cell each)
                row = DrawnRow(
                    (*cells[:_VALUE_INDEX], cell, *cells[_VALUE_INDEX + 1 :]),
                    (*widths[:_VALUE_INDEX], width, *widths[_VALUE_INDEX + 1 :]),
                )
                self._put_row(asset, row)  # (its widths counted as every drawn row's)
        return row

    def _worth_cell(self, asset: str) -> Cell:
        """The value column's cell of `asset`: blank before any rates, masked when masked."""
        if self.masked:
            return MASK, QUIET
        if self.rates is None:
            return "", ""
        return quote_value_cell(self.quote_value(asset), self.quote, stale=self.rates_stale)

    def _fit_worth(self, visible: Sequence[str]) -> None:
        """Work out the value column's width over the `visible` rows (see `_worth_width`)."""
        self._worth_dirty = False
        if not visible or self.rates is None:
            width = 0
        elif self.masked:
            width = len(MASK)
        else:
            width = value_column_width(self._values(visible), self.quote)
        if width != self._worth_width:
            self._worth_width = width
            self._relabelled = True  # fit the columns again

    def _values(self, assets: Sequence[str]) -> list[Decimal | None]:
        """The exact values of `assets` (see `quote_value`), those not known yet worked
        out together."""
        worth = self._worth
        missing = [asset for asset in assets if asset not in worth]
        if missing and self.rates is not None:
            derived = self._derived
            totals = [derived[asset].values[-1] for asset in missing]
            worth.update(zip(missing, self.rates.values(missing, totals, self.quote), strict=True))
        return list(map(worth.__getitem__, assets))

    def sort_by(self, sort: SortOrder | None) -> None:
        """Take `sort` and mark its column's header; the next `sync` moves the rows."""
        self.sort = sort
        for key, column in self.columns.items():
            arrow = f" {sort.arrow}" if sort and sort.column == key else ""
            column.label = column_label(key, arrow, self.quote, self.rates_stale)
        self._relabelled = True

    def texts(self, asset: str) -> list[Text]:
        """The cells of `asset`'s row as Rich Text, left to right; KeyError if not shown."""
        row = self.row(asset)
        return [asset_text(asset), *map(amount_text, row.cells[1:])]

    def text(self, asset: str, column: str) -> Text:
        """One cell of `asset`'s row, as Rich Text; KeyError if the row is not shown."""
        if column == ASSET_COLUMN:
            if asset not in self.drawn:
                raise KeyError(asset)
            return asset_text(asset)
        return amount_text(self.row(asset).cells[COLUMNS.index(column)])

    def sync(self, redraw: set[str], *, relayout: bool = True, digits: bool = True) -> RowsChange:
        """Bring the rows in line with the snapshot, the sort and the filter.

        `redraw` names the assets whose amounts changed since their rows were drawn.
        With `relayout` False the caller knows that the shown rows and their order
        stay as they are, and with `digits` False that no amount's number of fraction
        digits changed (the Δ column's width is worked out anyway, from the few changes).
        """
        visible = self._visible() if relayout else self.shown
        derived = self._derived

        # (A set only when rows may come or go; else the index serves.)
        visible_set: AbstractSet[str] = set(visible) if relayout else self.index.keys()
        # A column's fraction width follows the values currently shown in it. Going over
        # every shown row is needed only when some amount's digits moved; the Δ column
        # follows the few changes of the last refresh.
        if visible:
            if digits:
                digit_columns = zip(*(derived[asset].digits for asset in visible), strict=True)
                amount_widths = tuple(min(max(col), MAX_FRACTION_DIGITS) for col in digit_columns)
            else:
                amount_widths = self._fraction_widths[:-1]
            delta_digits = max(
                (fraction_digits(d) for a, d in self._delta.items() if a in visible_set),
                default=0,
            )
            fraction_widths = (*amount_widths, min(delta_digits, MAX_FRACTION_DIGITS))
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

        rows = self.drawn
        # (Set operations first: on a usual refresh no row comes or goes.)
        gone = rows.keys() - visible_set if relayout else ()
        removed = [asset for asset in self.shown if asset in gone] if gone else []
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
                new_row = DrawnRow.of(cells)
                self._widen_worth(asset, row, new_row)
                self._put_row(asset, new_row)
                changed_rows.append(asset)
        for asset in (a for a in visible if a in new_rows) if new_rows else ():
            if asset not in rows:
                cells = ((asset_text(asset).plain, ""), *self._render_amounts(asset))
                self._put_row(asset, DrawnRow.of(cells))
                added += 1
        for asset in removed:
            self._put_row(asset, None)
        if self._worth_dirty or added or removed:
            self._fit_worth(visible)
        reordered = visible is not self.shown and visible != self.shown
        resized: set[str] = set()
        if added or removed or changed_rows or self._relabelled:
            resized = self._fit_columns()
            self._relabelled = False
        if not (reordered or resized or changed_rows):
            return UNCHANGED  # nothing visible changed: the widget is left alone

        shown_before = self.shown
        if reordered:
            self.shown = visible
            self.index = {asset: index for index, asset in enumerate(visible)}
        return RowsChange(added, removed, updated, reordered, shown_before, resized, changed_rows)

    def _visible(self) -> list[str]:
        ordered = arrange(self._order, self.sort, self._value)
        shown, self.hidden_by_filter, self.hidden_zero = select(
            ordered, needle=self.filter, hide_zero=self.hide_zero, is_zero=self._is_zero
        )
        return shown

    def _value(self, asset: str, column: str) -> Decimal | None:
        if column == QUOTE_VALUE_COLUMN:
            return self.quote_value(asset)
        return self._derived[asset].values[AMOUNT_COLUMNS.index(column)]

    def quote_value(self, asset: str) -> Decimal | None:
        """The exact value of `asset`'s total in the quote currency; None without a rate."""
        if self.rates is None:
            return None
        worth = self._worth
        if asset not in worth:
            rate = self.rates.rate(asset, self.quote)
            worth[asset] = value_of(self._derived[asset].values[-1], rate)
        return worth[asset]

    def _is_zero(self, asset: str) -> bool:
        return all(value is None or value.is_zero() for value in self._derived[asset].values)

    def _render_amounts(self, asset: str) -> tuple[Cell, ...]:
        if self.masked:
            return (*((MASK, QUIET) for _ in AMOUNT_COLUMNS), (MASK, QUIET), ("", ""))
        values = self._derived[asset].values
        directions = self._flash.get(asset) or (0,) * len(values)
        *widths, delta_width = self._fraction_widths
        cells = tuple(map(amount_cell, values, widths, directions))
        return (*cells, self._worth_cell(asset), delta_cell(self._delta.get(asset), delta_width))

    def _widen_worth(self, asset: str, old: DrawnRow, new: DrawnRow) -> None:
        """Keep the value column's width as `asset`'s row is drawn again: wider when its
        value cell is the widest now, worked out again when it was the widest and
        narrowed (or its drawn cell was not up to date)."""
        was, now = old.widths[_VALUE_INDEX], new.widths[_VALUE_INDEX]
        if now > self._worth_width:
            self._worth_width = now
            self._relabelled = True  # fit the columns again
        elif asset in self._unvalued or (now < was == self._worth_width):
            self._worth_dirty = True

    def _put_row(self, asset: str, row: DrawnRow | None) -> None:
        """Record the cells drawn in `asset`'s row (None: the row is gone), and their widths."""
        counts = self._width_counts
        old = self.drawn.pop(asset, None)
        if old is not None:
            for count, width in zip(counts, old.widths, strict=True):
                count[width] -= 1
                if not count[width]:
                    del count[width]
        self._unvalued.discard(asset)  # (drawn with the rates of now, or gone)
        if row is not None:
            self.drawn[asset] = row
            for count, width in zip(counts, row.widths, strict=True):
                count[width] += 1

    def _fit_columns(self) -> set[str]:
        """Size every column to its widest shown cell or its label, growing or shrinking.

        Returns the keys of the columns whose width changed.
        """
        resized = set()
        for (key, column), count in zip(self.columns.items(), self._width_counts, strict=True):
            widest = self._worth_width if key == QUOTE_VALUE_COLUMN else max(count, default=0)
            width = max(widest, column.label.cell_len) if column.shown else 0
            if column.content_width != width:
                column.content_width = width
                resized.add(key)
        return resized
