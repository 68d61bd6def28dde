"""Every key of wallet-tui and what it does: the one list that the bindings, the command
palette, the help screen (`?`) and the README's keys table all come from.

To add a key, add a `KeyAction` to KEY_ACTIONS where a user would look for it: the screen
named by `scope` gets the binding, the palette the command (with the key beside its
title), the help screen a row, and `tests/test_keys.py` fails until the README's table
has the row too (`python -m tui.ui.keys` prints the table to paste).

Kept free of Textual imports beyond `Binding`, so that it costs nothing at start-up.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from textual.binding import Binding

#: Where a key works: "app" everywhere (the app's bindings), "dashboard" on the dashboard.
Scope = Literal["app", "dashboard", "grid", "operations", "operation"]


class KeyAction(NamedTuple):
    """One key (or key pair) and the action it runs.

    `keys` are Textual key names ("r", "plus,equals_sign"); `shown` is how people write
    the key ("+"). `action` is the Textual action string run on the scope's node
    ("interval(1)"), None for keys a widget handles by itself (the grid's arrows).
    `title` names the action in the command palette, `help` says what it does in the
    help screen and the README. `bar` is the key bar's short label, None to leave the
    key out of the bar. `palette` False keeps it out of the palette (arrows, the palette
    itself).

    A NamedTuple rather than a frozen dataclass: made before the first frame, at about a
    third of a dataclass's cost.
    """

    keys: str
    shown: str
    action: str | None
    title: str
    help: str
    scope: Scope = "dashboard"
    bar: str | None = None
    palette: bool = True
    priority: bool = False
    #: How the key bar writes the key, when not as `shown` ("[ ]" for the network pair).
    bar_shown: str | None = None

    def binding(self) -> Binding:
        """The Textual binding for this key."""
        assert self.action is not None
        return Binding(
            self.keys,
            self.action,
            self.bar or self.title,
            show=self.bar is not None,
            key_display=self.bar_shown or self.shown,
            priority=self.priority,
        )


KEY_ACTIONS: tuple[KeyAction, ...] = (
    KeyAction(
        "up,down,pageup,pagedown,home,end",
        "↑ ↓ PgUp PgDn",
        None,
        "Move",
        "move through the assets; Home, End: first, last (the mouse works too)",
        scope="grid",
        palette=False,
    ),
    KeyAction(
        "left,right",
        "← →",
        None,
        "Scroll sideways",
        "scroll a grid wider than the terminal sideways, a whole column at a time",
        scope="grid",
        palette=False,
    ),
    KeyAction(
        "r",
        "r",
        "refresh",
        "Refresh now",
        "refresh now all that is shown, deposit methods too (also while paused)",
        bar="Refresh",
    ),
    KeyAction(
        "p",
        "p",
        "toggle_pause",
        "Pause / resume refresh",
        "pause / resume the automatic refresh",
        bar="Pause/Resume",
    ),
    KeyAction(
        "slash",
        "/",
        "filter",
        "Filter assets",
        "filter the assets by symbol; Enter applies, Esc clears",
        bar="Filter",
    ),
    KeyAction(
        "escape", "Esc", "clear_filter", "Clear the filter", "clear the filter and show every asset"
    ),
    KeyAction(
        "c",
        "c",
        "copy_address",
        "Copy deposit address",
        "copy the selected network's deposit address",
        bar="Copy address",
    ),
    KeyAction(
        "m",
        "m",
        "copy_memo",
        "Copy memo/tag",
        "copy the selected network's memo/tag",
        bar="Copy memo",
    ),
    KeyAction(
        "x",
        "x",
        "switch_qr",
        "Switch QR code",
        "address / memo QR code, where the terminal has room for one at a time",
    ),
    KeyAction(
        "g",
        "g",
        "generate_address",
        "Generate deposit address",
        "generate the selected network's deposit address (asks first)",
        # Short: with it the bar still ends with "? Help" at 120 columns.
        bar="Generate",
    ),
    KeyAction(
        "left_square_bracket",
        "[",
        "network(-1)",
        "Previous network",
        "previous deposit network (or click a network)",
    ),
    KeyAction(
        "right_square_bracket",
        "]",
        "network(1)",
        "Next network",
        "next deposit network (or click a network)",
        bar="Network",
        bar_shown="[ ]",
    ),
    KeyAction(
        "plus,equals_sign",
        "+",
        "interval(1)",
        "Refresh less often",
        "refresh less often (300 s at the most)",
    ),
    KeyAction(
        "minus", "-", "interval(-1)", "Refresh more often", "refresh more often (1 s at the least)"
    ),
    KeyAction(
        "s",
        "s",
        "sort",
        "Sort",
        "sort: symbol, available, total, value (each both ways); or click a header",
        bar="Sort",
    ),
    KeyAction(
        "v",
        "v",
        "cycle_quote",
        "Next quote currency",
        "values in the next quote currency the exchange offers",
    ),
    KeyAction(
        "z",
        "z",
        "toggle_zero",
        "Hide / show zero balances",
        "hide / show assets whose balances are all zero",
    ),
    KeyAction(
        "h",
        "h",
        "toggle_mask",
        "Hide / show amounts",
        "hide / show every amount (for screen sharing)",
    ),
    KeyAction(
        "t",
        "t",
        "trend_span",
        "Sparkline span",
        "the selected asset's sparkline over 24 h, 7 d or 30 d",
    ),
    KeyAction(
        "w",
        "w",
        "next_wallet",
        "Next wallet",
        "next wallet (with several --wallet-id or wallets in the config)",
    ),
    KeyAction(
        "e",
        "e",
        "export",
        "Export CSV",
        "export the wallet to a CSV file (exact amounts, values, addresses, memos)",
    ),
    KeyAction(
        "o",
        "o",
        "operations",
        "Operations",
        "the wallet's operations, live: deposits, withdrawals and their status",
        bar="Ops",
    ),
    KeyAction(
        "enter",
        "Enter",
        None,
        "Operation details",
        "operations: the selected one in full, every field (← → scroll columns)",
        scope="operations",
        palette=False,
    ),
    KeyAction(
        "a",
        "a",
        "filter_asset",
        "Filter by asset",
        "operations: only the asset selected on the dashboard, or all",
        scope="operations",
        bar="Asset",
    ),
    KeyAction(
        "t",
        "t",
        "filter_type",
        "Filter by type",
        "operations: next type (Deposit, Withdraw...), then all",
        scope="operations",
        bar="Type",
    ),
    KeyAction(
        "s",
        "s",
        "filter_status",
        "Filter by status",
        "operations: next status (Created, Processing, OnHold...), then all",
        scope="operations",
        bar="Status",
    ),
    KeyAction(
        "c",
        "c",
        "copy_id",
        "Copy operation id",
        "operations: copy the selected operation's id",
        scope="operations",
        bar="Copy id",
    ),
    KeyAction(
        "r",
        "r",
        "refresh",
        "Refresh operations",
        "operations: ask for the operations now",
        scope="operations",
        bar="Refresh",
    ),
    KeyAction(
        "escape",
        "Esc",
        "back",
        "Back to the balances",
        "operations: back to the balances, the selection kept",
        scope="operations",
        bar="Back",
    ),
    KeyAction(
        "c",
        "c",
        "copy_id",
        "Copy operation id",
        "one operation: copy its id",
        scope="operation",
        bar="Copy id",
        palette=False,
    ),
    KeyAction(
        "escape",
        "Esc",
        "back",
        "Back to the operations",
        "one operation: back to the list",
        scope="operation",
        bar="Back",
        palette=False,
    ),
    KeyAction(
        "ctrl+l",
        "ctrl+l",
        "log_in",
        "Log in again",
        "open the login screen: another API key, or email and password",
    ),
    KeyAction(
        "l",
        "l",
        "messages",
        "Messages in full",
        "messages in full: status line, errors, notifications, network names",
        scope="app",
        # Short: "Log" (of errors and notifications, lazygit's word) fits at 120 columns.
        bar="Log",
    ),
    KeyAction(
        "ctrl+p",
        "ctrl+p",
        "command_palette",
        "Command palette",
        "command palette: every action with its key, and the theme",
        scope="app",
        palette=False,
    ),
    KeyAction(
        "question_mark", "?", "help", "Help", "every key and what it does", scope="app", bar="Help"
    ),
    KeyAction("q", "q", "quit", "Quit", "quit (where no field is being typed in)", scope="app"),
    KeyAction(
        "ctrl+c,ctrl+q",
        "ctrl+c",
        "quit",
        "Quit",
        "quit, from every screen (ctrl+q too)",
        scope="app",
        bar="Quit",
        palette=False,
        priority=True,
    ),
)


def bindings(scope: Scope) -> list[Binding]:
    """The bindings of every key of `scope` that runs an action."""
    return [
        entry.binding()
        for entry in KEY_ACTIONS
        if entry.scope == scope and entry.action is not None and entry.action != "command_palette"
    ]


#: The key bar's keys, most useful first (by action, on every screen): where the bar is
#: too narrow for them all, the last are left out first, and "…" says so. `?` Help,
#: which lists every key, always stays, at the bar's end. Keys not named here go first.
BAR_ORDER: tuple[str, ...] = (
    "back",
    "switch_mode",
    "refresh",
    "copy_address",
    "copy_memo",
    "copy_id",
    "filter",
    "operations",
    "filter_asset",
    "filter_status",
    "filter_type",
    "toggle_pause",
    "quit",
    "network(1)",
    "generate_address",
    # (Before sort: at 120 columns a cut status line matters more than the sort key.)
    "messages",
    "sort",
)


def bar_rank(action: str) -> int:
    """Where `action` stands in BAR_ORDER (lower: more useful); -1 when not named."""
    return BAR_ORDER.index(action) if action in BAR_ORDER else -1


def palette_entries(scope: Scope) -> list[KeyAction]:
    """The keys of `scope` that the command palette offers."""
    return [entry for entry in KEY_ACTIONS if entry.scope == scope and entry.palette]


def help_rows() -> list[tuple[str, str]]:
    """(key as written, what it does) for the help screen and the README, in order."""
    return [(entry.shown, entry.help) for entry in KEY_ACTIONS]


def markdown_table() -> str:
    """The README's keys table."""
    lines = ["| key | what it does |", "|---|---|"]
    for shown, what in help_rows():
        keys = shown if " " in shown and not shown.startswith("`") else f"`{shown}`"
        lines.append(f"| {keys} | {what} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
