"""Amounts are never cut at the grid's edge: whole columns, or none, at every width.

A grid wider than its view scrolls sideways; a column the view cuts is blanked rather
than shown as a bare prefix of its value (`2,678.8` for 2,678.873456).
"""

from __future__ import annotations

import json

from textual.app import App, ComposeResult

from tests.app_harness import resize_for_layout
from tui.api.parse import parse_balance_response
from tui.sandbox.wallet import DemoExchange
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.grid_edges import ELLIPSIS, LEFT, RIGHT, find_edges

ARROWS = {LEFT, RIGHT}


def strip_text(grid: BalanceGrid, y: int) -> str:
    return "".join(segment.text for segment in grid.render_line(y))


def bare_prefixes(tokens: list[str], whole: set[str]) -> list[str]:
    """Tokens that are not a whole cell's token, nor marked cut with `…`."""
    return [
        token
        for token in tokens
        if token not in whole and token not in ARROWS and not token.endswith(ELLIPSIS)
    ]


def check_view(grid: BalanceGrid, where: str) -> None:
    labels = {token for column in grid.columns.values() for token in column.label.plain.split()}
    # (An arrow stands in a column's padding, so it may touch the label beside it.)
    header = strip_text(grid, 0).replace(LEFT, f"{LEFT} ").replace(RIGHT, f" {RIGHT}").split()
    assert not bare_prefixes(header, labels), f"{where}: header {header}"
    assert "Asset" in header, f"{where}: the asset column stays put"
    rows = grid.scrollable_content_region.height - 1
    for y in range(1, min(rows, grid.row_count) + 1):
        index = y - 1 + grid.scroll_offset.y
        whole = {token for cell in grid.get_row_at(index) for token in cell.plain.split()}
        tokens = strip_text(grid, y).split()
        assert tokens, f"{where}: row {index} is empty"
        cut = bare_prefixes(tokens, whole)
        assert not cut, f"{where}: row {index} shows {cut}, cut from {sorted(whole)}"


class GridAlone(App[None]):
    """The grid as the dashboard has it, without the rest (fast to lay out 161 times)."""

    def compose(self) -> ComposeResult:
        yield BalanceGrid()


async def test_no_amount_is_cut_at_any_width_or_scroll_position(exchange: DemoExchange) -> None:
    # The sandbox's wallet, as the dashboard gets it: amounts from 2 to 18 decimals.
    snapshot = parse_balance_response(json.dumps(exchange.balance_payload()).encode())
    app = GridAlone()
    async with app.run_test(size=(200, 20)) as pilot:
        grid = app.query_one(BalanceGrid)
        grid.show(snapshot)
        for width in range(40, 201):
            await resize_for_layout(pilot, grid, width, 20)
            grid.scroll_to(x=0, animate=False, immediate=True)
            check_view(grid, f"{width} columns")
            seen = {grid.scroll_offset.x}
            while True:  # scroll sideways, column by column, to the far end
                grid.action_scroll_right()
                x = grid.scroll_offset.x
                if x in seen:
                    break
                seen.add(x)
                check_view(grid, f"{width} columns, scrolled to {x}")
            if grid.max_scroll_x:
                assert grid.scroll_offset.x == grid.max_scroll_x, "the rest is reachable"
                header = strip_text(grid, 0)
                assert LEFT in header and RIGHT not in header


def test_edges_blank_cut_columns_and_mark_what_is_out_of_view() -> None:
    # Columns of 5, 10, 10 cells seen 12 wide from 0: the second is cut at the right.
    edges = find_edges([5, 10, 10], 0, 12)
    assert edges.blank == ((5, 12),) and edges.more_right and not edges.more_left
    # From 5, 10 wide: exactly the second column, the first is out of view on the left.
    edges = find_edges([5, 10, 10], 5, 10)
    assert edges.blank == () and edges.more_left and edges.more_right
    # A column wider than the view is drawn with `…` where it is cut.
    edges = find_edges([30], 4, 10)
    assert edges.blank == () and edges.ellipses == (0, 9)
    assert find_edges([5, 5], 0, 10).clean
