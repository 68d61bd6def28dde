"""The balance grid: aligned exact amounts, keyed diffs, a cursor that stays on its asset."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tests.app_harness import wait_until
from tui.api.models import AssetBalance, BalanceSnapshot
from tui.ui.widgets import grid_cells
from tui.ui.widgets.balance_grid import AMOUNT_COLUMNS, BalanceGrid, GridChange
from tui.ui.widgets.grid_view import SortOrder

SIZE = (120, 30)


def bal(asset: str, balance: str = "1", **fields: str) -> AssetBalance:
    """An asset with `balance` and any other amount fields, as the parser builds it."""
    amounts = [("balance", Decimal(balance))]
    amounts += [(name, Decimal(value)) for name, value in fields.items()]
    return AssetBalance(asset, tuple(amounts))


def snap(*balances: AssetBalance) -> BalanceSnapshot:
    return BalanceSnapshot(tuple(balances))


def plain_assets(*assets: str, balance: str = "1") -> BalanceSnapshot:
    return snap(*(bal(asset, balance) for asset in assets))


class SpyGrid(BalanceGrid):
    """Counts the repaints the grid asks for: of the whole widget, and of single lines."""

    def __init__(self) -> None:
        super().__init__(id="grid")
        self.calls: dict[str, int] = {"refresh_all": 0, "refresh_line": 0}

    def refresh(self, *regions, **kwargs):  # type: ignore[no-untyped-def]
        if not regions:
            self.calls["refresh_all"] += 1
        return super().refresh(*regions, **kwargs)

    def refresh_line(self, y: int) -> None:
        self.calls["refresh_line"] += 1
        super().refresh_line(y)

    def reset_counts(self) -> None:
        self.calls.update(dict.fromkeys(self.calls, 0))
        self.rendered_rows = 0


class GridApp(App[None]):
    """A bare app around one grid that records every AssetSelected it receives."""

    def __init__(self) -> None:
        super().__init__()
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        self.grid = SpyGrid()
        yield self.grid

    def on_balance_grid_asset_selected(self, message: BalanceGrid.AssetSelected) -> None:
        assert message.control is message.grid is self.grid
        self.selected.append(message.asset)


def row_keys(grid: BalanceGrid) -> list[str]:
    return [row.key.value for row in grid.ordered_rows]  # type: ignore[misc]


def screen_cells(grid: BalanceGrid, column: str) -> list[str]:
    """The on-screen text of `column` in every visible row, as drawn (with padding)."""
    start = 0
    for col in grid.ordered_columns:
        width = col.get_render_width(grid)
        if col.key.value == column:
            break
        start += width
    lines = [grid.render_line(y).text for y in range(1, 1 + grid.row_count)]
    return [line[start : start + width] for line in lines]


def point_offsets(cells: list[str]) -> set[int]:
    """Where each cell's decimal point is (or would be), in cells from its right edge."""
    offsets = set()
    for cell in cells:
        if "." in cell:
            point = cell.index(".")
        elif "—" in cell:
            point = cell.index("—") + 1  # a missing value sits under the units digit
        else:
            point = max(i for i, ch in enumerate(cell) if ch.isdigit()) + 1
        offsets.add(len(cell) - point)
    return offsets


async def test_the_header_keeps_its_labels_apart_before_any_answer() -> None:
    # No answer yet (or an error first): each column is as wide as its label, padded.
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        header = app.grid.render_line(0).text
        start = 0
        for column in app.grid.ordered_columns:
            width = column.get_render_width(app.grid)
            cell = header[start : start + width]
            assert cell.strip() == column.label.plain.strip(), (cell, header)
            assert cell.startswith(" ") and cell.endswith(" "), (cell, header)
            start += width


