"""What the terminal would show: the app's screen as lines of text, and checks on them."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, RenderableType
from rich.segment import Segment
from textual.app import App

from tui.api.text import clean_text


def screen_lines(app: App[object]) -> list[str]:
    """Every line of the current screen, toasts and borders included, as the compositor
    draws it (the same strips Textual writes to the terminal)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_segments(app: App[object]) -> list[Segment]:
    """Every segment of the current screen."""
    return [segment for strip in app.screen._compositor.render_strips() for segment in strip]


def rendered_lines(renderable: RenderableType, width: int = 60) -> list[str]:
    """`renderable` rendered by Rich at `width` cells, as lines of plain text."""
    console = Console(width=width, color_system=None, force_terminal=False, legacy_windows=False)
    return ["".join(s.text for s in line) for line in console.render_lines(renderable, pad=False)]


def control_characters(lines: Iterable[str]) -> list[tuple[int, str]]:
    """(line number, repr of the character) for each character that must not be drawn."""
    found = []
    for number, line in enumerate(lines):
        for ch in line:
            if clean_text(ch) != ch:
                found.append((number, repr(ch)))
    return found


def assert_no_control_characters(lines: Iterable[str]) -> None:
    """Fail naming the first few control or invisible formatting characters found."""
    found = control_characters(lines)
    assert not found, f"control characters on screen: {found[:5]}"
