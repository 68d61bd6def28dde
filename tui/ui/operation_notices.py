"""What to tell the user about an operation that is new or changed status.

A new deposit, a deposit that completes, and any operation going OnHold or Declined
raise a notification; other changes (a withdrawal moving to Processing) only show in
the views. Pure: the dashboard turns a `Notice` into a Textual notification.
"""

from __future__ import annotations

from collections.abc import Callable
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
    """A notification: title, message, severity ("information", "warning", "error").

    `whole` is the message with no server text cut (for the messages view, `l`);
    `amounts` says the message shows an amount (not masked)."""

    title: str
    message: str
    severity: str = "information"
    whole: str = ""
    amounts: bool = False


def _brief(text: str | None) -> str:
    shown = clean_text(text or "—")
    return fit(shown, NOTICE_CHARS)  # by display cells: a CJK name takes twice the room


def _whole(text: str | None) -> str:
    return clean_text(text or "—")


def what(
    operation: Operation, *, masked: bool = False, name: Callable[[str | None], str] = _brief
) -> str:
    """ "Deposit 0.5 ETH": the type and the amount that concerns the wallet, exact.

    `name` shows each server text (the type, the asset): cut short by default."""
    asset = operation.target_asset if operation.is_deposit else operation.source_asset
    asset = asset or operation.source_asset or operation.target_asset
    amount = operation.amount_of(asset) if asset else None
    shown = "" if amount is None else (MASK if masked else format_amount(amount, grouping=True))
    return " ".join(
        part for part in (name(operation.type), shown, name(asset) if asset else "") if part
    )


def _says(
    change: OperationChange, masked: bool, name: Callable[[str | None], str]
) -> tuple[str, str, str] | None:
    """(title, message, severity) for `change`, server text shown through `name`."""
    op = change.after
    label = what(op, masked=masked, name=name)
    reason = dict(op.fields).get("reason")
    because = f": {name(reason) if isinstance(reason, str) else ''}".rstrip(": ")
    if op.status == DECLINED:
        return "Operation declined", f"{label} was declined{because}", "error"
    if op.status == ON_HOLD:
        return "Operation on hold", f"{label} is on hold{because}", "warning"
    if op.is_deposit and change.is_new:
        return "New deposit", f"{label} ({name(op.status)})", "information"
    if op.is_deposit and op.status == COMPLETED:
        return "Deposit completed", f"{label} is in the balance", "information"
    return None


def notice_for(change: OperationChange, *, masked: bool = False) -> Notice | None:
    """The notification for `change`, or None when it needs none."""
    says = _says(change, masked, _brief)
    if says is None:
        return None
    title, message, severity = says
    whole = _says(change, masked, _whole)
    op = change.after
    asset = op.target_asset if op.is_deposit else op.source_asset
    asset = asset or op.source_asset or op.target_asset
    amounts = not masked and asset is not None and op.amount_of(asset) is not None
    return Notice(title, message, severity, whole[1] if whole else message, amounts)
