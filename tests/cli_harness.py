"""Run `wallet-tui` one-shot commands in-process, as a user's shell would, for the CLI tests.

The sandbox on a loopback port that they talk to is the `sandbox` fixture (and its `url`)
of tests/conftest.py.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from tui.cli import main as cli
from tui.config import settings as config


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`wallet-tui *argv`: its exit code, standard output and standard error."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def without_user_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, terminal: bool = True
) -> None:
    """No WALLET_TUI_* variable from the developer's shell and no config file (a path
    where there is none); with `terminal=False`, standard input is no TTY, so nothing
    prompts."""
    for name in list(os.environ):
        if name.startswith("WALLET_TUI_"):
            monkeypatch.delenv(name)
    monkeypatch.setattr(config, "default_config_path", lambda: tmp_path / "none" / "config.toml")
    if not terminal:
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
