"""The messages view (`l`): every text the screen cut or a toast took away, whole.

One-line bars (the status bar, the operations view's lines) end with "…" where the
terminal is too narrow, a network card's border cuts a long network name, toasts cut
server names short and go after a few seconds. The mouse shows some of it in tooltips;
this view shows all of it from the keyboard, in the style of lazygit's command log or
k9s's events: what the screen underneath cut (its `whole_texts()`), the last errors in
the server's own words with their times (`MessageLog`), and the recent notifications,
newest first, wrapped to the terminal's width and scrollable. Esc (or `l`, `q`) closes.

It shows the moment it was opened (the text does not move while it is read). Server
text is Rich Text, cleaned by `clean_text`, never markup. Imported only when `l` is
pressed: nothing of it is on the start-up path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.api.text import clean_text
from tui.ui.message_log import ErrorEntry, MessageLog, NoticeEntry

#: (what it is, its whole text) for each text the screen underneath may cut: a screen
#: offers them with a `whole_texts()` method (the dashboard, the operations view).
WholeTexts = Sequence[tuple[str, Text]]

_MARKS = {"error": ("✖ ", "bold red"), "warning": ("⚠ ", "bold yellow")}


def server_lines(text: str) -> str:
    """`text` cleaned of control characters line by line: the line breaks a notification
    puts between its parts stay, every other control character goes (`clean_text`)."""
    return "\n".join(clean_text(line) for line in text.splitlines())


def _time(at: datetime, now: datetime) -> str:
    """Today "12:03:07"; on another day with the date before it."""
    return f"{at:%H:%M:%S}" if at.date() == now.date() else f"{at:%Y-%m-%d %H:%M:%S}"


def _grid() -> Table:
    """Two columns: a narrow one (a time, a label) and the text, which wraps beside it."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(overflow="fold")
    return grid


def _heading(title: str) -> Text:
    return Text(title, style="bold underline", end="\n")


def render_screen_texts(texts: WholeTexts) -> RenderableType:
    """The texts the screen underneath cut, each whole and wrapped (our own Text: the
    server's parts in it were cleaned where they were made)."""
    if not texts:
        return Text("Nothing on this screen is cut.", style="dim")
    grid = _grid()
    for label, text in texts:
        whole = text.copy()
        whole.no_wrap, whole.overflow, whole.end = False, "fold", ""
        grid.add_row(Text(label), whole)
    return grid


def _error_row(entry: ErrorEntry, now: datetime) -> Text:
    text = Text(clean_text(entry.source), style="bold")
    if entry.recovered:
        text.append(" answered again", style="green")
        return text
    text.append(": ")
    text.append(clean_text(entry.message), style="red")
    if entry.count > 1:
        text.append(f" (×{entry.count} since {_time(entry.first_at, now)})", style="dim")
    return text


def render_errors(errors: Iterable[ErrorEntry], now: datetime) -> RenderableType:
    """The last failures, newest first: when, which feed, the server's words."""
    grid = _grid()
    for entry in reversed(list(errors)):
        grid.add_row(_time(entry.at, now), _error_row(entry, now))
    if not grid.rows:
        return Text("No errors since the start.", style="dim")
    return grid


def _notice_row(entry: NoticeEntry, *, masked: bool) -> Text:
    mark, style = _MARKS.get(entry.severity, ("", "bold"))
    text = Text(mark, style=style)
    if entry.title:
        text.append(clean_text(entry.title), style=style)
        text.append(": " if not masked or not entry.amounts else " ")
    if masked and entry.amounts:
        text.append("(amounts hidden: h shows them)", style="dim")
    else:
        text.append(server_lines(entry.message))
    return text


def render_notices(
    notices: Iterable[NoticeEntry], now: datetime, *, masked: bool
) -> RenderableType:
    """The recent notifications, newest first, their whole text; those with amounts say
    only that they have some while amounts are hidden (`h`, for screen sharing)."""
    grid = _grid()
    for entry in reversed(list(notices)):
        grid.add_row(_time(entry.at, now), _notice_row(entry, masked=masked))
    if not grid.rows:
        return Text("No notifications yet.", style="dim")
    return grid


def render_messages(
    log: MessageLog, texts: WholeTexts, at: datetime, *, masked: bool
) -> RenderableType:
    """The whole view: this screen's cut texts, the errors, the notifications."""
    return Group(
        _heading("On this screen"),
        render_screen_texts(texts),
        Text(""),
        _heading("Errors, newest first"),
        render_errors(log.errors, at),
        Text(""),
        _heading("Notifications, newest first"),
        render_notices(log.notices, at, masked=masked),
    )


class MessagesScreen(ModalScreen[None]):
    """A scrollable view of every cut text, the last errors and notifications, whole."""

    DEFAULT_CSS = """
    MessagesScreen { align: center middle; }
    #messages-box {
        width: 110;
        max-width: 100%;
        height: 100%;
        border: round $accent;
        border-title-align: left;
        padding: 0 1;
        background: $surface;
    }
    #messages-box:focus { border: round $accent; }
    #messages-hint { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("l", "close", "Close", show=False),  # the key that opened it
    ]

    def __init__(
        self, log: MessageLog, texts: WholeTexts, *, at: datetime, masked: bool = False
    ) -> None:
        super().__init__()
        self._body = render_messages(log, texts, at, masked=masked)
        self._at = at

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="messages-box") as box:
            box.border_title = Text(f"Messages in full · as of {self._at:%H:%M:%S}")
            yield Static(
                Text("↑ ↓ PgUp PgDn scroll · Esc or l closes", style="dim"), id="messages-hint"
            )
            yield Static(self._body, id="messages-body")

    def on_mount(self) -> None:
        self.query_one("#messages-box").focus()  # the arrows and PgUp/PgDn scroll it
        from tui.ui.toast_place import keep_clear_of_toasts  # (with the first toast's module)

        # A toast would cover the messages being read: the box ends above the toasts.
        keep_clear_of_toasts(self, self.query_one("#messages-box"))

    def action_close(self) -> None:
        """Close the view."""
        self.dismiss(None)
