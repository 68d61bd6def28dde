"""A vertical scroll view that grows with its content, but never past the room it is seen in.

The detail pane's network cards stand in one (#detail-networks). Two things cut its last
card at the bottom, with no mark, before this class:

- Textual measures the children of a `height: auto` scroll view at the view's whole
  content width, the vertical scrollbar's gutter included, and lays them out two columns
  narrower: text that wraps once more there (an address, a minimum) made the cards a line
  or two taller than the view, whose last lines then sat below its bottom edge (a tester
  saw XRP's card without its bottom border at 120x40). It also adds a line for a
  horizontal scrollbar the view never has (overflow-x hidden), left blank.
- Its `max-height` is a number of lines in the CSS, which knows nothing of the pane
  around it: where the pane (at most 60% of the dashboard) had fewer lines left under
  its title, the pane clipped the view's lower part, scrollbar and all (USDT's third
  card, at 120x30, was not on screen and nothing said so).

`RoomScroll` measures its children at the width they get, and after each layout caps its
height to the lines it can be seen in (`height_room`, in visible_room.py), so that what
does not fit scrolls, with the scrollbar in sight, instead of being cut.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget

from tui.ui.widgets.visible_room import height_room


class RoomScroll(VerticalScroll):
    """A `VerticalScroll` for `height: auto`: as tall as its children, at most the lines
    of its CSS `max-height` and of the room it is seen in (cells), then it scrolls."""

    def __init__(self, *children: Widget, leave: int = 0, id: str | None = None) -> None:
        """`leave`: lines kept for what stands under the view in a vertical layout (the
        cards under the amounts in the wide layout), which would else be pushed out of
        sight by a view that took all the room below its top."""
        super().__init__(*children, id=id)
        self.leave = leave

    def on_mount(self) -> None:
        self.screen.screen_layout_refresh_signal.subscribe(self, self._check_room)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The children's height at the width they are laid out at: `width` less the
        vertical scrollbar's gutter; less the blank line Textual then adds for a
        horizontal scrollbar where this view shows none (see the module's docstring)."""
        styles = self.styles
        gutter_kept = styles.overflow_y == "auto" and styles.scrollbar_gutter == "stable"
        if gutter_kept or self.show_vertical_scrollbar:
            width = max(0, width - styles.scrollbar_size_vertical)
        height = super().get_content_height(container, viewport, width)
        if gutter_kept and styles.overflow_x == "hidden":
            height = max(0, height - styles.scrollbar_size_horizontal)
        return height

    def _check_room(self, _screen: object) -> None:
        """After a layout: cap the height to the room below the view's top edge."""
        lines, _cap = height_room(self)
        if self.leave and self._followed_below():
            lines -= self.leave
        css_cap = self.styles.base.max_height
        limit = lines
        if css_cap is not None and css_cap.is_cells:
            limit = min(limit, int(css_cap.value))
        limit = max(1, limit)
        current = self.styles.inline.max_height
        if current is None or current.value != limit:
            self.styles.max_height = limit

    def _followed_below(self) -> bool:
        """True when a shown sibling comes after this view in a vertical layout."""
        parent = self.parent
        if not isinstance(parent, Widget):
            return False
        layout = parent.styles.layout
        if layout is None or layout.name != "vertical":
            return False
        siblings = parent.displayed_children
        return self in siblings and siblings.index(self) < len(siblings) - 1
