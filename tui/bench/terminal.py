"""Run a program under a pseudo-terminal, as a user's terminal would, and watch its output.

Used to time a full-screen app from process start to a frame showing a given text,
and to read a running app's CPU time. POSIX only: `available()` says whether it works.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from types import TracebackType

# Escape sequences: CSI (colours, cursor moves), OSC (titles...), and two-byte ones.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
#: Ctrl+Q, Textual's quit key, then `q` for apps that bind it instead.
QUIT_KEYS = b"\x11q"


def available() -> str | None:
    """None when programs can be run under a pty here, else the reason they cannot."""
    if sys.platform == "win32":
        return "needs a POSIX pseudo-terminal (not on Windows)"
    try:
        import fcntl  # noqa: F401
        import termios  # noqa: F401
    except ImportError:
        return "needs termios and fcntl"
    return None


def visible_text(output: bytes) -> bytes:
    """The output without escape sequences: the text a frame puts on the screen."""
    return _ESCAPES.sub(b"", output)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds used so far by process `pid` (Linux /proc), else None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    # Fields 14 and 15 of stat(5), counted after the ")" that ends the command name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PtyProcess:
    """A program running with a pty of `columns` x `rows` as its terminal.

    Its output is read continuously by a thread (a full-screen app blocks when nobody
    reads), kept for `wait_for`, and the time each chunk arrived is noted.
    """

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        columns: int = 120,
        rows: int = 40,
    ) -> None:
        import fcntl
        import struct
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._master = master
        self._output = bytearray()
        # (length of the output after a chunk, perf_counter() when it was read)
        self._arrivals: list[tuple[int, float]] = []
        self._ended = False
        self._changed = threading.Condition()
        #: perf_counter() just before the process was started.
        self.started = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env),
                start_new_session=True,
                close_fds=True,
            )
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read, name="bench-pty-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # EIO: the program closed its side
                chunk = b""
            with self._changed:
                if chunk:
                    self._output += chunk
                    self._arrivals.append((len(self._output), time.perf_counter()))
                else:
                    self._ended = True
                self._changed.notify_all()
            if not chunk:
                return

    @property
    def output(self) -> bytes:
        """Everything the program wrote so far."""
        with self._changed:
            return bytes(self._output)

    def wait_for(self, text: bytes, timeout: float) -> float | None:
        """Seconds from the start until `text` was on the screen, or None on timeout/exit.

        The time is when the reader thread received the output that completed it,
        within a scheduling slice of when the program wrote it.
        """
        deadline = time.perf_counter() + timeout
        checked = 0
        with self._changed:
            while True:
                while checked < len(self._arrivals):
                    length, arrived = self._arrivals[checked]
                    checked += 1
                    if text in visible_text(bytes(self._output[:length])):
                        return arrived - self.started
                if self._ended:
                    return None
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self._changed.wait(left)

    def cpu_seconds(self) -> float | None:
        """The program's CPU seconds so far (Linux), else None."""
        return cpu_seconds(self.process.pid)

    def close(self, timeout: float = 5.0) -> None:
        """Ask the program to quit (its quit keys), then terminate or kill it if need be."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                os.write(self._master, QUIT_KEYS)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        self._reader.join(timeout)
        os.close(self._master)

    def __enter__(self) -> PtyProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
