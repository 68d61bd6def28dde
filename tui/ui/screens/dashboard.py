"""The dashboard: live balance grid, detail pane, status bar, fed by live feeds.

The feeds (`tui.ui.feeds`) fetch in the background and post typed messages; this
screen routes each message to the widgets that show it, and turns keys into actions.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Header, Input

from tui.api.amounts import exact_difference, format_amount, trim_zeros
from tui.api.client import KunaClient
from tui.api.errors import KeyRejectedError
from tui.api.models import AssetBalance, BalanceSnapshot
from tui.api.operations import OperationFilter, OperationList, PendingSummary
from tui.api.text import seconds_text, shorten_middle
from tui.api.values import RunningValue
from tui.history.errors import HistoryError
from tui.history.series import SPANS
from tui.ui.clipboard import copy_text
from tui.ui.feeds import (
    MAX_RATE_AGE,
    BalancesFailed,
    BalancesFeed,
    BalancesLoaded,
    DepositMethodsFailed,
    DepositMethodsLoaded,
    FeedGroup,
    OperationChanged,
    OperationsFailed,
    OperationsFeed,
    OperationsLoaded,
    RatesFailed,
    RatesFeed,
    RatesLoaded,
    rates_interval,
)
from tui.ui.feeds.operations import OPERATIONS_INTERVAL, RECENT_OPERATIONS, UNSETTLED_STATUSES
from tui.ui.keys import bindings
from tui.ui.operation_notices import notice_for
from tui.ui.refresh import is_lasting
from tui.ui.screens.dashboard_deposits import (
    DashboardDeposits,
    DepositAddressFailed,
    DepositAddressGenerated,
)
from tui.ui.terminal_text import full_glyphs
from tui.ui.toast_place import place_toasts
from tui.ui.widgets.balance_grid import BalanceGrid, GridChange
from tui.ui.widgets.detail_pane import QR_MIN_WIDTH, TAG_INSIDE_NOTE, AssetRate, DetailPane
from tui.ui.widgets.key_bar import KeyBar
from tui.ui.widgets.status_bar import RefreshState, StatusBar
from tui.ui.widgets.trend_view import TrendLoaded

if TYPE_CHECKING:
    from tui.ui.login_form import LoginResult
    from tui.ui.services import AppServices

#: Below this width the detail pane goes under the grid instead of beside it.
WIDE_LAYOUT_MIN_WIDTH = 170
#: At most this many "balance up" notifications per refresh; the rest are counted.
MAX_DEPOSIT_NOTICES = 3
#: Server names longer than this are cut in notifications, which must stay small.
NOTICE_NAME_CHARS = 24
#: The first rates and operations requests wait this long after the first balances are
#: shown, so that the frame with balances never waits for them (nor for the HTTP stack's
#: import in this process: the first balances came from the start-up prefetch's child).
FIRST_RATES_DELAY = 0.5


def _moved(before: BalanceSnapshot, after: BalanceSnapshot, change: GridChange) -> bool:
    """True when some asset's amounts changed, or an asset came or went.

    `change` is what the grid made of `after`: its `changed_assets` already name every
    asset whose amounts moved, so a wallet of 2,000 assets is not gone through again
    (the same answer again is the very same snapshot, and costs nothing here).
    """
    if before is after:
        return False
    return bool(change.changed_assets) or not before.same_assets(after)


def brief(name: str) -> str:
    """A server-given name cut for a notification (the full name is in the detail pane)."""
    return name if len(name) <= NOTICE_NAME_CHARS else name[: NOTICE_NAME_CHARS - 1] + "…"


class DashboardScreen(Screen[None]):
    """Balances of one wallet, kept live by the balances feed; routes its messages to widgets."""

    BINDINGS = bindings("dashboard")  # every key is listed in tui/ui/keys.py

    def __init__(
        self,
        services: AppServices,
        client: KunaClient,
        initial: BalanceSnapshot | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.client = client
        #: The balances on screen (None until the first answer, and after `w`).
        self.snapshot: BalanceSnapshot | None = None
        self._worth = RunningValue()  # the total value, updated by differences
        self._initial = initial
        self._wallet_index = 0
        #: The user was told that the API key is refused (once per run of refusals).
        self._key_rejection_told = False
        #: True once balances were shown: a refused key then keeps them (see `_key_rejected`).
        self._ever_shown = False
        self.balances = BalancesFeed(
            self,
            lambda: services.fetch_balances(self.client, self.wallet_id),
            interval=services.settings.interval,
            clock=services.now,
            scheduler=services.scheduler,
        )
        self.rates = RatesFeed(
            self,
            lambda: self.client.fetch_rates(),
            interval=rates_interval(services.settings.interval),
            clock=services.now,
            scheduler=services.scheduler,
        )
        #: The wallet's recent operations: on a slower interval, and at once when a
        #: balance moves (see `on_balances_loaded`).
        self.operations = OperationsFeed(
            self,
            self._fetch_operations,
            interval=max(OPERATIONS_INTERVAL, services.settings.interval),
            clock=services.now,
            scheduler=services.scheduler,
        )
        #: Every feed of the screen: `p`, `r` and a login act on all of them.
        self.feeds = FeedGroup(self.balances, self.rates, self.operations)  # type: ignore[arg-type]
        #: The quote currency of the values (`v` cycles through those offered).
        self.quote = services.settings.quote
        #: Deposit methods of the asset shown (a feed of their own) and new addresses.
        #: (Not in `feeds`: it polls on no schedule, only when an asset is looked at.)
        self.deposits = DashboardDeposits(self)
        #: Which of SPANS the sparkline shows (`t` cycles), and what was last asked for it.
        self._span_index = 0
        self._trend_key: tuple[object, ...] | None = None
        self._trend_at: datetime | None = None
        #: Operation notifications shown per answer at most; the rest are counted.
        self.max_operation_notices = MAX_DEPOSIT_NOTICES
        self._operation_notices = 0
        # The operations feed starts once balances have come: never at start-up (the
        # first frame must not wait for it), never with credentials just refused.
        self._operations_started = False

    async def _fetch_operations(self) -> OperationList:
        """The newest page of the wallet's operations; when it is full, every operation
        not settled yet besides (asked for by status, one request after another), so
        that the pending summary and the hold explanations never miss an old hold."""
        wallet = self.wallet_id
        page = await self.client.find_operations(
            OperationFilter(wallet_id=wallet), take=RECENT_OPERATIONS
        )
        if len(page) < RECENT_OPERATIONS:
            return OperationList.of(page, wallet)  # the whole history: nothing is missed
        unsettled = []
        for status in UNSETTLED_STATUSES:
            unsettled.extend(
                await self.client.find_operations(
                    OperationFilter(wallet_id=wallet, status=status), take=RECENT_OPERATIONS
                )
            )
        return OperationList.of((*page, *unsettled), wallet)

    @property
    def wallet_id(self) -> str | None:
        """The wallet shown (None: the account's main wallet)."""
        return self.services.wallets[self._wallet_index]

    @property
    def paused(self) -> bool:
        """True while automatic refresh is paused (`r` still refreshes)."""
        return self.feeds.paused

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◈")
        with Container(id="dashboard-body"):
            yield BalanceGrid(id="grid")
            yield DetailPane(id="detail")
        yield Input(placeholder="Filter assets by symbol · Enter apply · Esc clear", id="filter")
        yield StatusBar(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        services = self.services
        self.sub_title = self.client.base_url.split("//", 1)[-1]
        self.query_one(StatusBar).set_info(
            wallet=services.wallet_label(self.wallet_id),
            auth_mode=self.client.auth.mode,
            interval=self.balances.interval,
        )
        self.query_one("#filter", Input).display = False
        if services.settings.hide_amounts:
            self.action_toggle_mask()
        self.query_one(BalanceGrid).focus()
        self.set_interval(1.0, self._tick)
        # QR codes come and go with the selection and the terminal's size: the toasts
        # move out of their way after each layout.
        self.screen_layout_refresh_signal.subscribe(self, self._place_toasts)
        self._apply_layout(self.size.width)
        if self._initial is not None:
            # The login's first answer counts as the first call; shown before the first frame.
            self._show(self._initial, services.now(), first=True)
        self.balances.start(self._initial)
        self.rates.start(delay=FIRST_RATES_DELAY)
        if self._initial is not None:
            self._start_operations(delay=FIRST_RATES_DELAY)

    def _start_operations(self, delay: float = 0.0) -> None:
        """Start the operations feed (the first time, its first call `delay` seconds from
        now) or ask it now (later)."""
        if self._operations_started:
            self.operations.refresh_now()
            return
        self._operations_started = True
        self.operations.start(delay=delay)

    def _place_toasts(self, _screen: object = None) -> None:
        place_toasts(self, len(self.app._notifications))

    def on_resize(self) -> None:
        self._apply_layout(self.size.width)

    def _apply_layout(self, width: int) -> None:
        body = self.query_one("#dashboard-body")
        body.set_class(width >= WIDE_LAYOUT_MIN_WIDTH, "-wide")
        # (No QR codes either where the terminal cannot show their blocks.)
        body.set_class(width < QR_MIN_WIDTH or not full_glyphs(), "-narrow")

    # What the feeds post -------------------------------------------------------------

    def on_balances_loaded(self, message: BalancesLoaded) -> None:
        previous = self.snapshot
        # The first answer is drawn before anything else is asked of the exchange.
        change = self._show(message.snapshot, message.received_at, first=previous is None)
        if previous is not None and previous.wallet_id == message.snapshot.wallet_id:
            self._announce_deposits(previous, message.snapshot, change.changed_assets)
            if _moved(previous, message.snapshot, change) and self._operations_started:
                # A balance moved: an operation explains it. Ask now, not at the next interval.
                self.operations.balance_moved()
        if not self._operations_started:
            self._start_operations(delay=FIRST_RATES_DELAY)

    def on_operations_loaded(self, message: OperationsLoaded) -> None:
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

    def on_operation_changed(self, message: OperationChanged) -> None:
        """Notify a new deposit, a completed deposit, and anything OnHold or Declined."""
        if message.wallet_id != self.wallet_id:
            return
        notice = notice_for(message.change, masked=self.query_one(BalanceGrid).masked)
        if notice is None:
            return
        self._operation_notices += 1
        if self._operation_notices > self.max_operation_notices:
            if self._operation_notices == self.max_operation_notices + 1:
                self.notify("…and more operations changed: o shows them all.", timeout=6)
            return
        self.notify(
            notice.message,
            title=notice.title,
            severity=notice.severity,  # type: ignore[arg-type]
            markup=False,
            # OnHold and Declined stay highlighted in the views; the toast stays longer.
            timeout=12 if notice.severity != "information" else 6,
        )

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
            self.notify(
                f"{brief(balance.asset)} went up (amounts hidden)"
                if masked
                else f"{brief(balance.asset)} +{format_amount(rise, grouping=True)} "
                f"(now {format_amount(balance.available, grouping=True)})",
                title="Available balance up",
                markup=False,
                timeout=6,
            )
        if len(rises) > MAX_DEPOSIT_NOTICES:
            self.notify(f"…and {len(rises) - MAX_DEPOSIT_NOTICES} more assets went up.", timeout=6)

    def show_selected(self, fetch: bool = True) -> None:
        """Show the asset under the cursor in the detail pane, with every deposit network;
        its deposit methods are fetched if nothing fresh is known of them (unless not
        `fetch`: then at the next look, see `_show`)."""
        grid = self.query_one(BalanceGrid)
        asset = grid.selected_asset
        balance = self.snapshot.get(asset) if self.snapshot and asset else None
        view = self.deposits.view(balance) if balance is not None else None
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

    # The selected asset's sparkline, read from the history off the UI's thread -------

    def _load_trend(self, balance: AssetBalance | None, *, force: bool = False) -> None:
        """Ask the history for the selected asset's total over the span shown.

        Asked again when the selection, the span or the asset's balances change, or
        when the last answer is a minute old (the window moves on): not at every refresh.
        """
        recorder = self.services.recorder
        detail = self.query_one(DetailPane)
        if balance is None:
            self._trend_key = None
            return
        if recorder.writer is None:
            detail.trend_unavailable(None)
            return
        now = self.services.now()
        key = (self.wallet_id, balance.asset, self._span_index, id(balance))
        fresh = self._trend_at is not None and (now - self._trend_at).total_seconds() < 60
        if key == self._trend_key and fresh and not force:
            return
        self._trend_key, self._trend_at = key, now
        label, seconds = SPANS[self._span_index]
        self._read_trend(
            self.client.base_url, self.wallet_id, balance.asset, balance.total, label, seconds
        )

    @work(group="trend", exclusive=True, exit_on_error=False)
    async def _read_trend(
        self,
        base_url: str,
        wallet: str | None,
        asset: str,
        total: Decimal,
        label: str,
        seconds: float,
    ) -> None:
        future = self.services.recorder.trend(base_url, wallet, asset, seconds, total)
        try:
            trend = await asyncio.wrap_future(future)
        except HistoryError:
            self.post_message(TrendLoaded(asset, label, None, failed=True))
            return
        self.post_message(TrendLoaded(asset, label, trend))

    def on_trend_loaded(self, message: TrendLoaded) -> None:
        detail = self.query_one(DetailPane)
        if detail.balance is None or detail.balance.asset != message.asset:
            return  # the selection moved on meanwhile
        if message.failed:
            detail.trend_unavailable(self.services.recorder.history_state)
        else:
            detail.show_trend(message.trend, message.span)

    def action_trend_span(self) -> None:
        """Switch the sparkline's span: 24 h, 7 d, 30 d."""
        self._span_index = (self._span_index + 1) % len(SPANS)
        self._load_trend(self.query_one(DetailPane).balance, force=True)

    def on_balance_grid_asset_selected(self, message: BalanceGrid.AssetSelected) -> None:
        # The grid's first highlight is of the asset the pane shows already: the opening
        # answer's, whose methods `_show` asks for once it is drawn.
        shown = self.query_one(DetailPane).balance
        self.show_selected(fetch=shown is None or shown.asset != message.asset)

    def _tick(self) -> None:
        now = self.services.now()
        status = self.query_one(StatusBar)
        status.set_now(now)
        overdue = self.balances.state.overdue(now, self.balances.interval)
        waiting = None if overdue is None else float(int(overdue))
        if waiting != status.info.waiting:
            status.set_info(waiting=waiting)
        state = self.rates.state
        if state.value is not None and (
            state.is_stale(now, MAX_RATE_AGE) != self.query_one(BalanceGrid).rates_stale
        ):
            self._show_values()  # the rates just grew too old: mark them
        elif self.query_one(DetailPane).rate is not None:
            self._show_rate()  # the rate's age

    # Credentials that stopped working ---------------------------------------------

    def action_log_in(self) -> None:
        """Open the login screen over the dashboard: another API key, or the password.

        Cancelling it leaves everything as it was."""
        error = self.balances.state.error
        self._ask_to_log_in_again(error.message if error is not None else None)

    def _ask_to_log_in_again(self, reason: str | None) -> None:
        from tui.ui.screens.login import LoginScreen

        self.feeds.hold()
        form = self.services.login_form(self.client)
        self.app.push_screen(
            LoginScreen(form, reason=reason, cancellable=True), callback=self._logged_in_again
        )

    async def _logged_in_again(self, result: LoginResult | None) -> None:
        self.feeds.release()
        if result is None:
            for feed in self.feeds:
                if feed.state.error is None:
                    feed.refresh_now()  # ctrl+l on live data, then Esc: carry on
                else:
                    # Back to the stale data; try again at the backoff's pace.
                    # (The status's state is the balances'; the rates' and the operations'
                    # staleness show in the total and in the pending summary.)
                    if feed is self.balances:
                        self.query_one(StatusBar).set_info(state=RefreshState.ERROR)
                    feed.retry_later(feed.state.error)
            return
        old, self.client = self.client, result.client
        self.services.use_client(result.client)
        await old.aclose()
        self.query_one(StatusBar).set_info(auth_mode=self.client.auth.mode)
        if result.snapshot is not None:
            self._show(result.snapshot, self.services.now(), first=True)
        self.balances.start(result.snapshot)
        self.rates.refresh_now()
        if result.snapshot is not None:
            self._start_operations()

    # Actions ----------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Refresh now, also while paused."""
        # (Not the deposit methods: they change rarely, and a failure's retry comes by
        # itself within a minute at the next look at the asset.)
        self.feeds.refresh_now()

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
        self.query_one(BalanceGrid).forget_changes()
        label = self.services.wallet_label(self.wallet_id)
        self.query_one(StatusBar).set_info(wallet=label, last_update=None, operations="")
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
            refresh=self.operations.refresh_now,
            paused=lambda: self.feeds.paused,
            masked=self.query_one(BalanceGrid).masked,
        )
        self.app.push_screen(screen)
        if state.error is not None:
            screen.call_after_refresh(screen.show_failure, state.error.message)

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

    def action_filter(self) -> None:
        """Open the filter box."""
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        """Clear the filter and go back to the grid."""
        field = self.query_one("#filter", Input)
        if not field.display and not field.value:
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
        field = self.query_one("#filter", Input)
        field.display = bool(event.value)
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
            self.notify(
                f"{brief(detail.balance.asset)} has no deposit address.", markup=False, timeout=3
            )

    def action_generate_address(self) -> None:
        """Generate the selected network's deposit address, after a confirmation."""
        self.deposits.ask_to_generate()

    def action_copy_address(self) -> None:
        """Copy the selected network's deposit address."""
        self._copy(memo=False)

    def action_copy_memo(self) -> None:
        """Copy the selected network's memo/tag."""
        self._copy(memo=True)

    def _copy(self, *, memo: bool) -> None:
        detail = self.query_one(DetailPane)
        balance = detail.balance
        if balance is None:
            self.notify("No asset selected: nothing copied.", severity="warning", timeout=3)
            return
        entry = detail.selected_entry
        address = entry.address if entry is not None else None
        if address is None:
            self.notify(
                f"{brief(balance.asset)} on {brief(entry.source)} has no address yet: "
                "press g to generate one. Nothing copied."
                if entry is not None
                else f"{brief(balance.asset)} has no deposit address: nothing copied.",
                severity="warning",
                markup=False,
                timeout=4,
            )
            return
        if memo and address.memo is None:
            self.notify(
                f"{brief(balance.asset)} on {brief(address.network)} has no memo/tag: nothing copied.",
                severity="warning",
                markup=False,
                timeout=4,
            )
            return
        value = address.memo if memo and address.memo is not None else address.address
        what = "Memo/Tag" if memo else "Address"
        label = f"{brief(balance.asset)} on {brief(address.network)}"
        note = ""
        if address.memo is not None and not memo:
            # The address alone is not enough: a deposit without the memo can be lost.
            note += "\nEnter the memo/tag too (m copies it)."
        if address.memo_in_address:
            note += f"\n{TAG_INSIDE_NOTE[0].upper()}{TAG_INSIDE_NOTE[1:]}."
        # The minimum is repeated: a deposit below it may never be credited.
        minimum = self.deposits.minimum_line(balance.asset, address.network)
        self.run_worker(self._copy_and_tell(value, what, label, note, minimum), group="copy")

    async def _copy_and_tell(
        self, value: str, what: str, label: str, note: str = "", minimum: str = ""
    ) -> None:
        """Copy by every path, then say which confirmed it and which only sent it.

        `note` is added to the notification (a memo to enter too); it makes it a warning.
        `minimum` ("\nMinimum deposit ...") ends it."""
        result = await copy_text(self.app, value, system_clipboard=self.services.system_clipboard)
        self.notify(
            f"{label}: {shorten_middle(result.text)}\n{result.how()}{note}{minimum}",
            title=f"{what} {result.verb()}",
            severity="information" if result.confirmed and not note else "warning",
            markup=False,
            timeout=8 if note else 6,
        )
