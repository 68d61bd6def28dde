"""The dashboard's notifications of what changed: a balance up (a deposit landed),
an operation entering a status worth telling, an API key refused mid-session.

Each is a few toasts per answer at most (the rest are counted); server names are
cut short in them (`brief`), the detail pane shows them whole.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from tui.api.amounts import exact_difference, format_amount, trim_zeros
from tui.api.errors import KeyRejectedError
from tui.api.models import AssetBalance, BalanceSnapshot
from tui.ui.cell_fit import fit
from tui.ui.feeds import OperationChanged
from tui.ui.screens.dashboard_base import DashboardBase
from tui.ui.widgets.balance_grid import BalanceGrid

if TYPE_CHECKING:
    from textual.dom import DOMNode

#: At most this many "balance up" notifications per refresh; the rest are counted.
MAX_DEPOSIT_NOTICES = 3
#: Server names wider than this (terminal cells) are cut with "…" in notifications,
#: which must stay small.
NOTICE_NAME_CHARS = 24


def brief(name: str) -> str:
    """A server-given name cut for a notification (the full name is in the detail pane)."""
    return fit(name, NOTICE_NAME_CHARS)  # by display cells, marked "…" when cut


def tell(node: DOMNode, say: Callable[[Callable[[str], str]], str], **kwargs: Any) -> None:
    """Notify a sentence that names server text: `say(name)` writes it with each name
    passed through `name`; the toast gets the names cut short (`brief`), the messages
    view (`l`) the same sentence with them whole. `kwargs` as for `App.notify`."""
    node.app.notify(say(brief), whole=say(str), **kwargs)  # type: ignore[call-arg]


class DashboardNotices(DashboardBase):
    """Tells the user, in toasts, what changed between two answers."""

    #: Operation notifications shown per answer at most; the rest are counted.
    max_operation_notices: int
    _operation_notices: int
    #: The user was told that the API key is refused (once per run of refusals).
    _key_rejection_told: bool

    def on_operation_changed(self, message: OperationChanged) -> None:
        """Notify a new deposit, a completed deposit, and anything OnHold or Declined."""
        if message.wallet_id != self.wallet_id:
            return
        # Not imported at start: no change comes before the operations' second answer.
        from tui.ui.operation_notices import notice_for

        notice = notice_for(message.change, masked=self.query_one(BalanceGrid).masked)
        if notice is None:
            return
        self._operation_notices += 1
        if self._operation_notices > self.max_operation_notices:
            if self._operation_notices == self.max_operation_notices + 1:
                self.notify("…and more operations changed: o shows them all.", timeout=6)
            return
        self.app.notify(  # type: ignore[call-arg]
            notice.message,
            whole=notice.whole,
            amounts=notice.amounts,
            title=notice.title,
            severity=notice.severity,  # type: ignore[arg-type]
            markup=False,
            # OnHold and Declined stay highlighted in the views; the toast stays longer.
            timeout=12 if notice.severity != "information" else 6,
        )

    def _key_rejected(self, error: KeyRejectedError) -> None:
        """An API key refused mid-session: the data stays (stale) and the feed retries at
        the backoff's pace, as it does for any failure; a key from the environment can
        be refused by a gateway's hiccup. Said once per run of refusals."""
        if self._key_rejection_told:
            return
        self._key_rejection_told = True
        self.notify(
            f"{error.message}. The balances shown are kept and refreshing goes on; "
            "ctrl+l opens the login screen for another key or the password.",
            title="API key rejected",
            severity="warning",
            markup=False,
            timeout=10,
        )

    def _announce_deposits(
        self, before: BalanceSnapshot, after: BalanceSnapshot, changed: frozenset[str]
    ) -> None:
        """Tell the user when an asset's available balance went up (a deposit landed).

        `changed` names the assets whose amounts changed (the grid's diff): only they
        can have risen, so a big wallet is not gone through when one asset moved.
        """
        if not changed:
            return
        rises = []
        for balance in (b for b in after.balances if b.asset in changed):
            old = before.get(balance.asset)
            if old is not None and balance.available > old.available:
                rises.append(
                    (balance, trim_zeros(exact_difference(balance.available, old.available)))
                )
        masked = self.query_one(BalanceGrid).masked
        for balance, rise in rises[:MAX_DEPOSIT_NOTICES]:
            tell(
                self,
                partial(_went_up, balance=balance, rise=None if masked else rise),
                amounts=not masked,
                title="Available balance up",
                markup=False,
                timeout=6,
            )
        if len(rises) > MAX_DEPOSIT_NOTICES:
            self.notify(f"…and {len(rises) - MAX_DEPOSIT_NOTICES} more assets went up.", timeout=6)


def _went_up(name: Callable[[str], str], balance: AssetBalance, rise: Decimal | None) -> str:
    """ "BTC +0.5 (now 1.5)", the asset through `name` (see `tell`); without the
    amounts when `rise` is None (they are hidden)."""
    if rise is None:
        return f"{name(balance.asset)} went up (amounts hidden)"
    return (
        f"{name(balance.asset)} +{format_amount(rise, grouping=True)} "
        f"(now {format_amount(balance.available, grouping=True)})"
    )
