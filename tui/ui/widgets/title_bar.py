"""The one-line title at the top of each screen: icon, then "title — sub-title", centred."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.events import Click, Mount
from textual.widget import Widget

from tui.api.text import clean_text

#: Cells at the left for the icon, and kept free at the right, as Textual's Header does
#: (the title stays centred on the screen, not on what is left between them).
ICON_CELLS = 8
RIGHT_CELLS = 10


class TitleBar(Widget):
    """The screen's title and sub-title (the exchange's host), as one line.

    Textual's `Header` draws the same line with four widgets and their styles; the
    dashboard's first frame is drawn sooner with one. Clicking the icon opens the
    command palette, as the Header's does. The title is cut with "…" when the
    terminal is too narrow for it.
    """

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, icon: str = "◈", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.icon = icon

    def _on_mount(self, _: Mount) -> None:
        # Redrawn whenever the app's or the screen's title or sub-title changes.
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    @property
    def title_content(self) -> Content:
        """The line's middle: the screen's title (else the app's), its sub-title dimmed;
        plain text without control characters (the sub-title is the exchange's host)."""
        screen = self.screen
        title = screen.title if screen.title is not None else self.app.title
        sub_title = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        return self.app.format_title(clean_text(title), clean_text(sub_title))

    def render(self) -> RenderResult:
        width = self.size.width
        icon = Content(f" {self.icon}").truncate(min(ICON_CELLS, width), pad=True)
        middle = max(0, width - ICON_CELLS - RIGHT_CELLS)
        title = self.title_content.truncate(middle, ellipsis=True)
        left = (middle - title.cell_length) // 2
        return Content.assemble(icon, title.pad(left, middle - title.cell_length - left))

    async def _on_click(self, event: Click) -> None:
        if event.x < ICON_CELLS and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
