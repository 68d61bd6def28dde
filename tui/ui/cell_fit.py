"""Server text in a bounded width: whole, or cut with "…", by terminal cells.

The product rule: ids, names, networks, statuses, error messages and amounts are never
cut without a mark. A cut counts display cells (a CJK character or most emoji take two,
a combining mark none, as Rich and Textual count them) and never splits a wide
character: where half of one would fall at the edge, the cut is one cell shorter.
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """`text` whole if it takes at most `width` cells, else its longest prefix that
    fits in `width - 1` cells followed by "…". The result never takes more than `width`
    cells (it may take one less, where a wide character would have been split)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    room = width - 1
    used = 0
    end = 0
    for end, ch in enumerate(text):  # noqa: B007 - `end` is read after the loop
        size = get_character_cell_size(ch)
        if used + size > room:
            break
        used += size
    else:
        end = len(text)
    return text[:end] + ELLIPSIS


def fit_text(text: Text, width: int) -> Text:
    """A styled `text` cut like `fit` (its spans kept on what is left); the same object
    when it fits already."""
    if text.cell_len <= width:
        return text
    plain = fit(text.plain, width)
    kept = len(plain) - 1 if plain.endswith(ELLIPSIS) else len(plain)
    cut = text[:kept] if kept else Text(style=text.style)
    cut.append(ELLIPSIS, style=text.style)
    return cut


def is_fitted(shown: str, whole: str) -> bool:
    """True when `shown` is `whole`, or a prefix of it marked cut with "…" (for tests and
    checks: what a bounded cell may show of a value)."""
    if shown == whole:
        return True
    return shown.endswith(ELLIPSIS) and whole.startswith(shown[:-1]) and len(shown) - 1 < len(whole)
