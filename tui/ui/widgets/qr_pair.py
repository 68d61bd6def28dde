"""A deposit address's QR code and its memo's, placed so that neither goes missing unsaid.

A memo coin (XRP, XLM, TON...) needs two codes: the address and the memo/tag, which many
wallet apps drop when it rides inside the address code. Where the room allows, the two
stand side by side; where it is tall enough but not wide enough, the memo code goes under
the address code; where neither fits, one is shown at a time and `x` switches, the shown
code's caption saying that the other is there (or how large to make the terminal for it).
A code that is not shown is thus always named on screen, and a code is never drawn cut
(`QRCode` shows a message in its place instead).
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.geometry import Size
from textual.widget import Widget

from tui.ui.widgets.qr_code import QRCode, fit_message
from tui.ui.widgets.visible_room import height_room, visible_width

#: How the two codes stand: side by side, the memo's under the address's, or one at a time.
Placement = Literal["side", "stacked", "one"]
#: Which code is shown where only one is at a time.
Shown = Literal["address", "memo"]

#: How many times the placement may change at one terminal size without a new selection:
#: a room that moved with the placement could otherwise flip it for ever.
MAX_CHANGES = 4

#: The key that switches between the codes where only one is shown at a time.
SWITCH_KEY = "x"


#: Columns and lines between the two codes where no margins are known (`place_codes`).
NO_GAP = Size(0, 0)


def place_codes(address: Size, memo: Size, room: Size, *, gap: Size = NO_GAP) -> Placement:
    """How two codes of these sizes (columns, lines: code and caption) fit in `room`
    (columns × lines): side by side if they can, else one under the other, else one at
    a time. `gap` is the columns (side by side) and lines (stacked) between them."""
    if address.width + gap.width + memo.width <= room.width and (
        max(address.height, memo.height) <= room.height
    ):
        return "side"
    if max(address.width, memo.width) <= room.width and (
        address.height + gap.height + memo.height <= room.height
    ):
        return "stacked"
    return "one"


def switch_note(hidden: Shown) -> str:
    """The note under the shown code, where the `hidden` one would fit in its place."""
    return f"{SWITCH_KEY}: {hidden} QR code instead"


class QRPair(Widget):
    """The address's QR code (#qr-address) and the memo's (#qr-memo), with their captions.

    Decides after every layout, from the room it can be seen in (visible_room.py, in
    cells), how the two codes stand (`placement`). Without a memo there is one code,
    shown as `QRCode` shows any code.
    """

    DEFAULT_CSS = """
    QRPair {
        width: auto;
        height: auto;
        layout: horizontal;
    }
    QRPair.-stacked {
        layout: vertical;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._placement: Placement = "side"
        self._shown: Shown = "address"
        # The captions given (the notes are the pair's own), and the room last decided in.
        self._captions = ("", "")
        self._room = Size(0, 0)
        self._height_cap: int | None = None
        # The placement's changes by layout at this terminal size (see `_check_room`).
        self._changes_screen = Size(0, 0)
        self._changes = 0

    def compose(self) -> ComposeResult:
        yield QRCode(id="qr-address")
        yield QRCode(id="qr-memo")

    def on_mount(self) -> None:
        self.screen.screen_layout_refresh_signal.subscribe(self, self._check_room)

    @property
    def address_code(self) -> QRCode:
        return self.query_one("#qr-address", QRCode)

    @property
    def memo_code(self) -> QRCode:
        return self.query_one("#qr-memo", QRCode)

    @property
    def placement(self) -> Placement:
        """How the codes stand now ("one": one at a time, `shown` says which)."""
        return self._placement

    @property
    def shown(self) -> Shown:
        """The code shown where only one is at a time (the user's choice, kept)."""
        return self._shown

    @property
    def switchable(self) -> bool:
        """True when only one code is shown at a time and `switch` shows the other."""
        return self._placement == "one" and self.memo_code.data is not None

    def show(
        self,
        address: str | None,
        address_caption: str = "",
        memo: str | None = None,
        memo_caption: str = "",
    ) -> None:
        """Show the codes of `address` and `memo` (None: none) with their captions."""
        self._captions = (address_caption, memo_caption)
        self._changes = 0
        self.address_code.set_data(address, address_caption)
        self.memo_code.set_data(memo, memo_caption)
        self._decide()

    def switch(self) -> bool:
        """Show the other code where one is shown at a time; False where both (or no
        memo code) are shown, and nothing changes."""
        if not self.switchable:
            return False
        self._shown = "memo" if self._shown == "address" else "address"
        self._apply()
        return True

    # Deciding ---------------------------------------------------------------------

    def _gap(self) -> Size:
        """Columns and lines between the two codes: their margins."""
        first, second = self.address_code.styles.margin, self.memo_code.styles.margin
        return Size(first.right + second.left, first.bottom + second.top)

    def _sizes(self) -> tuple[Size, Size] | None:
        """The two codes' sizes with their captions (no notes), or None unless both."""
        address = self.address_code.measure(note="")
        memo = self.memo_code.measure(note="")
        if address is None or memo is None:
            return None
        return address, memo

    def _decide(self) -> None:
        sizes = self._sizes()
        room = self._room
        if sizes is None or not room.width or not room.height:
            placement: Placement = "side"  # one code, or the room is not known yet
        else:
            placement = place_codes(*sizes, room, gap=self._gap())
        self._placement = placement
        self._apply()

    def _apply(self) -> None:
        """Show the codes as `placement` and `shown` say, each note naming the other."""
        address_qr, memo_qr = self.address_code, self.memo_code
        one = self._placement == "one" and memo_qr.data is not None
        self.set_class(self._placement == "stacked", "-stacked")
        address_qr.display = not one or self._shown == "address"
        memo_qr.display = not one or self._shown == "memo"
        address_caption, memo_caption = self._captions
        address_note = memo_note = ""
        if one:
            if self._shown == "address":
                address_note = self._note_for(memo_qr, "memo", address_qr)
            else:
                memo_note = self._note_for(address_qr, "address", memo_qr)
        address_qr.set_data(address_qr.data, address_caption, address_note)
        memo_qr.set_data(memo_qr.data, memo_caption, memo_note)

    def _note_for(self, hidden: QRCode, name: Shown, shown: QRCode) -> str:
        """What the shown code says of the `hidden` one: the key to see it in its place,
        or, where it would not fit there either, how large to make the terminal."""
        other: Shown = "address" if name == "memo" else "memo"
        needed = hidden.measure(note=switch_note(other))
        room, screen = self._room, self.app.size
        if needed is None or not room.width:
            return switch_note(name)
        message = fit_message(
            needed, room, screen, height_cap=self._height_cap, subject=f"the {name} QR code"
        )
        return switch_note(name) if message is None else message

    def _check_room(self, _screen: object) -> None:
        """After a layout: decide again if the room moved (once per room and size)."""
        if self.memo_code.data is None:
            return
        columns = visible_width(self)
        if columns is None:
            return
        lines, cap = height_room(self)
        room = Size(columns, lines)
        if (room, cap) == (self._room, self._height_cap):
            return
        self._room, self._height_cap = room, cap
        screen = self.app.size
        if screen != self._changes_screen:
            self._changes_screen, self._changes = screen, 0
        before = self._placement
        if self._changes >= MAX_CHANGES:
            self._apply()  # the notes' numbers follow the room; the placement stays
            return
        self._decide()
        if self._placement != before:
            self._changes += 1
