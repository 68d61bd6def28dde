"""The `?` help screen: every key of the dashboard and what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

#: The dashboard's keys, in the order a user meets them. The README has the same table.
KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓ PgUp PgDn", "move through the assets (the mouse works too)"),
    ("r", "refresh now (also while paused)"),
    ("p", "pause / resume the automatic refresh"),
    ("/", "filter the assets by symbol; Enter applies, Esc clears"),
    ("c", "copy the selected network's deposit address"),
    ("m", "copy the selected network's memo/tag"),
    ("[  ]", "previous / next deposit network (or click a network)"),
    ("+  -", "refresh less / more often (1 s at the least)"),
    ("s", "sort: symbol, available, total, value (each both ways); or click a header"),
    ("v", "values in the next quote currency the exchange offers (USD, UAH, EUR, BTC…)"),
    ("z", "hide / show assets whose balances are all zero"),
    ("h", "hide / show every amount (for screen sharing)"),
    ("w", "next wallet (with several --wallet-id or wallets in the config)"),
    ("e", "export the wallet to a CSV file (exact amounts and values, addresses, memos)"),
    ("ctrl+p", "command palette: every action, and the theme"),
    ("?", "this help"),
    ("q", "quit"),
)


def keys_table() -> Table:
    """The keys as a two-column Rich table."""
    table = Table.grid(padding=(0, 3))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, what in KEYS:
        table.add_row(Text(key), Text(what))
    return table


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of Esc, q or ? closes it."""

    BINDINGS = [
        Binding("escape", "dismiss_help", "Close"),
        Binding("q", "dismiss_help", "Close", show=False),
        Binding("question_mark", "dismiss_help", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(keys_table())
            yield Static(
                Text(
                    "Copies go to the system clipboard where there is one, and through the "
                    "terminal (OSC 52), which also works over SSH and in tmux "
                    "(tmux: set -g set-clipboard on).",
                    style="dim",
                ),
                id="help-footnote",
            )

    def action_dismiss_help(self) -> None:
        """Close the help."""
        self.dismiss(None)
