"""Plain-text, JSON and CSV renderings of operations, for the one-shot `operations` command.

Amounts are printed exactly, with every digit the server sent. JSON and CSV carry
every field the server sent, unknown ones included; the table shows the main ones,
with times in the local timezone.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from tui.api.amounts import format_amount
from tui.api.operations import JsonObject, JsonValue, Operation
from tui.api.text import clean_text
from tui.cli.output import csv_safe
from tui.cli.width import display_width, pad_right

#: The columns every CSV has, in this order; the server's other fields follow.
CSV_COLUMNS = (
    "walletId",
    "id",
    "createdAt",
    "updatedAt",
    "type",
    "status",
    "sourceAsset",
    "sourceAmount",
    "targetAsset",
    "targetAmount",
)
_GAP = "  "


def plain_value(value: JsonValue) -> Any:
    """A kept JSON value back as JSON: amounts and other fractions as exact decimal
    strings (never a float), whole numbers as integers, objects in their order."""
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value)
            else format_amount(value)
        )
    if isinstance(value, JsonObject):
        return {key: plain_value(v) for key, v in value.items}
    if isinstance(value, tuple):
        return [plain_value(v) for v in value]
    return value


def operation_record(operation: Operation) -> dict[str, Any]:
    """Every field of `operation` as the server sent it; amounts as exact strings."""
    record: dict[str, Any] = {}
    for key, value in operation.fields:
        if isinstance(value, Decimal) and key.endswith(("Amount", "amount")):
            record[key] = format_amount(value)
        else:
            record[key] = plain_value(value)
    return record


def render_json(operations: Sequence[Operation]) -> str:
    """A JSON list of the operations, newest first, every field the server sent."""
    return (
        json.dumps([operation_record(op) for op in operations], indent=2, ensure_ascii=False) + "\n"
    )


def render_csv(operations: Sequence[Operation]) -> str:
    """A header row, then one row per operation: the main fields, then every other field
    the server sent (nested values as JSON). Text a spreadsheet would run is prefixed "'"."""
    records = [operation_record(op) for op in operations]
    extra: list[str] = []
    for record in records:
        extra.extend(k for k in record if k not in CSV_COLUMNS and k not in extra)
    header = [*CSV_COLUMNS, *extra]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_safe(cell) for cell in header])
    for record in records:
        writer.writerow([csv_safe(_cell(record.get(name))) for name in header])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def render_table(operations: Sequence[Operation], zone: tzinfo | None = None) -> str:
    """An aligned table, newest first: local time, type, status, source and target, id."""
    if not operations:
        return "No operations.\n"
    rows = [("Time", "Type", "Status", "Source", "Target", "Id")]
    for op in operations:
        rows.append(
            (
                format_time(op, zone),
                clean_text(op.type or "—"),
                clean_text(op.status or "—"),
                _side(op.source_asset, op.source_amount),
                _side(op.target_asset, op.target_amount),
                clean_text(op.id),
            )
        )
    # Every value whole (a pipe or a file has no width to fit), padded by display width:
    # an asset or id in CJK or emoji takes two cells a character.
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        lines.append(
            _GAP.join(pad_right(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if number == 0:
            lines.append(_GAP.join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def format_time(operation: Operation, zone: tzinfo | None = None) -> str:
    """When the operation was created, in `zone` (default: the local timezone)."""
    when = operation.sort_time
    if when is None:
        return "—"
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _side(asset: str | None, amount: Decimal | None) -> str:
    if asset is None and amount is None:
        return "—"
    shown = "" if amount is None else format_amount(amount, grouping=True) + " "
    return clean_text(f"{shown}{asset or ''}".strip())
