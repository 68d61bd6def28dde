"""Delivery beyond the window: the --on-alert command (a real script) and the desktop notifier."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.alerts import delivery as delivery_module
from tui.alerts.delivery import AlertDelivery, desktop_command, hook_environment, over_ssh


@pytest.fixture(autouse=True)
def close_every_delivery(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Stop each delivery thread after its test: no thread may outlive it (forks follow)."""
    made: list[AlertDelivery] = []
    original = AlertDelivery.__init__

    def init(self: AlertDelivery, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(delivery_module.AlertDelivery, "__init__", init)
    yield
    for delivery in made:
        delivery.close(timeout=5)


PAYLOAD = {"rule": "BTC total > 2", "kind": "balance", "amount": "2.000000000000000001"}


def recorder(tmp_path: Path, body: str = "") -> tuple[str, Path]:
    """A shell command that records its standard input and environment into files."""
    script = tmp_path / "record.py"
    out = tmp_path / "seen.json"
    script.write_text(
        "import json, os, sys\n"
        f"data = sys.stdin.read()\n"
        f"json.dump({{'stdin': data, 'env': dict(os.environ)}}, open({str(out)!r}, 'w'))\n" + body
    )
    return f"{sys.executable} {script}", out


def test_the_hook_reads_the_alert_as_json_and_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command, out = recorder(tmp_path)
    problems: list[str] = []
    environ = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/home/op",
        "WALLET_TUI_API_KEY": "sk-live-123",
        "WALLET_TUI_PASSWORD": "hunter2",
        "WALLET_TUI_BASE_URL": "https://x",
        "GITHUB_TOKEN": "ghp_x",
        "AWS_SECRET_ACCESS_KEY": "aws",
    }
    delivery = AlertDelivery(
        hook=command, desktop=False, on_problem=problems.append, environ=environ
    )
    delivery.deliver("title", "message", PAYLOAD)
    assert delivery.flush()
    seen = json.loads(out.read_text())
    assert json.loads(seen["stdin"]) == PAYLOAD
    assert seen["env"].get("HOME") == "/home/op"
    dumped = json.dumps(seen)
    for secret in ("sk-live-123", "hunter2", "ghp_x", "aws"):
        assert secret not in dumped
    assert problems == []


def test_a_failing_hook_is_reported_with_its_last_words(tmp_path: Path) -> None:
    command, _ = recorder(tmp_path, "sys.stderr.write('webhook said 403\\n'); sys.exit(3)\n")
    problems: list[str] = []
    delivery = AlertDelivery(hook=command, desktop=False, on_problem=problems.append)
    delivery.deliver("t", "m", PAYLOAD)
    assert delivery.flush()
    assert problems == ["--on-alert command exited with status 3: webhook said 403"]


def test_a_hook_that_hangs_is_killed_with_its_children(tmp_path: Path) -> None:
    problems: list[str] = []
    # The shell starts a child that would hold the pipes open: both must go.
    delivery = AlertDelivery(
        hook="sleep 30 & sleep 30", desktop=False, on_problem=problems.append, timeout=0.3
    )
    delivery.deliver("t", "m", PAYLOAD)
    assert delivery.flush(timeout=5)
    assert problems == ["--on-alert command killed after 0.3 s"]


def test_a_hook_that_cannot_start_is_reported(tmp_path: Path) -> None:
    problems: list[str] = []
    delivery = AlertDelivery(
        hook=str(tmp_path / "no-such-command"), desktop=False, on_problem=problems.append
    )
    delivery.deliver("t", "m", PAYLOAD)
    assert delivery.flush()
    assert len(problems) == 1 and "status 127" in problems[0]


def test_the_environment_filter() -> None:
    kept = hook_environment(
        {"PATH": "/bin", "LANG": "C", "WALLET_TUI_EMAIL": "a@b", "MY_API_KEY": "x"}
    )
    assert kept == {"PATH": "/bin", "LANG": "C"}


def test_no_desktop_notification_over_ssh() -> None:
    assert over_ssh({"SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"})
    assert not over_ssh({"DISPLAY": ":0"})
    delivery = AlertDelivery(
        hook=None, desktop=True, on_problem=print, environ={"SSH_TTY": "/dev/pts/1"}
    )
    assert not delivery.desktop and not delivery.active


def test_the_desktop_notifier_per_platform() -> None:
    found = {"notify-send": "/usr/bin/notify-send", "osascript": "/usr/bin/osascript"}
    linux = desktop_command("BTC", "it's <b>up</b>", platform="linux", which=found.get)
    assert linux == ["notify-send", "--app-name=wallet-tui", "--", "BTC", "it's <b>up</b>"]
    mac = desktop_command("BTC", 'say "x"', platform="darwin", which=found.get)
    assert mac is not None and mac[-2:] == ["BTC", 'say "x"']  # arguments, never script text
    assert desktop_command("t", "m", platform="linux", which=lambda _: None) is None
    assert desktop_command("t", "m", platform="win32", which=found.get) is None


def test_a_failing_desktop_notifier_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "notify-send"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}")
    problems: list[str] = []
    delivery = AlertDelivery(
        hook=None, desktop=True, on_problem=problems.append, environ={"PATH": str(tmp_path)}
    )
    if not sys.platform.startswith("linux"):
        pytest.skip("notify-send is the Linux notifier")
    for _ in range(3):
        delivery.deliver("t", "m", PAYLOAD)
    assert delivery.flush()
    assert len(problems) == 1 and "desktop notification failed" in problems[0]
