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
from tui.cli.usage import UsageError


def whole(arguments: list[str]) -> argparse.Namespace | None:
    """What the whole parser makes of `arguments`; None when it refuses them or exits."""
    try:
        return cli.build_parser().parse_args(arguments)
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
