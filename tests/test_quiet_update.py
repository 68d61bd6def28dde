"""`show_text`: a Static's new text lays the screen out again only when it takes other room."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.ui.widgets.quiet_update import line_widths, show_text


class _One(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="s")


def test_line_widths_count_cells_and_blank_lines() -> None:
    assert line_widths(Text("ab\n\n币x")) == (2, 0, 3)


async def test_same_widths_repaint_other_widths_lay_out_same_text_does_nothing() -> None:
    app = _One()
    async with app.run_test(size=(40, 6)) as pilot:
        static = app.query_one("#s", Static)
        layouts: list[bool] = []
        original = static.update
        static.update = lambda content="", *, layout=True: (  # type: ignore[method-assign]
            layouts.append(layout),
            original(content, layout=layout),
        )[1]
        assert show_text(static, Text("1.5 BTC\nas of 12:00"))
        assert show_text(static, Text("1.6 BTC\nas of 12:01"))  # same widths
        assert not show_text(static, Text("1.6 BTC\nas of 12:01"))  # the same text
        assert show_text(static, Text("1.65 BTC\nas of 12:01"))  # a line grew
        assert show_text(static, Text("1.65 BTC"))  # a line went
        assert layouts == [True, False, True, True]
        await pilot.pause()
        assert str(static.render()) == "1.65 BTC"
