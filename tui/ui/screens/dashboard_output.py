"""What leaves the dashboard: a deposit address or memo copied (`c`, `m`) or shown as a
QR code (`x` switches where one fits at a time), and the wallet exported to a CSV file (`e`).

Copying goes by every path `tui.ui.clipboard.copy_text` knows; the notification
says which confirmed the copy and which only sent it.
"""

from __future__ import annotations

from functools import partial

from tui.api.text import shorten_middle
from tui.ui.screens.dashboard_base import DashboardBase
from tui.ui.screens.dashboard_notices import brief, tell
from tui.ui.widgets.detail_pane import DetailPane


class DashboardOutput(DashboardBase):
    """Copying the selected network's address or memo, its QR codes, and the CSV export."""

    def action_export(self) -> None:
        """Write the wallet as shown (exact amounts, addresses, memos) to a CSV file."""
        from tui.cli.output import Valuation
        from tui.ui.export import export_csv

        if self.snapshot is None:
            self.notify("No balances yet: nothing to export.", severity="warning", timeout=3)
            return
        rates = self.rates.state.value
        valuation = Valuation(rates, self.quote) if rates is not None else None
        try:
            name = self.services.settings.wallet_names.get(self.wallet_id or "")
            path = export_csv(
                self.snapshot, self.services.now(), wallet_name=name, valuation=valuation
            )
        except OSError as error:
            self.notify(f"Could not write the CSV file: {error}", severity="error", markup=False)
            return
        self.notify(str(path), title="Exported to CSV", markup=False, timeout=8)

    def action_copy_address(self) -> None:
        """Copy the selected network's deposit address."""
        self._copy(memo=False)

    def action_copy_memo(self) -> None:
        """Copy the selected network's memo/tag."""
        self._copy(memo=True)

    def action_switch_qr(self) -> None:
        """Show the memo's QR code in the address's place, or back (one at a time)."""
        refusal = self.query_one(DetailPane).switch_qr()
        if refusal is not None:
            self.notify(refusal, markup=False, timeout=3)

    def _copy(self, *, memo: bool) -> None:
        detail = self.query_one(DetailPane)
        balance = detail.balance
        if balance is None:
            self.notify("No asset selected: nothing copied.", severity="warning", timeout=3)
            return
        entry = detail.selected_entry
        address = entry.address if entry is not None else None
        if address is None:
            tell(
                self,
                lambda name: (
                    f"{name(balance.asset)} on {name(entry.source)} has no address yet: "
                    "press g to generate one. Nothing copied."
                    if entry is not None
                    else f"{name(balance.asset)} has no deposit address: nothing copied."
                ),
                severity="warning",
                markup=False,
                timeout=4,
            )
            return
        if memo and address.memo is None:
            tell(
                self,
                lambda name: (
                    f"{name(balance.asset)} on {name(address.network)} has no memo/tag: "
                    "nothing copied."
                ),
                severity="warning",
                markup=False,
                timeout=4,
            )
            return
        value = address.memo if memo and address.memo is not None else address.address
        what = "Memo/Tag" if memo else "Address"
        labels = [f"{name(balance.asset)} on {name(address.network)}" for name in (brief, str)]
        note = ""
        if address.memo is not None and not memo:
            # The address alone is not enough: a deposit without the memo can be lost.
            note += "\nEnter the memo/tag too (m copies it)."
        if address.memo_in_address:
            from tui.ui.widgets.network_cards import TAG_INSIDE_NOTE  # (not at start-up)

            note += f"\n{TAG_INSIDE_NOTE[0].upper()}{TAG_INSIDE_NOTE[1:]}."
        # The minimum is repeated: a deposit below it may never be credited.
        minimum = self.deposits.minimum_line(balance.asset, address.network)
        self.run_worker(
            partial(self._copy_and_tell, value, what, labels, note, minimum), group="copy"
        )

    async def _copy_and_tell(
        self, value: str, what: str, labels: list[str], note: str = "", minimum: str = ""
    ) -> None:
        """Copy by every path, then say which confirmed it and which only sent it.

        `note` is added to the notification (a memo to enter too); it makes it a warning.
        `minimum` ("\nMinimum deposit ...") ends it."""
        from tui.ui.clipboard import copy_text  # (at the first copy, not at start-up)

        result = await copy_text(self.app, value, system_clipboard=self.services.system_clipboard)
        short, whole = (
            f"{label}: {shorten_middle(result.text)}\n{result.how()}{note}{minimum}"
            for label in labels
        )
        self.app.notify(  # type: ignore[call-arg]
            short,
            whole=whole,
            title=f"{what} {result.verb()}",
            severity="information" if result.confirmed and not note else "warning",
            markup=False,
            timeout=8 if note else 6,
        )
