"""`wallet-tui balances` pads by display width: wide asset names keep the columns in line."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.api.parse import parse_balance_response
from tui.cli.output import render_table
from tui.cli.width import display_width, pad_left, pad_right

NAMES = ["BTC", "比特币", "🪙COIN", "ÉTH", "e\u0301x", "👨‍👩‍👧FAM", "ｗｉｄｅ"]


def table_for(names: list[str], memo: str | None = None) -> list[str]:
    items = [
        {
            "asset": name,
            "balance": f"{n}.5",
            "depositAddress": {"网络": {"address": f"addr{n}", "memo": memo}},
        }
        for n, name in enumerate(names)
    ]
    snapshot = parse_balance_response(json.dumps({"data": items}).encode())
    return render_table(snapshot).splitlines()


def column_starts(line: str) -> list[int]:
    """The cell offsets where each run of non-spaces after a two-space gap begins."""
    starts, cells, gap = [], 0, 2
    for ch in line:
        if ch != " " and gap >= 2:
            starts.append(cells)
        gap = gap + 1 if ch == " " else 0
        cells += cell_len(ch)
    return starts


def test_every_row_of_the_balance_table_starts_its_columns_in_the_same_cells() -> None:
    lines = table_for(NAMES)
    table = lines[: 2 + len(NAMES)]
    # Right-aligned amounts: every line of the table ends in the same cell.
    ends = {cell_len(line) for line in table}
    assert len(ends) == 1, table
    addresses = lines[lines.index("Deposit addresses") + 1 :]
    starts = {tuple(column_starts(line)[:3]) for line in addresses}
    assert len(starts) == 1, addresses


@given(
    st.lists(
        st.text(min_size=1, max_size=6).map(str.strip).filter(bool),
        min_size=1,
        max_size=6,
        unique=True,
    )
)
def test_any_names_keep_the_table_in_line(names: list[str]) -> None:
    try:
        lines = table_for(names)
    except Exception:  # names the parser refuses (controls, clashes after cleaning)
        return
    table = lines[: 2 + len(names)]
    assert len({cell_len(line) for line in table}) == 1


@given(st.text(max_size=12), st.integers(min_value=0, max_value=30))
def test_padding_reaches_the_width_in_cells(text: str, width: int) -> None:
    for padded in (pad_right(text, width), pad_left(text, width)):
        assert display_width(padded) == max(width, display_width(text))
        assert text in padded


def test_the_operations_table_keeps_wide_ids_types_and_assets_whole_and_in_line() -> None:
    from tui.api.parse_operations import parse_operation
    from tui.cli.operations_output import render_table as render_operations

    items = [
        ("9b2f0c1e-5d43-4a8e-9f61-2c7d3e8a4b10", "WithdrawWithExchange", "USDT", "1234.5"),
        ("操作-编号-0000000000000000000000000000000001", "入金🎉", "币安币🙂", "0.000000000000000001"),
        ("x" * 90, "Deposit", "🪙COIN", "26230.101302460202605"),
        ("id\x1b[31m-red", "Transfer", "ｗｉｄｅ", "1"),
    ]
    ops = [
        parse_operation(
            {
                "id": op_id,
                "type": kind,
                "status": "Processing",
                "sourceAsset": name,
                "sourceAmount": amount,
                "targetAsset": name,
                "targetAmount": amount,
                "createdAt": f"2026-11-25T14:1{n}:03.000Z",
            }
        )
        for n, (op_id, kind, name, amount) in enumerate(items)
    ]
    lines = render_operations(ops).splitlines()
    assert len(lines) == 2 + len(items)
    starts = {tuple(column_starts(line)) for line in [lines[0], *lines[2:]]}
    assert len(starts) == 1, lines
    text = "\n".join(lines)
    for op_id, kind, name, _amount in items[:3]:
        assert op_id in text and kind in text and name in text  # whole, never cut
    assert "1,234.5 USDT" in text and "0.000000000000000001 币安币🙂" in text
    assert "\x1b" not in text and "id[31m-red" in text  # server text: controls removed
