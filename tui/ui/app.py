"""The Textual application: login first (unless an API key is set), then the dashboard."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import SystemCommand
from textual.dom import DOMNode
from textual.driver import Driver
from textual.filter import LineFilter
from textual.screen import Screen

from tui.api.auth import ApiKeyAuth, Auth, PasswordAuth
from tui.api.client import KunaClient
from tui.api.models import BalanceSnapshot
from tui.config.settings import Secrets, Settings
from tui.startup.connect import auth_from, make_client
from tui.ui.feeds import (
    BalancesFailed,
    BalancesLoaded,
    FeedFailed,
    FeedLoaded,
    OperationChanged,
    RatesLoaded,
)
from tui.ui.key_order import OrderedKeys
from tui.ui.keys import KeyAction, Scope, bindings, palette_entries
from tui.ui.legibility import Legible, no_color_filters
from tui.ui.recorder import Recorder, make_recorder
from tui.ui.refresh import Scheduler
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.widgets.balance_grid import BalanceGrid

if TYPE_CHECKING:
    import httpx

    from tui.config.keystore import KeyStore
    from tui.startup.prefetch import Prefetch
    from tui.ui.css_cache import CssRuleCache
    from tui.ui.login_form import LoginForm, LoginResult
    from tui.ui.message_log import MessageLog
    from tui.ui.screens.dashboard_deposits import DepositAddressFailed
    from tui.ui.screens.operation_detail import OperationDetailsFailed


#: Seconds after the app's first frame when the history's writer opens the database (see
#: `Recorder.open_history`); the answers recorded before are queued, not lost.
HISTORY_OPEN_DELAY = 0.5
#: Seconds after the first frame when the parsed stylesheets are kept for the next start
#: (`tui.ui.css_cache`): the detail pane's parts have been styled by then.
CSS_KEEP_DELAY = 5.0


def local_now() -> datetime:
    """The current local time, timezone-aware."""
    return datetime.now().astimezone()


class WalletApp(OrderedKeys[None]):
    """wallet-tui: live balances of a Kuna Core wallet, with deposit addresses to copy."""

    TITLE = "wallet-tui"
    # Absolute, so that subclasses defined elsewhere (the tests') find it too.
    CSS_PATH = Path(__file__).with_name("wallet.tcss")
    # ctrl+c and ctrl+q quit from every screen (priority: before a field or a modal).
    BINDINGS = bindings("app")  # every key is listed in tui/ui/keys.py

    def __init__(
        self,
        settings: Settings,
        secrets: Secrets,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = local_now,
        system_clipboard: bool = True,
        scheduler: Scheduler | None = None,
        key_store: KeyStore | None = None,
        prefetch: Prefetch | None = None,
        after_first_frame: Callable[[], None] | None = None,
        notice: str | None = None,
        driver_class: type[Driver] | None = None,
        css_cache: CssRuleCache | None = None,
    ) -> None:
        super().__init__(driver_class=driver_class)
        #: The stylesheets parsed by an earlier run (None: Textual parses them all).
        self._css_cache = css_cache
        if css_cache is not None:
            css_cache.fill(self.stylesheet)  # before anything is styled
        self.settings = settings
        self._secrets = secrets
        self._transport = transport
        self._clock = clock
        #: Also copy with pyperclip (tests switch it off to leave the desktop alone).
        self.system_clipboard = system_clipboard
        self.client: KunaClient | None = None
        self._key_store = key_store
        #: What times the refreshes; None: Textual timers (tests pass a manual clock).
        self.scheduler = scheduler
        #: The first answer, already being fetched by a child process (`tui.startup.prefetch`).
        self._prefetch = prefetch
        self._after_first_frame = after_first_frame
        #: Said once at start (which of --demo and --base-url wins).
        self._notice = notice
        #: Balance history on disk and the alerts: fed by the feeds' messages (below).
        self.recorder: Recorder = make_recorder(
            settings, notify=self._alert_notice, bell=self.bell, clock=clock
        )
        # NO_COLOR: the terminal's own colours, not the theme in greys (tui/ui/legibility.py).
        if self.no_color:
            no_color_filters(self._filters)
            self.add_class("-no-color")
        self._legible: Legible | None = None
        self._messages: MessageLog | None = None

    @property
    def messages(self) -> MessageLog:
        """The recent errors and notifications, whole, for the messages view (`l`).

        Made at the first failure or notification (or the view's first opening): the
        first frame logs nothing, so its module stays off the start-up path."""
        if self._messages is None:
            from tui.ui.message_log import MessageLog

            self._messages = MessageLog()
        return self._messages

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then `Legible`: every character readable on its background
        in every theme (the terminal palette it assumes follows the theme's darkness)."""
        palette = self.ansi_theme
        if self._legible is None or self._legible.palette is not palette:
            self._legible = Legible(palette)
        return [*super().get_line_filters(), self._legible]

    # Services the screens use (`tui.ui.services.AppServices`; given when they are made) --

    def now(self) -> datetime:
        """The time as the app sees it (frozen in snapshot tests)."""
        return self._clock()

    def make_client(self, base_url: str, auth: Auth) -> KunaClient:
        """A client for `base_url` with the configured timeouts (and test transport)."""
        return make_client(
            replace(self.settings, base_url=base_url), auth, transport=self._transport
        )

    @property
    def wallets(self) -> tuple[str | None, ...]:
        """The wallets `w` cycles through; None is the account's main wallet."""
        return self.settings.wallet_ids or (None,)

    async def fetch_balances(
        self, client: KunaClient, wallet_id: str | None = None
    ) -> BalanceSnapshot:
        """One `/v2/balance` call for a wallet (the first configured one by default)."""
        wallet = wallet_id if wallet_id is not None else self.wallets[0]
        assets = self.settings.assets or None
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None:
            if prefetch.answers(wallet, assets):
                snapshot = await prefetch.result()
                if snapshot is not None:
                    return snapshot
            else:
                prefetch.cancel()
        return await client.fetch_balances(wallet, assets)

    def _prefetched(self) -> BalanceSnapshot | None:
        """The prefetched first answer if it has arrived already (it is then used up)."""
        prefetch = self._prefetch
        if prefetch is None or not prefetch.answers(self.wallets[0], self.settings.assets or None):
            return None
        snapshot = prefetch.poll()
        if snapshot is not None:
            self._prefetch = None
        # Else the dashboard's first refresh waits for the child, or gets its error.
        return snapshot

    def use_client(self, client: KunaClient) -> None:
        """A new login replaced the client: this one is closed when the app ends."""
        self.client = client

    def wallet_label(self, wallet_id: str | None = None) -> str:
        """How the status bar names a wallet: its configured name, else a short id."""
        wallet = wallet_id if wallet_id is not None else self.wallets[0]
        if wallet is None:
            return "main wallet"
        if wallet in self.settings.wallet_names:
            return self.settings.wallet_names[wallet]
        return f"wallet {wallet[:8]}…" if len(wallet) > 12 else f"wallet {wallet}"

    @property
    def key_store(self) -> KeyStore:
        """The system keyring, for the login screen's "remember this API key" (made at
        first use: a key from the environment needs none before the first frame)."""
        if self._key_store is None:
            from tui.config.keystore import KeyStore

            self._key_store = KeyStore()
        return self._key_store

    def login_form(self, client: KunaClient | None = None) -> LoginForm:
        """The login form prefilled from settings, the environment, or the current client."""
        from tui.ui.login_form import LoginForm

        settings, secrets = self.settings, self._secrets
        auth = client.auth if client else None
        return LoginForm(
            base_url=client.base_url if client else settings.base_url or "",
            merchant_id=auth.merchant_id
            if isinstance(auth, PasswordAuth)
            else settings.merchant_id or "",
            email=auth.email if isinstance(auth, PasswordAuth) else settings.email or "",
            # After a rejection the old password is not offered again.
            password=None if client else secrets.password,
            api_key=None if client else secrets.api_key,
            use_api_key=isinstance(auth, ApiKeyAuth),
            remember_key=client is not None and self.key_store.remembers(client.base_url),
        )

    # Flow ---------------------------------------------------------------------------

    def on_load(self) -> None:
        # Before the first screen is made: the dashboard may be that screen.
        self.recorder.start()
        self._restore_theme()

    def get_default_screen(self) -> Screen:
        """The dashboard itself when the environment gave an API key, else a blank screen
        that the login opens over (`on_mount`).

        Textual draws the default screen's first frame as soon as the app is ready. A
        dashboard pushed from `on_mount` instead was composed, laid out and drawn while
        Textual still held its frames back, then drawn again: about 20 ms more before the
        balances showed (README, Performance)."""
        auth = auth_from(self.settings, self._secrets)
        if not (isinstance(auth, ApiKeyAuth) and self.settings.base_url):
            return super().get_default_screen()
        # A key in the environment: straight to the dashboard; it says if the key is refused.
        client = self.make_client(self.settings.base_url, auth)
        return self._dashboard(client, self._prefetched())

    def on_mount(self) -> None:
        if self._after_first_frame is not None:
            self.call_after_refresh(self._after_first_frame)
        # SQLite's import and the database's opening run on the writer's thread, yet hold
        # the interpreter a while: after the first frame with balances, not before it.
        # Counted from that frame, not from now: on a loaded machine the frame may come
        # later than the delay (a timer started here then opened it first).
        self.call_after_refresh(
            self.set_timer, HISTORY_OPEN_DELAY, self.recorder.open_history, name="open history"
        )
        if self._css_cache is not None:
            self.call_after_refresh(
                self.set_timer, CSS_KEEP_DELAY, self._keep_css, name="keep parsed CSS"
            )
        if self.recorder.watches_connection:
            self.set_interval(1.0, self._check_connection, name="offline alerts")
        if self._notice:
            self.notify(self._notice, markup=False, timeout=10)
        if not isinstance(self.screen, DashboardScreen):
            # A key remembered in the keyring for this exchange logs in by itself (never
            # for --demo, whose sandbox is not the user's exchange).
            from tui.ui.screens.login import LoginScreen

            screen = LoginScreen(self.login_form(), use_remembered_key=not self.settings.demo)
            self.push_screen(screen, callback=self._open_dashboard)

    def _open_dashboard(self, result: LoginResult | None) -> None:
        if result is None:
            self.exit()
            return
        self.push_screen(self._dashboard(result.client, result.snapshot))

    def _dashboard(self, client: KunaClient, snapshot: BalanceSnapshot | None) -> DashboardScreen:
        """The dashboard for a login's client, showing its first answer if it has one."""
        self.client = client
        if snapshot is not None:
            # The login's answer is shown without a feed message: record it here.
            self.recorder.balances(client.base_url, snapshot, self.now(), masked=self._masked())
        return DashboardScreen(self, client, snapshot)

    def _restore_theme(self) -> None:
        """Use the theme chosen last time (command palette), and remember new choices."""
        from tui.ui.ui_state import load_state

        theme = load_state().get("theme")
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _remember_theme(self, theme: object) -> None:
        from tui.ui.ui_state import remember

        remember("theme", self.theme)

    # History and alerts: every feed message reaches the app after its screen -------------

    def on_balances_loaded(self, message: BalancesLoaded) -> None:
        if self.client is not None:
            self.recorder.balances(
                self.client.base_url, message.snapshot, message.received_at, masked=self._masked()
            )

    def on_operation_changed(self, message: OperationChanged) -> None:
        operation = message.change.after
        if self.client is None or operation.status is None:
            return
        asset = operation.target_asset or operation.source_asset
        amount = operation.target_amount if operation.target_asset else operation.source_amount
        self.recorder.operation(
            self.client.base_url,
            operation.id,
            operation.status,
            message.at,
            wallet=message.wallet_id,
            asset=asset,
            kind=operation.type,
            amount=amount,
        )

    def on_rates_loaded(self, message: RatesLoaded) -> None:
        self.recorder.rates(message.rates, message.received_at)

    def on_balances_failed(self, message: BalancesFailed) -> None:
        if self.client is not None:
            self.recorder.connection(self.client.base_url, message.failed_at)

    @on(FeedFailed)
    def _log_failure(self, message: FeedFailed) -> None:
        # Every feed's failure, in the server's words, for the messages view (`l`).
        self.messages.failed(_feed_label(message), message.error.message, message.failed_at)

    def on_deposit_address_failed(self, message: DepositAddressFailed) -> None:
        # Not a feed, yet a failure in the server's words: in the messages view's errors.
        _, asset, source = message.key
        self.messages.failed(f"{asset} address on {source}", message.error.message, self.now())

    def on_operation_details_failed(self, message: OperationDetailsFailed) -> None:
        # (Found by its name: the one-operation screen's module is not imported at start.)
        self.messages.failed("operation details", message.error.message, self.now())

    @on(FeedLoaded)
    def _log_answer(self, message: FeedLoaded[object]) -> None:
        # An answer is logged only after a failure: with no log yet, nothing has failed.
        if self._messages is not None:
            self._messages.answered(_feed_label(message), message.received_at)

    def _check_connection(self) -> None:
        if self.client is not None:
            self.recorder.connection(self.client.base_url, self.now())

    def _masked(self) -> bool:
        """Whether the amounts are hidden (screen sharing): alert texts then leave them out."""
        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen):
                return screen.query_one(BalanceGrid).masked
        return self.settings.hide_amounts

    def _alert_notice(self, title: str, message: str, severity: str) -> None:
        self.notify(message, title=title, severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]

    def _keep_css(self) -> None:
        if self._css_cache is not None:
            self._css_cache.save(self.stylesheet)

    async def on_unmount(self) -> None:
        self._keep_css()  # what was styled since the first save (a login, a modal)
        self.recorder.close()
        if self._prefetch is not None:
            self._prefetch.cancel()
        if self.client is not None:
            await self.client.aclose()

    def action_help(self) -> None:
        """Show every key and what it does."""
        from tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_messages(self) -> None:
        """Open the messages view: every text a bar or a toast cut, whole; again: close it."""
        from tui.ui.screens.messages import MessagesScreen  # (off the start-up path)

        if isinstance(self.screen, MessagesScreen):
            self.screen.dismiss(None)
            return
        whole_texts = getattr(self.screen, "whole_texts", None)
        self.push_screen(
            MessagesScreen(
                self.messages,
                whole_texts() if callable(whole_texts) else [],
                at=self.now(),
                masked=self._masked(),
            )
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette: every action of the screen with its key, then Textual's own."""
        scopes: list[tuple[Scope, DOMNode]] = []
        if isinstance(screen, DashboardScreen):
            scopes.append(("dashboard", screen))
        from tui.ui.screens.operations import OperationsScreen

        if isinstance(screen, OperationsScreen):
            scopes.append(("operations", screen))
        scopes.append(("app", self))
        ours: set[str] = set()
        for scope, node in scopes:
            for entry in palette_entries(scope):
                ours.add(entry.title)
                yield SystemCommand(
                    entry.title, f"{entry.help} ({entry.shown})", partial(_run, node, entry)
                )
        if self.client is not None and self.key_store.remembers(self.client.base_url):
            yield SystemCommand(
                "Forget the remembered API key",
                "Remove this exchange's API key from the system keyring",
                self.action_forget_key,
            )
        # Textual's own (theme, screenshot, keys...), less those ours replace ("Quit").
        for command in super().get_system_commands(screen):
            if command.title not in ours:
                yield command

    def notify(  # type: ignore[override]
        self,
        message: str,
        *,
        whole: str | None = None,
        whole_title: str | None = None,
        amounts: bool = False,
        **kwargs: Any,
    ) -> None:
        """Show a notification, in a corner where it covers no QR code, and log it for
        the messages view (`l`): `whole` and `whole_title` are its text and title with
        nothing cut (where the toast cut a server name short), `amounts` says the text
        holds amounts (left out there while amounts are hidden, `h`)."""
        self.messages.notified(
            message if whole is None else whole,
            self.now(),
            title=kwargs.get("title", "") if whole_title is None else whole_title,
            severity=kwargs.get("severity", "information"),
            amounts=amounts,
        )
        if self.screen_stack:
            from tui.ui.toast_place import place_toasts  # (the first toast: not at start-up)

            place_toasts(self.screen, len(self._notifications) + 1)
        # Else no screen yet: an alert on the prefetched first answer, raised while the
        # dashboard is made (`get_default_screen`); Textual shows it on the dashboard,
        # which places its toasts after its layouts.
        super().notify(message, **kwargs)

    def action_forget_key(self) -> None:
        """Remove the API key remembered for this exchange from the system keyring."""
        if self.client is not None:
            self._forget_key(self.client.base_url)

    @work(group="keyring", exit_on_error=False)
    async def _forget_key(self, base_url: str) -> None:
        from tui.config.keystore import KeyStoreError

        # The keyring may block (D-Bus, an unlock prompt): never on the UI thread.
        try:
            removed = await asyncio.to_thread(self.key_store.forget, base_url)
        except KeyStoreError as error:
            self.notify(f"API key not removed: {error}", severity="warning", markup=False)
            return
        self.notify(
            "The API key is no longer remembered: the next start asks for a login."
            if removed
            else "No API key was remembered for this exchange.",
            timeout=5,
        )


def _feed_label(message: FeedLoaded[object] | FeedFailed) -> str:
    """Which feed a message is from, as the messages view names it ("balances", "BTC
    deposit methods": the asset asked about, for the feed that asks about one)."""
    label = message.feed.name.replace("-", " ")
    # (Asked of the message, not found by its class: the deposit methods feed's module
    # is not loaded at start, and this names the first balances' answer too.)
    about = message.about
    return label if about is None else f"{about} {label}"


async def _run(node: DOMNode, entry: KeyAction) -> None:
    """Run a palette entry's action on the node its key is bound to."""
    assert entry.action is not None
    await node.run_action(entry.action)
