"""A whole session (start, login, refresh, copy, quit) leaves no secret in any file.

HOME, every XDG folder and TMPDIR point into a temporary folder, the debug log too;
afterwards every file written there is read and searched for the password, the API
key and the tokens, as they are and base64-encoded (the shape OSC 52 and JWTs use).
"""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input

from tests.app_harness import SANDBOX_URL, SIZE, RecordingWalletApp, wait_until
from tests.screen_text import screen_lines
from tui.cli.main import build_parser
from tui.config.settings import load_secrets, load_settings
from tui.sandbox.wallet import DEMO_API_KEY, DEMO_EMAIL, DEMO_MERCHANT_ID, DEMO_PASSWORD
from tui.startup.debug_log import debug_log
from tui.ui.screens.dashboard import DashboardScreen

CONFIG = f"""\
base_url = "{SANDBOX_URL}"
merchant_id = "{DEMO_MERCHANT_ID}"
email = "{DEMO_EMAIL}"
interval = 5
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh home: HOME, XDG_* and TMPDIR all inside it, a config file with no secret."""
    root = tmp_path / "home"
    for name, sub in {
        "HOME": "",
        "XDG_CONFIG_HOME": ".config",
        "XDG_CACHE_HOME": ".cache",
        "XDG_DATA_HOME": ".local/share",
        "XDG_STATE_HOME": ".local/state",
        "TMPDIR": "tmp",
    }.items():
        (root / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(root / sub))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    monkeypatch.delenv("WALLET_TUI_CONFIG")  # the platform's default location, in `root`
    config = root / ".config" / "wallet-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(CONFIG, encoding="utf-8")
    return root


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def secret_forms(secret: str) -> list[bytes]:
    raw = secret.encode("utf-8")
    return [raw, base64.b64encode(raw), base64.urlsafe_b64encode(raw).rstrip(b"=")]


def assert_no_secret_in_files(root: Path, secrets: dict[str, str]) -> None:
    for path in files_under(root):
        content = path.read_bytes()
        for name, secret in secrets.items():
            for form in secret_forms(secret):
                assert form not in content, f"the {name} is in {path.relative_to(root)}"


async def run_session(
    home: Path, transport: httpx.ASGITransport, *, use_api_key: bool
) -> tuple[RecordingWalletApp, dict[str, str]]:
    """Start as `wallet-tui --log FILE` would, log in by typing, refresh, copy and quit."""
    log_file = home / ".local" / "state" / "wallet-tui.log"
    settings = load_settings(build_parser().parse_args(["--log", str(log_file)]))
    assert settings.base_url == SANDBOX_URL and settings.config_path is not None
    secrets: dict[str, str] = {}
    with debug_log(settings.log_file):
        app = RecordingWalletApp(
            settings, load_secrets(), transport=transport, system_clipboard=False
        )
        async with app.run_test(size=SIZE) as pilot:
            if use_api_key:
                await pilot.press("ctrl+t")
                await pilot.pause()
                await pilot.press(*DEMO_API_KEY, "enter")
                secrets["API key"] = DEMO_API_KEY
            else:
                assert app.focused is app.screen.query_one("#password", Input)
                await pilot.press(*DEMO_PASSWORD, "enter")
                secrets["password"] = DEMO_PASSWORD
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, DashboardScreen) and app.screen.snapshot is not None,
            )
            await pilot.press("r")
            await pilot.pause(0.2)
            await pilot.press("c")
            await pilot.pause()
            client = app.client
            assert client is not None
            if client._tokens is not None:
                secrets["access token"] = client._tokens.access_token
                if client._tokens.refresh_token:
                    secrets["refresh token"] = client._tokens.refresh_token
            shown = "\n".join(screen_lines(app))
            assert not any(secret in shown for secret in secrets.values())
            await pilot.press("q")
            await pilot.pause()
    assert not app.is_running
    assert log_file.exists() and "/v2/balance -> 201" in log_file.read_text("utf-8")
    return app, secrets


@pytest.mark.parametrize("use_api_key", [False, True], ids=["password", "api-key"])
async def test_a_whole_session_writes_no_secret_to_any_file(
    home: Path, transport: httpx.ASGITransport, use_api_key: bool
) -> None:
    app, secrets = await run_session(home, transport, use_api_key=use_api_key)
    if not use_api_key:
        assert {"password", "access token"} <= set(secrets)
    assert len(files_under(home)) >= 2  # the config file and the log at least
    assert_no_secret_in_files(home, secrets)
    notices = " ".join(title + " " + message for title, message, _ in app.notices)
    assert app.notices and not any(secret in notices for secret in secrets.values())
    titles = " ".join([app.title, app.sub_title])
    assert not any(secret in titles for secret in secrets.values())
