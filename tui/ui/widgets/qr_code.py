"""QR codes of deposit addresses and memos, drawn in the terminal with half blocks.

A phone reads a QR code as dark modules on a light background with a light margin (the
quiet zone) around it. A terminal's own colours cannot be trusted for that: on a dark theme
the "default" foreground is light, which would invert the code and merge its margin into the
dark screen. So every cell here is painted with explicit colours, black on white, and the
quiet zone is drawn as white cells.

Each terminal line carries two module rows: a cell is about twice as tall as it is wide, so
a half block (upper "▀", lower "▄", full "█" or blank) makes square modules.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.widget import Widget

from tui.api.text import clean_text
from tui.ui.widgets.visible_room import height_room, shown_area, visible_width

#: Below this many columns of room, the widget does not even say why it shows no code.
MIN_MESSAGE_COLUMNS = 12

#: The quiet zone drawn around the symbol, in modules. The standard asks for 4, but phone
#: readers find a 2-module white margin reliably, and every module costs a terminal column.
DEFAULT_BORDER = 2

# Truecolour black and white rather than the ANSI names "black"/"white": terminal themes
# remap the 16 ANSI colours (ANSI "white" is often a mid grey, and some themes swap them),
# whereas #000000/#ffffff stay black and white, and map to the 256-colour cube's black and
# white on terminals without truecolour.
DARK = "#000000"
LIGHT = "#ffffff"
#: The one style of every QR cell: the glyph is the dark part, the background the light.
QR_STYLE = Style(color=DARK, bgcolor=LIGHT)

# (upper module dark, lower module dark) -> the glyph drawn in DARK on LIGHT. Using the
# foreground for dark parts only (never a blank on a dark background) means the code keeps
# its shape, though not its colours, where colour is switched off (NO_COLOR, NoColor filter).
_GLYPHS = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


class QRSize(NamedTuple):
    """The size a QR code takes on screen."""

    width: int
    """Columns: the symbol's modules plus the quiet zone on both sides."""
    height: int
    """Lines: half the module rows (quiet zone included), rounded up."""


@lru_cache(maxsize=32)
def _module_rows(data: str, border: int) -> tuple[tuple[bool, ...], ...]:
    """The symbol's modules (True = dark), with `border` light modules around it."""
    # Imported here: segno is only needed once a QR code is shown, not for the first frame.
    import segno

    # Error correction M (15 %): a screen photographed by a phone has glare, moiré and
    # gaps between block glyphs, which M absorbs, and M costs nothing over L on an address
    # (34 to 42 characters: version 3, 33 columns, either way). Q and H would widen that
    # code to 37 and 41 columns, too wide for a narrow detail pane. segno still raises the
    # level where the data fits in the same version (boost_error). Never a Micro QR: many
    # phone readers do not read them.
    qr = segno.make(data, error="m", micro=False)
    return tuple(
        tuple(bool(module) for module in row) for row in qr.matrix_iter(scale=1, border=border)
    )


@lru_cache(maxsize=32)
def _lines(data: str, border: int) -> tuple[str, ...]:
    if border < 0:
        raise ValueError(f"border must not be negative: {border}")
    rows = _module_rows(data, border)
    if len(rows) % 2:
        # A QR symbol has an odd number of rows, so the last line's lower half lies
        # outside it: it is drawn light, a little more quiet zone at the bottom.
        rows = (*rows, (False,) * len(rows[0]))
    return tuple(
        "".join(
            _GLYPHS[upper_dark, lower_dark]
            for upper_dark, lower_dark in zip(upper, lower, strict=True)
        )
        for upper, lower in zip(rows[0::2], rows[1::2], strict=True)
    )


