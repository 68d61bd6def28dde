"""Server text is data: make any string from the network safe to show and to copy."""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal

# Characters that change how a terminal or the text around them behaves rather than
# showing a glyph: C0/C1 controls (ESC, BEL, CSI...), format characters (bidi overrides
# that can make an address read backwards, zero-width joiners that hide inside an
# address), surrogates, private-use and unassigned code points.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_WHITESPACE_CONTROLS = frozenset("\t\n\r\v\f\x85\u2028\u2029")


def clean_text(raw: str) -> str:
    """`raw` with every control or invisible formatting character removed.

    Tabs and line breaks become a single space so that words in error messages stay
    apart; everything else unsafe is dropped. The result is what the user sees and
    exactly what a copy puts on the clipboard.
    """
    if raw.isprintable() and raw.isascii():
        return raw  # the common case, and a cheap one
    out: list[str] = []
    for ch in raw:
        if ch in _WHITESPACE_CONTROLS or ch in "\u2028\u2029":
            out.append(" ")
        elif unicodedata.category(ch) in _UNSAFE_CATEGORIES:
            continue
        else:
            out.append(ch)
    return "".join(out)


def is_clean(text: str) -> bool:
    """True when `text` holds no character that `clean_text` would change."""
    return clean_text(text) == text


def shorten_middle(text: str, keep: int = 8) -> str:
    """`text` cut to its first and last `keep` characters, so a user can check a copy."""
    if len(text) <= 2 * keep + 1:
        return text
    return f"{text[:keep]}…{text[-keep:]}"


def seconds_text(value: float) -> str:
    """Seconds as people write them: "5", "2.5", "1000000000"; never "1e+09"."""
    if not math.isfinite(value):
        return str(value)
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
