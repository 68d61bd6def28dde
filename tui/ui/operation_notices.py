"""What to tell the user about an operation that is new or changed status.

A new deposit, a deposit that completes, and any operation going OnHold or Declined
raise a notification; other changes (a withdrawal moving to Processing) only show in
the views. Pure: the dashboard turns a `Notice` into a Textual notification.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.api.amounts import format_amount
from tui.api.operations import COMPLETED, DECLINED, ON_HOLD, Operation, OperationChange
from tui.api.text import clean_text
from tui.ui.cell_fit import fit

#: Server text wider than this (terminal cells) is cut with "…" in a notification (the
#: views show it whole).
NOTICE_CHARS = 24
MASK = "•••••"


@dataclass(frozen=True)
class Notice:
    """A notification: title, message, severity ("information", "warning", "error")."""

    title: str
    message: str
    severity: str = "information"


def _brief(text: str | None) -> str:
    shown = clean_text(text or "—")
    return fit(shown, NOTICE_CHARS)  # by display cells: a CJK name takes twice the room


def what(operation: Operation, *, masked: bool = False) -> str:
    """"Deposit 0.5 ETH": the type and the amount that concerns the wallet, exact."""
    asset = operation.target_asset if operation.is_deposit else operation.source_asset
    asset = asset or operation.source_asset or operation.target_asset
    amount = operation.amount_of(asset) if asset else None
    shown = "" if amount is None else (MASK if masked else format_amount(amount, grouping=True))
    return " ".join(part for part in (_brief(operation.type), shown, _brief(asset) if asset else "") if part)


def notice_for(change: OperationChange, *, masked: bool = False) -> Notice | None:
    """The notification for `change`, or None when it needs none."""
    op = change.after
    label = what(op, masked=masked)
    reason = dict(op.fields).get("reason")
    because = f": {_brief(reason) if isinstance(reason, str) else ''}".rstrip(": ")
    if op.status == DECLINED:
        return Notice("Operation declined", f"{label} was declined{because}", "error")
    if op.status == ON_HOLD:
        return Notice("Operation on hold", f"{label} is on hold{because}", "warning")
    if op.is_deposit and change.is_new:
        return Notice("New deposit", f"{label} ({_brief(op.status)})")
    if op.is_deposit and op.status == COMPLETED:
        return Notice("Deposit completed", f"{label} is in the balance")
    return None
