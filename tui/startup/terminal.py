"""Is there a terminal the dashboard can run in? Checked before Textual is imported.

The dashboard reads keys from stdin and draws on stderr (Textual's choice: stdout stays
free for a program's output). Without a terminal on both it cannot work: with stdin
from /dev/null it used to spin at full CPU pouring escape codes into a file. So it
refuses, in one line, and names what works in a script. Only stdout piped
(`wallet-tui --demo | cat`) is fine: the size is read from the terminal drawn on.

The terminal's character set is checked too: a terminal whose encoding cannot show
the app's characters (box lines, `…`, `Δ`, `●`, QR code blocks) gets look-alikes
instead of escapes printed as text (see tui/ui/terminal_text.py).
"""

from __future__ import annotations

import codecs
import locale
import os
import sys
from typing import TextIO

NEEDS_A_TERMINAL = "needs a terminal; for scripts use `wallet-tui balances`"

#: Characters the app draws that a terminal must show for the full look (a sample:
#: box lines, marks, the QR code's half blocks).
APP_CHARACTERS = "─│╭╮╰╯●◌⏸✖◈Δ…▲▼←→▀▄█"


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and os.isatty(stream.fileno())
    except (OSError, ValueError):  # closed, or no file descriptor (a test's StringIO)
        return False


def terminal_problem(stdin: TextIO | None = None, output: TextIO | None = None) -> str | None:
    """Why the dashboard cannot run here (one line), or None when it can.

    `stdin` is where keys come from and `output` where the screen is drawn (default:
    the process's own stdin and stderr).
    """
    stdin = sys.__stdin__ if stdin is None else stdin
    output = sys.__stderr__ if output is None else output
    if not (_is_terminal(stdin) and _is_terminal(output)):
        return NEEDS_A_TERMINAL
    return None


def terminal_encoding(output: TextIO | None = None) -> str:
    """The terminal's character encoding (Python's codec name, e.g. "utf-8", "latin-1").

    The locale's, as the terminal shows what the locale says (LANG, LC_ALL, LC_CTYPE);
    the output stream's own encoding where the locale does not say.
    """
    output = sys.__stderr__ if output is None else output
    name = locale.getpreferredencoding(False) or getattr(output, "encoding", None) or "ascii"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "ascii"


def shows_app_characters(encoding: str) -> bool:
    """True when `encoding` can show every character the app draws."""
    try:
        APP_CHARACTERS.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
