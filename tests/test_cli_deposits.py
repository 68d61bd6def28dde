"""`wallet-tui deposit-address` and `balances --json --with-limits`, end to end over loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_harness import run, without_user_settings
from tui.sandbox.deposits import generate_address
from tui.sandbox.faults import Fault
from tui.sandbox.server import RunningSandbox
from tui.sandbox.wallet import DEMO_API_KEY, MAIN_WALLET_ID, SAVINGS_WALLET_ID


@pytest.fixture(autouse=True)
def api_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo key, and no other WALLET_TUI_* setting nor config file."""
    without_user_settings(monkeypatch, tmp_path)
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)


def test_the_address_with_its_minimum(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, err = run(capsys, "deposit-address", "usdt", "--network", "trx", "--base-url", url)
    assert (code, err) == (0, "")
    assert out == (
        "USDT on TRX\n"
        "Address   TKAMJAKoLRhGaUVMzbe9uZTL26YXZrKGPB\n"
        "Minimum deposit 20 USDT. Smaller deposits may not be credited.\n"
        "Maximum 1,000,000 USDT\n"
    )


def test_json_with_memo_and_fee(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, _ = run(capsys, "deposit-address", "XRP", "--json", "--base-url", url)
    assert code == 0
    record = json.loads(out)
    assert record["address"] == "rEv7mqCgHaYd6Zm7T1oEne6kM7BLfX4PmU"
    assert record["memo"] == "1499017317"
    assert record["depositMethod"]["minAmount"] == "20"
    code, out, _ = run(
        capsys, "deposit-address", "USDT", "--network", "ETH", "--json", "--base-url", url
    )
    assert json.loads(out)["depositMethod"]["feeFixed"] == "5"


def test_a_new_address_is_generated_once_and_listed_by_balances(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    expected = generate_address(SAVINGS_WALLET_ID, "TRX", "TRX")[0]
    argv = ("deposit-address", "TRX", "--wallet-id", SAVINGS_WALLET_ID, "--base-url", url)
    code, first, _ = run(capsys, *argv)
    assert code == 0 and f"Address   {expected}\n" in first
    assert run(capsys, *argv)[1] == first  # asking again: the same address
    _, out, _ = run(
        capsys, "balances", "--json", "--wallet-id", SAVINGS_WALLET_ID, "--base-url", url
    )
    trx = next(r for r in json.loads(out) if r["asset"] == "TRX")
    assert trx["depositAddress"] == {"TRX": {"address": expected, "memo": None}}


def test_choosing_the_network(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, err = run(capsys, "deposit-address", "USDT", "--base-url", url)
    assert (code, out) == (2, "")
    assert err == "wallet-tui: USDT can be deposited on TRX, ETH, BSC: choose one with --network\n"
    code, _, err = run(capsys, "deposit-address", "USDT", "--network", "SOL", "--base-url", url)
    assert code == 2 and "its networks: TRX, ETH, BSC" in err
    code, _, err = run(capsys, "deposit-address", "UAH", "--base-url", url)
    assert code == 2 and "UAH has no deposit method" in err  # asking again will not help
    code, _, err = run(capsys, "deposit-address", "NOPE", "--base-url", url)
    assert code == 2 and "Asset NOPE is not supported" in err  # the 400 names the asset given


def test_failures_and_their_exit_codes(
    capsys: pytest.CaptureFixture[str],
    url: str,
    sandbox: RunningSandbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox.faults.push(Fault.parse("500x1@/v2/deposit/address"))
    code, out, err = run(capsys, "deposit-address", "BTC", "--base-url", url)
    assert (code, out) == (4, "") and "500 Internal Server Error" in err
    monkeypatch.setenv("WALLET_TUI_API_KEY", "wrong")
    code, _, err = run(capsys, "deposit-address", "BTC", "--base-url", url)
    assert code == 3 and "API key was rejected" in err


def test_unknown_limits_still_give_the_named_networks_address(
    capsys: pytest.CaptureFixture[str], url: str, sandbox: RunningSandbox
) -> None:
    sandbox.faults.push(Fault.parse("html@/v2/deposit/pre-request"))
    code, out, err = run(capsys, "deposit-address", "BTC", "--network", "BTC", "--base-url", url)
    assert code == 0
    assert "Address   bc1qml80wt4gjpulzndtxwtz6fsdnsl8jgnluxaad4" in out
    assert "Deposit limits unknown: Server error 502 Bad Gateway: HTML error page" in out
    assert err.startswith("wallet-tui: deposit limits unknown:")
    # Without --network the methods are needed to choose: the failure is the answer.
    code, out, err = run(capsys, "deposit-address", "BTC", "--base-url", url)
    assert (code, out) == (4, "") and "502" in err


def test_balances_with_limits(
    capsys: pytest.CaptureFixture[str], url: str, sandbox: RunningSandbox
) -> None:
    code, out, err = run(capsys, "balances", "--json", "--base-url", url)
    assert all("depositMethods" not in record for record in json.loads(out))
    sandbox.faults.push(Fault.parse("500x1@/v2/deposit/pre-request"))  # the first asset's
    code, out, err = run(capsys, "balances", "--json", "--with-limits", "--base-url", url)
    assert code == 0
    records = {r["asset"]: r for r in json.loads(out)}
    assert records["BTC"]["depositMethods"] is None
    assert "500" in records["BTC"]["depositMethodsError"]
    assert (
        err
        == f"wallet-tui: deposit limits of BTC unknown: {records['BTC']['depositMethodsError']}\n"
    )
    assert [m["source"] for m in records["USDT"]["depositMethods"]] == ["TRX", "ETH", "BSC"]
    assert [m["minAmount"] for m in records["USDT"]["depositMethods"]] == ["20", "50", "10"]
    assert records["UAH"]["depositMethods"] == []
    code, _, err = run(capsys, "balances", "--with-limits", "--base-url", url)
    assert code == 2 and "--with-limits goes with --json" in err


def test_demo(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--demo", "deposit-address", "TON", "--json")
    assert code == 0
    assert json.loads(out)["memo"] == "167921024"
    expected = generate_address(MAIN_WALLET_ID, "USDT", "BSC")[0]
    code, out, _ = run(capsys, "deposit-address", "--demo", "USDT", "--network", "BSC")
    assert code == 0 and expected in out
