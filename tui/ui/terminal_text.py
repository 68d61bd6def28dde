"""Text for a terminal whose character set is not Unicode: look-alikes, never escapes.

Textual writes to stderr, whose Python error handler turns a character the locale's
encoding lacks into `\\u25c8` printed as text: a Latin-1 terminal showed `\\u0394 Total`,
`1.23456789\\u2026` and a QR code made of escapes. Instead every character the terminal
cannot show becomes an ASCII look-alike of the same width (`…` → `~`, `Δ` → `D`, box
lines → `-|+`), and anything else `?` per cell. The QR codes are not drawn at all (a
code of look-alikes would not scan): the detail pane says why.
"""

from __future__ import annotations

from rich.cells import cell_len

#: An ASCII look-alike for each character the app draws, one cell wide as the character
#: it stands for. ASCII even where the encoding has a closer one (Latin-1's `»`): a
#: terminal that does not match its locale (a UTF-8 tmux under a Latin-1 shell) still
#: shows ASCII.
LOOK_ALIKES: dict[str, str] = {
    "…": "~",
    "Δ": "D",
    "●": "*",
    "◌": "o",
    "⏸": "=",
    "✖": "x",
    "◈": "*",
    "▲": "^",
    "▼": "v",
    "←": "<",
    "→": ">",
    "▸": ">",
    "·": ".",
    "•": "*",
    "—": "-",
    "–": "-",
    "✓": "v",
    "⚠": "!",
    "≈": "~",
    "─": "-",
    "━": "-",
    "═": "=",
    "│": "|",
    "┃": "|",
    "║": "|",
    "▔": "-",
    "▁": "_",
    **dict.fromkeys("╭╮╰╯┌┐└┘├┤┬┴┼╔╗╚╝", "+"),
    **dict.fromkeys("▀▄█▌▐▂▃▅▆▇▉▊▋▍▎▏", "#"),
}

#: Whether the terminal shows the app's own characters (set once at start by `launch`).
_full = True


def set_full_glyphs(full: bool) -> None:
    """Say whether the terminal shows every character the app draws."""
    global _full
    _full = full


def full_glyphs() -> bool:
    """True when the terminal shows every character the app draws (UTF-8 terminals)."""
    return _full


_TABLE = str.maketrans(LOOK_ALIKES)


def for_terminal(text: str, encoding: str) -> str:
    """`text` for a terminal that is not UTF-8: the app's characters as ASCII look-alikes,
    any other character `encoding` lacks as `?` per cell it takes."""
    text = text.translate(_TABLE)
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        pass
    else:
        return text
    out = []
    for char in text:
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            char = "?" * max(1, cell_len(char))
        out.append(char)
    return "".join(out)
