"""The login screen: email + password (+ merchant ID) for a JWT, or an API key."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static, TabbedContent, TabPane

from tui.api.auth import ApiKeyAuth, Auth, PasswordAuth, Secret
from tui.api.client import KunaClient
from tui.api.errors import KunaError
from tui.api.models import BalanceSnapshot
from tui.ui.messages import LoginFailed, LoginSucceeded

PASSWORD_TAB = "password-tab"
API_KEY_TAB = "api-key-tab"


@dataclass(frozen=True)
class LoginForm:
    """What the login screen starts with (from settings and the environment)."""

    base_url: str = ""
    merchant_id: str = ""
    email: str = ""
    password: Secret | None = None
    api_key: Secret | None = None
    use_api_key: bool = False


@dataclass(frozen=True)
class LoginResult:
    """A client whose credentials were accepted, with its first balances if it fetched them."""

    client: KunaClient
    snapshot: BalanceSnapshot | None = None


class LoginScreen(Screen[LoginResult | None]):
    """Asks for credentials, checks them against the server, and dismisses with a client.

    Shown first, and again over the dashboard when the credentials stop working (the
    dashboard stays behind it, so nothing is lost).
    """

    BINDINGS = [
        Binding("escape", "cancel", "Back", show=False),
        Binding("ctrl+t", "switch_mode", "Password / API key"),
    ]

    def __init__(
        self, form: LoginForm, *, reason: str | None = None, cancellable: bool = False
    ) -> None:
        super().__init__()
        self.form = form
        self.reason = reason
        self.cancellable = cancellable

    def compose(self) -> ComposeResult:
        form = self.form
        with Center(), Vertical(id="login-box"):
            yield Static(Text("wallet-tui", style="bold"), id="login-title")
            yield Static(
                Text("Sign in to your Kuna Core exchange", style="dim"), id="login-subtitle"
            )
            yield Label("Base URL")
            yield Input(form.base_url, placeholder="https://api.exchange.example", id="base-url")
            with TabbedContent(
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
            yield Static(id="login-status")
            yield Button("Log in", variant="primary", id="login-button")
        yield Footer()

    def on_mount(self) -> None:
        if self.reason:
            self._show_error(self.reason)
        self._focus_first_empty()

    def _focus_first_empty(self) -> None:
        """Focus the first field still to fill, so that Enter is all a prefilled form needs."""
        if self.query_one(TabbedContent).active == API_KEY_TAB:
            order = ["#base-url", "#api-key"]
        else:
            order = ["#base-url", "#merchant-id", "#email", "#password"]
        for selector in order:
            field = self.query_one(selector, Input)
            if not field.value:
                field.focus()
                return
        self.query_one(order[-1], Input).focus()

    @on(TabbedContent.TabActivated)
    def _mode_changed(self) -> None:
        self._focus_first_empty()

    def action_switch_mode(self) -> None:
        """Toggle between email + password and API key."""
        tabs = self.query_one(TabbedContent)
        tabs.active = PASSWORD_TAB if tabs.active == API_KEY_TAB else API_KEY_TAB

    def action_cancel(self) -> None:
        """Back to the dashboard (only when this screen was opened over it)."""
        if self.cancellable:
            self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#login-button")
    def submit(self) -> None:
        """Check the form and log in in the background."""
        auth = self._read_credentials()
        if auth is None:
            return
        base_url = self.query_one("#base-url", Input).value.strip()
        self._set_busy(True)
        host = base_url.split("//", 1)[-1]
        self._set_status(Text(f"Logging in to {host}…", style="bold"))
        self._log_in(base_url, auth)

    def _read_credentials(self) -> Auth | None:
        value = {
            f: self.query_one(f"#{f}", Input).value.strip()
            for f in ("base-url", "merchant-id", "email", "api-key")
        }
        password = self.query_one("#password", Input).value
        if not value["base-url"].startswith(("https://", "http://")):
            return self._missing("#base-url", "Enter the exchange's base URL (https://…).")
        if self.query_one(TabbedContent).active == API_KEY_TAB:
            if not value["api-key"]:
                return self._missing("#api-key", "Enter your API key.")
            return ApiKeyAuth(Secret(value["api-key"]))
        for field, what in (("merchant-id", "merchant ID"), ("email", "email")):
            if not value[field]:
                return self._missing(f"#{field}", f"Enter your {what}.")
        if not password:
            return self._missing("#password", "Enter your password.")
        return PasswordAuth(value["merchant-id"], value["email"], Secret(password))

    def _missing(self, selector: str, message: str) -> None:
        self._show_error(message)
        self.query_one(selector, Input).focus()

    @work(exclusive=True, group="login", exit_on_error=False)
    async def _log_in(self, base_url: str, auth: Auth) -> None:
        client = self.app.make_client(base_url, auth)  # type: ignore[attr-defined]
        try:
            if isinstance(auth, PasswordAuth):
                await client.login()
                snapshot = None
            else:
                # An API key has no login call: the first balance request is the check.
                snapshot = await self.app.fetch_first(client)  # type: ignore[attr-defined]
        except KunaError as error:
            await client.aclose()
            self.post_message(LoginFailed(error))
            return
        except BaseException:
            await client.aclose()
            raise
        self.post_message(LoginSucceeded(client, snapshot))

    def on_login_succeeded(self, message: LoginSucceeded) -> None:
        self._set_busy(False)
        self.dismiss(LoginResult(message.client, message.snapshot))

    def on_login_failed(self, message: LoginFailed) -> None:
        self._set_busy(False)
        self._show_error(message.error.message)
        secret_field = (
            "#api-key" if self.query_one(TabbedContent).active == API_KEY_TAB else "#password"
        )
        field = self.query_one(secret_field, Input)
        field.clear()
        field.focus()

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
