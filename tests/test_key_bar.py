"""The key bar: the screen's keys on one line, following the focus; a click presses a key."""

from __future__ import annotations

from typing import ClassVar

import httpx
import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget

from tests.app_harness import api_key_app, dashboard_of, make_app, wait_until
from tests.screen_text import screen_lines
from tui.ui.screens.operations import OperationsScreen
from tui.ui.widgets.key_bar import KeyBar, fit_keys


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


# Narrow terminals: whole keys, the most useful ones, `?` Help at the end -------------


def test_fit_keeps_everything_that_fits_and_leaves_out_the_least_useful() -> None:
    entries = [(10, 0), (10, 2), (10, 1), (5, 3)]  # (cells, rank: higher is less useful)
    assert fit_keys(entries, 35, 3) == [0, 1, 2, 3]
    # 34 cells: the least useful (rank 3) goes, and the mark takes its room.
    assert fit_keys(entries, 34, 3) == [0, 1, 2]
    # 25: rank 3 and rank 2 go; what is left (20) and the mark fit; rank 3's 5 cells
    # fit again in what is free, so it comes back.
    assert fit_keys(entries, 28, 3) == [0, 2, 3]
    assert fit_keys(entries, 2, 3) == []
    assert fit_keys([], 0, 3) == []


def bar_keys(app: App[object]) -> list[str]:
    """Each key of the bar as drawn (key and description), in order, the palette's last."""
    line = screen_lines(app)[-1]
    return [line[key.start : key.end].strip() for key in app.screen.query_one(KeyBar)._keys]


@pytest.mark.parametrize("where", ["dashboard", "operations", "login"])
async def test_the_bar_fits_every_width_with_whole_keys_and_help_last(
    transport: httpx.ASGITransport, where: str
) -> None:
    app = make_app(transport) if where == "login" else api_key_app(transport)
    async with app.run_test(size=(200, 40)) as pilot:
        if where != "login":
            await dashboard_of(app, pilot)
        if where == "operations":
            await pilot.press("o")
            await wait_until(pilot, lambda: isinstance(app.screen, OperationsScreen))
        await pilot.pause()
        every = bar_keys(app)  # 200 columns: every key, then the palette on the right
        assert every[-1].endswith("palette")
        # (The login screen has no `?`: it would type into the field.)
        assert (every[-2] == "? Help") is (where != "login")
        every = every[:-1]
        for width in (120, 100, 70):
            await pilot.resize_terminal(width, 40)
            await wait_until(pilot, lambda w=width: len(screen_lines(app)[-1]) == w)  # type: ignore[misc]
            line = screen_lines(app)[-1]
            shown = [key for key in bar_keys(app) if not key.endswith("palette")]
            assert (shown[-1] == "? Help") is (where != "login"), (width, line)
            # Each key whole and in the bar's order; "…" exactly where keys were left out.
            assert shown == [key for key in every if key in shown], (width, line)
            left_out = len(shown) < len(every)
            assert ("…" in line) is left_out, (width, line)
            assert line.rstrip().endswith((shown[-1], "palette")), (width, line)
            if where == "dashboard":
                # The most useful stay, whatever the width.
                assert {"r Refresh", "c Copy address", "m Copy memo", "/ Filter"} <= set(shown)
            if where == "operations":
                assert {"Esc Back", "r Refresh", "c Copy id"} <= set(shown)
            if where == "login":
                assert not left_out and {"ctrl+c Quit", "^t Password / API key"} <= set(shown)
