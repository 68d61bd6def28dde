"""The dashboard screen: live balance grid, detail pane, status bar, fed by live feeds.

This module makes the screen: its feeds, its widgets, its layout, the clock tick and
a login when credentials stop working. Its other jobs are parts of their own (see
dashboard_base.py): feed routing, notifications, `r`, key actions, copying and
export, the sparkline.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Static

from tui.api.client import KunaClient
from tui.api.models import BalanceSnapshot
from tui.api.text import clean_text
from tui.api.values import RunningValue
from tui.ui.feeds import (
    MAX_RATE_AGE,
    BalancesFeed,
    FeedGroup,
    OperationsFeed,
    RatesFeed,
    rates_interval,
)
from tui.ui.feeds.operations import OPERATIONS_INTERVAL, fetch_recent_operations
from tui.ui.keys import bindings
from tui.ui.screens.dashboard_actions import DashboardActions
from tui.ui.screens.dashboard_base import FIRST_RATES_DELAY
from tui.ui.screens.dashboard_deposits import DashboardDeposits
from tui.ui.screens.dashboard_feeds import DashboardFeedRouting
from tui.ui.screens.dashboard_notices import (
    MAX_DEPOSIT_NOTICES,
    NOTICE_NAME_CHARS,
    DashboardNotices,
    brief,
)
from tui.ui.screens.dashboard_output import DashboardOutput
from tui.ui.screens.dashboard_refresh import DashboardRefresh
from tui.ui.screens.dashboard_trend import DashboardTrend
from tui.ui.terminal_text import full_glyphs
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import QR_MIN_WIDTH, DetailPane
from tui.ui.widgets.key_bar import KeyBar
from tui.ui.widgets.status_bar import RefreshState, StatusBar
from tui.ui.widgets.title_bar import TitleBar
from tui.ui.widgets.trend_view import TrendView

if TYPE_CHECKING:
    from tui.api.operations import OperationList
    from tui.ui.login_form import LoginResult
    from tui.ui.services import AppServices

__all__ = [
    "FIRST_RATES_DELAY",
    "MAX_DEPOSIT_NOTICES",
    "NOTICE_NAME_CHARS",
    "DashboardScreen",
    "brief",
]

#: The dashboard's styles (tui/ui/dashboard.tcss).
DASHBOARD_CSS = (Path(__file__).parent.parent / "dashboard.tcss").read_text(encoding="utf-8")


class DashboardBody(Container):
    """The grid and the detail pane: stacked, or side by side (class `-wide`)."""

    # The dashboard's styles ride on this widget, unscoped: Textual parses the app's
    # stylesheet (and the CSS of a screen pushed at start) three times before the first
    # frame, a widget's default CSS once, when the widget is first mounted.
    SCOPED_CSS = False
    DEFAULT_CSS = DASHBOARD_CSS

#: Below this width the detail pane goes under the grid instead of beside it.
WIDE_LAYOUT_MIN_WIDTH = 170


class DashboardScreen(
    DashboardFeedRouting,
    DashboardNotices,
    DashboardRefresh,
    DashboardActions,
    DashboardOutput,
    DashboardTrend,
):
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
        #: False until the screen is first shown (`on_screen_resume`).
        self._resumed = False
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
        self._followers_started = False
        #: What `r` asked and is not answered yet (see DashboardRefresh).
        self._refreshing: dict[str, str] = {}
        self._refreshing_methods: tuple[str | None, str] | None = None

    async def _fetch_operations(self) -> OperationList:
        """The wallet's recent operations (`fetch_recent_operations`); the feed's last
        answer tells which unsettled ones to look up once they leave the pending lists."""
        return await fetch_recent_operations(
            self.client, self.wallet_id, self.operations.state.value
        )

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with DashboardBody(id="dashboard-body"):
            yield BalanceGrid(id="grid")
            yield DetailPane(id="detail")
        # The filter box (`/`) is mounted here when first opened (`action_filter`).
        yield StatusBar(id="status")
        yield KeyBar()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Handlers run from the subclass up: Screen's own, which restyles every widget
        # when asked, comes after this one. The first time, the widgets were styled as
        # they mounted, a moment ago: styling them all again cost about 8 ms before the
        # first frame (README, Performance). Later (back from help, the login, another
        # screen) the theme may have changed meanwhile: restyled as Textual does.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        services = self.services
        self.sub_title = self.client.base_url.split("//", 1)[-1]
        self.query_one(StatusBar).set_info(
            wallet=services.wallet_label(self.wallet_id),
            auth_mode=self.client.auth.mode,
            interval=self.balances.interval,
        )
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
        if self._initial is not None:
            self._start_followers(delay=FIRST_RATES_DELAY)

    def _start_followers(self, delay: float = 0.0) -> None:
        """Start the feeds that follow the balances' first answer, the rates and the
        operations (the first time: their first calls `delay` seconds from now), or ask
        the operations now (later). Never before that answer: a key the exchange refuses
        must not be sent again by every feed (the first answer may be the prefetch
        child's, told after the dashboard is up)."""
        if self._followers_started:
            self.operations.refresh_now()
            return
        self._followers_started = True
        self.rates.start(delay=delay)
        self.operations.start(delay=delay)

    def _place_toasts(self, _screen: object = None) -> None:
        count = len(self.app._notifications)
        if not count:
            # No toast to place (the rack is hidden): the next notification places its
            # own (`WalletApp.notify`), so the placing module stays off the start-up path.
            return
        from tui.ui.toast_place import place_toasts

        place_toasts(self, count)

    def on_resize(self) -> None:
        self._apply_layout(self.size.width)

    def _apply_layout(self, width: int) -> None:
        body = self.query_one("#dashboard-body")
        body.set_class(width >= WIDE_LAYOUT_MIN_WIDTH, "-wide")
        # (No QR codes either where the terminal cannot show their blocks.)
        body.set_class(width < QR_MIN_WIDTH or not full_glyphs(), "-narrow")

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

    def whole_texts(self) -> list[tuple[str, Text]]:
        """What this screen may cut, whole, for the messages view (`l`): the status line,
        the selected asset's symbol and trend line, and its networks' names (a card's
        border cuts a long one)."""
        texts = [("Status line", self.query_one(StatusBar).render_status())]
        pane = self.query_one(DetailPane)
        if pane.balance is None or not pane.built:
            return texts
        texts.append(("Asset", Text(clean_text(pane.balance.asset), style="bold")))
        # (The pane's parts are mounted after the first frame: there may be none yet.)
        for trend in pane.query(TrendView):
            for change in trend.query("#trend-change").results(Static):
                if trend.display and isinstance(change.content, Text):
                    texts.append(("Trend", change.content))
        if pane.entries:
            selected = pane.selected_entry
            names = Text()
            for entry in pane.entries:
                mark = "▸ " if entry is selected else "  "
                names.append(f"\n{mark}" if names else mark)
                names.append(clean_text(entry.source), style="bold" if entry is selected else "")
            texts.append(("Networks", names))
        return texts

    # Credentials that stopped working ---------------------------------------------

    def action_log_in(self) -> None:
        """Open the login screen over the dashboard: another API key, or the password.

        Cancelling it leaves everything as it was."""
        error = self.balances.state.error
        self._ask_to_log_in_again(error.message if error is not None else None)

    def _ask_to_log_in_again(self, reason: str | None) -> None:
        from tui.ui.screens.login import LoginScreen

        self.feeds.hold()
        # The dashboard's toasts ("copied", an alert, "ctrl+l opens the login screen")
        # are about the dashboard: they would cover the form. All stay in the messages
        # view (`l`).
        self.app.clear_notifications()
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
        if self._followers_started:
            self.rates.refresh_now()  # with the new credentials
        if result.snapshot is not None:
            self._start_followers()