async def test_rows_columns_and_total() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        change = grid.show(
            snap(
                bal("BTC", "1.5", holdBalance="0.25", settlementBalance="0.00000001"),
                bal("USDT", "100", referralBalance="3"),
                bal("ETH", "0"),
            )
        )
        await pilot.pause()
        assert change == GridChange(added=3, removed=0, updated_cells=0)
        assert grid.cursor_type == "row"
        assert [c.key.value for c in grid.ordered_columns] == [
            "asset",
            *AMOUNT_COLUMNS,
            "value",
            "delta",
        ]
        assert [c.label.plain.strip() for c in grid.ordered_columns] == [
            "Asset",
            "Available",
            "Hold",
            "Locked (AML)",
            "Referral",
            "Other",
            "Total",
            "Value USD",
            "Δ Total",
        ]
        assert row_keys(grid) == ["BTC", "USDT", "ETH"]
        cells = grid.get_row("BTC")
        assert all(isinstance(cell, Text) for cell in cells)
        # The total includes the extra settlement field, shown in the Other column so
        # that the row's parts add up to it.
        assert grid.get_cell("BTC", "total").plain.strip() == "1.75000001"
        assert grid.get_cell("BTC", "other").plain.strip() == "0.00000001"
        assert grid.get_cell("USDT", "other").plain.strip() == "—"
        assert grid.get_cell("USDT", "total").plain.strip() == "103"
        assert grid.get_cell("USDT", "holdBalance").plain.strip() == "—"
        assert grid.get_cell("USDT", "holdBalance").style == "quiet"
        assert grid.get_cell("ETH", "balance").style == "quiet"  # zero
        assert grid.get_cell("BTC", "balance").style == ""
        assert grid.get_cell("BTC", "balance").justify == "right"
        assert grid.selected_asset == "BTC"


async def test_amounts_align_on_the_decimal_point() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(
            snap(
                bal("A", "1.5", holdBalance="12345.123"),
                bal("B", "1234567", holdBalance="0"),
                bal("C", "0.00000001"),
                bal("D", "22.10", holdBalance="7"),
                bal("E", "-3.25"),
            )
        )
        await pilot.pause()
        shown = [c.key.value for c in grid.ordered_columns]
        for column in (c for c in AMOUNT_COLUMNS if c in shown):
            cells = screen_cells(grid, column)
            assert len(point_offsets(cells)) == 1, (column, cells)
        # Read from the cells themselves too: the point sits as far from the right.
        values = [grid.get_cell(asset, "balance").plain for asset in "ACDE"]
        assert len({len(v) - v.index(".") for v in values}) == 1
        assert "1,234,567" in grid.get_cell("B", "balance").plain  # thousands separators
        assert "22.10" in grid.get_cell("D", "balance").plain  # the server's digits kept


async def test_integer_only_column_aligns_on_the_last_digit() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(snap(bal("A", "5"), bal("B", "1000000"), bal("C", "0")))
        await pilot.pause()
        cells = screen_cells(grid, "balance")
        assert all("." not in cell for cell in cells)
        assert len(point_offsets(cells)) == 1


async def test_long_fractions_are_cut_never_hidden_and_never_in_exponent_form() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(
            snap(
                bal("LONG", "0.123456789012345678"),
                bal("TINY", "1E-18"),
                bal("BIG", "1E+5", holdBalance="1.5E+3"),
                bal("ZERO", "0E-8"),
            )
        )
        await pilot.pause()
        assert grid.get_cell("LONG", "balance").plain.strip() == "0.12345678…"
        assert grid.get_cell("TINY", "balance").plain.strip() == "<0.00000001"
        assert grid.get_cell("TINY", "total").plain.strip() == "<0.00000001"
        assert grid.get_cell("BIG", "balance").plain.strip() == "100,000"
        assert grid.get_cell("BIG", "holdBalance").plain.strip() == "1,500"
        for asset in ("LONG", "TINY", "BIG", "ZERO"):
            for column in AMOUNT_COLUMNS:
                shown = grid.get_cell(asset, column).plain
                assert re.fullmatch(r"[ 0-9,.<>\-…—]+", shown), shown
        # 18 decimals would need a column 8 cells wider than the cap allows.
        assert len(screen_cells(grid, "balance")[0].strip()) == len("0.12345678…")
        assert all("e" not in line.lower() for line in screen_cells(grid, "balance"))


async def test_fraction_width_change_redraws_the_column() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(snap(bal("A", "1.5"), bal("B", "2")))
        before = grid.get_cell("A", "balance").plain
        change = grid.show(snap(bal("A", "1.5"), bal("B", "2.125")))
        await pilot.pause()
        # B's balance, total and Δ changed; A's cells got wider fraction padding.
        assert change.updated_cells == 5
        assert change.changed_assets == {"B"}
        assert grid.get_cell("A", "balance").plain != before
        assert len(point_offsets(screen_cells(grid, "balance"))) == 1


