"""`--log FILE`: the requests are in the debug log, the secrets are not."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import httpx
import pytest

from tests.app_harness import SIZE, make_app, wait_until
from tui.api.auth import Secret
from tui.api.redact import MASK
from tui.cli import main as cli
from tui.config import settings as config
from tui.sandbox.wallet import DEMO_API_KEY, DEMO_PASSWORD
from tui.startup.debug_log import LogFileError, debug_log
from tui.ui.screens.dashboard import DashboardScreen


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "default_config_path", lambda: tmp_path / "none.toml")
    monkeypatch.delenv("WALLET_TUI_CONFIG")


def test_log_lines_are_redacted_tracebacks_included(tmp_path: Path) -> None:
    path = tmp_path / "debug.log"
    secret = Secret("log-test-secret-9f8e7d")
    log = logging.getLogger("tui.test")
    with debug_log(path):
        log.debug("oops %s and headers {'api-key': 'abc-123'}", secret.reveal())
        try:
            raise RuntimeError(f"failed with {secret.reveal()}")
        except RuntimeError:
            log.exception("crash")
        logging.getLogger("elsewhere").warning("not ours: %s", secret.reveal())
    text = path.read_text(encoding="utf-8")
    assert "log-test-secret-9f8e7d" not in text and "abc-123" not in text
    assert f"oops {MASK}" in text and "RuntimeError: failed with ***" in text
    assert "not ours" not in text  # only the program's own loggers are written
    assert "debug log started" in text and "debug log stopped" in text


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_log_file_is_private_and_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "debug.log"
    path.write_text("earlier run\n", encoding="utf-8")
    os.chmod(path, 0o600)
    with debug_log(path):
        logging.getLogger("tui.test").debug("second run")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("earlier run\n") and "second run" in text
    fresh = tmp_path / "fresh.log"
    with debug_log(fresh):
        pass
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


def test_an_unwritable_log_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(LogFileError, match="cannot write the log file"), debug_log(tmp_path):
        pass
    code = cli.main(["--log", str(tmp_path / "no" / "such" / "dir.log"), "balances", "--demo"])
    assert code == 2
    assert "cannot write the log file" in capsys.readouterr().err


def test_balances_with_log_records_the_requests_and_no_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "balances.log"
    assert cli.main(["balances", "--demo", "--log", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "/v2/auth/login -> 201" in text and "/v2/balance -> 201" in text
    assert " ms " in text
    assert DEMO_PASSWORD not in text and DEMO_API_KEY not in text
    assert "eyJ" not in text  # no JWT


async def test_a_login_and_refresh_with_log_leave_no_secret_in_it(
    tmp_path: Path, transport: httpx.ASGITransport
) -> None:
    path = tmp_path / "tui.log"
    settings = config.load_settings(cli.build_parser().parse_args(["--log", str(path)]))
    assert settings.log_file == path
    app = make_app(transport)
    with debug_log(settings.log_file):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
            await pilot.press("r")
            await pilot.pause(0.2)
            assert app.client is not None and app.client._tokens is not None
            token = app.client._tokens.access_token
    text = path.read_text(encoding="utf-8")
    assert text.count("/v2/balance -> 201") >= 2
    assert "/v2/auth/login -> 201" in text
    assert DEMO_PASSWORD not in text and token not in text
    # A rejected login is logged with its status and reason, still without the password.
    with debug_log(path):
        bad = make_app(transport, password="wrong-password-1234")
        async with bad.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await pilot.pause(0.3)
    text = path.read_text(encoding="utf-8")
    assert "/v2/auth/login -> 401" in text and "wrong-password-1234" not in text
