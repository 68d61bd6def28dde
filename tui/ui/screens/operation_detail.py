"""One operation in full: every field the server sent, amounts exact, unknown fields too.

Opened from the operations view with what the list said; asks `/v2/operation/details`
once (a worker that posts a typed message) and shows its answer when it comes. If that
fails, the list's fields stay and the reason is shown in the server's words.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui.api.amounts import format_amount
from tui.api.client import KunaClient
from tui.api.errors import KunaError
from tui.api.operations import JsonObject, JsonValue, Operation
from tui.api.parse_operations import TIME_FIELDS, is_amount_key
from tui.api.text import clean_text, shorten_middle
from tui.ui.keys import bindings
from tui.ui.services import AppServices
from tui.ui.widgets.key_bar import KeyBar
from tui.ui.widgets.operations_table import MASK, status_style
from tui.ui.widgets.title_bar import TitleBar


class OperationDetailsLoaded(Message):
    """`/v2/operation/details` answered: `operation` in full (None: the server has no such id)."""

    def __init__(self, operation: Operation | None) -> None:
        super().__init__()
        self.operation = operation


class OperationDetailsFailed(Message):
    """`/v2/operation/details` failed; the list's fields stay on screen."""

    def __init__(self, error: KunaError) -> None:
        super().__init__()
        self.error = error


def value_text(value: JsonValue, *, indent: int = 0) -> str:
    """A kept JSON value as text: numbers exact, objects one `key: value` per line."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, JsonObject):
        pad = "  " * (indent + 1)
        return "\n".join(
            f"{pad}{key}: {value_text(v, indent=indent + 1).lstrip()}" for key, v in value.items
        ) or "{}"
    if isinstance(value, tuple):
        return ", ".join(value_text(v, indent=indent) for v in value) or "[]"
    return str(value)


def render_fields(operation: Operation, zone: object, *, masked: bool = False) -> Table:
    """Every field as a two-column table: the API's name and the value as sent."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in operation.fields:
        if masked and is_amount_key(name) and value is not None:
            shown = Text(MASK)
        else:
            # Parsed text is clean already; once more here, line by line, as everywhere.
            shown = Text("\n".join(clean_text(line) for line in value_text(value).split("\n")))
        if name == "status":
            shown.stylize(status_style(operation.status))
        if name in TIME_FIELDS:
            when = operation.created_at if name == "createdAt" else operation.updated_at
            if when is not None:
                shown.append(f"   ({when.astimezone(zone).strftime('%Y-%m-%d %H:%M:%S')} local)", style="dim")  # type: ignore[arg-type]
        table.add_row(Text(name), shown)
    return table


class OperationDetailScreen(Screen[None]):
    """One operation with every field; `c` copies its id, Esc goes back to the list."""

    # Not in wallet.tcss: parsed when the screen is first shown, not before the
    # dashboard's first frame.
    DEFAULT_CSS = """
    #op-detail {
        height: 1fr;
        padding: 1 2;
    }
    #op-note {
        height: auto;
        padding: 0 2;
    }
    """

    BINDINGS = bindings("operation")

    def __init__(
        self,
        services: AppServices,
        client: KunaClient,
        operation: Operation,
        *,
        masked: bool = False,
    ) -> None:
        super().__init__()
        self.services = services
        self.client = client
        self.operation = operation
        self.masked = masked
        self.note = "asking the exchange for every field…"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="op-detail"):
            yield Static(id="op-fields")
        yield Static(id="op-note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Operation {shorten_middle(self.operation.id)}"
        self._draw()
        self._fetch()
        from tui.ui.toast_place import keep_clear_of_toasts  # (with the first toast's module)

        # The note is the lowest text: it and the fields end above the toasts.
        keep_clear_of_toasts(self, self.query_one("#op-note"))

    def _draw(self) -> None:
        zone = self.services.now().tzinfo
        self.query_one("#op-fields", Static).update(
            render_fields(self.operation, zone, masked=self.masked)
        )
        self.query_one("#op-note", Static).update(Text(self.note, style="dim"))

    @work(group="operation-details", exit_on_error=False, exclusive=True)
    async def _fetch(self) -> None:
        try:
            found = await self.client.operation_details(self.operation)
        except KunaError as error:
            self.post_message(OperationDetailsFailed(error))
            return
        self.post_message(OperationDetailsLoaded(found))

    def on_operation_details_loaded(self, message: OperationDetailsLoaded) -> None:
        if message.operation is None:
            self.note = "The exchange has no details for this id: the list's fields are shown."
        else:
            self.operation = message.operation
            self.note = "Every field the exchange sent (/v2/operation/details)."
        self._draw()

    def on_operation_details_failed(self, message: OperationDetailsFailed) -> None:
        self.note = f"Details not loaded ({clean_text(message.error.message)}): the list's fields are shown."
        self._draw()

    def action_copy_id(self) -> None:
        """Copy the operation's id."""
        from tui.ui.screens.operations import copy_operation_id

        self.run_worker(
            partial(copy_operation_id, self, self.operation.id, self.services.system_clipboard),
            group="copy",
        )

    def action_back(self) -> None:
        """Back to the list of operations."""
        self.dismiss(None)
