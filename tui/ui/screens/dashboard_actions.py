"""The dashboard's keys: pause, interval, quote, sort, zero rows, mask,
wallet, the operations view, the filter box and the deposit networks.

Each action changes what is shown or asks a feed; none waits on the network.
"""

from __future__ import annotations

from textual import on
from textual.widgets import Input

from tui.api.models import BalanceSnapshot
from tui.api.text import seconds_text
from tui.ui.feeds import rates_interval
from tui.ui.screens.dashboard_base import DashboardBase
from tui.ui.screens.dashboard_notices import tell
from tui.ui.screens.dashboard_refresh import refresh_once
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.status_bar import RefreshState, StatusBar

FILTER_PLACEHOLDER = "Filter assets by symbol · Enter apply · Esc clear"


class DashboardActions(DashboardBase):
    """The actions behind the dashboard's keys (listed in tui/ui/keys.py)."""

    def action_toggle_pause(self) -> None:
        """Stop or restart the automatic refresh."""
        status = self.query_one(StatusBar)
        if not self.feeds.paused:
            self.feeds.pause()
            if status.info.state is not RefreshState.ERROR:
                status.set_info(state=RefreshState.PAUSED)
            self.notify("Automatic refresh paused; r refreshes once, p resumes.", timeout=3)
        else:
            self.notify("Automatic refresh resumed.", timeout=2)
            if status.info.state is RefreshState.PAUSED:
                status.set_info(state=RefreshState.LIVE)
            self.feeds.resume()

    def action_interval(self, steps: int) -> None:
        """Make the refresh interval longer (`+`) or shorter (`-`), 1 s at the least."""
        before = self.balances.interval
        interval = self.balances.step_interval(steps)
        self.rates.set_interval(rates_interval(interval))
        self.query_one(StatusBar).set_info(interval=interval)
        if interval == before:
            limit = "shortest" if steps < 0 else "longest"
            self.notify(
                f"Refresh every {seconds_text(interval)} s is the {limit} interval.", timeout=2
            )
        else:
            self.notify(f"Refresh every {seconds_text(interval)} s.", timeout=2)

    def action_cycle_quote(self) -> None:
        """Show values in the next quote currency the exchange offers."""
        rates = self.rates.state.value
        if rates is None or not rates.quotes:
            self.notify("No market rates yet: values come with them.", timeout=3)
            return
        quotes = rates.quotes
        position = quotes.index(self.quote) if self.quote in quotes else -1
        self.quote = quotes[(position + 1) % len(quotes)]
        self._show_values()
        self.notify(f"Values in {self.quote}.", markup=False, timeout=2)

    def action_sort(self) -> None:
        """Cycle the sort: symbol, available, total, value (each both ways), server order."""
        self.query_one(BalanceGrid).cycle_sort()
        self._sort_shown()

    def on_balance_grid_sort_changed(self) -> None:
        self._sort_shown()

    def _sort_shown(self) -> None:
        grid = self.query_one(BalanceGrid)
        self.query_one(StatusBar).set_info(sort=grid.sort_description)

    def action_toggle_zero(self) -> None:
        """Hide or show the assets whose every amount is zero."""
        grid = self.query_one(BalanceGrid)
        grid.set_hide_zero(not grid.hide_zero)
        self.query_one(StatusBar).set_info(
            hide_zero=grid.hide_zero, hidden_zero=grid.hidden_zero_count
        )
        self.show_selected()

    def action_toggle_mask(self) -> None:
        """Mask every amount (for screen sharing) or show them again."""
        grid = self.query_one(BalanceGrid)
        grid.set_masked(not grid.masked)
        self.query_one(DetailPane).set_masked(grid.masked)
        self.query_one(StatusBar).set_info(masked=grid.masked)
        self._show_values()  # the total too

    def action_next_wallet(self) -> None:
        """Show the next configured wallet, refreshing at once."""
        wallets = self.services.wallets
        if len(wallets) < 2:
            self.notify(
                "Only one wallet is configured: give --wallet-id more than once, "
                "or list wallets in the config file.",
                timeout=4,
            )
            return
        self._wallet_index = (self._wallet_index + 1) % len(wallets)
        self.snapshot = None
        grid = self.query_one(BalanceGrid)
        # The wallet left behind is never shown under the next one's name (nor its total):
        # the grid is empty until that wallet answers, or the status says why it cannot.
        # (Emptied before `forget_changes`: with its rows forgotten, an empty answer
        # would look like no change and leave them on screen.)
        grid.show(BalanceSnapshot(balances=(), wallet_id=self.wallet_id))
        grid.mark_stale(False)
        grid.forget_changes()
        label = self.services.wallet_label(self.wallet_id)
        self.query_one(StatusBar).set_info(wallet=label, last_update=None, operations="")
        self._show_values()
        self.notify(f"Switched to {label}.", markup=False, timeout=2)
        self.balances.restart()
        self.operations.restart()
        self.show_selected()

    def action_operations(self) -> None:
        """Open the operations of the wallet shown (Esc comes back here, selection kept)."""
        from tui.ui.screens.operations import OperationsScreen

        state = self.operations.state
        screen = OperationsScreen(
            self.services,
            lambda: self.client,
            wallet=self.services.wallet_label(self.wallet_id),
            asset=self.query_one(BalanceGrid).selected_asset,
            operations=state.value,
            received_at=state.received_at,
            refresh=lambda: refresh_once(self.operations),  # type: ignore[arg-type]
            paused=lambda: self.feeds.paused,
            masked=self.query_one(BalanceGrid).masked,
        )
        self.app.push_screen(screen)
        if state.error is not None:
            screen.call_after_refresh(screen.show_failure, state.error.message)

    def action_filter(self) -> None:
        """Open the filter box (made the first time: it is not part of the first frame)."""
        fields = self.query("#filter").results(Input)
        field = next(fields, None)
        if field is None:
            field = Input(placeholder=FILTER_PLACEHOLDER, id="filter")
            self.mount(field, before=self.query_one(StatusBar))
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        """Clear the filter and go back to the grid."""
        field = next(self.query("#filter").results(Input), None)
        if field is None or (not field.display and not field.value):
            return
        field.value = ""
        field.display = False
        self._apply_filter("")
        self.query_one(BalanceGrid).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.input.display = bool(event.value)
        self.query_one(BalanceGrid).focus()

    def _apply_filter(self, text: str) -> None:
        grid = self.query_one(BalanceGrid)
        grid.set_filter(text.strip())
        self.query_one(StatusBar).set_info(filter_text=text.strip(), hidden_rows=grid.hidden_count)
        self.show_selected()

    def action_network(self, step: int) -> None:
        """Select the previous or next deposit network of the asset."""
        detail = self.query_one(DetailPane)
        if detail.select_network(step) is None and detail.balance is not None:
            asset = detail.balance.asset
            tell(
                self, lambda name: f"{name(asset)} has no deposit address.", markup=False, timeout=3
            )

    def action_generate_address(self) -> None:
        """Generate the selected network's deposit address, after a confirmation."""
        self.deposits.ask_to_generate()