async def test_keyed_diff_touches_only_what_changed() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(snap(bal("A", "1.5"), bal("B", "2.5"), bal("C", "3.5")))
        await pilot.pause()
        grid.reset_counts()

        # An equal snapshot (new objects, same digits): no widget update at all.
        same = grid.show(snap(bal("A", "1.5"), bal("B", "2.5"), bal("C", "3.5")))
        await pilot.pause()
        assert same == GridChange()
        assert grid.calls == {"refresh_all": 0, "refresh_line": 0}
        assert grid.rendered_rows == 0

        change = grid.show(snap(bal("A", "1.5"), bal("B", "2.7"), bal("D", "4.5")))
        await pilot.pause()
        assert change == GridChange(
            added=1, removed=1, updated_cells=3, changed_assets=frozenset({"B"})
        )
        # B's balance and total, and the Δ column that shows how much it moved. Rows
        # came and went, so the whole grid is repainted, but only the lines of B (changed)
        # and D (new) are rendered again: A's comes from the cache.
        assert grid.rendered_rows == 2
        assert row_keys(grid) == ["A", "B", "D"]


async def test_same_number_written_differently_is_redrawn_but_not_a_change() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE):
        grid = app.grid
        grid.show(snap(bal("A", "1.5"), bal("B", "2.25")))
        change = grid.show(snap(bal("A", "1.50"), bal("B", "2.25")))
        assert change.changed_assets == frozenset()
        assert change.updated_cells == 2
        assert grid.get_cell("A", "balance").plain.strip() == "1.50"


async def test_new_assets_take_the_servers_position() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE):
        grid = app.grid
        grid.show(plain_assets("A", "B", "C"))
        grid.show(plain_assets("N0", "A", "B", "N1", "N2", "C", "N3"))
        assert row_keys(grid) == ["N0", "A", "B", "N1", "N2", "C", "N3"]


async def test_cursor_stays_on_its_asset_when_rows_come_and_go_before_it() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(plain_assets("A", "B", "C", "D", "E"))
        await pilot.press("down", "down", "down")
        assert grid.selected_asset == "D"

        grid.show(snap(bal("X"), bal("Y"), *(bal(a, "9.5") for a in "ABCDE")))
        await pilot.pause()
        assert grid.selected_asset == "D"
        assert grid.cursor_row == 5

        grid.show(snap(*(bal(a, "7") for a in "YCDE")))
        await pilot.pause()
        assert grid.selected_asset == "D"
        assert grid.cursor_row == 2
        await pilot.press("down")
        assert grid.selected_asset == "E"


async def test_removed_selection_moves_to_the_nearest_row() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(plain_assets("A", "B", "C", "D", "E"))
        assert grid.select_asset("C")
        grid.show(plain_assets("A", "B", "D", "E"))
        assert grid.selected_asset == "D"  # the row that followed it
        grid.select_asset("E")
        grid.show(plain_assets("A", "B", "D"))
        assert grid.selected_asset == "D"  # no row followed: the one before
        grid.show(plain_assets("A", "D"))
        await pilot.pause()
        assert grid.selected_asset == "D"
        assert grid.cursor_row == 1


async def test_scroll_position_is_kept_across_refreshes() -> None:
    app = GridApp()
    assets = [f"A{i:03}" for i in range(100)]
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(plain_assets(*assets))
        await pilot.pause()
        grid.select_asset("A060")
        await pilot.pause()
        scroll_y = grid.scroll_y
        assert scroll_y > 0

        # Change many values, drop a row far above and one below, add one at the end.
        kept = [a for a in assets if a not in ("A005", "A090")] + ["NEW"]
        grid.show(snap(*(bal(a, "2.5") for a in kept)))
        await pilot.pause()
        assert grid.selected_asset == "A060"
        assert grid.cursor_row == 59
        assert grid.scroll_y == scroll_y


