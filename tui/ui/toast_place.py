"""Where notifications (toasts) go so that they never cover a QR code, nor the text of a
screen that is all text.

Textual stacks toasts in the bottom-right corner, which is where the detail pane draws
its QR codes in the usual layout: a phone pointed at the code would read a toast. The
corner is chosen from the four by where the codes are on screen, the bottom-right one
when it is free, else just above the codes; the screen gets the classes `-toasts-top`
and `-toasts-left` that wallet.tcss turns into the ToastRack's placement, and the rack
a bottom margin that lifts it over the codes. On the screens that are all text (the
messages view, help, the operations and one operation) no corner is free: there the text
makes room, ending above the toasts (`keep_clear_of_toasts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.css.query import NoMatches
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.widget import Widget

#: Textual's Toast: 60 cells wide at most (and half the screen), about six lines each
#: (margin, padding, title and a line or two of message).
TOAST_WIDTH = 60
TOAST_LINES = 6
#: On a screen that is all text, the toasts' strip takes at most 1/3 of its lines.
TEXT_SCREEN_SHARE = 3


@dataclass(frozen=True)
class Placement:
    """Where the toasts stack: at the top or bottom, left or right; a bottom stack is
    raised by `lift` lines (to sit just above the QR codes)."""

    top: bool = False
    left: bool = False
    lift: int = 0


def toast_area(screen: Size, count: int, placement: Placement) -> Region:
    """The region `count` toasts take when placed so on a screen of `screen` size (the
    top stack below the header, the bottom one above the key bar)."""
    width = min(TOAST_WIDTH, screen.width // 2)
    height = min(max(0, screen.height - 2), TOAST_LINES * max(1, count))
    x = 0 if placement.left else screen.width - width
    y = 1 if placement.top else screen.height - 1 - placement.lift - height
    return Region(x, y, width, height)


def toast_placement(screen: Size, avoid: list[Region], count: int) -> Placement:
    """The first of: bottom right; bottom right raised just above the codes; top right;
    bottom left; top left, whose toasts cover none of `avoid` (the QR codes) and fit on
    the screen. If each would cover some, the one that covers least."""
    candidates = [Placement()]
    if avoid:
        lowest_free = min(region.y for region in avoid)  # the first line of the codes
        candidates.append(Placement(lift=max(0, screen.height - 1 - lowest_free)))
    candidates += [Placement(top=True), Placement(left=True), Placement(top=True, left=True)]

    def cost(placement: Placement) -> tuple[bool, int]:
        area = toast_area(screen, count, placement)
        return (area.y < 1, sum(area.intersection(region).area for region in avoid))

    return min(candidates, key=cost)  # min keeps the first of equals


def place_toasts(screen: Screen[object], count: int) -> None:
    """Put `screen`'s toasts where they cover no QR code shown on it."""
    from textual.widgets._toast import ToastRack

    from tui.ui.widgets.qr_code import QRCode

    codes = [
        code.region
        for code in screen.query(QRCode)
        if code.display and code.visible and code.data is not None and code.fits
    ]
    placement = toast_placement(screen.size, codes, count)
    screen.set_class(placement.top, "-toasts-top")
    screen.set_class(placement.left, "-toasts-left")
    try:
        rack = screen.get_child_by_type(ToastRack)
    except NoMatches:
        return  # notifications are off (tests), or the screen has no rack yet
    # The key bar's line, and the lift above the codes; the top stack below the header.
    rack.styles.margin = (1, 0, 0, 0) if placement.top else (0, 0, 1 + placement.lift, 0)


def keep_clear_of_toasts(screen: Screen[object], widget: Widget) -> None:
    """Keep the toasts off `widget`'s text on a screen that is all text (the messages
    view, help, the operations): after each layout of `screen`, `widget`'s bottom margin
    lifts its bottom edge (and what the screen stacks under it) above the toasts shown,
    in lines; back to none when they are gone.

    There is no corner of such a screen free of text to put them in, as there is on the
    dashboard: the text makes room instead, and the toasts stand in a strip of their own
    under it (above the key bar, which the rack's margin keeps clear). The strip takes a
    third of the screen at most (TEXT_SCREEN_SHARE), showing the newest toasts (the older ones wait out of sight): a burst
    of them must not squeeze the text away (every one is in the messages view, `l`).
    """
    from textual.widgets._toast import Toast, ToastHolder, ToastRack

    def make_room(_screen: object) -> None:
        try:
            rack = screen.get_child_by_type(ToastRack)
        except NoMatches:
            return  # notifications are off (tests)
        # The newest toasts that fit in the strip; the older ones wait out of sight
        # (the rack cannot scroll: Textual does not lay out a hidden one's content).
        room = max(TOAST_LINES, screen.size.height // TEXT_SCREEN_SHARE)
        for holder in reversed(rack.query_children(ToastHolder).nodes):
            height = holder.outer_size.height or TOAST_LINES
            fits = height <= room
            room -= height if fits else room
            if holder.display != fits:
                holder.display = fits
        toasts = [toast.region for toast in rack.query(Toast) if toast.region.area]
        margin = widget.styles.margin
        lines = 0
        if toasts:
            top = min(region.y for region in toasts)
            left = min(region.x for region in toasts)
            right = max(region.right for region in toasts)
            region = widget.region
            # Where its bottom edge would be without the lift: the lift is the part of it
            # (or of what it pushes down) at or under the toasts' top line.
            bottom = region.bottom + margin.bottom
            if region.x < right and left < region.right:
                lines = max(0, bottom - top)
        if lines != margin.bottom:
            widget.styles.margin = (margin.top, margin.right, lines, margin.left)

    screen.screen_layout_refresh_signal.subscribe(screen, make_room)
