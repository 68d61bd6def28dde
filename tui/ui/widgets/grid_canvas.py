"""The balance grid's screen side: its lines, its row cursor, its keys and clicks.

`GridCanvas` is the Textual half of `BalanceGrid`: it draws the header and the shown
rows of a `GridRows` (Textual's Line API), each row rendered once into a Strip and
cached until its cells, the cursor or the column widths change, and repaints only what
a `RowsChange` names. The cursor stays on its asset (by key, not by index) and the
scroll position is kept. What the grid means (balances, sort, filter, highlights, the
messages it posts) is `BalanceGrid`'s, in balance_grid.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, Spacing
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.ui.widgets.grid_cells import ROLES
from tui.ui.widgets.grid_edges import Edges, apply_edges, find_edges
from tui.ui.widgets.grid_lines import GridColumn, draw_cells, label_cell
from tui.ui.widgets.grid_rows import DELTA_COLUMN, UNCHANGED, GridRows, RowsChange

#: The header's height: one line that stays put while the rows scroll under it.
HEADER_HEIGHT = 1


class GridCanvas(ScrollView):
    """Draws a `GridRows` line by line under a fixed header, with a row cursor.

    Subclasses say what a change of the selected asset and a click on a header mean
    (`_selection_changed`, `_header_clicked`), and style the component classes.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "balance-grid--header",
        "balance-grid--cursor",
        *(f"balance-grid--{role}" for role in ROLES),
    }

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

    #: Keys handled here that move neither the focus nor the screen: the app hands the
    #: next key on without waiting for one of these (tui/ui/key_order.py).
    KEYS_IN_PLACE: ClassVar[frozenset[str]] = frozenset(
        binding.key for binding in BINDINGS if isinstance(binding, Binding)
    )

    #: Always a row cursor (DataTable's name for it).
    cursor_type: ClassVar[str] = "row"

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
        # What is shown, and the cells drawn in each row; this widget only paints them.
        self._rows = GridRows()
        self._cursor = 0
        # The asset last announced, and the last non-empty one (to go back to it when a
        # filter that hid every row is cleared).
        self._announced: str | None = None
        self._remembered: str | None = None
        # Rendered lines: per asset, the key it was drawn with and its Strip; the header.
        self._strips: dict[str, tuple[tuple[object, ...], Strip]] = {}
        self._header: tuple[tuple[object, ...], Strip] | None = None
        self._styles: tuple[Style, Style, Style] | None = None
        # Each role's whole style on a plain row and on the cursor row.
        self._roles: tuple[dict[str, Style], dict[str, Style]] = ({}, {})
        self._cut: tuple[tuple[object, ...], Edges] | None = None
        #: How many row lines were rendered (not taken from the cache), for tests.
        self.rendered_rows = 0

    @property
    def selected_asset(self) -> str | None:
        """The asset under the cursor, or None when no row is shown."""
        shown = self._rows.shown
        if not shown:
            return None
        return shown[self._cursor]

    def _selection_changed(self, asset: str | None) -> None:
        """The asset under the cursor changed (None: no row is shown)."""

    def _header_clicked(self, column: str) -> None:
        """The header of `column` was clicked."""

    # -- the cursor, and what a change of the rows repaints -----------------------

    def move_cursor(self, *, row: int | None = None, scroll: bool = True) -> None:
        """Put the cursor on row `row` (clamped); scroll it into view unless `scroll` is
        False, in which case the view moves only if the cursor would be out of it."""
        shown = self._rows.shown
        if row is not None and shown:
            row = max(0, min(row, len(shown) - 1))
            if row != self._cursor:
                old = self._cursor
                self._cursor = row
                self._refresh_rows((old, row))
        self._scroll_to_cursor(always=scroll)
        self._announce()

    def _apply(self, change: RowsChange) -> None:
        """Repaint what `change` made look different, keeping the cursor on its asset."""
        if change is UNCHANGED:
            return  # nothing visible changed: leave the widget alone
        rows = self._rows
        for asset in change.removed:
            self._strips.pop(asset, None)
        if change.reordered:
            before = change.shown_before
            # The asset the cursor was on, or the last one it was on if no row was shown.
            cursor_asset = before[self._cursor] if before else self._remembered
            self._restore_cursor(cursor_asset, before)
        if change.reordered or change.resized:
            width = sum(column.get_render_width() for column in rows.columns.values())
            size = Size(width, len(rows.shown) + HEADER_HEIGHT)
            old_size = self.virtual_size
            fits = max(size.width, old_size.width) <= self.scrollable_content_region.width
            delta_only = change.resized == {DELTA_COLUMN} and not change.revalued
            if not change.reordered and delta_only and fits:
                # Only the last column changed width and the grid fits before and after:
                # no column moves and no scrollbar comes or goes, so no layout is needed;
                # only the header and the rows whose Δ changed look different.
                self.set_reactive(GridCanvas.virtual_size, size)
                self.refresh_line(self.scroll_offset.y)
                self._refresh_rows([rows.index[asset] for asset in change.changed_rows])
            else:
                if size != old_size:
                    self.virtual_size = size
                self.refresh()
        elif change.revalued:
            self.refresh()  # every row's value cell, and the header's label
        else:
            self._refresh_rows([rows.index[asset] for asset in change.changed_rows])
        self._announce()

    def _restore_cursor(self, asset: str | None, shown_before: Sequence[str]) -> None:
        """Put the cursor back on `asset`, or on its nearest neighbour still shown."""
        index = self._cursor
        shown, index_of = self._rows.shown, self._rows.index
        if not shown:
            self._cursor = 0
            return
        target = asset if asset in index_of else None
        if target is None and shown_before:
            # The selected row went away: stay near where it was, preferring the rows
            # that followed it, as the index-based cursor of a list would.
            after = shown_before[index + 1 :]
            before = reversed(shown_before[:index])
            target = next((a for a in (*after, *before) if a in index_of), None)
        row = index_of[target] if target is not None else min(index, len(shown) - 1)
        self._cursor = row
        # Keep the user's scroll position unless the cursor would be out of view.
        self.call_after_refresh(self._scroll_to_cursor, always=False)

    def _scroll_to_cursor(self, *, always: bool = True) -> None:
        if not self._rows.shown:
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
            self._selection_changed(asset)

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
            cursor = base + self.get_component_rich_style("balance-grid--cursor")
            self._styles = (
                base,
                base + self.get_component_rich_style("balance-grid--header"),
                cursor,
            )
            partial = {
                role: self.get_component_rich_style(f"balance-grid--{role}", partial=True)
                for role in ROLES
            }
            self._roles = (
                {role: base + style for role, style in partial.items()},
                {role: cursor + style for role, style in partial.items()},
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base, header_style, cursor_style = self._get_styles()
        rows = self._rows
        columns = list(rows.columns.values())
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
            if index >= len(rows.shown):
                return Strip.blank(width, base)
            asset = rows.shown[index]
            row = rows.row(asset)
            cursor = index == self._cursor
            key = (row.cells, cursor, widths, width)
            cached = self._strips.get(asset)
            if cached is None or cached[0] != key:
                style = cursor_style if cursor else base
                roles = self._roles[1 if cursor else 0]
                strip = draw_cells(row.cells, row.widths, columns, style, width, roles)
                self._strips[asset] = (key, strip)
                self.rendered_rows += 1
            else:
                strip = cached[1]
        if scroll_x or strip.cell_length > width:
            strip = self._crop(strip, columns, scroll_x, width, base, header=y < HEADER_HEIGHT)
        return strip

    def _crop(
        self,
        strip: Strip,
        columns: Sequence[GridColumn],
        scroll_x: int,
        width: int,
        base: Style,
        *,
        header: bool,
    ) -> Strip:
        """The part of a line in view: the first column (the asset) stays put and the
        rest scrolls under it; only whole columns are drawn, a column the view cuts is
        blanked, never shown as a bare prefix of its value."""
        widths = tuple(column.get_render_width() for column in columns)
        frozen = widths[0] if widths and widths[0] < width else 0
        rest = strip.crop(frozen + scroll_x, frozen + scroll_x + width - frozen)
        edges = self._edges(widths[1:] if frozen else widths, scroll_x, width - frozen)
        rest = apply_edges(rest, edges, base, header=header)
        return Strip.join([strip.crop(0, frozen), rest]) if frozen else rest

    def _edges(self, widths: tuple[int, ...], left: int, width: int) -> Edges:
        """The cut columns for this view, worked out once per scroll position and size."""
        key = (widths, left, width)
        if self._cut is None or self._cut[0] != key:
            self._cut = (key, find_edges(widths, left, width))
        return self._cut[1]

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

    def action_scroll_left(self) -> None:
        """Scroll sideways to the start of the previous column (whole columns only)."""
        starts = self._column_starts()
        x = self.scroll_offset.x
        self.scroll_to(
            x=max((s for s in starts if s < x), default=0), animate=False, immediate=True
        )

    def action_scroll_right(self) -> None:
        """Scroll sideways to the start of the next column, as far as the grid goes."""
        starts = self._column_starts()
        x = self.scroll_offset.x
        target = min((s for s in starts if s > x), default=x)
        self.scroll_to(x=min(target, self.max_scroll_x), animate=False, immediate=True)

    def _column_starts(self) -> list[int]:
        """Scroll positions at which a column starts (the asset column stays put)."""
        starts, x = [], 0
        for column in list(self._rows.columns.values())[1:]:
            starts.append(x)
            x += column.get_render_width()
        return starts

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=len(self._rows.shown) - 1)

    def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset
        if y < HEADER_HEIGHT:
            columns = list(self._rows.columns.values())
            if columns and x >= columns[0].get_render_width():
                x += self.scroll_offset.x  # the asset column stays put; the rest scrolls
            for key, column in self._rows.columns.items():
                x -= column.get_render_width()
                if x < 0:
                    self._header_clicked(key)
                    break
            return
        index = y - HEADER_HEIGHT + self.scroll_offset.y
        if index < len(self._rows.shown):
            self.move_cursor(row=index, scroll=False)