async def test_filter_hides_and_restores_rows() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(plain_assets("BTC", "ETH", "WBTC", "USDT", "BTCB"))
        grid.select_asset("WBTC")
        await pilot.pause()

        grid.set_filter("bTc")
        await pilot.pause()
        assert grid.filter_text == "bTc"
        assert row_keys(grid) == ["BTC", "WBTC", "BTCB"]
        assert grid.hidden_count == 2
        assert grid.selected_asset == "WBTC"

        # Refreshes work off the whole snapshot: hidden assets still count as changed.
        change = grid.show(
            snap(bal("BTC"), bal("ETH", "5"), bal("WBTC"), bal("USDT"), bal("BTCB"), bal("XBTC"))
        )
        assert change.changed_assets == {"ETH"}
        assert change.added == 1  # XBTC matches the filter
        assert row_keys(grid) == ["BTC", "WBTC", "BTCB", "XBTC"]
        assert grid.hidden_count == 2

        grid.set_filter("")
        await pilot.pause()
        assert row_keys(grid) == ["BTC", "ETH", "WBTC", "USDT", "BTCB", "XBTC"]
        assert grid.hidden_count == 0
        assert grid.selected_asset == "WBTC"
        assert grid.get_cell("ETH", "balance").plain.strip() == "5"
        assert not grid.select_asset("NOPE")


async def test_filter_that_hides_the_selection() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        # (Pauses between the steps: AssetSelected messages posted back to back are
        # merged, the newest replacing the older ones, and each step is to be seen.)
        grid.show(plain_assets("BTC", "ETH", "USDT"))
        await pilot.pause()
        grid.select_asset("ETH")
        await pilot.pause()
        grid.set_filter("zzz")
        await pilot.pause()
        assert grid.row_count == 0
        assert grid.selected_asset is None
        assert not grid.select_asset("ETH")
        grid.set_filter("")
        await pilot.pause()
        assert grid.selected_asset == "ETH"  # back where the user was
        assert app.selected == ["BTC", "ETH", None, "ETH"]


async def test_asset_selected_posted_only_when_the_asset_changes() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        await pilot.pause()
        assert app.selected == []  # no data, nothing selected yet

        grid.show(plain_assets("A", "B", "C", "D"))
        await pilot.pause()
        assert app.selected == ["A"]  # first data arrives

        grid.show(plain_assets("A", "B", "C", "D", balance="2"))
        await pilot.pause()
        assert app.selected == ["A"]  # values only: no new selection

        await pilot.press("down")
        assert app.selected == ["A", "B"]

        grid.show(plain_assets("X", "A", "B", "C", "D"))  # inserted before: same asset
        await pilot.pause()
        assert app.selected == ["A", "B"]

        grid.show(plain_assets("X", "A", "C", "D"))  # the selected row went away
        await pilot.pause()
        assert app.selected == ["A", "B", "C"]

        await pilot.click(BalanceGrid, offset=(2, 4))  # header, X, A, C: the fourth line
        await pilot.pause()
        assert grid.selected_asset == "D"
        assert app.selected == ["A", "B", "C", "D"]

        await pilot.press("down")  # already on the last row: nothing moves
        assert app.selected == ["A", "B", "C", "D"]

        grid.show(snap())
        await pilot.pause()
        assert app.selected == ["A", "B", "C", "D", None]


async def test_markup_looking_asset_names_are_shown_literally() -> None:
    names = ["[bold]X[/]", "[link=evil]", "[red]Y"]
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(plain_assets(*names))
        await pilot.pause()
        for name in names:
            cell = grid.get_cell(name, "asset")
            assert cell.plain == name
            assert not cell.spans
        shown = screen_cells(grid, "asset")
        assert [cell.strip() for cell in shown] == names


async def test_very_long_asset_name_is_cut() -> None:
    name = "Z" * 200
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(snap(bal(name, "1.5"), bal("BTC", "2")))
        await pilot.pause()
        cell = grid.get_cell(name, "asset").plain
        assert cell.endswith("…")
        assert cell_len(cell) <= 12
        assert grid.ordered_columns[0].get_render_width(grid) <= 12 + 2
        line = grid.render_line(1).text
        assert "1.5" in line  # the amounts stay on screen
        assert grid.select_asset(name)


async def test_mark_stale_toggles_the_class() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.mark_stale(True)
        await pilot.pause()
        assert grid.has_class("-stale")
        assert grid.styles.text_style.italic
        grid.mark_stale(False)
        assert not grid.has_class("-stale")


async def _show_timed(
    grid: BalanceGrid, snapshot: BalanceSnapshot, pilot: Pilot
) -> tuple[GridChange, float]:
    start = time.perf_counter()
    change = grid.show(snapshot)
    elapsed = time.perf_counter() - start
    await pilot.pause()
    return change, elapsed


