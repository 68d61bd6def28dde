"""The login screen: email + password (+ merchant ID) for a JWT, or an API key.

Secrets are read from the masked fields straight into `Secret`s: no frame of this
screen holds a plain password or key as a local (Textual prints locals on a crash).
An API key may be remembered in the system keyring; see `tui.config.keystore`.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import Worker, WorkerState

from tui.api.auth import ApiKeyAuth, Auth, PasswordAuth, Secret
from tui.api.errors import KunaError
from tui.config.keystore import KeyringStatus, KeyStore, KeyStoreError
from tui.config.settings import ConfigError, check_base_url
from tui.ui.login_form import LoginForm, LoginResult
from tui.ui.messages import LoginFailed, LoginSucceeded
from tui.ui.widgets.key_bar import KeyBar

PASSWORD_TAB = "password-tab"
API_KEY_TAB = "api-key-tab"


class LoginModes(TabbedContent):
    """The password and API-key tabs, following the focus only while it is really there.

    TabbedContent shows the tab of a newly focused field. The message that says so can
    arrive late, when the focus has moved on (a tab switched by code just after start-up,
    a remembered key tried at once): acted on then, it would switch the tab back.
    """

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        # Textual calls this class's handler, then TabbedContent's: a stale message is
        # stopped before the latter acts on it.
        focused = self.screen.focused
        if focused is None or event.tab_pane not in focused.ancestors:
            event.prevent_default()
            event.stop()


class KeyringChecked(Message):
    """The keyring was probed: whether it can remember keys, and the key it holds if any."""

    def __init__(
        self, status: KeyringStatus, remembered: Secret | None = None, base_url: str = ""
    ) -> None:
        super().__init__()
        self.status = status
        self.remembered = remembered
        self.base_url = base_url


class LoginScreen(Screen[LoginResult | None]):
    """Asks for credentials, checks them against the server, and dismisses with a client.

    Shown first, and again over the dashboard when the credentials stop working (the
    dashboard stays behind it, so nothing is lost). With `use_remembered_key`, an API
    key remembered in the keyring for the form's base URL logs in by itself.
    """

    DEFAULT_CSS = """
    LoginScreen {
        align: center middle;
    }
    #login-box {
        width: 72;
        /* In a narrower terminal the box narrows (and its error line wraps) rather than
           being cut at the terminal's edge. */
        max-width: 100%;
        height: auto;
        border: round $primary;
        padding: 1 2;
    }
    #login-title {
        text-align: center;
        color: $accent;
    }
    #login-subtitle {
        text-align: center;
        margin-bottom: 1;
    }
    #login-box Label {
        margin-top: 1;
        color: $text-muted;
    }
    #login-box TabbedContent {
        height: auto;
        margin-top: 1;
    }
    #login-box TabPane {
        padding: 0;
    }
    #login-status {
        height: auto;
        min-height: 1;
        margin: 1 0;
    }
    #login-button {
        width: 100%;
    }
    #remember-key { margin-top: 1; border: none; padding: 0; background: transparent; }
    #remember-note { color: $text-muted; height: auto; }
    """

    # The focus is placed by `_focus_first_empty`, at once: Textual's own (the first
    # field, Base URL) would take the first keys typed before it moved on.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("escape", "cancel", "Back", show=False),
        Binding("ctrl+t", "switch_mode", "Password / API key"),
    ]

    def __init__(
        self,
        form: LoginForm,
        *,
        reason: str | None = None,
        cancellable: bool = False,
        use_remembered_key: bool = False,
    ) -> None:
        super().__init__()
        self.form = form
        self.reason = reason
        self.cancellable = cancellable
        self.use_remembered_key = use_remembered_key
        self.keyring_status: KeyringStatus | None = None
        # The mode of an automatic login with a remembered key, until it is over.
        self._auto_mode: str | None = None
        # A tab switch is under way: its field is focused when the new tab is shown.
        self._switching = False

    def compose(self) -> ComposeResult:
        form = self.form
        with Center(), Vertical(id="login-box"):
            yield Static(Text("wallet-tui", style="bold"), id="login-title")
            yield Static(
                Text("Sign in to your Kuna Core exchange", style="dim"), id="login-subtitle"
            )
            yield Label("Base URL")
            yield Input(form.base_url, placeholder="https://api.exchange.example", id="base-url")
            with LoginModes(
                initial=API_KEY_TAB if form.use_api_key else PASSWORD_TAB, id="login-mode"
            ):
                with TabPane("Email & password", id=PASSWORD_TAB):
                    yield Label("Merchant ID")
                    yield Input(form.merchant_id, placeholder="merchant id", id="merchant-id")
                    yield Label("Email")
                    yield Input(form.email, placeholder="you@example.com", id="email")
                    yield Label("Password")
                    yield Input(
                        form.password.reveal() if form.password else "",
                        password=True,
                        placeholder="password",
                        id="password",
                    )
                with TabPane("API key", id=API_KEY_TAB):
                    yield Label("API key")
                    yield Input(
                        form.api_key.reveal() if form.api_key else "",
                        password=True,
                        placeholder="api key",
                        id="api-key",
                    )
                    yield Checkbox(
                        "Remember this key in the system keyring",
                        value=form.remember_key,
                        disabled=True,  # until the keyring has answered
                        id="remember-key",
                    )
                    yield Static(
                        Text("Looking for a system keyring…", style="dim"), id="remember-note"
                    )
            yield Static(id="login-status")
            yield Button("Log in", variant="primary", id="login-button")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.reason:
            self._show_error(self.reason)
        self._focus_first_empty()
        self._check_keyring()

    @property
    def key_store(self) -> KeyStore | None:
        """The app's keyring access (None: keys are never remembered)."""
        return getattr(self.app, "key_store", None)

    @property
    def insecure(self) -> bool:
        """Whether the user allowed plain http:// to other computers (--insecure)."""
        settings = getattr(self.app, "settings", None)
        return bool(getattr(settings, "insecure", False))

    # Keyring ------------------------------------------------------------------------

    @work(group="keyring", exit_on_error=False)
    async def _check_keyring(self) -> None:
        store = self.key_store
        if store is None:
            self.post_message(KeyringChecked(KeyringStatus(False, "not offered here")))
            return
        # The keyring may block (D-Bus, an unlock prompt): never on the UI thread.
        status = await asyncio.to_thread(store.status)
        if status.available and self.use_remembered_key and self.form.base_url:
            try:
                base_url = check_base_url(self.form.base_url, insecure=self.insecure)
            except ConfigError:
                pass  # the user sees why when logging in
            else:
                remembered = await asyncio.to_thread(store.load, base_url)
                self.post_message(KeyringChecked(status, remembered, base_url))
                return
        self.post_message(KeyringChecked(status))

    def on_keyring_checked(self, message: KeyringChecked) -> None:
        if message.remembered and not self.query_one(TabbedContent).active:
            # TabbedContent is still activating its first tab: let it finish first.
            self.call_after_refresh(self.on_keyring_checked, message)
            return
        self.keyring_status = message.status
        box = self.query_one("#remember-key", Checkbox)
        note = self.query_one("#remember-note", Static)
        box.disabled = not message.status.available
        if message.status.available:
            note.display = False
        else:
            box.value = False
            note.update(Text(message.status.reason, style="dim"))
        if message.remembered and not self.query_one("#login-button", Button).disabled:
            # A key remembered for this exchange: log in with it, as if typed. It is in
            # the keyring already: nothing to store (remember=None).
            self.query_one("#api-key", Input).value = message.remembered.reveal()
            box.value = True
            # The tab is shown only if this fails: switched now, in the first instants,
            # TabbedContent's own start-up messages could switch it back.
            self._auto_mode = API_KEY_TAB
            self._start_login(message.base_url, ApiKeyAuth(message.remembered), None)

    def ready_for_keys(self) -> bool:
        """Whether a key typed now goes where the user sees the focus (`tui.ui.key_order`):
        once mounted, and not while a tab switch (ctrl+t) has left no field focused."""
        return self.is_mounted and not (self._switching and self.focused is None)

    def _focus_first_empty(self) -> None:
        """Focus the first field still to fill, so that Enter is all a prefilled form needs."""
        if self.mode == API_KEY_TAB:
            order = ["#base-url", "#api-key"]
        else:
            order = ["#base-url", "#merchant-id", "#email", "#password"]
        for selector in order:
            field = self.query_one(selector, Input)
            if not field.value:
                self._focus(field)
                return
        self._focus(self.query_one(order[-1], Input))

    def _focus(self, field: Input) -> None:
        # At once, not as `field.focus()` does (a callback queued behind the keys already
        # typed, which would go to the field focused before).
        self._switching = False
        self.set_focus(field)

    @property
    def mode(self) -> str:
        """How the login in progress (or the next one) authenticates: the tab's mode."""
        return self._auto_mode or self.query_one(TabbedContent).active

    @on(TabbedContent.TabActivated)
    def _mode_changed(self, event: TabbedContent.TabActivated) -> None:
        # Only for the tab in force: a late activation message (TabbedContent's own, at
        # start-up) would focus a field of the other tab, and the tabs follow the focus.
        if event.pane.id != self.query_one(TabbedContent).active:
            return
        # And only when the focus is not on a field in sight (ctrl+t took it away, a
        # click focused the tabs): a late one would take it from where the keys typed
        # since then have moved it (Tab).
        focused = self.focused
        if focused is None or not (focused.id == "base-url" or event.pane in focused.ancestors):
            self._focus_first_empty()

    def action_switch_mode(self) -> None:
        """Toggle between email + password and API key."""
        tabs = self.query_one(TabbedContent)
        self._switch_to(PASSWORD_TAB if tabs.active == API_KEY_TAB else API_KEY_TAB)

    def _switch_to(self, mode: str) -> None:
        # Nothing focused while the tabs switch: a focused field being hidden hands its
        # focus to a neighbour in the same tab, and TabbedContent follows the focus back
        # there. The TabActivated handler then focuses the new tab's first empty field;
        # the keys typed meanwhile wait for it (`ready_for_keys`).
        tabs = self.query_one(TabbedContent)
        if tabs.active == mode:
            self._focus_first_empty()  # no switch, so no TabActivated to wait for
            return
        self.set_focus(None)
        self._switching = True
        tabs.active = mode

    def action_cancel(self) -> None:
        """Back to the dashboard (only when this screen was opened over it)."""
        if self.cancellable:
            self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#login-button")
    def submit(self) -> None:
        """Check the form and log in in the background."""
        try:
            base_url = check_base_url(
                self.query_one("#base-url", Input).value, insecure=self.insecure, where="Base URL"
            )
        except ConfigError as error:
            self._missing("#base-url", str(error))
            return
        auth = self._read_credentials()
        if auth is None:
            return
        self._start_login(base_url, auth, self._remember_choice(auth))

    def _start_login(self, base_url: str, auth: Auth, remember: bool | None) -> None:
        self._set_busy(True)
        host = urlsplit(base_url).netloc
        self._set_status(Text(f"Logging in to {host}…", style="bold"))
        self._log_in(base_url, auth, remember)

    def _remember_choice(self, auth: Auth) -> bool | None:
        """True: store the key; False: forget any stored one; None: leave the keyring be."""
        status = self.keyring_status
        if not isinstance(auth, ApiKeyAuth) or status is None or not status.available:
            return None
        return self.query_one("#remember-key", Checkbox).value

    def _field(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def _read_credentials(self) -> Auth | None:
        if self.mode == API_KEY_TAB:
            if not self._field("api-key"):
                return self._missing("#api-key", "Enter your API key.")
            # A stray space or newline from a paste is never part of a key.
            return ApiKeyAuth(Secret(self._field("api-key")))
        for field, what in (("merchant-id", "merchant ID"), ("email", "email")):
            if not self._field(field):
                return self._missing(f"#{field}", f"Enter your {what}.")
        # Not stripped: a password may begin or end with a space.
        password = Secret(self.query_one("#password", Input).value)
        if not password:
            return self._missing("#password", "Enter your password.")
        return PasswordAuth(self._field("merchant-id"), self._field("email"), password)

    def _missing(self, selector: str, message: str) -> None:
        self._show_error(message)
        self._focus(self.query_one(selector, Input))

    @work(exclusive=True, group="login", exit_on_error=False)
    async def _log_in(self, base_url: str, auth: Auth, remember: bool | None) -> None:
        client = self.app.make_client(base_url, auth)  # type: ignore[attr-defined]
        try:
            if isinstance(auth, PasswordAuth):
                await client.login()
                snapshot = None
            else:
                # An API key has no login call: the first balance request is the check.
                snapshot = await self.app.fetch_balances(client)  # type: ignore[attr-defined]
        except KunaError as error:
            await client.aclose()
            self.post_message(LoginFailed(error))
            return
        except BaseException:
            await client.aclose()
            raise
        if remember is not None and isinstance(auth, ApiKeyAuth):
            await self._update_keyring(base_url, auth.key, remember)
        self.post_message(LoginSucceeded(client, snapshot))

    async def _update_keyring(self, base_url: str, key: Secret, remember: bool) -> None:
        """Store the accepted key, or forget a stored one when the box was unticked."""
        store = self.key_store
        if store is None:
            return
        try:
            if remember:
                await asyncio.to_thread(store.save, base_url, key)
            elif await asyncio.to_thread(store.forget, base_url):
                self.notify("The remembered API key was removed from the keyring.", timeout=4)
        except KeyStoreError as error:
            self.notify(
                f"API key not remembered: {error}", severity="warning", markup=False, timeout=6
            )

    @on(Worker.StateChanged)
    def _login_crashed(self, event: Worker.StateChanged) -> None:
        # A bug in the login path must not leave the form disabled for good.
        if event.worker.group == "login" and event.state is WorkerState.ERROR:
            error = event.worker.error
            self.post_message(LoginFailed(KunaError(f"Unexpected error: {type(error).__name__}")))

    def on_login_succeeded(self, message: LoginSucceeded) -> None:
        self._set_busy(False)
        self.dismiss(LoginResult(message.client, message.snapshot))

    def on_login_failed(self, message: LoginFailed) -> None:
        self._set_busy(False)
        self._show_error(message.error.message)
        if self._auto_mode:
            # The remembered key was refused: show its tab, "remember" ticked, to replace
            # the key or untick the box (which forgets it on the next login).
            self._switch_to(self._auto_mode)
        secret_field = "#api-key" if self.mode == API_KEY_TAB else "#password"
        self._auto_mode = None
        field = self.query_one(secret_field, Input)
        field.clear()
        self._focus(field)

    def _show_error(self, message: str) -> None:
        self._set_status(Text(f"✖ {message}", style="bold red"))

    def _set_status(self, text: Text) -> None:
        self.query_one("#login-status", Static).update(text)

    def _set_busy(self, busy: bool) -> None:
        button = self.query_one("#login-button", Button)
        button.disabled = busy
        button.label = "Logging in…" if busy else "Log in"
        for field in self.query(Input):
            field.disabled = busy
