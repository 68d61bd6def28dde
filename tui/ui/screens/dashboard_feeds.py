"""The dashboard's feed routing: what the balances, rates, operations and deposit
methods feeds post, shown in the grid, the detail pane and the status bar.

The feeds (`tui.ui.feeds`) fetch in the background and post typed messages; these
handlers only draw what came (the last good data stays, marked stale, on a failure).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from tui.api.errors import KeyRejectedError
from tui.api.models import BalanceSnapshot
from tui.ui.feeds import (
    MAX_RATE_AGE,
    BalancesFailed,
    BalancesLoaded,
    OperationsFailed,
    OperationsLoaded,
    RatesFailed,
    RatesLoaded,
)
from tui.ui.refresh import is_lasting
from tui.ui.screens.dashboard_base import FIRST_RATES_DELAY, DashboardBase
from tui.ui.widgets.balance_grid import BalanceGrid, GridChange
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.status_bar import RefreshState, StatusBar

if TYPE_CHECKING:
    from tui.ui.feeds.deposit_methods import DepositMethodsFailed, DepositMethodsLoaded
    from tui.ui.screens.dashboard_deposits import DepositAddressFailed, DepositAddressGenerated


def _moved(before: BalanceSnapshot, after: BalanceSnapshot, change: GridChange) -> bool:
    """True when some asset's amounts changed, or an asset came or went.

    `change` is what the grid made of `after`: its `changed_assets` already name every
    asset whose amounts moved, so a wallet of 2,000 assets is not gone through again
    (the same answer again is the very same snapshot, and costs nothing here).
    """
    if before is after:
        return False
    return bool(change.changed_assets) or not before.same_assets(after)


class DashboardFeedRouting(DashboardBase):
    """Routes the feeds' messages to the widgets that show them."""

    def on_balances_loaded(self, message: BalancesLoaded) -> None:
        previous = self.snapshot
        # The first answer is drawn before anything else is asked of the exchange.
        change = self._show(message.snapshot, message.received_at, first=previous is None)
        if previous is not None and previous.wallet_id == message.snapshot.wallet_id:
            self._announce_deposits(previous, message.snapshot, change.changed_assets)
            if _moved(previous, message.snapshot, change) and self._followers_started:
                # A balance moved: an operation explains it. Ask now (at most every few
                # seconds, see OperationsFeed.balance_moved), not at the next interval.
                self.operations.balance_moved()
        if not self._followers_started:
            self._start_followers(delay=FIRST_RATES_DELAY)

    def on_operations_loaded(self, message: OperationsLoaded) -> None:
        from tui.api.operations import PendingSummary  # (loaded by the feed's fetch)

        operations = message.operations
        if operations.wallet_id != self.wallet_id:
            return
        self._operation_notices = 0  # the changes of this answer follow this message
        summary = PendingSummary.of(operations)
        self.query_one(StatusBar).set_info(
            operations=summary.text(),
            operations_alert=bool(summary.on_hold),
            operations_stale=False,
        )
        self.show_selected()
        from tui.ui.screens.operations import OperationsScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, OperationsScreen):
                screen.show_operations(operations, message.received_at)

    def on_operations_failed(self, message: OperationsFailed) -> None:
        # Balances stay live: only the operations' summary is marked stale.
        if message.needs_login:
            # An API key may lack the operations permission while balances work: this
            # feed retries at the backoff's pace; a real logout shows on the balances.
            self.operations.retry_later(message.error)
        status = self.query_one(StatusBar)
        if status.info.operations:
            status.set_info(operations_stale=True)
        else:
            status.set_info(operations="operations unavailable", operations_stale=True)
        from tui.ui.screens.operations import OperationsScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, OperationsScreen):
                screen.show_failure(message.error.message)

    def on_balances_failed(self, message: BalancesFailed) -> None:
        status = self.query_one(StatusBar)
        status.set_now(message.failed_at)
        status.set_info(
            state=RefreshState.ERROR,
            error=message.error.message,
            retry_at=message.retry_at,
            lasting=is_lasting(message.error),
        )
        self.query_one(BalanceGrid).mark_stale(self.snapshot is not None)
        if message.needs_login:
            self._ask_to_log_in_again(message.error.message)
        elif isinstance(message.error, KeyRejectedError):
            if self._ever_shown:
                self._key_rejected(message.error)
            else:
                # Nothing to keep yet (a mistyped key, most likely): ask for another at
                # once; Esc goes back to the dashboard, which keeps trying.
                self._ask_to_log_in_again(message.error.message)

    def on_rates_loaded(self, message: RatesLoaded) -> None:
        self._show_values()

    def on_rates_failed(self, message: RatesFailed) -> None:
        # The values stay, marked stale; the balances are not touched. Refused
        # credentials are the balances feed's to report (it asks for a login).
        self._show_values()

    def _show_values(self) -> None:
        """The Value column, the wallet's total and the detail pane's rate, from the
        last good rates, in the quote currency, marked stale when they are."""
        state = self.rates.state
        rates = state.value
        if rates is None:
            if state.error is not None:  # no rates yet: say why there are no values
                self.query_one(StatusBar).set_info(
                    worth="no values yet", rates_stale=True, rates_error=state.error.message
                )
            return
        now = self.services.now()
        stale = state.is_stale(now, MAX_RATE_AGE)
        grid = self.query_one(BalanceGrid)
        grid.set_rates(rates, self.quote, stale=stale)
        worth = ""
        if self.snapshot is not None:
            # Kept up to date by differences: a balance refresh that changed one asset
            # does not value the other 1,999 again (see RunningValue).
            if self._worth is None:
                # Imported with the first rates: the values' module is not needed before.
                from tui.api.values import RunningValue

                self._worth = RunningValue()
            value = self._worth.update(self.snapshot, rates, self.quote)
            worth = value.describe(masked=grid.masked)
        status = self.query_one(StatusBar)
        status.set_now(now)
        info = status.info
        error = state.error.message if state.error else None
        if (info.worth, info.rates_at, info.rates_stale, info.rates_error) != (
            worth,
            state.received_at,
            stale,
            error,
        ):  # the same line again is not rendered again
            status.set_info(
                worth=worth, rates_at=state.received_at, rates_stale=stale, rates_error=error
            )
        self._show_rate()

    def _show_rate(self) -> None:
        """The detail pane's rate for the asset it shows."""
        detail = self.query_one(DetailPane)
        state = self.rates.state
        if detail.balance is None or state.value is None:
            detail.set_rate(None)
            return
        from tui.ui.widgets.detail_amounts import AssetRate  # (there are rates: not at start)

        at = self.services.now()
        detail.set_rate(
            AssetRate(
                self.quote,
                state.value.rate(detail.balance.asset, self.quote),
                state.received_at,
                state.is_stale(at, MAX_RATE_AGE),
            ),
            at,
        )

    def _show(
        self, snapshot: BalanceSnapshot, received_at: datetime, first: bool = False
    ) -> GridChange:
        """Show `snapshot`; what changed in the grid. `first`: the answer that opens the
        dashboard (or a wallet), drawn before anything else is asked of the exchange: the
        deposit methods of the asset shown are asked for once it has been drawn (and the
        cursor has rested)."""
        # The same answer again (the client hands back the very snapshot when the body
        # did not change): the detail pane and the values show it already, so only the
        # status moves; this is every refresh of a quiet wallet, and must cost little.
        again = snapshot is self.snapshot and not first
        self.snapshot = snapshot
        self._ever_shown = True
        self._key_rejection_told = False
        grid = self.query_one(BalanceGrid)
        with self.app.batch_update():
            change = grid.show(snapshot)
            grid.mark_stale(False)
            if again:
                # What show_selected does beside drawing: the deposit methods and the
                # sparkline are asked for again when theirs grow old.
                balance = self.query_one(DetailPane).balance
                self.deposits.want(balance)
                self._load_trend(balance)
            else:
                self.show_selected(fetch=not first)
            self.query_one(StatusBar).set_info(
                state=RefreshState.PAUSED if self.paused else RefreshState.LIVE,
                last_update=received_at,
                error=None,
                retry_at=None,
                waiting=None,
                lasting=False,
                missing_assets=snapshot.missing(self.services.settings.assets),
                hidden_rows=grid.hidden_count,
                hidden_zero=grid.hidden_zero_count,
            )
            if not again:
                self._show_values()
        if first:
            # Not at the next balance refresh, which can be minutes away or never come
            # (a failing server): the pane would say "Loading" with nothing asked.
            self.call_after_refresh(self._want_shown)
        return change

    def _want_shown(self) -> None:
        """Ask for the deposit methods of the asset in the detail pane, if not known."""
        self.deposits.want(self.query_one(DetailPane).balance)

    def show_selected(self, fetch: bool = True) -> None:
        """Show the asset under the cursor in the detail pane, with every deposit network;
        its deposit methods are fetched if nothing fresh is known of them (unless not
        `fetch`: then at the next look, see `_show`)."""
        grid = self.query_one(BalanceGrid)
        asset = grid.selected_asset
        balance = self.snapshot.get(asset) if self.snapshot and asset else None
        # Worked out when the pane needs it: not before its parts are mounted, just after
        # the first frame (the networks' modules are not loaded before it).
        view = partial(self.deposits.view, balance) if balance is not None else None
        detail = self.query_one(DetailPane)
        detail.show_asset(balance, view)
        operations = self.operations.state.value
        pending = operations.pending_of(asset) if operations is not None and asset else ()
        detail.show_pending(pending, self.services.now().tzinfo)
        self._show_rate()
        self.deposits.want(balance, fetch)
        self._load_trend(balance)

    def on_deposit_methods_loaded(self, message: DepositMethodsLoaded) -> None:
        if self.deposits.loaded(message):
            self.show_selected()

    def on_deposit_methods_failed(self, message: DepositMethodsFailed) -> None:
        # The addresses from /v2/balance stay usable; the pane says the limits are unknown.
        if self.deposits.failed(message):
            self.show_selected()

    def on_deposit_address_generated(self, message: DepositAddressGenerated) -> None:
        self.deposits.generated(message)

    def on_deposit_address_failed(self, message: DepositAddressFailed) -> None:
        self.deposits.failed_to_generate(message)

    def on_balance_grid_asset_selected(self, message: BalanceGrid.AssetSelected) -> None:
        # The grid's first highlight is of the asset the pane shows already: the opening
        # answer's, whose methods `_show` asks for once it is drawn.
        shown = self.query_one(DetailPane).balance
        self.show_selected(fetch=shown is None or shown.asset != message.asset)
