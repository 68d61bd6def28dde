"""Usage errors: one line naming the fault and the closest known flag or command, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_harness import run, without_user_settings
from tui.api.text import seconds_text
from tui.config.settings import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No WALLET_TUI_* from the developer's shell, no real config file."""
    without_user_settings(monkeypatch, tmp_path)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--base-ulr", "https://x"],
            "wallet-tui: unknown flag --base-ulr (did you mean --base-url?); see wallet-tui --help",
        ),
        (
            ["balances", "--intervall", "3"],
            "wallet-tui: unknown flag --intervall (did you mean --interval?); "
            "see wallet-tui balances --help",
        ),
        (
            ["--base-ulr=https://x", "balances"],
            "wallet-tui: unknown flag --base-ulr (did you mean --base-url?); "
            "see wallet-tui balances --help",
        ),
        (
            ["sandbox", "--prot", "8830"],
            "wallet-tui: unknown flag --prot (did you mean --port?); see wallet-tui sandbox --help",
        ),
        (
            ["balances", "--bogus"],
            "wallet-tui: unknown flag --bogus; see wallet-tui balances --help",
        ),
        (
            ["balance"],
            "wallet-tui: unknown command 'balance' (did you mean balances?); "
            "the commands are balances, deposit-address, operations, history, config, sandbox; "
            "see wallet-tui --help",
        ),
        (
            ["--json"],
            "wallet-tui: --json goes with a command: wallet-tui balances --json; "
            "see wallet-tui --help",
        ),
        # An abbreviation is not taken for the flag it starts (a script would break the
        # day another flag shares the prefix).
        (
            ["--base", "https://x"],
            "wallet-tui: unknown flag --base (did you mean --base-url?); see wallet-tui --help",
        ),
    ],
)
def test_a_usage_error_is_one_line_naming_the_flag(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", expected + "\n")


def test_a_secret_given_as_a_flag_is_pointed_to_the_environment_and_never_echoed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["balances", "--password", "hunter2"], ["--api-key=hunter2"]):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, "")
        assert err.count("\n") == 1 and "hunter2" not in err
        assert "WALLET_TUI_" in err and "is not a flag" in err


@pytest.mark.parametrize("value", ["1e9", "301", "0.5", "0", "nan", "inf"])
def test_interval_out_of_range_is_refused_from_every_source(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, _, err = run(capsys, "--interval", value, "config")
    assert code == 2
    assert err.startswith("wallet-tui: --interval: must be") and err.count("\n") == 1
    assert "e+" not in err
    with pytest.raises(ConfigError, match="WALLET_TUI_INTERVAL"):
        load_settings({}, {"WALLET_TUI_INTERVAL": value})


def test_interval_range_is_the_same_for_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("interval = 1e9\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"interval: must be from 1 to 300 s, got 1000000000$"):
        load_settings({"config": str(path)}, {})
    path.write_text("interval = 300\n", encoding="utf-8")
    assert load_settings({"config": str(path)}, {}).interval == 300


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1e9, "1000000000"),
        (5.0, "5"),
        (2.5, "2.5"),
        (0.1, "0.1"),
        (1e-7, "0.0000001"),
        (300, "300"),
    ],
)
def test_seconds_are_printed_as_people_write_them(seconds: float, text: str) -> None:
    assert seconds_text(seconds) == text


def test_sandbox_help_gives_the_default_port(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.sandbox import DEFAULT_PORT

    code, out, _ = run(capsys, "sandbox", "--help")
    assert code == 0
    assert f"port to listen on ({DEFAULT_PORT})" in " ".join(out.split())


def test_readme_gives_the_sandbox_port_the_program_uses() -> None:
    import re

    from tui.sandbox import DEFAULT_PORT

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    ports = set(re.findall(r"localhost:(\d+)", readme)) | set(re.findall(r"on port (\d+)", readme))
    assert ports == {str(DEFAULT_PORT)}
