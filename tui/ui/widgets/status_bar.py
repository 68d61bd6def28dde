"""The status bar: which wallet, how fresh the data is, and whether refresh is live."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import NamedTuple

from rich.text import Text
from textual.widgets import Static

from tui.api.text import clean_text, seconds_text


class RefreshState(Enum):
    """What the background refresh is doing."""

    CONNECTING = "connecting"
    LIVE = "live"
    PAUSED = "paused"
    ERROR = "error"


class StatusInfo(NamedTuple):
    """Everything the status bar shows; replaced whole on each change.

    A NamedTuple rather than a frozen dataclass: it is made before the first frame, and
    Python generates a dataclass's methods (here 26 fields) at about three times the cost.
    """

    wallet: str = "main wallet"
    auth_mode: str = ""
    state: RefreshState = RefreshState.CONNECTING
    last_update: datetime | None = None
    error: str | None = None
    interval: float = 5.0
    filter_text: str = ""
    hidden_rows: int = 0
    #: When the next attempt after a failure is due.
    retry_at: datetime | None = None
    #: The error will not heal by itself (a 404...): retries are slowed, and the bar says so.
    lasting: bool = False
    #: The grid's sort ("Total ▼"), "" for the server's order.
    sort: str = ""
    hide_zero: bool = False
    hidden_zero: int = 0
    masked: bool = False
    #: The wallet's total value ("≈ 48,210.07 USD, excl. XRP: no rate"); "" before rates.
    worth: str = ""
    #: When the rates behind `worth` came, whether they are stale, and why (the server's
    #: words when the last rates request failed).
    rates_at: datetime | None = None
    rates_stale: bool = False
    rates_error: str | None = None
    #: The wallet's operations waiting ("2 pending · 1 on hold"), "" before any answer.
    operations: str = ""
    #: Something needs attention (an operation OnHold or Declined): shown highlighted.
    operations_alert: bool = False
    #: The operations could not be fetched (their summary is stale).
    operations_stale: bool = False
    #: Seconds the request in flight has been waiting, once longer than the interval
    #: (`FeedState.overdue`); None otherwise. "live" is then not shown.
    waiting: float | None = None
    #: Assets asked for (`--assets`) that the wallet's answer does not hold.
    missing_assets: tuple[str, ...] = ()
    #: What `r` is refreshing and has no answer for yet ("balances, rates"), "" none.
    refreshing: str = ""


class StatusBar(Static):
    """One line at the bottom of the dashboard. Server text in it is shown as plain text."""

    DEFAULT_CSS = """
    StatusBar {
        width: 1fr;
        height: 1;
        /* Textual wraps a Text whatever its no_wrap: the rest would fall on a hidden
           second line. Cut with "…" instead (the whole line is in the tooltip). */
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.info = StatusInfo()
        self._now: datetime | None = None
        #: The whole line, when it is cut (the tooltip shows it).
        self._tip: str | None = None
        #: The line last drawn, and the width it was drawn at.
        self._shown: Text | None = None
        self._shown_width = 0

    def set_info(self, **changes: object) -> None:
        """Change some fields of the status and redraw."""
        self.info = self.info._replace(**changes)
        self._show()

    def set_now(self, now: datetime) -> None:
        """The current time, for the age of stale data."""
        self._now = now
        if self.info.state is RefreshState.ERROR or self.info.rates_stale:
            self._show()

    def on_resize(self) -> None:
        self._show()

    def _show(self) -> None:
        """Draw the line. Cut (Rich marks the cut with "…"), it is whole in the tooltip:
        an error message or a wallet name is never lost to the terminal's width. The same
        line again is not drawn again (an unchanged answer moves nothing on screen)."""
        text = self.render_status()
        if text == self._shown and self.content_size.width == self._shown_width:
            return
        self._shown, self._shown_width = text, self.content_size.width
        # One line of a fixed size: a new text needs a repaint, not a layout of the screen.
        self.update(text, layout=False)
        room = self.content_size.width
        tip = text.plain if room and text.cell_len > room else None
        if tip != self._tip:  # (setting a tooltip updates the screen's: not each second)
            self._tip = tip
            self.tooltip = None if tip is None else Text(tip)

    def render_status(self) -> Text:
        """The status line as Rich Text (never markup), most urgent first, as it may be cut."""
        info = self.info
        text = Text(no_wrap=True, overflow="ellipsis")
        self._render_state(text)
        if info.refreshing:
            text.append(f"  ↻ refreshing {clean_text(info.refreshing)}", style="bold cyan")
        text.append("  ")
        text.append(clean_text(info.wallet), style="bold")
        if info.worth:
            text.append(" · ")
            text.append(info.worth, style="bold yellow" if info.rates_stale else "bold")
            if info.rates_stale:
                self._render_rates_stale(text)
        if info.operations:
            # Next to the total: what is still on its way explains what the total lacks.
            text.append(" · ")
            style = "bold magenta" if info.operations_alert else ""
            text.append(clean_text(info.operations), style="dim" if info.operations_stale else style)
            if info.operations_stale:
                text.append(" (stale)", style="yellow")
        if info.auth_mode:
            text.append(f" · {info.auth_mode}", style="dim")
        text.append(" · ")
        if info.last_update is None:
            text.append("no data yet", style="dim")
        else:
            # To the minute: "● live" and "every 1 s" say the data is fresh, and a stale
            # or failing refresh shows its age in seconds; a time that ticked with every
            # answer repainted the screen each second for a wallet where nothing moved.
            text.append(f"updated {info.last_update:%H:%M}")
        text.append(f" · every {seconds_text(info.interval)} s", style="dim")
        if info.missing_assets:
            missing = ", ".join(clean_text(asset) for asset in info.missing_assets)
            verb = "is" if len(info.missing_assets) == 1 else "are"
            text.append(f" · {missing} {verb} not in the wallet", style="bold yellow")
        if info.sort:
            text.append(f" · sort {info.sort}")
        if info.hide_zero:
            text.append(f" · {info.hidden_zero} zero hidden", style="dim")
        if info.masked:
            text.append(" · amounts hidden", style="bold magenta")
        if info.filter_text:
            text.append(" · filter: ")
            text.append(info.filter_text, style="bold")
            if info.hidden_rows:
                text.append(f" ({info.hidden_rows} hidden)", style="dim")
        return text

    def _render_rates_stale(self, text: Text) -> None:
        """Why the total is stale: the rates' age, and the failure's reason if any."""
        info = self.info
        text.append(" (rates stale" if info.rates_at is not None else " (rates", style="yellow")
        if self._now is not None and info.rates_at is not None:
            age = max(0, int((self._now - info.rates_at).total_seconds()))
            text.append(f" {age} s", style="yellow")
        if info.rates_error:
            text.append(": ", style="yellow")
            text.append(clean_text(info.rates_error), style="yellow")
        text.append(")", style="yellow")

    def _render_state(self, text: Text) -> None:
        """The refresh state; for an error: its reason, the data's age, the next attempt."""
        info = self.info
        if info.state is RefreshState.LIVE and info.waiting is not None:
            # The data is older than the interval promises: not "live" any more.
            text.append(f"◌ waiting {int(info.waiting)} s for the exchange", style="bold yellow")
            return
        if info.state is RefreshState.LIVE:
            text.append("● live", style="bold green")
            return
        if info.state is RefreshState.PAUSED:
            text.append("⏸ paused", style="bold yellow")
            return
        if info.state is RefreshState.CONNECTING:
            text.append("◌ connecting", style="bold")
            return
        text.append("✖ error", style="bold red")
        if info.lasting:
            # Said first, as the line may be cut: asking again will not cure this one.
            text.append(" that will not fix itself (retries slowed):", style="bold yellow")
        if info.error:
            text.append(" ")
            text.append(clean_text(info.error), style="red")
        if self._now is None:
            return
        if info.last_update is not None:
            age = max(0, int((self._now - info.last_update).total_seconds()))
            text.append(f" · stale {age} s", style="yellow")
        if info.retry_at is not None:
            wait = max(0, round((info.retry_at - self._now).total_seconds()))
            text.append(f" · retry in {wait} s" if wait else " · retrying", style="yellow")
