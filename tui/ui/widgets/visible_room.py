"""How much of the screen a widget can really be seen in: its room, in cells.

A widget's own size says little about that: a container that grows with its content
(width or height `auto`) can overflow its parent, and the screen or any ancestor may clip
it. These functions measure the room from the widget's place on screen instead, after
the last layout: columns from its left edge to where the screen stops showing it, and
lines down to the bottom of the first container that does not grow with its content.
Space that siblings sized in `fr` hold above their minimum counts as room too: they
give it up when the widget grows.

Units are terminal cells throughout: columns for widths, lines for heights. Sizes are
those of the last layout; a widget that depends on them should look again after each
layout (`Screen.screen_layout_refresh_signal`), as `QRCode` does.
"""

from __future__ import annotations

from typing import Literal

from textual.errors import NoWidget
from textual.geometry import Region
from textual.widget import Widget


def fr_slack(parent: Widget, child: Widget, axis: Literal["width", "height"]) -> int:
    """Cells the `fr`-sized children of `parent` before `child` hold above their minimum.

    In a layout along `axis`, such children share what the others leave: they shrink
    to their `min-width`/`min-height` (0 without one) when a later child grows.
    """
    slack = 0
    size = parent.scrollable_content_region.size
    for sibling in parent.displayed_children:
        if sibling is child:
            break
        styles = sibling.styles
        extent = styles.width if axis == "width" else styles.height
        if extent is None or not extent.is_fraction:
            continue
        minimum = styles.min_width if axis == "width" else styles.min_height
        floor = 0 if minimum is None else int(minimum.resolve(size, parent.app.size))
        held = sibling.outer_size.width if axis == "width" else sibling.outer_size.height
        slack += max(0, held - floor)
    return slack


def visible_width(widget: Widget) -> int | None:
    """Columns `widget`'s content can be seen in, from its left edge (None: not laid out).

    The room ends at the right edge of the nearest ancestor whose width does not
    follow its content, or sooner where the screen or an ancestor clips that one.
    Ancestors that grow with their content are no limit: they overflow their parent
    (their own width is the widget's, a room that could only shrink). Siblings sized
    in `fr` to the left, in a horizontal layout, take what the auto-sized parts leave:
    the columns they hold above their `min-width` are room too.
    """
    screen = widget.screen
    try:
        screen.find_widget(widget)
    except NoWidget:
        return None
    right = screen.size.width
    slack = 0
    node: Widget = widget
    while isinstance(parent := node.parent, Widget):
        if parent.styles.layout is not None and parent.styles.layout.name == "horizontal":
            slack += fr_slack(parent, node, "width")
        if not parent.styles.is_auto_width:
            if parent is not screen:
                try:
                    clip = screen.find_widget(parent).clip
                except NoWidget:
                    return None
                right = min(right, parent.scrollable_content_region.right, clip.right)
            break
        node = parent
    return max(0, right - widget.content_region.x + slack)


def height_room(widget: Widget) -> tuple[int, int | None]:
    """Lines in which `widget`'s content can be seen whole, and the cap on them in lines.

    Containers that grow with their content (height: auto) do not limit it, save by
    their max-height; the first one that does not grow does, by its visible height.
    Where such a container does not scroll, what stands above the widget in it (and
    the borders below) takes its share of those lines; in a scroll view it does not
    (scrolling brings the widget into view), but the scroll view's own place does.
    The cap is the part of the room that is a fixed number of lines in the CSS (a
    `max-height: 20`), which no taller terminal changes; None where there is none.
    """
    screen = widget.app.size
    limits: list[tuple[int, bool]] = [(screen.height, False)]  # (lines, fixed in CSS)
    # Where the part that must be seen starts (the widget, or the scroll view it is
    # in), and the lines of borders, padding and margins below it so far.
    laid_out = widget.region.height > 0
    top = widget.content_region.y
    below = widget.styles.margin.bottom
    # Lines the siblings sized in `fr` above the path hold over their min-height:
    # they give them up to what is not (the grid above the detail pane, say).
    slack = 0
    child: Widget = widget
    node = widget.parent
    while isinstance(node, Widget):
        styles = node.styles
        scrolls = styles.overflow_y in ("auto", "scroll")
        if styles.layout is not None and styles.layout.name == "vertical":
            slack += fr_slack(node, child, "height")
        taken = top - node.content_region.y + below - slack
        if not laid_out or scrolls:
            taken = 0
        if not styles.is_auto_height:
            height = node.scrollable_content_region.height
            if height:  # 0: not laid out yet
                fixed = styles.height is not None and styles.height.is_cells
                limits.append((height - max(0, taken), fixed))
            break
        max_height = styles.max_height
        parent = node.parent
        if max_height is not None and isinstance(parent, Widget):
            # A percentage is of the parent's content height (0: not laid out yet).
            base = parent.scrollable_content_region.size
            if max_height.is_cells or base.height:
                limit = int(max_height.resolve(base, screen)) - styles.gutter.height
                limits.append((limit - max(0, taken), max_height.is_cells))
        if scrolls:
            top, below, slack = node.region.y, 0, 0
        below += styles.gutter.bottom + styles.margin.bottom
        child, node = node, parent
    room = max(0, min(lines for lines, _ in limits))
    caps = [max(0, lines) for lines, fixed in limits if fixed]
    return room, min(caps) if caps else None


def shown_area(widget: Widget) -> Region | None:
    """The part of `widget`'s content the screen shows, when not all of it, else None.

    An ancestor may clip what the room said was there (a container overflowing the
    screen, a scroll view scrolled). None too where the widget is not on screen at all
    (not laid out, or inside a hidden container).
    """
    try:
        geometry = widget.screen.find_widget(widget)
    except NoWidget:
        return None
    content = widget.content_region
    shown = content.intersection(geometry.clip).intersection(Region(0, 0, *widget.screen.size))
    return None if shown == content else shown
