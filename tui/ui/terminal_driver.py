"""Textual's Linux driver, made to end cleanly when the terminal goes away.

Textual's input thread reads the terminal in a loop; at end-of-input (the terminal
hung up while SIGHUP is ignored: nohup, some SSH setups) `read` returns nothing at
once, forever, and the process spun at 100 % CPU. An I/O error on the terminal killed
the output thread instead, and the app hung on its next write. Here either one ends
the app, with exit code 129 (as a hang-up signal would), writing nothing more.

Three more things the stock driver gets wrong for us:

- the size comes from stdout, so with only stdout piped (`wallet-tui --demo | cat`) it
  drew 80 x 24 in a larger terminal: here it comes from the terminal drawn on;
- a terminal whose encoding lacks the app's characters got them as `\\u2026` printed as
  text: here they are written as look-alikes (tui/ui/terminal_text.py);
- its input thread woke ten times a second to look at its stop flag, for as long as the
  app ran (about a sixth of the CPU of a dashboard that shows a quiet wallet): here it
  sleeps until the terminal has input, its stop flag is set (a pipe wakes it), or a
  half-read escape sequence is due to time out.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import threading
from codecs import getincrementaldecoder
from typing import TextIO

from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

from tui.cli.exit_codes import EXIT_HANGUP, EXIT_TERMINATED
from tui.ui.terminal_text import for_terminal


class TerminalOutput:
    """The driver's output file: stops writing once the terminal is gone, and writes
    characters the terminal's encoding lacks as look-alikes (`encoding`, or None for
    a terminal that shows everything)."""

    def __init__(self, file: TextIO, encoding: str | None, on_gone: object) -> None:
        self._file = file
        self._encoding = encoding
        self._on_gone = on_gone
        self.gone = False

    def write(self, text: str) -> None:
        if self.gone:
            return
        if self._encoding is not None:
            text = for_terminal(text, self._encoding)
        try:
            self._file.write(text)
        except (OSError, ValueError):
            self._lost()

    def flush(self) -> None:
        if self.gone:
            return
        try:
            self._file.flush()
        except (OSError, ValueError):
            self._lost()

    def fileno(self) -> int:
        return self._file.fileno()

    def _lost(self) -> None:
        self.gone = True
        self._on_gone()  # type: ignore[operator]


#: Where Textual's parser keeps when its half-read sequence times out (a lone Esc is an
#: Esc key only once no more bytes follow); without it (another Textual) the input
#: thread looks every POLL_SECONDS, as Textual's own does.
_PARSER_DEADLINE = "_timeout_time"
POLL_SECONDS = 0.1


class WakingEvent(threading.Event):
    """A threading.Event whose `set` also writes to a pipe, so that a thread blocked in
    `select` on the pipe's other end wakes at once instead of polling the flag."""

    def __init__(self) -> None:
        super().__init__()
        self.wake_fd, self._write_fd = os.pipe()
        os.set_blocking(self.wake_fd, False)
        os.set_blocking(self._write_fd, False)

    def set(self) -> None:
        super().set()
        # (A full pipe: the reader is already due to wake.)
        with contextlib.suppress(BlockingIOError):
            os.write(self._write_fd, b"x")

    def drain(self) -> None:
        """Empty the pipe (the reader, once woken)."""
        with contextlib.suppress(BlockingIOError):
            while os.read(self.wake_fd, 4096):
                pass


def _wait_seconds(parser: object) -> float | None:
    """How long the input thread may sleep: None (until input or the stop flag) unless
    the parser waits for the rest of an escape sequence, then until its deadline."""
    deadline = getattr(parser, _PARSER_DEADLINE, POLL_SECONDS)
    if deadline is None:
        return None
    if not isinstance(deadline, float | int):
        return POLL_SECONDS
    return max(0.0, min(POLL_SECONDS, deadline - get_time()))


class HangUpAwareDriver(LinuxDriver):
    """LinuxDriver that ends the app at end-of-input or an I/O error on the terminal."""

    #: The terminal's encoding when it cannot show every character (set by `launch`).
    narrow_encoding: str | None = None

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.terminal_gone = False
        self._file = TerminalOutput(self._file, self.narrow_encoding, self._gone)  # type: ignore[assignment]
        self.exit_event = WakingEvent()

    def start_application_mode(self) -> None:
        super().start_application_mode()
        # SIGTERM (kill, timeout, a service manager) killed the process where it stood:
        # the shell got its terminal back in the app's alternate screen, the cursor
        # hidden and the mouse reported. It now ends the app as a quit does, restoring
        # the terminal, with 128 + SIGTERM.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            self._loop.add_signal_handler(signal.SIGTERM, self._terminated)

    def stop_application_mode(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            self._loop.remove_signal_handler(signal.SIGTERM)
        super().stop_application_mode()

    def _terminated(self) -> None:
        self._app.exit(None, EXIT_TERMINATED)

    def _gone(self) -> None:
        """The terminal went away: write no more, and end the app (from any thread)."""
        if self.terminal_gone:
            return
        self.terminal_gone = True
        self._file.gone = True  # type: ignore[union-attr]
        self.exit_event.set()
        self._loop.call_soon_threadsafe(self._app.exit, None, EXIT_HANGUP)

    def _get_terminal_size(self) -> tuple[int, int]:
        # The terminal drawn on (stderr), then stdin: never stdout, which may be a pipe.
        for fd in (self._file.fileno(), self.fileno):
            try:
                columns, lines = os.get_terminal_size(fd)
            except (OSError, ValueError):
                continue
            if columns and lines:
                return columns, lines
        return super()._get_terminal_size()

    def run_input_thread(self) -> None:
        """Textual's input loop (Textual 8.x), plus: end-of-input or an I/O error on
        the terminal ends the app instead of spinning on an empty read."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        stop = self.exit_event
        if isinstance(stop, WakingEvent):
            selector.register(stop.wake_fd, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="replace").decode
        try:
            while not stop.is_set():
                wait = _wait_seconds(parser) if isinstance(stop, WakingEvent) else POLL_SECONDS
                for key, mask in selector.select(wait):
                    if not mask & selectors.EVENT_READ:
                        continue
                    if isinstance(stop, WakingEvent) and key.fd == stop.wake_fd:
                        stop.drain()  # the stop flag was set (or cleared and set again)
                        continue
                    try:
                        data = os.read(self.fileno, 1024 * 4)
                    except OSError:
                        data = b""  # EIO: the terminal hung up
                    if not data:
                        self._gone()
                        return
                    for event in parser.feed(decode(data)):
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
