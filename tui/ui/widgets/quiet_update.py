"""Update a `Static` without laying out the screen when its new text takes the same room.

`Static.update` asks for a layout of the whole screen by default: with a dashboard of
some twenty widgets that costs tens of milliseconds, once per refresh when it happens on
the usual path (the selected asset's amounts, its heading, its trend). A text whose lines
have the same display widths as the last one gives the widget the same size, however it
is sized (auto width, auto height, wrapped at a fixed width), so a repaint is enough.
The same text again is not drawn at all.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

#: The attribute, on the widget, that keeps what `show_text` last gave it.
_SHOWN = "_quiet_update_shown"


def line_widths(text: Text) -> tuple[int, ...]:
    """The display width (terminal cells) of each line of `text`, blank lines included."""
    return tuple(line.cell_len for line in text.split("\n", allow_blank=True))


def show_text(widget: Static, text: Text) -> bool:
    """Show `text` in `widget`; a layout only when a line's width changed. Returns False
    when `text` equals what is shown (nothing was done).

    Every update of `widget` must go through here: what it shows is remembered on it.
    """
    shown: tuple[Text, tuple[int, ...]] | None = getattr(widget, _SHOWN, None)
    if shown is not None and shown[0] == text:
        return False
    widths = line_widths(text)
    widget.update(text, layout=shown is None or shown[1] != widths)
    setattr(widget, _SHOWN, (text, widths))
    return True
