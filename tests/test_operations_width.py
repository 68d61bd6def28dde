"""The operations table never cuts server text or an amount without a mark, at any width.

Every cell on screen is its value whole, or a prefix of it ended by "…" (counted in
terminal cells: a CJK character or an emoji takes two and is never split); a column
the view cuts while scrolling sideways is blanked, as in the balance grid.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult

from tests.app_harness import resize_for_layout
from tui.api.operations import Operation
from tui.api.parse_operations import parse_operation
from tui.ui.cell_fit import ELLIPSIS, fit, fit_text
from tui.ui.widgets.grid_edges import LEFT, RIGHT
from tui.ui.widgets.operations_table import COLUMNS, OperationsTable, fit_widths

ARROWS = {LEFT, RIGHT}

#: Long and wide server text: UUIDs, longer ids, CJK and emoji in ids, types and assets.
ITEMS = [
    {
        "id": "9b2f0c1e-5d43-4a8e-9f61-2c7d3e8a4b10",
        "type": "WithdrawWithExchange",
        "status": "Processing",
        "sourceAsset": "USDT",
        "sourceAmount": "1234567.123456789012345678",
        "targetAsset": "BTC",
        "targetAmount": "0.000000000000000001",
        "createdAt": "2026-11-25T14:10:03.000Z",
    },
    {
        "id": "操作-编号-0000000000000000000000000000000000000001",
        "type": "入金🎉入金",
        "status": "OnHold",
        "sourceAsset": "币安币🙂",
        "sourceAmount": "0.5",
        "targetAsset": "币安币🙂",
        "targetAmount": "0.5",
        "createdAt": "2026-11-25T14:11:03.000Z",
    },
    {
        "id": "x" * 90,
        "type": "DepositWithExchange",
        "status": "某个很长的状态名称",
        "sourceAsset": "A" * 30,
        "sourceAmount": "42",
        "targetAsset": "ETH",
        "targetAmount": "26230.101302460202605",
        "createdAt": "2026-11-25T14:12:03.000Z",
    },
]


def operations() -> list[Operation]:
    return [parse_operation(item) for item in ITEMS]


def strip_text(table: OperationsTable, y: int) -> str:
    return "".join(segment.text for segment in table.render_line(y))


def check_token(token: str, whole: list[str]) -> bool:
    """`token` is one of the row's whole words, or a marked prefix of one."""
    if token in whole or token in ARROWS:
        return True
    if not token.endswith(ELLIPSIS):
        return False
    return any(word.startswith(token[:-1]) and word != token[:-1] for word in whole)


def check_view(table: OperationsTable, where: str, *, anywhere: bool = False) -> None:
    header = strip_text(table, 0).replace(LEFT, f"{LEFT} ").replace(RIGHT, f" {RIGHT}").split()
    assert all(check_token(t, list(COLUMNS)) for t in header), f"{where}: header {header}"
    for y in range(1, table.row_count + 1):
        row = y - 1 + round(table.scroll_y)
        whole = [word for cell in table.get_row(table.operations[row].id) for word in cell.plain.split()]
        tokens = strip_text(table, y).split()
        assert tokens or anywhere, f"{where}: row {row} is empty"
        cut = [t for t in tokens if not check_token(t, whole)]
        assert not cut, f"{where}: row {row} shows {cut}, cut from {whole}"


class TableAlone(App[None]):
    def compose(self) -> ComposeResult:
        yield OperationsTable()


async def test_no_cell_is_cut_without_a_mark_at_any_width_or_scroll_position() -> None:
    app = TableAlone()
    async with app.run_test(size=(200, 12)) as pilot:
        table = app.query_one(OperationsTable)
        table.show(operations())
        for width in range(40, 201):
            await resize_for_layout(pilot, table, width, 12)
            table.scroll_to(x=0, animate=False, immediate=True)
            check_view(table, f"{width} columns")
            seen = {0}
            while table.max_scroll_x:  # right, column by column, to the far end
                table.action_scroll_right()
                x = round(table.scroll_x)
                if x in seen:
                    break
                seen.add(x)
                check_view(table, f"{width} columns, scrolled to {x}")
            if table.max_scroll_x:
                assert round(table.scroll_x) == table.max_scroll_x, "the rest is reachable"
                for x in range(1, table.max_scroll_x + 1, 4):  # and by the scroll bar's cells
                    table.scroll_to(x=x, animate=False, immediate=True)
                    check_view(table, f"{width} columns, dragged to {x}", anywhere=True)


async def test_at_120_columns_ids_are_cut_with_a_mark_and_the_amounts_stay_whole() -> None:
    app = TableAlone()
    async with app.run_test(size=(120, 12)) as pilot:
        table = app.query_one(OperationsTable)
        table.show(operations()[:1])
        await pilot.pause()
        line = strip_text(table, 1)
        assert line.rstrip().endswith("9b2f0c1e…")
        assert "1,234,567.123456789012345678 USDT" in line
        assert "0.000000000000000001 BTC" in line
        assert table.max_scroll_x == 0, "it fits: nothing to scroll to"
        assert RIGHT not in strip_text(table, 0) and LEFT not in strip_text(table, 0)
        # The data stays whole: Enter's details and copies read the operation, not the screen.
        assert table.get_row(ITEMS[0]["id"])[-1].plain == ITEMS[0]["id"]
        await pilot.resize_terminal(200, 12)
        await pilot.pause()
        assert strip_text(table, 1).rstrip().endswith(ITEMS[0]["id"]), "wide enough: whole"


def test_fit_counts_cells_and_never_splits_a_wide_character() -> None:
    assert fit("abc", 3) == "abc"
    assert fit("abcd", 3) == "ab…"
    assert fit("币安币", 6) == "币安币"
    assert fit("币安币", 5) == "币安…"
    assert fit("币安币", 4) == "币…"  # 3 cells: half of 安 would show: left out
    assert fit("a🙂b", 3) == "a…"
    assert fit("abc", 1) == "…" and fit("abc", 0) == ""
    for width in range(1, 12):
        for text in ("币安币🙂x", "x" * 10, "a币b安c"):
            shown = fit(text, width)
            assert cell_len(shown) <= width
            assert shown == text or (shown.endswith(ELLIPSIS) and text.startswith(shown[:-1]))
    styled = fit_text(Text("abcdef", style="red"), 4)
    assert styled.plain == "abc…" and str(styled.style) == "red"


def test_the_id_type_and_status_give_way_first_and_amounts_never() -> None:
    natural = [14, 20, 10, 30, 30, 36]
    assert fit_widths(natural, 200) == natural
    widths = fit_widths(natural, 120)
    assert widths[3:5] == [30, 30] and widths[0] == 14
    assert sum(widths) + 2 * 5 == 120
    tight = fit_widths(natural, 60)
    assert tight == [14, 8, 10, 30, 30, 9], "down to their minimums; the rest scrolls"
