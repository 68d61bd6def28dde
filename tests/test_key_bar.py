"""The key bar: the screen's keys on one line, following the focus; a click presses a key."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget

from tests.app_harness import wait_until
from tests.screen_text import screen_lines
from tui.ui.widgets.key_bar import KeyBar


class Editor(Widget, can_focus=True):
    """A focusable widget with a key of its own."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("d", "delete", "Delete")]

    def action_delete(self) -> None:
        self.app.done.append("delete")  # type: ignore[attr-defined]


class KeysApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "note('refresh')", "Refresh"),
        Binding("plus,equals_sign", "note('slower')", "Slower"),
        Binding("x", "note('hidden')", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.done: list[str] = []

    def compose(self) -> ComposeResult:
        yield Editor()
        yield KeyBar()

    def action_note(self, what: str) -> None:
        self.done.append(what)


def bar_text(app: KeysApp) -> str:
    """The bottom line as drawn on the terminal (so a bar that is not repainted shows)."""
    return screen_lines(app)[-1]


async def test_the_bar_lists_the_shown_keys_once_each_and_the_palette_on_the_right() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert " r Refresh " in text
        assert " + Slower " in text and text.count("Slower") == 1  # two keys, one entry
        assert "Hidden" not in text
        assert text.rstrip().endswith("^p palette")
        assert len(text) == 80


async def test_the_bar_follows_the_focus() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        assert bar_text(app).startswith(" d Delete ")  # the focused editor's key first
        app.set_focus(None)
        await wait_until(pilot, lambda: "Delete" not in bar_text(app))
        app.query_one(Editor).focus()
        await wait_until(pilot, lambda: " d Delete " in bar_text(app))


async def test_a_click_on_a_key_presses_it() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        text = bar_text(app)
        await pilot.click(KeyBar, offset=(text.index("Refresh"), 0))
        await pilot.click(KeyBar, offset=(text.index("Slower"), 0))
        await pilot.pause()
        assert app.done == ["refresh", "slower"]
        assert bar.key_at(len(text.rstrip()) + 5) is None  # past the keys: nothing


async def test_a_bar_too_narrow_for_every_key_says_so() -> None:
    app = KeysApp()
    async with app.run_test(size=(24, 5)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert text.startswith(" d Delete  r Refresh")
        assert text.rstrip().endswith("…")  # more keys than room: marked, not silently cut
        assert "palette" not in text  # the palette key only when there is room for it
