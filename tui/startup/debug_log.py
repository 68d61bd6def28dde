"""`--log FILE`: a debug log of what wallet-tui asks the exchange, with secrets masked.

The log holds requests (method, path, status, time) and failures (error class and
message). Every line, tracebacks included, goes through `tui.api.redact` on its way
to the file, so a password, API key or token that reaches a log call by mistake is
still masked. The file is created readable by its owner only.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tui import __version__
from tui.api.redact import redact

#: The loggers of the program ("tui.api" for requests); others' loggers stay out.
LOGGER_NAME = "tui"
FORMAT = "%(asctime)s.%(msecs)03d %(levelname)-7s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


class LogFileError(OSError):
    """The log file cannot be opened for writing; the message names the file and why."""


class RedactingFormatter(logging.Formatter):
    """A Formatter whose whole output, traceback and stack included, is redacted."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


@contextmanager
def debug_log(path: Path | None) -> Iterator[logging.Handler | None]:
    """Log debug records of the `tui` loggers to `path` while the block runs (None: off)."""
    if path is None:
        yield None
        return
    handler = open_log_file(path)
    logger = logging.getLogger(LOGGER_NAME)
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.debug("wallet-tui %s: debug log started (pid %d)", __version__, os.getpid())
    try:
        yield handler
    finally:
        logger.debug("debug log stopped")
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
        handler.close()


def open_log_file(path: Path) -> logging.Handler:
    """A handler appending redacted lines to `path`, created with mode 0600."""
    path = path.expanduser()
    try:
        # Created first with mode 0600 (a log is nobody else's business), then appended
        # to: an earlier log is never clobbered.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        handler = logging.FileHandler(path, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise LogFileError(f"cannot write the log file {path}: {exc.strerror or exc}") from None
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(RedactingFormatter(FORMAT, DATE_FORMAT))
    return handler
