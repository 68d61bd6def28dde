"""Misconfiguration named as such: a wrong base URL's 404, an unknown wallet; retries
slowed for errors that will not heal; every error in the debug log with its class."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.app_harness import (
    SANDBOX_URL,
    SIZE,
    ManualScheduler,
    api_key_app,
    dashboard_of,
    wait_until,
)
from tests.cli_harness import without_user_settings
from tui.api.auth import ApiKeyAuth, Secret
from tui.api.client import KunaClient
from tui.api.errors import KunaError, NotFoundError, WalletNotFoundError
from tui.cli import main as cli
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.server import RunningSandbox
from tui.sandbox.wallet import DEMO_API_KEY
from tui.startup.debug_log import debug_log
from tui.ui.refresh import LASTING_RETRY
from tui.ui.widgets.status_bar import RefreshState, StatusBar

WRONG_PREFIX = SANDBOX_URL + "/api/v9"


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without_user_settings(monkeypatch, tmp_path, terminal=False)


def key() -> ApiKeyAuth:
    return ApiKeyAuth(Secret(DEMO_API_KEY))


async def test_a_404_names_the_full_url_and_says_to_check_the_base_url(
    transport: httpx.ASGITransport,
) -> None:
    async with KunaClient(WRONG_PREFIX, key(), transport=transport) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.fetch_balances()
    message = str(caught.value)
    assert f"{WRONG_PREFIX}/v2/balance" in message and "--base-url" in message
    assert caught.value.lasting


async def test_an_unknown_wallet_is_named(transport: httpx.ASGITransport) -> None:
    async with KunaClient(SANDBOX_URL, key(), transport=transport) as client:
        with pytest.raises(WalletNotFoundError) as caught:
            await client.fetch_balances("no-such-wallet")
    assert "Wallet not found: no-such-wallet" in str(caught.value)
    assert "--wallet-id" in str(caught.value)


@pytest.mark.parametrize(
    ("path", "wallet", "needles"),
    [
        ("", "no-such-wallet", ["Wallet not found: no-such-wallet"]),
        ("/api/v9", None, ["/api/v9/v2/balance", "--base-url"]),
    ],
)
def test_the_one_shot_exits_2_for_a_wrong_url_or_wallet(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: RunningSandbox,
    path: str,
    wallet: str | None,
    needles: list[str],
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    argv = ["balances", "--base-url", sandbox.url + path]
    argv += ["--wallet-id", wallet] if wallet else []
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("wallet-tui: ")
    for needle in needles:
        assert needle in err


@pytest.mark.parametrize(
    ("spec", "logged"),
    [
        ("bad_amount", "BadResponseError: "),
        ("bad_json", "BadResponseError: "),
        ("wrong_shape", "BadResponseError: "),
        ("429:30", "RateLimitedError: Rate limited"),
        ("html", "ServerError: Server error 502"),
    ],
)
async def test_the_debug_log_holds_every_error_with_its_class_and_the_real_url(
    transport: httpx.ASGITransport, faults: FaultPlan, tmp_path: Path, spec: str, logged: str
) -> None:
    path = tmp_path / "debug.log"
    faults.push(Fault.parse(f"{spec}x1"))
    with debug_log(path):
        async with KunaClient(SANDBOX_URL, key(), transport=transport) as c:
            with pytest.raises(KunaError):
                await c.fetch_balances()
    text = path.read_text(encoding="utf-8")
    failed = [line for line in text.splitlines() if " failed: " in line]
    assert len(failed) == 1 and logged in failed[0]
    assert f"POST {SANDBOX_URL}/v2/balance" in failed[0]
    assert DEMO_API_KEY not in text


async def test_the_dashboard_slows_its_retries_for_a_lasting_error_and_says_so(
    transport: httpx.ASGITransport,
) -> None:
    scheduler = ManualScheduler()
    app = api_key_app(transport, scheduler=scheduler, base_url=WRONG_PREFIX)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        status = screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
        assert scheduler.next_delay == LASTING_RETRY
        text = status.render_status().plain
        assert "/api/v9/v2/balance" in text and "--base-url" in (status.info.error or "")
        assert "✖ error that will not fix itself (retries slowed): Not found (404)" in text


def test_assets_not_in_the_wallet_are_named_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = cli.main(["--demo", "balances", "--json", "--assets", "BTC,FOO,BAR"])
    out, err = capsys.readouterr()
    assert code == 0 and '"BTC"' in out and "FOO" not in out
    assert err == "wallet-tui: FOO, BAR are not in the wallet (asked for with --assets)\n"


async def test_assets_not_in_the_wallet_are_named_in_the_status_bar(
    transport: httpx.ASGITransport,
) -> None:
    app = api_key_app(transport, assets=("BTC", "FOO"))
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await dashboard_of(app, pilot)
        status = screen.query_one(StatusBar)
        assert status.info.missing_assets == ("FOO",)
        assert "FOO is not in the wallet" in status.render_status().plain


def test_balances_refuses_hide_amounts(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["balances", "--demo", "--hide-amounts"], ["--hide-amounts", "balances"]):
        code = cli.main(argv)
        out, err = capsys.readouterr()
        assert (code, out) == (2, "")
        assert err.startswith("wallet-tui: --hide-amounts is for the dashboard")


def test_demo_with_a_base_url_says_which_wins(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["--demo", "--base-url", "https://api.exchange.example", "balances", "--csv"])
    out, err = capsys.readouterr()
    assert code == 0 and out.startswith("walletId,")
    assert err == (
        "wallet-tui: --demo wins: the built-in sandbox is used, not the base URL "
        "https://api.exchange.example (drop --demo to use it)\n"
    )
