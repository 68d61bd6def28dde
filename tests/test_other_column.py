"""The "Other" column: amount fields without a column of their own, so that every row's
parts add up on screen to its total; named in the detail pane."""

from __future__ import annotations

from decimal import Decimal

import httpx

from tests.app_harness import api_key_app, dashboard_of, select
from tests.test_balance_grid import GridApp, bal, screen_cells, snap
from tui.ui.widgets.balance_grid import AMOUNT_COLUMNS, BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane, render_amounts


def parts_add_up(grid: BalanceGrid) -> int:
    """Every shown row: the amount columns but the total, read off the screen, sum to it.

    Rows with a cut amount ("…", "<0.00000001": the detail pane has every digit) are
    left out; returns how many rows were checked."""
    shown = [c.key.value for c in grid.ordered_columns if c.key.value in AMOUNT_COLUMNS]
    columns = {key: screen_cells(grid, key) for key in shown}
    checked = 0
    for row in range(grid.row_count):
        if any("…" in columns[key][row] or "<" in columns[key][row] for key in shown):
            continue
        checked += 1
        parts = [columns[key][row].strip() for key in shown[:-1]]
        numbers = [Decimal(p.replace(",", "")) for p in parts if p not in ("", "—")]
        total = Decimal(columns[shown[-1]][row].strip().replace(",", ""))
        assert sum(numbers, Decimal(0)) == total, (parts, total)
    return checked


async def test_other_comes_with_an_extra_field_and_goes_with_it() -> None:
    app = GridApp()
    async with app.run_test(size=(140, 20)) as pilot:
        grid = app.grid
        grid.show(snap(bal("BTC", "1.5", holdBalance="0.25"), bal("UAH", "100")))
        await pilot.pause()
        assert "other" not in [c.key.value for c in grid.ordered_columns]
        assert "Other" not in grid.render_line(0).text

        grid.show(
            snap(
                bal("BTC", "1.5", holdBalance="0.25"),
                bal("UAH", "100", settlementBalance="20", reserveBalance="0.5"),
            )
        )
        await pilot.pause()
        assert "Other" in grid.render_line(0).text
        assert grid.get_cell("UAH", "other").plain.strip() == "20.5"
        parts_add_up(grid)

        grid.show(snap(bal("BTC", "1.5", holdBalance="0.25"), bal("UAH", "100")))
        await pilot.pause()
        assert "Other" not in grid.render_line(0).text


async def test_the_demo_wallet_adds_up_and_the_detail_pane_names_the_other_field(
    transport: httpx.ASGITransport,
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        # UAH: 15,250.75 available + 1,200 settlement (Other) = 16,450.75 total.
        assert parts_add_up(grid) >= grid.row_count // 2
        await select(pilot, grid, "UAH")
        detail = screen.query_one(DetailPane)
        assert detail.balance is not None
        assert "Settlement (in Other)" in render_amounts(detail.balance).plain