async def test_a_large_refresh_with_few_changes_is_cheap() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        first = snap(*(bal(f"A{i}", f"{i}.{i % 97}", holdBalance="0") for i in range(1000)))
        grid.show(first)
        await pilot.pause()
        grid.reset_counts()
        second = snap(
            *(bal(f"A{i}", f"{i + (i % 20 == 0)}.{i % 97}", holdBalance="0") for i in range(1000))
        )
        change, _ = await _show_timed(grid, second, pilot)
        assert len(change.changed_assets) == 50
        assert change.updated_cells == 150  # balance, total and Δ of each
        # Of the 50 changed rows, A0 and A20 are on screen: only their lines are repainted.
        assert grid.calls == {"refresh_all": 0, "refresh_line": 2}
        assert grid.rendered_rows == 2
        # How fast that is, is measured by the benchmark (python -m tui.bench), not here.


async def test_a_refresh_that_only_changes_amounts_visits_only_the_changed_rows() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(plain_assets(*(f"A{i}" for i in range(500))))
        await pilot.pause()
        arranged = 0
        rows = grid._rows  # the widget's GridRows, which sorts and filters
        visible = rows._visible

        def counted() -> list[str]:
            nonlocal arranged
            arranged += 1
            return visible()

        rows._visible = counted  # type: ignore[method-assign]
        changed = [bal(f"A{i}", "2" if i == 3 else "1") for i in range(500)]
        assert grid.show(snap(*changed)).changed_assets == {"A3"}
        grid._end_flash()
        # Neither the refresh nor the end of its highlight sorted or filtered 500 rows.
        assert arranged == 0
        assert grid.get_cell("A3", "balance").plain.strip() == "2"


async def test_a_changed_amount_still_moves_a_sorted_row_and_hides_a_zero_row() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(snap(bal("A", "3"), bal("B", "2"), bal("C", "1")))
        grid.set_sort(SortOrder("balance", descending=True))
        await pilot.pause()
        assert row_keys(grid) == ["A", "B", "C"]
        grid.show(snap(bal("A", "3"), bal("B", "2"), bal("C", "5")))
        assert row_keys(grid) == ["C", "A", "B"]
        grid.set_sort(None)
        grid.set_hide_zero(True)
        grid.show(snap(bal("A", "3"), bal("B", "0"), bal("C", "5")))
        assert row_keys(grid) == ["A", "C"]
        assert grid.hidden_zero_count == 1


async def test_columns_grow_and_shrink_with_the_values_shown() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(snap(bal("A", "1"), bal("B", "2")))
        await pilot.pause()
        narrow = grid.columns["balance"].get_render_width(grid)

        # DataTable alone would keep the old width and crop the new, wider value.
        grid.show(snap(bal("A", "1234567890"), bal("B", "2")))
        await pilot.pause()
        assert screen_cells(grid, "balance")[0].strip() == "1,234,567,890"
        assert grid.columns["balance"].get_render_width(grid) > narrow  # type: ignore[index]

        grid.set_filter("b")  # the wide value is hidden: the column narrows again
        await pilot.pause()
        assert grid.columns["balance"].get_render_width(grid) == narrow  # type: ignore[index]
        assert grid.virtual_size.width == sum(
            column.get_render_width(grid) for column in grid.ordered_columns
        )


async def test_changed_amounts_flash_and_the_delta_shows_the_move(long_flash: None) -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(snap(bal("A", "10", holdBalance="1"), bal("B", "5")))
        assert grid.get_cell("A", "delta").plain.strip() == ""
        grid.show(snap(bal("A", "12.5", holdBalance="0"), bal("B", "5")))
        await pilot.pause()
        assert grid.get_cell("A", "balance").style == "up"  # up
        assert grid.get_cell("A", "holdBalance").style == "down"  # down
        assert grid.get_cell("A", "delta").plain.strip() == "+1.5"
        assert grid.get_cell("A", "delta").style == "gain"
        assert grid.get_cell("B", "balance").style == ""  # unchanged: no highlight
        grid._end_flash()  # what the one-second timer does
        await pilot.pause()
        assert grid.get_cell("A", "balance").style == ""
        assert grid.get_cell("A", "delta").plain.strip() == "+1.5"  # until the next refresh
        # The next refresh with no change clears the Δ, and the one after touches nothing.
        grid.show(snap(bal("A", "12.5", holdBalance="0"), bal("B", "5")))
        assert grid.get_cell("A", "delta").plain.strip() == ""
        assert grid.show(snap(bal("A", "12.5", holdBalance="0"), bal("B", "5"))) == GridChange()


