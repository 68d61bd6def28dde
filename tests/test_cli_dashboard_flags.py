"""The dashboard's start parses its flags without building the whole command line
(`tui.cli.main._dashboard_arguments`): the same Namespace as the whole parser, or None
and the whole parser decides."""

from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli_harness import run, without_user_settings
from tui.cli import main as cli
from tui.cli.usage import UsageError, end_of_options


def whole(arguments: list[str]) -> argparse.Namespace | None:
    """What the whole parser makes of `arguments`; None when it refuses them or exits."""
    parser = cli.build_parser()
    try:
        return parser.parse_args(end_of_options(arguments, parser))
    except (UsageError, SystemExit):
        return None


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["--demo"],
        ["--base-url", "https://exchange.example", "--interval", "2.5"],
        ["--base-url=https://exchange.example", "--insecure", "--hide-amounts", "--quote", "EUR"],
        ["--wallet-id", "a", "--wallet-id", "b", "--assets", "BTC,USDT"],
        ["--alert", "USDT available < 1000", "--alert", "deposit", "--on-alert", "cat"],
        ["--no-history", "--history-days", "30", "--log", "/tmp/log"],
        ["--merchant-id", "m", "--email", "a@b.c", "--connect-timeout", "3"],
        ["--"],  # the end of the options (git, gh), then nothing: the dashboard
        ["--demo", "--"],
        ["--interval", "2", "--"],
        ["--interval=2", "--interval", "3", "--wallet-id=a", "--wallet-id", "b"],
    ],
)
def test_the_dashboards_flags_parse_as_the_whole_parser_parses_them(arguments: list[str]) -> None:
    quick = cli._dashboard_arguments(arguments)
    assert quick is not None
    assert vars(quick) == vars(whole(arguments))


@pytest.mark.parametrize(
    "arguments",
    [
        ["balances"],
        ["--demo", "balances", "--json"],
        ["sandbox", "--port", "1"],
        ["-h"],
        ["--help"],
        ["--version"],
        ["--demo", "--help"],
        ["--jsn"],
        ["--json"],  # a command's flag without the command
        ["--interval", "abc"],
        ["--base-url"],
        ["--version=2"],
        ["stray"],
        ["--password", "secret"],
        ["--", "balances"],
        ["--demo", "--", "--interval", "2"],
        ["-"],
    ],
)
def test_anything_else_is_left_to_the_whole_parser(arguments: list[str]) -> None:
    assert cli._dashboard_arguments(arguments) is None


def test_the_usual_start_does_not_build_the_whole_parser(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    without_user_settings(monkeypatch, tmp_path)
    def refuse() -> None:
        raise AssertionError("the whole parser was built")

    launched: list[object] = []
    fake = types.ModuleType("tui.ui.launch")
    fake.run = lambda settings, secrets: launched.append(settings) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tui.ui.launch", fake)
    monkeypatch.setattr(cli, "build_parser", refuse)
    # (pytest's stdin is no terminal: the dashboard would refuse; tests/test_terminal.py)
    monkeypatch.setattr("tui.startup.terminal.terminal_problem", lambda: None)
    code, _, err = run(capsys, "--demo", "--interval", "2")
    assert code == 0, err
    assert len(launched) == 1


TOKENS = st.sampled_from(
    [
        "--demo",
        "--insecure",
        "--hide-amounts",
        "--no-history",
        "--base-url",
        "--interval",
        "--wallet-id",
        "--assets",
        "--alert",
        "--on-alert",
        "--quote",
        "--email",
        "--config",
        "--history-days",
        "--log",
        "--json",
        "--csv",
        "-h",
        "--help",
        "--version",
        "--base-url=https://x.example",
        "--interval=3",
        "--demo=1",
        "balances",
        "sandbox",
        "config",
        "history",
        "2",
        "abc",
        "BTC",
        "https://x.example",
        "-",
        "--",
        "--nope",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=6))
def test_quick_or_whole_the_command_line_means_the_same(arguments: list[str]) -> None:
    quick = cli._dashboard_arguments(arguments)
    if quick is not None:
        parsed = whole(arguments)
        assert parsed is not None and vars(quick) == vars(parsed)


@pytest.mark.parametrize(
    ("arguments", "meant"),
    [
        (["--"], []),
        (["balances", "--"], ["balances"]),
        (["--demo", "--", "balances"], ["--demo", "balances"]),
        (["--", "balances", "x"], ["balances", "--", "x"]),
        (["deposit-address", "--", "-X"], ["deposit-address", "--", "-X"]),
        (["--base-url", "u", "--", "config"], ["--base-url", "u", "config"]),
        (["--demo"], ["--demo"]),
    ],
)
def test_the_end_of_the_options_is_made_plain(arguments: list[str], meant: list[str]) -> None:
    assert end_of_options(arguments, cli.build_parser()) == meant


@pytest.mark.parametrize("after", [["--demo"], ["nope"], ["--"]])
def test_after_the_end_of_the_options_no_word_is_a_flag(after: list[str]) -> None:
    with pytest.raises(UsageError, match="invalid choice"):
        end_of_options(["--", *after], cli.build_parser())


@pytest.mark.parametrize(
    "arguments",
    [
        ["--wallet-id", "a", "balances", "--wallet-id", "b"],
        ["--wallet-id", "a", "--wallet-id", "b", "balances"],
        ["balances", "--wallet-id", "a", "--wallet-id", "b"],
    ],
)
def test_a_repeated_flag_counts_on_either_side_of_the_command(arguments: list[str]) -> None:
    parsed = whole(arguments)
    assert parsed is not None and parsed.wallet_ids == ["a", "b"]
    alerts = whole(["--alert", "deposit", "config", "--alert", "offline > 5m"])
    assert alerts is not None and alerts.alerts == ["deposit", "offline > 5m"]
