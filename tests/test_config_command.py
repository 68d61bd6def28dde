"""`wallet-tui config`, the template, named wallets, the privacy default, the theme."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tui.cli.config_report import TEMPLATE
from tui.cli.main import main
from tui.config.settings import ConfigError, load_settings
from tui.ui.ui_state import load_state, remember


def test_config_prints_the_path_and_the_settings_with_secrets_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('base_url = "https://api.example.com"\ninterval = 7\n')
    monkeypatch.setenv("WALLET_TUI_API_KEY", "super-secret-key")
    monkeypatch.setenv("WALLET_TUI_PASSWORD", "super-secret-password")
    assert main(["config", "--config", str(config), "--email", "me@example.com"]) == 0
    out = capsys.readouterr().out
    assert f"config file: {config} (read)" in out
    assert "base_url         https://api.example.com" in out
    assert "interval         7" in out
    assert "email            me@example.com" in out
    assert "api key          set (***, from WALLET_TUI_API_KEY)" in out
    assert "super-secret" not in out


def test_config_init_writes_the_template_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "sub" / "config.toml"
    monkeypatch.setenv("WALLET_TUI_CONFIG", str(target))
    assert main(["config", "--init"]) == 0
    assert target.read_text() == TEMPLATE
    target.write_text("interval = 9\n")
    assert main(["config", "--init"]) == 2
    assert "not overwritten" in capsys.readouterr().err
    assert target.read_text() == "interval = 9\n"


def test_the_template_is_valid_toml_and_every_commented_key_is_known(tmp_path: Path) -> None:
    assert tomllib.loads(TEMPLATE) == {}
    setting = re.compile(r"^# (\[\[\w+\]\]|\w+ = .*)$")
    uncommented = "\n".join(
        match.group(1) for line in TEMPLATE.splitlines() if (match := setting.match(line))
    )
    config = tmp_path / "config.toml"
    config.write_text(uncommented)
    settings = load_settings({"config": str(config)}, environ={})
    assert settings.wallet_names == {
        "1f44b1c7-9fd4-4d20-b9a4-7aca3646d0d5": "Main",
        "6d0f2a8e-3c4b-4e71-9a55-0b8d2f6c1e93": "Savings",
    }
    assert settings.wallet_ids == tuple(settings.wallet_names)


def test_named_wallets_and_their_errors(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'wallet_ids = ["a1"]\n[[wallets]]\nid = "b2"\nname = "Savings"\n[[wallets]]\nid = "c3"\n'
    )
    settings = load_settings({"config": str(config)}, environ={})
    assert settings.wallet_ids == ("a1", "b2", "c3")
    assert settings.wallet_names == {"b2": "Savings"}
    config.write_text('[[wallets]]\nname = "No id"\n')
    with pytest.raises(ConfigError, match="needs an id"):
        load_settings({"config": str(config)}, environ={})
    config.write_text('[[wallets]]\nid = "x"\ncolour = "red"\n')
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        load_settings({"config": str(config)}, environ={})


def test_hide_amounts_from_file_env_and_flag(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("hide_amounts = true\n")
    assert load_settings({"config": str(config)}, environ={}).hide_amounts
    assert load_settings({}, environ={"WALLET_TUI_HIDE_AMOUNTS": "1"}).hide_amounts
    assert load_settings({"hide_amounts": True}, environ={}).hide_amounts
    assert not load_settings({}, environ={}).hide_amounts


def test_the_theme_is_remembered_in_the_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    remember("theme", "gruvbox")
    assert load_state() == {"theme": "gruvbox"}
    assert (tmp_path / "wallet-tui" / "state.json").exists()
    (tmp_path / "wallet-tui" / "state.json").write_text("not json")
    assert load_state() == {}


def test_remembering_a_value_already_stored_does_not_write_the_file(tmp_path: Path) -> None:
    # Textual announces the theme at every start: a start that changed nothing must not
    # rewrite the state file (each write replaces the file: a new inode).
    path = tmp_path / "state.json"
    remember("theme", "gruvbox", path)
    written = path.stat().st_ino
    remember("theme", "gruvbox", path)
    assert path.stat().st_ino == written
    remember("theme", "nord", path)
    assert path.stat().st_ino != written
    assert load_state(path) == {"theme": "nord"}
