"""The selected asset's total over time: Textual's `Sparkline` and the exact change beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Sparkline, Static

from tui.api.amounts import format_amount
from tui.ui.widgets.quiet_update import show_text

if TYPE_CHECKING:
    from tui.history.series import Trend

MASK = "•••••"


class TrendLoaded(Message):
    """The history's answer for `asset` over `span` ("24 h"); `trend` None: nothing
    recorded yet. `failed`: history is off or broken (the recorder says why)."""

    def __init__(self, asset: str, span: str, trend: Trend | None, *, failed: bool = False) -> None:
        super().__init__()
        self.asset = asset
        self.span = span
        self.trend = trend
        self.failed = failed


def _last(values: list[float]) -> float:
    # A balance is a level: each bar shows where the total stood at the end of its slice.
    return values[-1]


def render_change(trend: Trend | None, span: str, *, masked: bool) -> Text:
    """ "Total, 24 h  +0.5 (from 1 to 1.5)" exact, or why there is nothing to show."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"Total, {span}  ", style="bold")
    if trend is None:
        text.append("no history yet", style="dim")
    elif masked:
        text.append(MASK)
    elif trend.change.is_zero():
        text.append("no change", style="dim")
    else:
        sign = "+" if trend.change > 0 else ""
        text.append(
            f"{sign}{format_amount(trend.change, grouping=True)}",
            style="green" if trend.change > 0 else "red",
        )
    text.append("  t: 24 h / 7 d / 30 d", style="dim")
    return text


class TrendView(Vertical):
    """The change of the selected asset's total over the span, and its sparkline."""

    DEFAULT_CSS = """
    TrendView { height: auto; width: auto; margin-top: 1; display: none; }
    TrendView #trend-change { width: auto; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    TrendView Sparkline { width: 40; height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: What the line and the sparkline show (kept: they may be asked for before
        #: this widget's own parts are mounted, see `_draw`).
        self._change = Text()
        self._points: list[float] = []

    def compose(self) -> ComposeResult:
        yield Static(id="trend-change")
        yield Sparkline([], summary_function=_last, id="trend-line")

    def on_mount(self) -> None:
        self._draw(self._change, self._points)

    def show(self, trend: Trend | None, span: str, *, masked: bool) -> None:
        """Show `trend` (None: nothing recorded for the asset yet) over `span` ("24 h")."""
        self.display = True
        # The bars' heights only; every figure read by a person is the exact text above.
        points = [] if masked or trend is None else list(trend.points)
        self._draw(render_change(trend, span, masked=masked), points)

    def unavailable(self, reason: str) -> None:
        """History is off or broken: say so in one dim line, no sparkline."""
        self.display = True
        self._draw(Text(reason, style="dim", no_wrap=True, overflow="ellipsis"), [])

    def loading(self) -> None:
        """Another asset was selected: blank until its trend comes (never the old one's)."""
        self.display = True
        self._draw(Text("Total  …", style="dim"), [])

    def _draw(self, change: Text, points: list[float]) -> None:
        self._change, self._points = change, points
        # The detail pane mounts this widget just after the first frame and may show a
        # trend at once, before this widget's own parts are mounted: `on_mount` draws it.
        shown = next(self.query("#trend-change").results(Static), None)
        if shown is None:
            return
        show_text(shown, change)
        self.query_one(Sparkline).data = points

    def clear(self) -> None:
        """No asset selected."""
        self.display = False
