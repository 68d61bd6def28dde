"""`wallet-tui history`: what was recorded, printed for scripts, exact."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli_harness import run
from tests.history_fixtures import asset, snapshot
from tui.cli.history_command import parse_since
from tui.config.settings import default_history_path
from tui.config.values import ConfigError
from tui.history.store import HistoryStore

URL = "https://api.exchange.example"
T0 = datetime(2026, 11, 25, 12, 0).astimezone().timestamp()


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No config file of the developer's (nor the conftest's named, absent one)."""
    monkeypatch.delenv("WALLET_TUI_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    store.append_balances(URL, None, T0 - 7200, snapshot(asset("BTC", "1.5"), asset("USDT", "10")))
    store.append_balances(
        URL,
        None,
        T0 - 60,
        snapshot(asset("BTC", "1.500000000000000001"), asset("USDT", "10")),
        {"BTC": Decimal("150000.0000001")},
        "USD",
    )
    store.append_balances("https://other.example", None, T0, snapshot(asset("BTC", "9")))
    store.append_alert(
        URL, None, T0 - 60, "deposit", "BTC available +0.000000000000000001", {"change": "1E-18"}
    )
    store.close()
    return path




def test_json_of_one_exchange_exact(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history", "--history-file", str(db), "--base-url", URL, "--json")
    assert code == 0
    records = json.loads(out)
    assert [(r["asset"], r["balance"], r["total"]) for r in records] == [
        ("BTC", "1.5", "1.5"),
        ("USDT", "10", "10"),
        ("BTC", "1.500000000000000001", "1.500000000000000001"),
    ]
    assert (records[2]["value"], records[2]["quote"]) == ("150000.0000001", "USD")
    assert records[0]["value"] is None
    assert records[0]["baseUrl"] == URL and records[0]["walletId"] is None


def test_asset_and_since_narrow_it(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "history", "btc", "--history-file", str(db), "--since", "2026-11-25T11:30", "--csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["baseUrl"], r["total"]) for r in rows] == [
        (URL, "1.500000000000000001"),
        ("https://other.example", "9"),
    ]


def test_table_aligns_amounts_on_the_point(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history", "BTC", "--history-file", str(db), "--base-url", URL)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["time", "asset"]
    points = {line.index(".") for line in lines[2:] if "1.5" in line}
    assert len(points) == 1  # "1.5" and "1.500000000000000001" share the point's column
    assert "baseUrl" not in lines[0]  # one exchange: no column for it


def test_alerts(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history", "--alerts", "--history-file", str(db), "--json")
    assert code == 0
    (alert,) = json.loads(out)
    assert alert["rule"] == "deposit" and alert["detail"] == {"change": "1E-18"}
    code, out, _ = run(capsys, "history", "--alerts", "--history-file", str(db))
    assert "BTC available +0.000000000000000001" in out


def test_no_history_yet_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "none.sqlite3"
    code, out, err = run(capsys, "history", "--history-file", str(path), "--json")
    assert (code, out) == (0, "[]\n")
    assert "no history recorded yet" in err
    assert not path.exists()


def test_the_default_path_is_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_history_path() == tmp_path / "wallet-tui" / "history.sqlite3"


def test_a_corrupt_database_exits_4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "history", "--history-file", str(path))
    assert code == 4 and "not a SQLite database" in err


def test_since_spans() -> None:
    now = datetime(2026, 11, 25, 12, 0).astimezone()
    assert (now - parse_since("24h", now)).total_seconds() == 86400
    assert (now - parse_since("7d", now)).days == 7
    assert parse_since("2026-11-01", now).tzinfo is not None
    with pytest.raises(ConfigError, match="neither a span"):
        parse_since("yesterday", now)


def test_bad_since_exits_2(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "history", "--history-file", str(db), "--since", "soon")
    assert code == 2 and "--since" in err


def test_an_unparsable_alert_rule_is_refused_at_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--alert", "BTC total >> 2")
    assert code == 2
    assert "alert rule refused" in err and "BTC total >> 2" in err
    config = tmp_path / "config.toml"
    config.write_text(
        '[[alerts]]\nrule = "USDT available < 1000"\n\n[[alerts]]\nrule = "nonsense"\n'
    )
    code, _, err = run(capsys, "--config", str(config))
    assert code == 2 and "alerts" in err and "'nonsense'" in err


def test_alert_settings_from_the_config_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'history_days = 30\non_alert = "cat >> alerts.log"\n\n'
        '[[alerts]]\nrule = "USDT available < 1000"\n\n[[alerts]]\nrule = "offline > 5m"\n'
    )
    code, out, _ = run(capsys, "config", "--config", str(config))
    assert code == 0
    assert "USDT available < 1000, offline > 5m" in out and "cat >> alerts.log" in out
    code, out, _ = run(
        capsys, "config", "--config", str(config), "--alert", "deposit", "--no-history"
    )
    assert "alerts           deposit" in out and "history          False" in out


def in_cells(line: str) -> list[str]:
    """`line` as the terminal lays it out: one entry per cell (a wide character fills two:
    itself and ""; a combining mark joins the cell before it)."""
    from rich.cells import cell_len

    out: list[str] = []
    for ch in line:
        width = cell_len(ch)
        if width == 0 and out:
            out[-1] += ch
        else:
            out.extend([ch] + [""] * (width - 1))
    return out


def test_the_table_pads_wide_asset_names_by_display_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ["BTC", "比特币", "🪙COIN", "ｗｉｄｅ", "e\u0301x", "币🙂"]
    amounts = ["1.5", "0.000000000000000001", "12345.25", "7", "0.5", "3.125"]
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    store.append_balances(
        URL, None, T0 - 60, snapshot(*(asset(n, a) for n, a in zip(names, amounts, strict=True)))
    )
    store.close()
    code, out, _ = run(capsys, "history", "--history-file", str(path), "--base-url", URL)
    assert code == 0
    header, dashes, *rows = out.splitlines()
    assert header.split()[:3] == ["time", "asset", "balance"] and len(rows) == len(names)
    # Each column's cells, as the dashes under its name mark them.
    spans, start = [], None
    for x, ch in enumerate(dashes + " "):
        if ch == "-" and start is None:
            start = x
        elif ch != "-" and start is not None:
            spans.append((start, x))
            start = None
    for line, name, amount in zip(rows, names, amounts, strict=True):
        cells = in_cells(line) + [" "] * len(dashes)
        shown = ["".join(cells[a:b]) for a, b in spans]
        # Every value whole, inside its own column's cells: never pushed out by a wide name.
        assert shown[1].rstrip() == name, (line, shown)
        assert shown[2].strip() == amount and shown[4].strip() == amount, (line, shown)
        assert shown[3].strip() == "0"
    # Amounts line up on the point, counted in cells.
    points = {in_cells(line).index(".") for line in rows if "." in line[30:]}
    assert len(points) == 1, rows
