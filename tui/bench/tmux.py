"""A real terminal emulator for the benchmark: tmux, driven from outside the program measured.

`TmuxTerminal` runs one tmux server of its own (a private socket, no user config), with
one pane of the wanted size, and talks to it through a control-mode client, so that
reading the screen costs one command on an open pipe (about 0.2 ms) rather than a new
`tmux` process per look. A program is started in the pane with `run()`; `wait_for()`
reads the pane's screen every 10 ms, as a user's eyes would poll it, until a text is
on it. The program's CPU time is read from /proc, by the pane's process id.

Nothing in the measured program knows it is measured: it sees a terminal (TERM as tmux
sets it) of the given size, whose output a real emulator parses and keeps.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from types import TracebackType

from tui.bench.terminal import cpu_seconds

#: How often the screen is looked at while waiting for a text, in seconds.
POLL_SECONDS = 0.010


def available() -> str | None:
    """None when tmux can be used here, else the reason it cannot."""
    if shutil.which("tmux") is None:
        return "tmux not found: apt-get install tmux (brew install tmux)"
    if not os.path.exists("/proc/self/stat"):
        return "needs /proc (Linux) to read the program's CPU time"
    return None


def app_environment(scratch: str) -> dict[str, str]:
    """The environment of wallet-tui in the pane: the sandbox's API key (straight to the
    dashboard), an empty config file in `scratch` (no user settings), the data folder
    (history) and the state folder (the theme chosen last time) in `scratch`, and tmux's
    own TERM (the emulator says what it is, as for a user)."""
    from tui.bench.startup import child_environment
    from tui.sandbox.wallet import DEMO_API_KEY

    config = os.path.join(scratch, "config.toml")
    with open(config, "w", encoding="utf-8"):
        pass
    env = child_environment({"WALLET_TUI_API_KEY": DEMO_API_KEY, "WALLET_TUI_CONFIG": config})
    # The balance history is on by default (a user's run records it, so the rows do):
    # into `scratch`, never the user's own history database.
    env["XDG_DATA_HOME"] = os.path.join(scratch, "data")
    # Nor the theme this machine's user chose last: restoring one restyles every widget
    # before the first frame (about 10 ms), a cost of that choice, not of the app.
    env["XDG_STATE_HOME"] = os.path.join(scratch, "state")
    # The parsed stylesheets an earlier run kept (`tui.ui.css_cache`): made by the
    # unmeasured first run, as an installed program's first start makes them.
    env["XDG_CACHE_HOME"] = os.path.join(scratch, "cache")
    env.pop("TERM", None)
    return env


class TmuxError(RuntimeError):
    """tmux refused a command or went away."""


class TmuxTerminal:
    """One tmux pane of `columns` x `rows` on a private tmux server, and a control client.

    `env` is the environment of the programs started in the pane (tmux's server takes
    it when it starts). Use as a context manager: leaving it kills the server, and with
    it whatever still runs in the pane.
    """

    def __init__(self, env: Mapping[str, str], *, columns: int = 140, rows: int = 42) -> None:
        self.columns = columns
        self.rows = rows
        # A socket of our own: the user's tmux sessions are never seen or touched.
        self._socket = f"wallet-tui-bench-{os.getpid()}-{id(self):x}"
        self._env = dict(env)
        self._target = "bench:0.0"
        self._tmux(
            "new-session", "-d", "-s", "bench", "-x", str(columns), "-y", str(rows),
            "sleep 86400",
        )  # fmt: skip
        self._control: subprocess.Popen[bytes] | None = None
        try:
            # A pane whose program ended stays, so that its last screen can be read.
            self._tmux("set-option", "-g", "remain-on-exit", "on")
            self._tmux("set-option", "-g", "status", "off")
            self._control = subprocess.Popen(
                self._argv("-C", "attach-session", "-t", "bench"),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=self._env,
            )
            self._attached()
            self._command("refresh-client -f no-output")  # no copy of the pane's output
        except BaseException:
            self.close()
            raise

    # -- tmux ---------------------------------------------------------------------

    def _argv(self, *args: str) -> list[str]:
        return ["tmux", "-L", self._socket, "-f", os.devnull, *args]

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            self._argv(*args), capture_output=True, text=True, env=self._env, timeout=30
        )
        if done.returncode != 0:
            raise TmuxError(f"tmux {args[0]}: {done.stderr.strip()}")
        return done.stdout

    def _attached(self) -> None:
        """Wait until the control client is attached: the attach's own block has ended."""
        assert self._control is not None and self._control.stdout is not None
        while True:
            line = self._control.stdout.readline()
            if not line:
                raise TmuxError("the control client could not attach")
            if line.startswith((b"%end", b"%error")):
                return

    def _command(self, command: str) -> bytes:
        """One command through the control client; its output (tmux quotes nothing)."""
        control = self._control
        if control is None or control.stdin is None or control.stdout is None:
            raise TmuxError("the control client is not running")
        control.stdin.write(command.encode() + b"\n")
        control.stdin.flush()
        lines: list[bytes] = []
        inside = False
        while True:
            line = control.stdout.readline()
            if not line:
                raise TmuxError("the control client went away")
            if not inside:
                # "%begin TIME NUMBER FLAGS": flags 1 for this client's own commands
                # (the attach's own block comes with 0, notifications have no block).
                inside = line.startswith(b"%begin") and line.split()[-1] == b"1"
                continue
            if line.startswith((b"%end", b"%error")):
                if line.startswith(b"%error"):
                    raise TmuxError(f"{command.split()[0]}: {b''.join(lines).decode().strip()}")
                return b"".join(lines)
            lines.append(line)

    # -- what the benchmark does --------------------------------------------------

    def run(self, argv: Sequence[str]) -> float:
        """Start `argv` in the pane in place of what ran there; perf_counter() just before."""
        command = "exec " + shlex.join(argv)
        started = time.perf_counter()
        self._command(f"respawn-pane -k -t {self._target} {shlex.quote(command)}")
        return started

    def screen(self) -> str:
        """The text on the pane's screen now, one line per row."""
        return self._command(f"capture-pane -p -t {self._target}").decode(errors="replace")

    def wait_for(self, text: str, started: float, timeout: float = 60.0) -> float | None:
        """Seconds from `started` until a look at the screen found `text` on it.

        The screen is looked at every `POLL_SECONDS`; the time is when the look that
        found it was taken. None when the time ran out or the program ended first.
        """
        deadline = started + timeout
        look = time.perf_counter()
        while look < deadline:
            if text in self.screen():
                return look - started
            if self.pane_dead():
                return None
            look += POLL_SECONDS
            pause = look - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            else:
                look = time.perf_counter()  # fell behind: look now, then keep the pace
        return None

    def send_keys(self, *keys: str) -> None:
        """Type `keys` in the pane, as tmux's send-keys names them ("Escape", "C-q", "/")."""
        self._command(f"send-keys -t {self._target} " + " ".join(shlex.quote(k) for k in keys))

    def pane_pid(self) -> int:
        """The process id of the program in the pane (started with `exec`: the program)."""
        return int(self._command(f"display-message -p -t {self._target} '#{{pane_pid}}'"))

    def pane_dead(self) -> bool:
        """True when the program in the pane has ended."""
        return (
            self._command(f"display-message -p -t {self._target} '#{{pane_dead}}'").strip() == b"1"
        )

    def cpu_seconds(self) -> float | None:
        """The pane program's user + system CPU seconds so far (Linux), else None."""
        return cpu_seconds(self.pane_pid())

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the program to quit (ctrl+q), and end it if it does not."""
        if self.pane_dead():
            return
        pid = self.pane_pid()
        self._command(f"send-keys -t {self._target} C-q")
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.pane_dead():
                return
            time.sleep(0.02)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, 9)

    def close(self) -> None:
        """Kill the tmux server (and the pane's program) and the control client."""
        with contextlib.suppress(Exception):
            self._tmux("kill-server")
        if self._control is not None:
            with contextlib.suppress(Exception):
                self._control.kill()
                self._control.wait(5)
            for stream in (self._control.stdin, self._control.stdout):
                if stream is not None:
                    with contextlib.suppress(Exception):
                        stream.close()
            self._control = None

    def __enter__(self) -> TmuxTerminal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
