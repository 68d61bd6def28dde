"""The one-shot renderings: aligned table, exact JSON, spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest

from tui.api.models import BalanceSnapshot
from tui.api.parse import parse_balance_response
from tui.cli.output import csv_safe, render_csv, render_json, render_table

TINY = "0.000000000000000001"
HUGE = "123456789012345678901234567890"  # 30 digits: beyond a float, beyond Decimal's 28
PAYLOAD: dict[str, Any] = {
    "data": [
        {
            "asset": "BTC",
            "balance": "0.5",
            "holdBalance": "0",
            "lockBalance": "12.00000001",
            "referralBalance": "0",
            "depositAddress": {"BTC": {"address": "bc1qxyz", "memo": None}},
        },
        {
            "asset": "ETH",
            "balance": TINY,
            "holdBalance": HUGE,
            "lockBalance": "0",
            "referralBalance": "0",
            "settlementBalance": "-3.5",
            "depositAddress": None,
        },
        {
            "asset": "XRP",
            "balance": "100",
            "holdBalance": "1",
            "lockBalance": "0",
            "depositAddress": {
                "XRP": {"address": "rAddr", "memo": "12345"},
                "BSC": {"address": "0xabc", "memo": None},
            },
        },
    ]
}


def snapshot(payload: dict[str, Any] = PAYLOAD, wallet_id: str | None = None) -> BalanceSnapshot:
    """Through the real parser, as the data arrives from the server."""
    return parse_balance_response(json.dumps(payload).encode(), wallet_id=wallet_id)


def test_table_is_aligned_on_the_decimal_point() -> None:
    lines = render_table(snapshot()).splitlines()
    assert lines[:5] == [
        "Asset               Available                            Hold  Locked (AML)  Referral  Settlement                                              Total",
        "-----  ----------------------  ------------------------------  ------------  --------  ----------  -------------------------------------------------",
        "BTC      0.5                                                0   12.00000001         0                                          12.50000001",
        "ETH      0.000000000000000001  123456789012345678901234567890    0                  0        -3.5  123456789012345678901234567886.500000000000000001",
        "XRP    100                                                  1    0                                                            101",
    ]


def column(text: str, index: int) -> list[str]:
    """The cells of column `index` of the first table in `text`, found from its rule line."""
    lines = text.splitlines()
    spans = [m.span() for m in re.finditer(r"-+", lines[1])]
    begin, end = spans[index]
    return [line.ljust(end)[begin:end] for line in lines[2:] if line]


def test_table_columns_share_one_decimal_point_position() -> None:
    values = ["1.5", "1234", "0.000001", "-20.25"]
    payload = {"data": [{"asset": f"A{i}", "balance": v} for i, v in enumerate(values)]}
    cells = column(render_table(snapshot(payload)), 1)
    assert [cell.strip() for cell in cells] == values
    point = cells[0].index(".")
    assert all(cell.index(".") == point for cell in cells if "." in cell.strip())
    # A whole number ends just where the point would be, the fraction space left blank.
    assert cells[1][:point].endswith("1234") and not cells[1][point:].strip()


def test_table_shows_every_digit() -> None:
    text = render_table(snapshot())
    assert TINY in text and HUGE in text
    assert "E-" not in text and "E+" not in text


def test_table_lists_deposit_addresses_with_memos() -> None:
    text = render_table(snapshot())
    section = text.split("Deposit addresses\n", 1)[1].splitlines()
    assert section[0].split() == ["Asset", "Network", "Address", "Memo"]
    assert [line.split() for line in section[2:]] == [
        ["BTC", "BTC", "bc1qxyz"],
        ["XRP", "XRP", "rAddr", "12345"],
        ["XRP", "BSC", "0xabc"],
    ]


def test_table_of_an_empty_wallet_and_a_named_wallet() -> None:
    assert render_table(snapshot({"data": []})) == "No assets.\n"
    text = render_table(snapshot(wallet_id="w-1"), snapshot({"data": []}, wallet_id="w-2"))
    assert text.startswith("Wallet w-1\n")
    assert text.endswith("\n\nWallet w-2\nNo assets.\n")


def test_json_round_trips_exactly() -> None:
    original = snapshot()
    records = json.loads(render_json(original))
    assert [r["asset"] for r in records] == ["BTC", "ETH", "XRP"]
    for record, asset in zip(records, original, strict=True):
        for name, value in asset.amounts:
            assert isinstance(record[name], str)
            assert Decimal(record[name]) == value
        assert Decimal(record["total"]) == asset.total
    eth = records[1]
    assert eth["balance"] == TINY
    assert eth["holdBalance"] == HUGE
    assert eth["total"] == "123456789012345678901234567886.500000000000000001"


def test_json_shape() -> None:
    btc, eth, xrp = json.loads(render_json(snapshot()))
    # Every object has the same keys: a field an asset lacks is null.
    assert list(btc) == [
        "walletId",
        "asset",
        "balance",
        "holdBalance",
        "lockBalance",
        "referralBalance",
        "settlementBalance",
        "depositAddress",
        "total",
    ]
    assert btc["settlementBalance"] is None and eth["settlementBalance"] == "-3.5"
    assert xrp["referralBalance"] is None
    assert btc["depositAddress"] == {"BTC": {"address": "bc1qxyz", "memo": None}}
    assert eth["depositAddress"] is None
    assert xrp["depositAddress"]["XRP"] == {"address": "rAddr", "memo": "12345"}


def test_json_names_the_wallet_when_one_was_asked_for() -> None:
    records = json.loads(render_json(snapshot(wallet_id="w-1"), snapshot(wallet_id="w-2")))
    assert [(r["walletId"], r["asset"]) for r in records][:4] == [
        ("w-1", "BTC"),
        ("w-1", "ETH"),
        ("w-1", "XRP"),
        ("w-2", "BTC"),
    ]


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_one_row_per_asset_and_network() -> None:
    text = render_csv(snapshot())
    assert text.splitlines()[0] == (
        "walletId,asset,network,address,memo,balance,holdBalance,lockBalance,referralBalance,"
        "settlementBalance,total"
    )
    rows = read_csv(text)
    assert [(r["asset"], r["network"], r["address"], r["memo"]) for r in rows] == [
        ("BTC", "BTC", "bc1qxyz", ""),
        ("ETH", "", "", ""),
        ("XRP", "XRP", "rAddr", "12345"),
        ("XRP", "BSC", "0xabc", ""),
    ]
    eth = rows[1]
    assert eth["balance"] == TINY and eth["holdBalance"] == HUGE
    assert eth["settlementBalance"] == "-3.5"  # a negative number stays a number
    assert rows[0]["settlementBalance"] == ""  # not reported for BTC


def test_csv_guards_against_formula_injection() -> None:
    payload = {
        "data": [
            {
                "asset": "=EVIL",
                "balance": "1",
                "depositAddress": {
                    "+NET": {"address": '=HYPERLINK("http://x")', "memo": "@SUM(A1)"},
                    "ok": {"address": "-2+3", "memo": "-5"},
                },
            }
        ]
    }
    rows = read_csv(render_csv(snapshot(payload)))
    assert (rows[0]["asset"], rows[0]["network"]) == ("'=EVIL", "'+NET")
    assert rows[0]["address"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["memo"] == "'@SUM(A1)"
    assert (rows[1]["address"], rows[1]["memo"]) == ("'-2+3", "-5")


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-3.5", "-3.5"),
        ("+7", "+7"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_csv_safe(cell: str, safe: str) -> None:
    assert csv_safe(cell) == safe


def test_csv_with_wallets_has_a_wallet_column() -> None:
    rows = read_csv(render_csv(snapshot(wallet_id="w-1")))
    assert {r["walletId"] for r in rows} == {"w-1"}


def test_script_output_keeps_its_shape_whatever_the_data() -> None:
    """Columns and keys do not come and go with the data: the standard fields always,
    walletId always, then other *Balance fields sent by name (A-Z)."""
    plain = parse_balance_response(json.dumps({"data": [{"asset": "BTC", "balance": "1"}]}))
    header = render_csv(plain).splitlines()[0]
    assert header == (
        "walletId,asset,network,address,memo,balance,holdBalance,lockBalance,referralBalance,"
        "settlementBalance,total"
    )
    (record,) = json.loads(render_json(plain))
    assert record["walletId"] is None and record["settlementBalance"] is None
    assert list(record) == [*header.split(",")[:2], *header.split(",")[5:-1],
                            "depositAddress", "total"]  # fmt: skip

    extra = parse_balance_response(
        json.dumps(
            {
                "data": [
                    {"asset": "A", "balance": "1", "zetaBalance": "2"},
                    {"asset": "B", "balance": "1", "alphaBalance": "3"},
                ]
            }
        )
    )
    assert (
        render_csv(extra)
        .splitlines()[0]
        .endswith("settlementBalance,alphaBalance,zetaBalance,total")
    )
    records = json.loads(render_json(extra))
    assert list(records[0]) == list(records[1])
    assert records[0]["alphaBalance"] is None and records[1]["zetaBalance"] is None


def test_readme_examples_are_what_the_program_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """The README's CSV and JSON examples, run as written against the demo."""
    import os
    import shlex
    from pathlib import Path

    from tui.cli.main import main
    from tui.config import settings as config

    for name in [n for n in os.environ if n.startswith("WALLET_TUI_")]:
        monkeypatch.delenv(name)
    monkeypatch.setattr(config, "default_config_path", lambda: tmp_path / "none.toml")

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    examples = re.findall(
        r"\$ (wallet-tui --demo balances [^\n]*)\n(.*?)(?=\n\$ |\n```)", readme, re.S
    )
    assert len(examples) == 2
    for command, shown in examples:
        assert main(shlex.split(command)[1:]) == 0
        assert capsys.readouterr().out == shown + "\n", command
