"""Delivering alerts beyond the app's window: a desktop notification and `--on-alert CMD`.

Both run on one thread of their own (`AlertDelivery`), in the order the alerts fired, so
that a slow command never blocks the UI. The command gets the alert as JSON on its
standard input, runs under a timeout, and gets an environment without any wallet-tui
secret; its failures (exit status, timeout, not found) are reported through `on_problem`.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any

#: Seconds an --on-alert command may run before it is killed.
HOOK_TIMEOUT = 10.0
#: Seconds for the desktop notifier.
DESKTOP_TIMEOUT = 5.0
#: Alerts waiting beyond this many are dropped (and said so): a hook that hangs must not
#: make the app hoard alerts without end.
MAX_WAITING = 100
#: Environment variables never passed to the hook: wallet-tui's own (its secrets among
#: them) and anything that looks like a credential.
_SECRET_WORDS = ("KEY", "TOKEN", "PASSWORD", "PASSWD", "SECRET", "CREDENTIAL", "AUTH")


def hook_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` without WALLET_TUI_* variables and any variable named like a credential."""
    return {
        name: value
        for name, value in environ.items()
        if not name.upper().startswith("WALLET_TUI_")
        and not any(word in name.upper() for word in _SECRET_WORDS)
    }


def over_ssh(environ: Mapping[str, str]) -> bool:
    """True in an SSH session: a desktop notification would pop up on the far machine."""
    return any(environ.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def desktop_command(
    title: str,
    message: str,
    *,
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str] | None:
    """The platform's notifier command for a desktop notification, or None where there is none.

    Linux and the BSDs: `notify-send` (libnotify); macOS: `osascript`. The texts are
    arguments, never part of a shell line or of AppleScript source.
    """
    if platform == "darwin":
        if which("osascript") is None:
            return None
        script = "on run argv\ndisplay notification (item 2 of argv) with title (item 1 of argv)\nend run"
        return ["osascript", "-e", script, title, message]
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        if which("notify-send") is None:
            return None
        return ["notify-send", "--app-name=wallet-tui", "--", title, message]
    return None


class AlertDelivery:
    """Runs the desktop notifier and the --on-alert command for each alert, off the UI thread.

    `hook`: the user's command line (run by the shell, as git hooks are), or None.
    `desktop`: whether to notify the desktop (off over SSH, or where there is no notifier).
    `on_problem(text)` is called on the delivery thread when something fails.
    """

    def __init__(
        self,
        *,
        hook: str | None,
        desktop: bool,
        on_problem: Callable[[str], None],
        environ: Mapping[str, str] = os.environ,
        timeout: float = HOOK_TIMEOUT,
    ) -> None:
        self.hook = hook
        self.desktop = desktop and not over_ssh(environ)
        self._on_problem = on_problem
        self._env = hook_environment(environ)
        self._timeout = timeout
        self._queue: queue.Queue[tuple[str, str, dict[str, Any]] | None] = queue.Queue(MAX_WAITING)
        self._thread: threading.Thread | None = None
        self._desktop_failed = False
        self._idle = threading.Condition()
        self._pending = 0

    @property
    def active(self) -> bool:
        """Whether anything is delivered beyond the app's window."""
        return bool(self.hook) or self.desktop

    def deliver(self, title: str, message: str, payload: dict[str, Any]) -> None:
        """Queue an alert; returns at once. `payload` is the JSON the hook reads."""
        if not self.active:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="alerts", daemon=True)
            self._thread.start()
        with self._idle:
            self._pending += 1
        try:
            self._queue.put_nowait((title, message, payload))
        except queue.Full:
            with self._idle:
                self._pending -= 1
            self._on_problem(f"alert not delivered: {MAX_WAITING} alerts are still waiting")

    def flush(self, timeout: float = 15.0) -> bool:
        """Wait until every queued alert was delivered (tests, and quitting)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 1.0) -> None:
        """Stop the thread after what is queued, waiting at most `timeout` s for it."""
        if self._thread is not None:
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(None)
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            title, message, payload = item
            try:
                if self.desktop:
                    self._notify_desktop(title, message)
                if self.hook:
                    self._run_hook(payload)
            except Exception as error:  # a bug in delivery must not end the thread
                self._on_problem(f"alert delivery failed: {type(error).__name__}: {error}")
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _notify_desktop(self, title: str, message: str) -> None:
        command = desktop_command(title, message)
        if command is None:
            self.desktop = False  # no notifier here: nothing to retry
            return
        try:
            result = subprocess.run(
                command, env=self._env, capture_output=True, timeout=DESKTOP_TIMEOUT, check=False
            )
            failed = result.returncode != 0
        except (OSError, subprocess.TimeoutExpired):
            failed = True
        if failed and not self._desktop_failed:
            # Once: a session without a notification daemon fails the same way every time.
            self._desktop_failed = True
            self._on_problem(f"desktop notification failed ({command[0]}); in-app alerts go on")

    def _run_hook(self, payload: dict[str, Any]) -> None:
        assert self.hook is not None
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            # A session of its own, so that a timeout kills the shell's children too (a
            # `curl` left behind would hold the pipes and hang this thread).
            process = subprocess.Popen(
                self.hook,
                shell=True,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=self._env,
                start_new_session=os.name == "posix",
            )
        except OSError as error:
            self._on_problem(f"--on-alert command could not start: {error.strerror or error}")
            return
        try:
            _, stderr = process.communicate(data, timeout=self._timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            self._on_problem(f"--on-alert command killed after {self._timeout:g} s")
            return
        if process.returncode != 0:
            lines = stderr.decode("utf-8", "replace").strip().splitlines()
            reason = f": {' '.join(lines[-1].split())[:200]}" if lines else ""
            self._on_problem(f"--on-alert command exited with status {process.returncode}{reason}")


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the hook and everything it started, then reap it."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, 9)
        else:
            process.kill()
    except OSError:
        pass
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=2)
