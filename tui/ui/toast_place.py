"""Where notifications (toasts) go so that they never cover a QR code.

Textual stacks toasts in the bottom-right corner, which is where the detail pane draws
its QR codes in the usual layout: a phone pointed at the code would read a toast. The
corner is chosen from the four by where the codes are on screen, the bottom-right one
when it is free, else just above the codes; the screen gets the classes `-toasts-top`
and `-toasts-left` that wallet.tcss turns into the ToastRack's placement, and the rack
a bottom margin that lifts it over the codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.css.query import NoMatches
from textual.geometry import Region, Size
from textual.screen import Screen

#: Textual's Toast: 60 cells wide at most (and half the screen), about six lines each
#: (margin, padding, title and a line or two of message).
TOAST_WIDTH = 60
TOAST_LINES = 6


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
