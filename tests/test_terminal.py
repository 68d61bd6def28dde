"""No terminal, a terminal that hangs up, a terminal that is not UTF-8.

The dashboard refuses in one line without a terminal (it used to pour escape codes
into a file at full CPU), ends when its terminal goes away with SIGHUP ignored (it used
to spin on end-of-input), takes its size from the terminal drawn on when only stdout
is piped, and writes look-alikes where the terminal's encoding lacks a character.
"""

from __future__ import annotations

import io
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.startup.terminal import (
    NEEDS_A_TERMINAL,
    shows_app_characters,
    terminal_problem,
)
from tui.ui.terminal_driver import TerminalOutput
from tui.ui.terminal_text import for_terminal

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals")


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without wallet-tui's settings (the tests' config)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_TUI_")}
    return {**env, **extra}


def run_cli(
    *args: str, stdin: int | None, stdout: int | None, stderr: int | None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        timeout=60,
        check=False,
        env=clean_env(),
    )


def test_without_a_terminal_the_dashboard_refuses_in_one_line() -> None:
    done = run_cli(
        "--demo", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == f"wallet-tui: {NEEDS_A_TERMINAL}\n"


def test_terminal_problem_needs_keys_and_a_screen() -> None:
    assert terminal_problem(io.StringIO(), io.StringIO()) == NEEDS_A_TERMINAL
    with open(os.devnull) as null:
        assert terminal_problem(null, null) == NEEDS_A_TERMINAL


@posix_only
def test_only_stdout_piped_is_fine_and_the_hang_up_ends_the_app() -> None:
    """Under a 132 x 43 pseudo-terminal, stdout piped, SIGHUP ignored: the screen is
    drawn at the terminal's size; closing the terminal ends the process (no spin)."""
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 43, 132, 0, 0))
    env = clean_env(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--demo"],
        stdin=slave,
        stdout=subprocess.PIPE,  # only stdout piped
        stderr=slave,
        env=env,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    os.close(slave)
    seen = b""

    def rows() -> list[int]:
        # Textual moves the cursor to each line it draws.
        return [int(row) for row in re.findall(rb"\x1b\[(\d+);\d+H", seen)] or [0]

    deadline = time.monotonic() + 30
    try:
        # Until the whole first frame has come (its last line), not just "Log in": the
        # rest of the frame can still be on its way when that text is read.
        while (b"Log in" not in seen or max(rows()) < 43) and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                seen += os.read(master, 65536)
        assert b"Log in" in seen, seen[-500:]
        # Drawn over 43 lines, not a guessed 24.
        assert max(rows()) == 43, max(rows())
        os.close(master)  # the terminal goes away
        code = process.wait(timeout=15)
        assert code == 129
        assert process.stdout is not None and process.stdout.read() == b""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_look_alikes_for_a_latin_1_terminal() -> None:
    assert not shows_app_characters("latin-1")
    assert shows_app_characters("utf-8")
    text = "◈ Δ Total 1.23456789… ─│╭ ● live ▀▄█ · 日本"
    shown = for_terminal(text, "latin-1")
    shown.encode("latin-1")
    assert shown == "* D Total 1.23456789~ -|+ * live ### . ????"
    assert for_terminal(text, "ascii") == "* D Total 1.23456789~ -|+ * live ### . ????"
    assert "\\u" not in for_terminal(text, "ascii")


def test_terminal_output_writes_look_alikes_and_stops_when_the_terminal_is_gone() -> None:
    class Broken(io.StringIO):
        fail = False

        def write(self, text: str) -> int:
            if self.fail:
                raise OSError(5, "Input/output error")
            return super().write(text)

    file = Broken()
    gone: list[bool] = []
    out = TerminalOutput(file, "latin-1", lambda: gone.append(True))
    out.write("1.5…")
    assert file.getvalue() == "1.5~"
    file.fail = True
    out.write("more")
    out.write("and more")
    out.flush()
    assert out.gone and gone == [True]


async def test_no_qr_code_on_a_terminal_without_its_blocks_but_a_hint(
    transport: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app_harness import api_key_app, dashboard_of
    from tui.ui import terminal_text

    monkeypatch.setattr(terminal_text, "_full", False)
    app = api_key_app(transport)  # type: ignore[arg-type]
    async with app.run_test(size=(160, 50)) as pilot:  # wide enough for QR codes
        screen = await dashboard_of(app, pilot)
        assert screen.query_one("#dashboard-body").has_class("-narrow")
        assert not screen.query_one("#detail-qr").display
        hint = screen.query_one("#qr-hint")
        assert hint.display and "UTF-8" in str(hint.render())


def _wake_ups(pid: int) -> dict[str, int]:
    """Voluntary context switches (sleeps ended) of each thread of process `pid`."""
    counts = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/status") as status:
            for line in status:
                if line.startswith("voluntary_ctxt_switches"):
                    counts[task] = int(line.split()[1])
    return counts


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and tmux")
def test_the_input_thread_sleeps_until_input_yet_esc_and_quit_come_at_once(tmp_path: Path) -> None:
    """In a real terminal emulator (tmux): the input thread does not wake ten times a
    second while nothing is typed; a lone Esc (a key only once no byte follows) still
    closes the filter box, and ctrl+q ends the app at once (the stop flag wakes it)."""
    from tui.bench import tmux
    from tui.sandbox.server import start_in_background

    if tmux.available() is not None:
        pytest.skip("tmux is not installed")
    env = tmux.app_environment(str(tmp_path))  # the sandbox's API key: the dashboard
    with (
        start_in_background(seed=7, moving=False) as sandbox,
        tmux.TmuxTerminal(env, columns=120, rows=40) as screen,
    ):
        started = screen.run([sys.executable, "-m", "tui", "--base-url", sandbox.url])
        assert screen.wait_for("BTC", started) is not None, screen.screen()
        pid = screen.pane_pid()
        time.sleep(2)  # the first rates, operations and QR codes come and are drawn
        before = _wake_ups(pid)
        time.sleep(3)
        after = _wake_ups(pid)
        woke = {task: after[task] - before.get(task, 0) for task in after}
        # No thread polls ten times a second (Textual's own input loop did: 30 in 3 s).
        # The UI thread wakes for its work: the 1 s clock and its frames, a refresh every
        # 5 s, and each time it waits for the interpreter while the writer thread has it
        # (14 or 15 in 3 s on a quiet machine, 16 once under load); the others sleep
        # until there is input, a frame to write or a record to store.
        ui = woke.pop(str(pid))
        assert ui < 30, (ui, woke)
        assert max(woke.values()) <= 15, woke
        screen.send_keys("/")
        assert screen.wait_for("Filter assets by symbol", time.perf_counter()) is not None
        screen.send_keys("Escape")
        deadline = time.monotonic() + 10
        while "Filter assets by symbol" in screen.screen() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "Filter assets by symbol" not in screen.screen()
        screen.send_keys("C-q")
        deadline = time.monotonic() + 10
        while not screen.pane_dead() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert screen.pane_dead()


@posix_only
def test_sigterm_ends_the_dashboard_with_its_terminal_restored() -> None:
    """`kill` (SIGTERM) used to end the process where it stood, leaving the shell in the
    app's alternate screen with the cursor hidden; it now quits as ctrl+q does, 143."""
    master, slave = pty.openpty()
    env = clean_env(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--demo"],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    seen = b""

    def read_until(done: bool | None = None, timeout: float = 30) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (
            process.poll() is None if done else b"Log in" not in seen
        ):
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:  # the process has gone and closed the terminal
                    return

    try:
        read_until()
        assert b"Log in" in seen, seen[-500:]
        start = len(seen)
        process.send_signal(signal.SIGTERM)
        read_until(done=True)
        assert process.wait(timeout=15) == 143
        after = seen[start:]
        assert b"\x1b[?1049l" in after and b"\x1b[?25h" in after  # main screen, cursor shown
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
