"""The command line, end to end against the real sandbox exchange over loopback HTTP."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.cli_harness import run, without_user_settings
from tui import __version__
from tui.cli import main as cli
from tui.sandbox.faults import Fault
from tui.sandbox.server import RunningSandbox
from tui.sandbox.wallet import (
    DEMO_API_KEY,
    DEMO_EMAIL,
    DEMO_MERCHANT_ID,
    DEMO_PASSWORD,
    SAVINGS_WALLET_ID,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No WALLET_TUI_* from the developer's shell, no real config file, no terminal."""
    without_user_settings(monkeypatch, tmp_path, terminal=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def assert_one_line_error(err: str) -> None:
    assert err.startswith("wallet-tui: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- success ----------------------------------------------------------------------------


def test_json_amounts_equal_the_sandbox_exactly(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: RunningSandbox,
    url: str,
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    code, out, err = run(capsys, "balances", "--json", "--base-url", url)
    assert (code, err) == (0, "")
    records = json.loads(out)
    expected = sandbox.exchange.balance_payload()["data"]
    assert [r["asset"] for r in records] == [item["asset"] for item in expected]
    for record, item in zip(records, expected, strict=True):
        amounts = {k: v for k, v in item.items() if k.endswith("Balance") or k == "balance"}
        for name, value in amounts.items():
            assert Decimal(record[name]) == Decimal(value), (item["asset"], name)
            assert record[name] == value  # the same digits, trailing zeros included
        assert Decimal(record["total"]) == sum(Decimal(v) for v in amounts.values())


def test_password_login_from_flags_and_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("WALLET_TUI_PASSWORD", DEMO_PASSWORD)
    code, out, _ = run(
        capsys, "balances", "--csv", "--base-url", url, "--merchant-id", DEMO_MERCHANT_ID,
        "--email", DEMO_EMAIL, "--assets", "usdt,btc",
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("walletId,asset,network,address,memo,balance,")
    assert {line.split(",")[1] for line in lines[1:]} == {"BTC", "USDT"}


def test_password_is_prompted_for_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return DEMO_PASSWORD

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setenv("WALLET_TUI_MERCHANT_ID", DEMO_MERCHANT_ID)
    monkeypatch.setenv("WALLET_TUI_EMAIL", DEMO_EMAIL)
    code, out, _ = run(capsys, "balances", "--base-url", url)
    assert code == 0
    assert prompts == [f"Password for {DEMO_EMAIL}: "]
    assert out.startswith("Asset ")


def test_demo_flag_before_and_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, table, err = run(capsys, "--demo", "balances")
    assert (code, err) == (0, "")
    assert table.splitlines()[0].split()[:2] == ["Asset", "Available"]
    assert "Deposit addresses" in table
    code, out, _ = run(capsys, "balances", "--demo", "--json")
    assert code == 0
    assert {r["asset"] for r in json.loads(out)} >= {"BTC", "ETH", "USDT"}


def test_demo_ignores_the_users_real_credentials(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", "a-real-key-not-for-the-sandbox")
    code, _, _ = run(capsys, "balances", "--demo")
    assert code == 0


def test_several_wallets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    monkeypatch.setenv("WALLET_TUI_BASE_URL", url)
    code, out, _ = run(capsys, "--wallet-id", SAVINGS_WALLET_ID, "balances", "--json")
    assert code == 0
    assert {r["walletId"] for r in json.loads(out)} == {SAVINGS_WALLET_ID}


# --- failures and exit codes ------------------------------------------------------------


def test_wrong_api_key_exits_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", "wrong-key-123")
    code, out, err = run(capsys, "balances", "--base-url", url)
    assert (code, out) == (3, "")
    assert_one_line_error(err)
    assert "wrong-key-123" not in err


def test_wrong_password_exits_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("WALLET_TUI_PASSWORD", "not-the-password")
    code, _, err = run(
        capsys, "balances", "--base-url", url, "--merchant-id", DEMO_MERCHANT_ID,
        "--email", DEMO_EMAIL,
    )  # fmt: skip
    assert code == 3
    assert_one_line_error(err)
    assert "not-the-password" not in err


def test_refused_connection_exits_4(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    code, _, err = run(capsys, "balances", "--base-url", f"http://127.0.0.1:{closed_port()}")
    assert code == 4
    assert_one_line_error(err)
    assert DEMO_API_KEY not in err


@pytest.mark.parametrize("spec", ["500x1", "html:502x1", "429:30x1", "bad_amountx1"])
def test_server_failures_exit_4(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: RunningSandbox,
    url: str,
    spec: str,
) -> None:
    sandbox.faults.push(Fault.parse(spec))
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    code, out, err = run(capsys, "balances", "--base-url", url)
    assert (code, out) == (4, "")
    assert_one_line_error(err)


def test_unknown_wallet_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    code, _, err = run(capsys, "balances", "--base-url", url, "--wallet-id", "no-such-wallet")
    assert code == 2  # configuration: the wallet id is wrong
    assert "no-such-wallet" in err
    assert_one_line_error(err)


def test_no_credentials_exits_2(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, _, err = run(capsys, "balances", "--base-url", url, "--email", DEMO_EMAIL)
    assert code == 2
    assert_one_line_error(err)
    assert "WALLET_TUI_API_KEY" in err and "WALLET_TUI_PASSWORD" in err
    assert "missing: --merchant-id, WALLET_TUI_PASSWORD" in err


def test_no_base_url_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    code, _, err = run(capsys, "balances")
    assert code == 2
    assert_one_line_error(err)
    assert "--base-url" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["balances", "--bogus"],
        ["balances", "--interval", "soon"],
        ["balances", "--json", "--csv"],
        ["balances", "--password", "x"],
        ["balances", "--api-key", "x"],
        ["nonsense"],
    ],
)
def test_bad_flags_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert "wallet-tui" in err and "Traceback" not in err


def test_bad_setting_values_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str
) -> None:
    code, _, err = run(capsys, "balances", "--base-url", url, "--interval", "0.5")
    assert code == 2
    assert_one_line_error(err)
    assert "--interval" in err

    secret_file = tmp_path / "c.toml"
    secret_file.write_text('password = "hunter2"\n', encoding="utf-8")
    code, _, err = run(capsys, "balances", "--config", str(secret_file))
    assert code == 2
    assert_one_line_error(err)
    assert "hunter2" not in err


def test_ctrl_c_exits_130_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run_now", interrupted)
    code, out, err = run(capsys, "balances", "--demo")
    assert (code, out, err) == (130, "", "")


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"wallet-tui {__version__}")
    code, out, _ = run(capsys, "balances", "--help")
    assert code == 0
    assert "--password" not in out and "--api-key" not in out
    assert "WALLET_TUI_API_KEY" in out


# --- the other commands -----------------------------------------------------------------


def test_no_command_launches_the_tui_with_settings_and_secrets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, Any]] = []
    fake = types.ModuleType("tui.ui.launch")
    fake.run = lambda settings, secrets: calls.append((settings, secrets)) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tui.ui.launch", fake)
    monkeypatch.setenv("WALLET_TUI_PASSWORD", "pw")
    # (pytest's stdin is no terminal: the dashboard would refuse; tests/test_terminal.py)
    monkeypatch.setattr("tui.startup.terminal.terminal_problem", lambda: None)
    code, _, _ = run(capsys, "--demo", "--interval", "2", "--assets", "btc")
    assert code == 0
    ((settings, secrets),) = calls
    assert (settings.demo, settings.interval, settings.assets) == (True, 2.0, ("BTC",))
    assert secrets.password.reveal() == "pw"


def test_sandbox_command_passes_its_options(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def fake_serve(**options: Any) -> int:
        seen.update(options)
        return 0

    monkeypatch.setattr("tui.sandbox.server.serve", fake_serve)
    argv = ["sandbox", "--port", "9999", "--seed", "3", "--fault", "500x2", "slow:1", "--still"]
    code, _, _ = run(capsys, *argv)
    assert code == 0
    assert seen == {
        "host": "127.0.0.1",
        "port": 9999,
        "seed": 3,
        "faults": ["500x2", "slow:1"],
        "moving": False,
    }


# --- the real entry point ---------------------------------------------------------------


def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_TUI_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    env["WALLET_TUI_CONFIG"] = str(tmp_path / "config.toml")
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    return env


def run_python(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python *args` from the project root, in a clean environment; its output captured."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_python_dash_m_tui_balances_demo(tmp_path: Path) -> None:
    result = run_python(tmp_path, "-m", "tui", "balances", "--json", "--demo")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    records = json.loads(result.stdout)
    assert records and all("balance" in r and "total" in r for r in records)


# --- values (--quote) ---------------------------------------------------------------------


def test_quote_adds_exact_values_and_the_total_in_all_three_formats(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: RunningSandbox,
    url: str,
) -> None:
    from tui.api.amounts import exact_product, exact_sum

    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    exchange = sandbox.exchange
    # XRP has no EUR rate in the sandbox: it must be left out, never counted as 0.
    code, out, err = run(capsys, "balances", "--json", "--quote", "eur", "--base-url", url)
    assert (code, err) == (0, "")
    answer = json.loads(out)
    assert answer["quote"] == "EUR"
    parts = []
    for record in answer["assets"]:
        rate = exchange.rate(record["asset"], "EUR")
        if rate:
            expected = exact_product(Decimal(record["total"]), rate)
            assert Decimal(record["value"]) == expected, record["asset"]
            assert "E" not in record["value"]
            parts.append(expected)
        else:
            assert record["value"] is None
    (wallet,) = answer["wallets"]
    assert Decimal(wallet["total"]) == exact_sum(parts) and wallet["excluded"] == ["XRP"]

    code, out, err = run(capsys, "balances", "--csv", "--quote", "EUR", "--base-url", url)
    rows = list(csv.DictReader(io.StringIO(out)))
    xrp = next(row for row in rows if row["asset"] == "XRP")
    assert xrp["value EUR"] == ""
    total = rows[-1]
    assert total["asset"] == "Total value" and total["network"] == "excl. XRP: no rate"
    assert Decimal(total["value EUR"]) == Decimal(wallet["total"])

    code, out, err = run(capsys, "balances", "--quote", "EUR", "--base-url", url)
    assert "Value EUR" in out
    assert re.search(r"^XRP .* —$", out, re.MULTILINE)
    assert "Total value: " in out and "EUR (excl. XRP: no rate)" in out
    # Without --quote, no rates request and the JSON keeps its list shape.
    code, out, err = run(capsys, "balances", "--json", "--base-url", url)
    assert isinstance(json.loads(out), list)


def test_a_quote_the_exchange_does_not_offer_is_said(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    code, _, err = run(capsys, "balances", "--quote", "XYZ", "--base-url", url)
    assert code == 0 and "no XYZ rates (it offers: USD, UAH, EUR, BTC, USDT)" in err
    code, _, err = run(capsys, "balances", "--quote", "U$D", "--base-url", url)
    assert code == 2 and "not a currency code" in err