def qr_lines(data: str, *, border: int = DEFAULT_BORDER) -> list[str]:
    """`data` as a QR code in half-block characters, one string per terminal line.

    Dark modules are the glyphs' foreground, light modules (the quiet zone of `border`
    modules included) their background; draw them in `QR_STYLE`, as `qr_text` does. Every
    line has the same width. Encodings are cached, so calling this again costs nothing.

    Raises ValueError (segno's DataOverflowError) when `data` is too long for a QR code.
    """
    return list(_lines(data, border))


def qr_size(data: str, *, border: int = DEFAULT_BORDER) -> QRSize:
    """Columns and lines the QR code of `data` takes: modules + 2·border wide, half that tall."""
    lines = _lines(data, border)
    return QRSize(len(lines[0]), len(lines))


def qr_text(data: str, *, border: int = DEFAULT_BORDER) -> Text:
    """`data` as a QR code: Rich Text in which every cell is explicitly black on white.

    The line breaks between lines carry no style, so no colour leaks past the code's edge.
    """
    text = Text(no_wrap=True, overflow="ignore", end="")
    for index, line in enumerate(_lines(data, border)):
        if index:
            text.append("\n")
        text.append(line, style=QR_STYLE)
    return text


def fit_message(
    qr: Size,
    room: Size,
    screen: Size,
    *,
    height_cap: int | None = None,
    subject: str = "the QR code",
) -> str | None:
    """What to say instead of a QR code of size `qr` that does not fit in `room`, else None.

    The numbers are what the terminal (now `screen`) needs to become if the space around
    the QR code stays as it is: the QR code plus everything else on that row or column.
    Space shared out in proportions (1fr, 60%) grows slower than the terminal, so they
    are a lower bound, and the message says "at least".
    `height_cap` is the part of the room's height that is a fixed number of lines (a
    `max-height: 20` in the CSS), which no taller terminal changes. `subject` names the
    code in the sentence ("the memo QR code").
    """
    wide_enough = qr.width <= room.width
    tall_enough = qr.height <= room.height
    if wide_enough and tall_enough:
        return None
    if height_cap is not None and qr.height > height_cap:
        return f"Too little room here to show {subject}: it needs {qr.height} lines"
    columns = qr.width + max(0, screen.width - room.width)
    lines = qr.height + max(0, screen.height - room.height)
    if tall_enough:
        return f"Widen the terminal to at least {columns} columns to show {subject}"
    if wide_enough:
        return f"Make the terminal at least {lines} lines tall to show {subject}"
    return (
        f"Enlarge the terminal to at least {columns} columns × {lines} lines to show {subject}"
    )


