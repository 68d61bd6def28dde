"""Padding by display width, for the plain-text tables of the one-shot commands.

A terminal gives a CJK character or most emoji two cells, and a combining mark none, so
`str.ljust` (which counts code points) pushes a row with such an asset name out of line
by one to five cells. These pad to the width the terminal draws, as the dashboard does
(Rich's cell widths, the same table Textual uses).
"""

from __future__ import annotations

from rich.cells import cell_len


def display_width(text: str) -> int:
    """How many terminal cells `text` takes."""
    return cell_len(text) if not text.isascii() else len(text)


def pad_right(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` cells (left-aligned)."""
    return text + " " * max(0, width - display_width(text))


def pad_left(text: str, width: int) -> str:
    """`text` after spaces up to `width` cells (right-aligned)."""
    return " " * max(0, width - display_width(text)) + text
