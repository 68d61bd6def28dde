"""`OrderedKeys` on its own: keys held while the screen is not ready, handed on in order
once it is, and never held for good."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

import tui.ui.key_order as key_order
from tests.app_harness import keys_handled, type_at_full_speed, wait_until
from tui.ui.key_order import OrderedKeys


class FormScreen(Screen[None]):
    """One field, focused; ready for keys only when the test says so."""

    def __init__(self) -> None:
        super().__init__()
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Input(id="field")

    def ready_for_keys(self) -> bool:
        return self.ready


class FormApp(OrderedKeys[None]):
    def on_mount(self) -> None:
        self.push_screen(FormScreen())


async def test_keys_wait_for_the_screen_then_come_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(key_order, "HOLD_LIMIT", 1e6)  # never let go by the limit here
    app = FormApp()
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, FormScreen)
        field = screen.query_one(Input)
        await wait_until(pilot, lambda: app.focused is field)
        type_at_full_speed(app, *"abc")  # type: ignore[arg-type]
        for _ in range(3):
            await pilot.pause()
        assert field.value == "" and app.keys_pending == 3
        screen.ready = True
        await keys_handled(pilot, app)  # type: ignore[arg-type]
        assert field.value == "abc"


async def test_a_screen_never_ready_does_not_swallow_the_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(key_order, "HOLD_LIMIT", 0.05)
    app = FormApp()
    async with app.run_test() as pilot:
        field = app.screen.query_one(Input)
        await wait_until(pilot, lambda: app.focused is field)
        type_at_full_speed(app, *"xyz")  # type: ignore[arg-type]
        await keys_handled(pilot, app)  # type: ignore[arg-type]
        assert field.value == "xyz"


class Counter(Widget, can_focus=True):
    """Handles Down itself, in place; records how many keys the app still held back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "count")]
    KEYS_IN_PLACE: ClassVar[frozenset[str]] = frozenset({"down"})

    def __init__(self) -> None:
        super().__init__()
        self.held_back: list[int] = []

    def action_count(self) -> None:
        self.held_back.append(len(self.app._keys_waiting))  # type: ignore[attr-defined]


class CounterScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Counter()
        yield Input(id="field")


class CounterApp(OrderedKeys[None]):
    def on_mount(self) -> None:
        self.push_screen(CounterScreen())


async def test_keys_a_widget_handles_in_place_go_on_without_waiting() -> None:
    # A held-down Down on the grid: each waited for the one before to be handled, and a
    # frame was drawn between them (30 in a burst on 2,000 assets: 330-720 ms, not 100).
    app = CounterApp()
    async with app.run_test() as pilot:
        counter = app.screen.query_one(Counter)
        field = app.screen.query_one(Input)
        counter.focus()
        await wait_until(pilot, lambda: app.focused is counter)
        type_at_full_speed(app, "down", "down", "down", "down", "tab", "a", "b")
        await keys_handled(pilot, app)
        # After the first (taken alone: the others were still on the app's queue), the
        # Downs went on together: when each was handled only Tab, a and b were held back
        # (one by one, each waited for the one before: 2, 1 and 0 would be left)...
        assert counter.held_back[1:] == [3, 3, 3]
        # ...and a key that moves the focus is still waited for: a and b reach the field.
        assert app.focused is field and field.value == "ab"