class QRCode(Widget):
    """A scannable QR code of a string (an address, a memo) with a caption under it.

    The QR code is shown only whole. Where it does not fit, the widget says instead how
    large to make the terminal: a cropped QR code would not scan, or worse, could scan as
    something else. The room in width is what is visible of it on screen: from the
    widget's left edge to the right edge of the nearest container whose width does not
    follow its content (clipped by the screen and every ancestor), plus what siblings
    sized in `fr` to its left would give up down to their `min-width` (a container that
    grows with its content can overflow its parent: its own width says nothing). In
    height it is the visible height of the nearest container that does not grow with its
    content (a scroll view, the screen), capped by the `max-height` of those in between
    (both measured by visible_room.py). It decides again after every layout, so on every resize and whenever what stands
    beside it changes width. Last, a code that is not wholly inside the area the screen
    shows of it (by any clipping ancestor) is not drawn: the message is, in its place.
    The data and the caption come from the server and are never markup.
    """

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
    }
    """

    def __init__(
        self,
        data: str | None = None,
        caption: str = "",
        *,
        border: int = DEFAULT_BORDER,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        if border < 0:
            raise ValueError(f"border must not be negative: {border}")
        self.border = border
        self._data: str | None = data or None
        self._caption = clean_text(caption)
        # Said under the caption, and under the message too (see `set_data`).
        self._note = ""
        # The room the last layout offered (0: not known yet), for the decision and the
        # numbers in the message; and the lines of that height that are fixed in the CSS.
        self._room = Size(0, 0)
        self._height_cap: int | None = None
        # Columns visible on screen from the widget's left edge, as the last layout left
        # them (None: not laid out yet); see `visible_width` (visible_room.py).
        self._visible_columns: int | None = None
        # What the screen showed of the widget after the last layout (None: all of it).
        self._last_shown: Region | None = None
        # The rooms `_check_room` laid out again for, at this terminal size.
        self._relaid_screen = Size(0, 0)
        self._relaid_rooms: set[tuple[int | None, int, int | None]] = set()

    @property
    def data(self) -> str | None:
        """The string encoded, or None when nothing is shown."""
        return self._data

    @property
    def caption(self) -> str:
        """The line under the QR code, as shown (control characters removed)."""
        return self._caption

    @property
    def note(self) -> str:
        """The dim line under the caption (and under the message), as shown."""
        return self._note

    @property
    def fits(self) -> bool:
        """True when the QR code itself is on screen (not the message, nor nothing)."""
        needed = self._needed()
        return (
            needed is not None
            and self.content_size.width >= needed.width
            and self.content_size.height >= needed.height
            and self._fit_message(needed) is None
        )

    def set_data(self, data: str | None, caption: str = "", note: str = "") -> None:
        """Show the QR code of `data` (nothing for None or "") with `caption` under it.

        `note` is said under the caption in a dim style, and stays on screen where the
        code does not fit (under the message): what else there is to see and how (the
        other code of a pair, see `QRPair`).
        """
        data = data or None
        caption = clean_text(caption)
        note = clean_text(note)
        if (data, caption, note) == (self._data, self._caption, self._note):
            return
        self._data = data
        self._caption = caption
        self._note = note
        self.refresh(layout=True)

    def on_mount(self) -> None:
        self.screen.screen_layout_refresh_signal.subscribe(self, self._check_room)

    # Sizes -----------------------------------------------------------------------

    def measure(self, note: str | None = None) -> Size | None:
        """Columns and lines of the QR code with its caption and `note` under it (default:
        the note it has), or None without a code (no data, or too long for one)."""
        if self._data is None:
            return None
        try:
            qr = qr_size(self._data, border=self.border)
        except ValueError:
            return None
        note = self._note if note is None else clean_text(note)
        return Size(qr.width, qr.height + len(self._caption_lines(qr.width, note)))

    def _needed(self) -> Size | None:
        """The QR code's, caption's and note's size, or None without one."""
        return self.measure()

    def _caption_lines(self, width: int, note: str | None = None) -> list[Text]:
        note = self._note if note is None else note
        if width <= 0:
            return []
        lines: list[Text] = []
        if self._caption:
            caption = Text(self._caption, overflow="fold")
            lines += caption.wrap(self.app.console, width, justify="center")
        if note:
            lines += Text(note, style="dim", overflow="fold").wrap(
                self.app.console, width, justify="center"
            )
        return lines

    def _code_clipped(self) -> Region | None:
        """What the screen shows of where the code's modules go, when not all, else None.

        Only the symbol with its quiet zone counts: a caption cut by a scroll view does
        not change what a phone reads.
        """
        shown = shown_area(self)
        if shown is None or self._data is None:
            return None
        try:
            qr = qr_size(self._data, border=self.border)
        except ValueError:
            return None
        content = self.content_region
        code = Region(content.x, content.y, qr.width, qr.height)
        return None if shown.contains_region(code) else shown

    def _fit_message(self, needed: Size) -> str | None:
        screen = self.app.size
        room = Size(self._room.width or screen.width, self._room.height or screen.height)
        shown = self._code_clipped()
        if shown is not None:
            # Clipped after all: what is shown is the room, for the decision and the numbers.
            room = Size(
                min(room.width, shown.right - self.content_region.x),
                min(room.height, shown.bottom - self.content_region.y),
            )
        return fit_message(needed, room, screen, height_cap=self._height_cap)

    def _message(self) -> str:
        """What stands in the code's place, its note on a line of its own under it."""
        if self._data is None:
            return ""
        needed = self._needed()
        if needed is None:
            message = "Too long to show as a QR code"
        else:
            message = self._fit_message(needed) or ""
        return f"{message}\n{self._note}" if message and self._note else message

    def _message_text(self) -> Text:
        message = self._message()
        text = Text(message, overflow="fold")
        if self._note and message.endswith(self._note):
            text.stylize("dim", len(message) - len(self._note))
        return text

    def _message_width(self) -> int:
        """Columns of the message's widest line, unwrapped."""
        return max(cell_len(line) for line in self._message().split("\n"))

    def _set_room(
        self,
        *,
        width: int | None = None,
        height: int | None = None,
        height_cap: int | None = None,
    ) -> None:
        room = Size(
            self._room.width if width is None else width,
            self._room.height if height is None else height,
        )
        cap = self._height_cap if height is None else height_cap
        if (room, cap) != (self._room, self._height_cap):
            self._room, self._height_cap = room, cap
            # The message's numbers change even when the widget's size does not.
            self.refresh()

    def _check_room(self, _screen: object) -> None:
        """After a layout: lay out again if the room moved (ancestors are resized last)."""
        if self._data is None:
            return
        shown = shown_area(self)
        if shown != self._last_shown:
            # Moved into, out of or within a clip at the same size (a move alone draws
            # nothing again): whether the code is drawn changes, and the message's numbers.
            self._last_shown = shown
            self.refresh()
        visible = visible_width(self)
        room = (visible, *height_room(self))
        if room == (self._visible_columns, self._room.height, self._height_cap):
            return
        self._visible_columns = visible
        screen = self.app.size
        if screen != self._relaid_screen:
            self._relaid_screen, self._relaid_rooms = screen, set()
        # Once per room and terminal size: a room that depends on what this widget shows
        # (a percentage of a parent that grows with it) could otherwise flip for ever.
        if room not in self._relaid_rooms:
            self._relaid_rooms.add(room)
            self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The QR code's width when it fits in `container`, else the message's."""
        if self._data is None:
            return 0
        needed = self._needed()
        if container.width == 0:
            # A container sizing itself to its children first asks for their natural width.
            return needed.width if needed is not None else self._message_width()
        room = container.width
        if self._visible_columns is not None:
            room = min(room, self._visible_columns)
        self._set_room(width=room)
        if needed is not None and needed.width <= room:
            return needed.width
        if room < MIN_MESSAGE_COLUMNS:
            # Too little room even for words (the code before it took the row): nothing.
            return 0
        # No wider than the code would be: beside another code, the message leaves it
        # the room the two codes would take.
        return min(self._message_width(), room, needed.width if needed else room)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The QR code's and caption's height when they fit, else the message's."""
        if self._data is None or width <= 0:
            return 0
        room_height, height_cap = height_room(self)
        self._set_room(height=room_height, height_cap=height_cap)
        needed = self._needed()
        if needed is not None and width >= needed.width and needed.height <= room_height:
            return needed.height
        return len(self._message_text().wrap(self.app.console, width))

    # Drawing ---------------------------------------------------------------------

    def render(self) -> Text:
        """The QR code and caption, or the message saying how large to make the terminal."""
        if self._data is None:
            return Text()
        if not self.fits:
            message = self._message_text()
            shown = shown_area(self)
            if shown is not None and shown.width:
                # Clipped: the message wraps in the columns that are seen.
                columns = shown.right - self.content_region.x
                message = Text("\n").join(message.wrap(self.app.console, max(1, columns)))
            return message
        text = qr_text(self._data, border=self.border)
        for line in self._caption_lines(qr_size(self._data, border=self.border).width):
            text.append("\n")
            text.append_text(line)
        return text
