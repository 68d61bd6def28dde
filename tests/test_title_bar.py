"""The one-line title bar: the screen's title and sub-title, centred, cut with "…" when
the terminal is narrow, following title changes; its icon opens the command palette."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.command import CommandPalette

from tui.ui.widgets.title_bar import ICON_CELLS, RIGHT_CELLS, TitleBar


class TitledApp(App[None]):
    TITLE = "wallet-tui"

    def compose(self) -> ComposeResult:
        yield TitleBar()

    def on_mount(self) -> None:
        self.screen.sub_title = "exchange.example.com"


def line(app: App[None]) -> str:
    return app.query_one(TitleBar).render_line(0).text


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_the_title_is_centred_between_the_icon_and_the_right_margin(width: int) -> None:
    app = TitledApp()
    async with app.run_test(size=(width, 5)) as pilot:
        await pilot.pause()
        text = line(app).ljust(width)  # the right margin is background only
        assert len(text) == width
        assert text.startswith(" ◈")
        title = "wallet-tui — exchange.example.com"
        middle = text[ICON_CELLS : width - RIGHT_CELLS]
        assert middle.strip() == title
        left = len(middle) - len(middle.lstrip())
        right = len(middle) - len(middle.rstrip())
        assert abs(left - right) <= 1


@pytest.mark.parametrize("width", [20, 30, 40])
async def test_a_narrow_terminal_cuts_the_title_with_a_mark(width: int) -> None:
    app = TitledApp()
    async with app.run_test(size=(width, 5)) as pilot:
        await pilot.pause()
        text = line(app)
        assert len(text) <= width
        assert "…" in text
        assert "exchange.example.com" not in text


async def test_the_title_follows_the_screen_s_sub_title() -> None:
    app = TitledApp()
    async with app.run_test(size=(100, 5)) as pilot:
        app.screen.sub_title = "other.example.org"
        await pilot.pause()
        assert "wallet-tui — other.example.org" in line(app)


async def test_the_sub_title_is_plain_text_without_control_characters() -> None:
    app = TitledApp()
    async with app.run_test(size=(100, 5)) as pilot:
        app.screen.sub_title = "[bold]host[/]\x1b[31m"
        await pilot.pause()
        assert "[bold]host[/]" in line(app)
        assert "\x1b" not in line(app)


async def test_clicking_the_icon_opens_the_command_palette() -> None:
    app = TitledApp()
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
