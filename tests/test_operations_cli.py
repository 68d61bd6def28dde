"""`wallet-tui operations`: paging through the sandbox over loopback HTTP, exact output."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli_harness import run, without_user_settings
from tui.cli import operations_command
from tui.sandbox.faults import Fault
from tui.sandbox.server import RunningSandbox
from tui.sandbox.wallet import DEMO_API_KEY


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No WALLET_TUI_* from the developer's shell, no config file, no terminal."""
    without_user_settings(monkeypatch, tmp_path, terminal=False)


@pytest.fixture(scope="module")
def sandbox(sandbox: RunningSandbox) -> RunningSandbox:
    """The module's sandbox, with a few dozen operations, some still pending."""
    sandbox.exchange.advance(30)
    return sandbox


@pytest.fixture
def url(url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The sandbox's URL, with the demo API key in the environment."""
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    return url


def find_calls(sandbox: RunningSandbox) -> int:
    return sum(1 for r in sandbox.exchange.requests if r.path == "/v2/operation/find")


def test_json_pages_through_everything_with_exact_amounts(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: RunningSandbox,
    url: str,
) -> None:
    monkeypatch.setattr(operations_command, "PAGE_SIZE", 4)
    expected = sandbox.exchange.operations_payload()["data"]
    before = find_calls(sandbox)
    code, out, err = run(capsys, "operations", "--json", "--base-url", url)
    assert (code, err) == (0, "")
    records = json.loads(out)
    assert [r["id"] for r in records] == [item["id"] for item in expected]
    assert records == expected  # every field, every digit, as the server sent it
    assert find_calls(sandbox) - before == -(-len(expected) // 4) + 1  # until an empty page
    assert any(Decimal(r["sourceAmount"]).as_tuple().exponent == -18 for r in records)


def test_asset_status_and_since_filters(
    capsys: pytest.CaptureFixture[str], sandbox: RunningSandbox, url: str
) -> None:
    code, out, _ = run(capsys, "operations", "--json", "--asset", "BTC", "--base-url", url)
    records = json.loads(out)
    assert code == 0 and records
    assert all("BTC" in (r["sourceAsset"], r["targetAsset"]) for r in records)
    assert any(r["type"] == "CryptoExchange" for r in records)  # USDT -> BTC counts for BTC
    code, out, _ = run(capsys, "operations", "--csv", "--status", "OnHold", "--base-url", url)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows and {row["status"] for row in rows} == {"OnHold"}
    assert "reason" in rows[0]  # the server's extra fields are columns too
    newest = sandbox.exchange.operations_payload()["data"][1]["createdAt"]
    code, out, _ = run(capsys, "operations", "--json", "--since", newest, "--base-url", url)
    assert code == 0 and len(json.loads(out)) == 2


def test_the_table_is_newest_first_in_local_time(
    capsys: pytest.CaptureFixture[str], sandbox: RunningSandbox, url: str
) -> None:
    code, out, _ = run(capsys, "operations", "--base-url", url)
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["Time", "Type", "Status", "Source", "Target", "Id"]
    newest = sandbox.exchange.operations_payload()["data"][0]
    assert lines[2].endswith(newest["id"]) and newest["status"] in lines[2]


def test_failures_exit_4_with_the_reason_and_bad_since_exits_2(
    capsys: pytest.CaptureFixture[str], sandbox: RunningSandbox, url: str
) -> None:
    sandbox.faults.push(Fault.parse("bad_amount@/v2/operation/find"))
    code, out, err = run(capsys, "operations", "--base-url", url)
    assert (code, out) == (4, "") and "targetAmount" in err and err.count("\n") == 1
    sandbox.faults.clear()
    sandbox.faults.push(Fault.parse("503x1@/v2/operation/find"))
    code, _, err = run(capsys, "operations", "--base-url", url)
    assert code == 4 and "503" in err
    code, _, err = run(capsys, "operations", "--since", "last tuesday", "--base-url", url)
    assert code == 2 and "ISO 8601" in err


def test_demo_lists_the_seeded_history(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--demo", "operations", "--json")
    records = json.loads(out)
    assert (code, err) == (0, "")
    statuses = {r["status"] for r in records}
    assert {"Processing", "OnHold", "Declined", "Completed"} <= statuses
