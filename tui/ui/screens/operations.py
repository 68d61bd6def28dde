"""The operations view (`o`): the wallet's operations, newest first, live, with filters.

The dashboard owns the operations feed and hands each answer (or failure) to this
screen while it is open (`show_operations`, `show_failure`); the screen filters, shows
and lets the user copy an id or open one operation in full. Esc goes back to the
dashboard, whose selection was never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tui.api.operations import STATUSES, TYPES, Operation, OperationList, PendingSummary
from tui.api.text import clean_text, shorten_middle
from tui.ui.keys import bindings
from tui.ui.widgets.key_bar import KeyBar
from tui.ui.widgets.operations_table import OperationsTable
from tui.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from tui.api.client import KunaClient
    from tui.ui.services import AppServices


async def copy_operation_id(
    screen: Screen[None], operation_id: str, system_clipboard: bool
) -> None:
    """Copy an operation's id by every path, then say which confirmed it (a worker's job)."""
    from tui.ui.clipboard import copy_text  # (at the first copy, not at start-up)

    result = await copy_text(screen.app, operation_id, system_clipboard=system_clipboard)
    screen.notify(
        f"{shorten_middle(result.text)}\n{result.how()}",
        title=f"Operation id {result.verb()}",
        severity="information" if result.confirmed else "warning",
        markup=False,
        timeout=6,
    )


def _cycle(current: str | None, choices: list[str]) -> str | None:
    """The next of `choices` after `current`; None ("all") after the last."""
    if current is None:
        return choices[0] if choices else None
    index = choices.index(current) if current in choices else -1
    return choices[index + 1] if index + 1 < len(choices) else None


class OperationsScreen(Screen[None]):
    """Every recent operation of the wallet shown; filters by asset, type and status."""

    # Not in wallet.tcss: parsed when the screen is first shown, not before the
    # dashboard's first frame.
    DEFAULT_CSS = """
    #ops-filters, #ops-status {
        height: 1;
        /* One line: Textual wraps a Text whatever its no_wrap, and the next line would be
           hidden: cut it with "…" instead (the whole text is in the tooltip and under l). */
        text-wrap: nowrap;
        text-overflow: ellipsis;
        padding: 0 1;
        background: $panel;
    }
    #ops-table {
        height: 1fr;
    }
    """

    BINDINGS = bindings("operations")  # every key is listed in tui/ui/keys.py

    def __init__(
        self,
        services: AppServices,
        client: Callable[[], KunaClient],
        *,
        wallet: str,
        asset: str | None,
        operations: OperationList | None,
        received_at: datetime | None,
        refresh: Callable[[], None],
        masked: bool = False,
        paused: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__()
        self.services = services
        self._client = client
        self._refresh = refresh
        #: True while the dashboard's refresh is paused (`p`): the list is then not live.
        self._paused = paused
        self.wallet = wallet
        #: The asset selected on the dashboard; `a` filters by it.
        self.selected_asset = asset
        self.asset_filter: str | None = None
        self.type_filter: str | None = None
        self.status_filter: str | None = None
        self.all_operations = operations
        self.received_at = received_at
        self.error: str | None = None
        self.masked = masked

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="ops-filters")
        yield OperationsTable(id="ops-table")
        yield Static(id="ops-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Operations · {self.wallet}"
        table = self.query_one(OperationsTable)
        table.zone = self.services.now().tzinfo
        table.masked = self.masked
        table.focus()
        self._redraw()
        from tui.ui.toast_place import keep_clear_of_toasts  # (with the first toast's module)

        # The status line is the lowest text: it and the table end above the toasts.
        keep_clear_of_toasts(self, self.query_one("#ops-status"))

    # What the dashboard hands over ---------------------------------------------------

    def show_operations(self, operations: OperationList, received_at: datetime) -> None:
        """A new answer of the operations feed."""
        self.all_operations = operations
        self.received_at = received_at
        self.error = None
        self._redraw()

    def show_failure(self, reason: str) -> None:
        """The feed failed: the last list stays, marked stale, with the server's words."""
        self.error = reason
        self._show_status()

    # Drawing -------------------------------------------------------------------------

    @property
    def shown(self) -> list[Operation]:
        """The operations that pass the filters, newest first."""
        if self.all_operations is None:
            return []
        return [
            op
            for op in self.all_operations
            if (self.asset_filter is None or op.involves(self.asset_filter))
            and (self.type_filter is None or op.type == self.type_filter)
            and (self.status_filter is None or op.status == self.status_filter)
        ]

    def _redraw(self) -> None:
        self.query_one(OperationsTable).show(self.shown)
        self._show_filters()
        self._show_status()

    def _show_filters(self) -> None:
        self.query_one("#ops-filters", Static).update(self.render_filters())

    def render_filters(self) -> Text:
        """The filters line: each filter and its key, and how many operations pass."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for label, value, key in (
            ("Asset", self.asset_filter, "a"),
            ("Type", self.type_filter, "t"),
            ("Status", self.status_filter, "s"),
        ):
            text.append(f"{label} ", style="dim")
            text.append(clean_text(value) if value else "all", style="bold" if value else "")
            text.append(f" ({key})   ", style="dim")
        total = len(self.all_operations) if self.all_operations is not None else 0
        text.append(f"{len(self.shown)} of {total} shown", style="dim")
        return text

    def _show_status(self) -> None:
        status = self.query_one("#ops-status", Static)
        # One line: a long error is cut with "…" there, and whole under the mouse and
        # in the messages view (`l`, `whole_texts`).
        status.tooltip = None if self.error is None else Text(clean_text(self.error))
        status.update(self.render_status())

    def whole_texts(self) -> list[tuple[str, Text]]:
        """What this screen's one-line bars may cut, whole, for the messages view (`l`)."""
        return [("Filters", self.render_filters()), ("Status line", self.render_status())]

    def render_status(self) -> Text:
        """The status line: live, paused or the failure in the server's words; the
        pending summary; the time of the list."""
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.error is not None:
            text.append("✖ ", style="bold red")
            text.append(clean_text(self.error), style="red")
            if self.all_operations is not None:
                text.append(" · last good list shown (stale)", style="yellow")
        elif self.all_operations is None:
            text.append("◌ loading operations…", style="bold")
        elif self._paused():
            text.append("⏸ paused", style="bold yellow")
        else:
            text.append("● live", style="bold green")
        if self.all_operations is not None:
            summary = PendingSummary.of(self.all_operations)
            text.append(f" · {summary.text()}")
            if summary.declined:
                text.append(f" · {summary.declined} declined", style="bold red")
        if self.received_at is not None:
            text.append(f" · updated {self.received_at:%H:%M:%S}", style="dim")
        text.append(" · Enter details · c copy id · Esc back", style="dim")
        return text

    # Actions -------------------------------------------------------------------------

    def action_filter_asset(self) -> None:
        """Show only the operations of the asset selected on the dashboard, or all."""
        if self.selected_asset is None:
            self.notify("No asset was selected on the dashboard.", severity="warning", timeout=3)
            return
        self.asset_filter = None if self.asset_filter else self.selected_asset
        self._redraw()

    def action_filter_type(self) -> None:
        """Cycle the type filter: all, then each type (documented ones and any seen)."""
        seen = [op.type for op in self.all_operations or () if op.type]
        self.type_filter = _cycle(self.type_filter, list(dict.fromkeys([*TYPES, *seen])))
        self._redraw()

    def action_filter_status(self) -> None:
        """Cycle the status filter: all, then each status (documented ones and any seen)."""
        seen = [op.status for op in self.all_operations or () if op.status]
        self.status_filter = _cycle(self.status_filter, list(dict.fromkeys([*STATUSES, *seen])))
        self._redraw()

    def action_copy_id(self) -> None:
        """Copy the selected operation's id."""
        operation = self.query_one(OperationsTable).selected
        if operation is None:
            self.notify("No operation selected: nothing copied.", severity="warning", timeout=3)
            return
        self.run_worker(
            partial(copy_operation_id, self, operation.id, self.services.system_clipboard),
            group="copy",
        )

    def action_refresh(self) -> None:
        """Ask for the operations now."""
        self._refresh()

    def action_back(self) -> None:
        """Back to the balances."""
        self.dismiss(None)

    def on_operations_table_selected(self, event: OperationsTable.Selected) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Show the selected operation in full."""
        from tui.ui.screens.operation_detail import OperationDetailScreen

        operation = self.query_one(OperationsTable).selected
        if operation is not None:
            self.app.push_screen(
                OperationDetailScreen(self.services, self._client(), operation, masked=self.masked)
            )
