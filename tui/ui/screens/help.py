"""The `?` help screen: every key and what it does, from the list in tui/ui/keys.py."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.keys import help_rows


def keys_table() -> Table:
    """The keys as a two-column Rich table."""
    table = Table.grid(padding=(0, 3))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, what in help_rows():
        table.add_row(Text(key), Text(what))
    return table


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of Esc, q or ? closes it."""

    # Not in wallet.tcss: parsed when the screen is first shown, not before the
    # dashboard's first frame.
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    #help-box {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        padding: 1 2;
        background: $surface;
    }
    #help-title {
        margin-bottom: 1;
    }
    #help-footnote {
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "dismiss_help", "Close"),
        Binding("q", "dismiss_help", "Close", show=False),
        Binding("question_mark", "dismiss_help", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        # Scrolls when the terminal is shorter than the list of keys.
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(keys_table())
            yield Static(
                Text(
                    "Copies go to the system clipboard and tmux's buffer where there are, "
                    "and through the terminal (OSC 52), which works over SSH; the notice "
                    "says which paths confirmed the copy and which were only sent.",
                    style="dim",
                ),
                id="help-footnote",
            )

    def on_mount(self) -> None:
        from tui.ui.toast_place import keep_clear_of_toasts  # (with the first toast's module)

        # A toast would cover the keys being read: the box ends above the toasts.
        keep_clear_of_toasts(self, self.query_one("#help-box"))

    def action_dismiss_help(self) -> None:
        """Close the help."""
        self.dismiss(None)