async def test_the_end_of_a_highlight_restyles_the_cells_without_formatting_them(
    long_flash: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A big wallet's refresh highlights a hundred rows; ending it must not cost what
    # drawing them did.
    app = GridApp()
    async with app.run_test(size=SIZE):
        grid = app.grid
        rows = grid._rows
        grid.show(snap(bal("A", "10", holdBalance="1"), bal("B", "5"), bal("C", "3")))
        grid.show(snap(bal("A", "12.5", holdBalance="0"), bal("B", "5"), bal("C", "0")))
        grid.set_filter("a")  # C's highlighted row is hidden when the highlight ends
        formatted: list[object] = []
        real = grid_cells.format_aligned

        def counted(*args: object) -> str:
            formatted.append(args)
            return real(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(grid_cells, "format_aligned", counted)
        grid._end_flash()
        assert formatted == []
        monkeypatch.undo()
        # Every row shown is what drawing it afresh gives.
        for asset in rows.shown:
            assert rows.drawn[asset].cells[1:] == rows._render_amounts(asset)
        assert grid.get_cell("A", "balance").style == ""
        assert grid.get_cell("A", "holdBalance").style == "quiet"  # down to zero
        grid.set_filter("")
        assert grid.get_cell("C", "balance").style == "quiet"
        assert grid.get_cell("C", "delta").plain.strip() == "-3"


async def test_a_withdrawal_shows_a_negative_delta_exactly(long_flash: None) -> None:
    app = GridApp()
    async with app.run_test(size=SIZE):
        grid = app.grid
        grid.show(snap(bal("ETH", "1.000000000000000001")))
        grid.show(snap(bal("ETH", "0.5")))
        assert grid.get_cell("ETH", "delta").plain.strip() == "-0.50000000…"
        assert grid.get_cell("ETH", "delta").style == "loss"
        assert grid.get_cell("ETH", "balance").style == "down"


async def test_the_highlight_ends_by_itself() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(snap(bal("A", "1")))
        grid.show(snap(bal("A", "2")))
        assert grid.get_cell("A", "balance").style == "up"
        # Nothing else happens: the flash's own timer ends it.
        await wait_until(pilot, lambda: grid.get_cell("A", "balance").style == "")


async def test_keys_move_the_cursor_and_the_header_stays_on_top() -> None:
    app = GridApp()
    assets = [f"A{i:03}" for i in range(100)]
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(plain_assets(*assets))
        grid.focus()
        await pilot.pause()
        page = grid.scrollable_content_region.height - 1  # rows under the header
        await pilot.press("pagedown")
        assert grid.cursor_row == page
        await pilot.press("end")
        assert grid.selected_asset == "A099"
        assert grid.scroll_y > 0
        assert grid.render_line(0).text.split()[0] == "Asset"  # the header did not scroll
        last = grid.scrollable_content_region.height - 1
        assert grid.render_line(last).text.split()[0] == "A099"
        await pilot.press("up", "home")
        assert grid.selected_asset == "A000"
        assert grid.scroll_y == 0
        assert app.selected[-3:] == ["A099", "A098", "A000"]


async def test_a_narrow_grid_scrolls_sideways_by_whole_columns_under_the_asset() -> None:
    app = GridApp()
    async with app.run_test(size=(40, 12)) as pilot:
        grid = app.grid
        grid.show(snap(bal("BTC", "1.5", holdBalance="2.25"), bal("ETH", "3")))
        grid.focus()
        await pilot.pause()
        assert grid.virtual_size.width > grid.size.width
        columns = grid.ordered_columns
        asset_width, available_width = (c.get_render_width(grid) for c in columns[:2])
        await pilot.press("right")  # one column: Available goes out of view
        assert grid.scroll_x == available_width
        header, row = grid.render_line(0).text, grid.render_line(1).text
        assert len(header) == len(row) == grid.scrollable_content_region.width
        # The asset column stays put; the header says there is more on each side.
        assert header.replace("←", "← ").split()[:3] == ["Asset", "←", "Hold"]
        assert header.rstrip().endswith("→")
        assert row.split()[:2] == ["BTC", "2.25"]
        # A click on the header is read in the scrolled columns: Hold, not Available...
        await pilot.click(BalanceGrid, offset=(asset_width + 3, 0))
        assert grid.current_sort is not None and grid.current_sort.column == columns[2].key.value
        # ...and on the asset column where it stands.
        await pilot.click(BalanceGrid, offset=(2, 0))
        assert grid.current_sort.column == "asset"
        await pilot.press("left")
        assert grid.scroll_x == 0


async def test_a_wider_delta_repaints_the_header_and_that_row_only() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(snap(bal("A", "1"), bal("B", "1000000"), bal("C", "3")))
        await pilot.pause()
        grid.reset_counts()
        grid.show(snap(bal("A", "1"), bal("B", "3000000"), bal("C", "3")))
        await pilot.pause()
        # The Δ column (the last) widened: nothing moves, so no whole repaint; the header
        # (its label is right-aligned) and B's line are repainted.
        assert grid.calls == {"refresh_all": 0, "refresh_line": 2}
        assert screen_cells(grid, "delta")[1].strip() == "+2,000,000"
        header = grid.render_line(0).text
        start = sum(c.get_render_width(grid) for c in grid.ordered_columns[:-1])
        width = grid.ordered_columns[-1].get_render_width(grid)
        assert header[start : start + width].rstrip().endswith("Δ Total")
        assert grid.virtual_size.width == start + width


async def test_a_refresh_looks_only_at_the_assets_that_are_new_objects() -> None:
    # The client hands over the same objects for unchanged assets; equal amounts in new
    # objects (the first answer after the start-up prefetch's) are compared once, and
    # from then on those assets are known by identity again.
    from tui.ui.widgets import grid_rows

    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        compared: list[int] = []
        original = grid_rows.same_digits

        def counting(old, new):  # type: ignore[no-untyped-def]
            compared.append(1)
            return original(old, new)

        grid_rows.same_digits = counting  # type: ignore[assignment]
        try:
            grid.show(plain_assets(*(f"A{i}" for i in range(300))))
            fresh = plain_assets(*(f"A{i}" for i in range(300)))  # equal, new objects
            assert grid.show(fresh).changed_assets == frozenset()
            assert len(compared) == 300
            compared.clear()
            balances = list(fresh.balances)
            balances[7] = bal("A7", "2")
            change = grid.show(snap(*balances))  # the client's objects, one asset changed
            assert change.changed_assets == {"A7"}
            assert len(compared) == 1  # A7 alone: the 299 others were known by identity
            assert grid.get_cell("A7", "balance").plain.strip() == "2"
            # The very same snapshot again: nothing changes, the highlight goes.
            again = grid._rows.snapshot
            assert again is not None
            assert grid.show(again).changed_assets == frozenset()
            assert len(compared) == 1
            assert grid.get_cell("A7", "balance").style == ""  # no longer highlighted
        finally:
            grid_rows.same_digits = original  # type: ignore[assignment]
        await pilot.pause()


async def test_assets_that_swap_places_or_get_replaced_keep_the_grid_right() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        a, b, c = bal("A", "1"), bal("B", "2"), bal("C", "3")
        grid.show(snap(a, b, c))
        assert grid.show(snap(b, a, c)).changed_assets == frozenset()
        assert row_keys(grid) == ["A", "B", "C"]  # known assets keep their rows
        change = grid.show(snap(b, bal("D", "4"), c))  # A went, D came in its place
        assert (change.added, change.removed) == (1, 1)
        assert row_keys(grid) == ["B", "D", "C"]
        await pilot.pause()


async def test_the_delta_column_narrows_when_the_change_is_gone() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        first = snap(bal("A", "1.00000000"), bal("B", "5"))
        grid.show(first)
        width = grid.columns["delta"].content_width
        moved = snap(bal("A", "0.99999999"), first.balances[1])
        grid.show(moved)
        assert grid.get_cell("A", "delta").plain.strip() == "-0.00000001"
        assert grid.columns["delta"].content_width > width
        grid.show(moved)  # nothing moved since: the Δ goes, and the column narrows back
        assert grid.get_cell("A", "delta").plain.strip() == ""
        assert grid.columns["delta"].content_width == width
        await pilot.pause()
