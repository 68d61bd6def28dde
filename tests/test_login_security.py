"""The login screen: masked secrets, the config's URL rules, and "remember this API key".

The keyring is keyring's own in-process backend mechanism: a small in-memory backend
set with `keyring.set_keyring`, or keyring's `fail` backend for a machine without one.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import PasswordDeleteError
from textual.widgets import Checkbox, Input, Static, TabbedContent

from tests.app_harness import SANDBOX_URL, SIZE, make_app, wait_until
from tests.screen_text import screen_lines
from tui.api.auth import Secret
from tui.config.keystore import (
    PLAINTEXT,
    SERVICE,
    UNAVAILABLE,
    KeyStore,
    KeyStoreError,
    account_for,
    backend_status,
)
from tui.sandbox.wallet import DEMO_API_KEY, DemoExchange
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.login import API_KEY_TAB, LoginScreen

ACCOUNT = account_for(SANDBOX_URL)


class MemoryKeyring(KeyringBackend):
    """A real keyring as far as wallet-tui can tell, kept in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class RefusingKeyring(MemoryKeyring):
    """A keyring that is there but says no (a locked keychain, a denied prompt)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"refused to store {password}")


class EmptyChainer(ChainerBackend):
    backends = ()  # type: ignore[assignment]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend


def on_dashboard(app: object) -> bool:
    screen = app.screen  # type: ignore[attr-defined]
    return isinstance(screen, DashboardScreen) and screen.snapshot is not None


async def keyring_answered(pilot: object, app: object) -> None:
    """Wait for the login screen to settle: its keyring probed, its first tab shown."""

    def settled() -> bool:
        screen = app.screen  # type: ignore[attr-defined]
        if not isinstance(screen, LoginScreen):
            return True
        return screen.keyring_status is not None and bool(screen.query_one(TabbedContent).active)

    await wait_until(pilot, settled)  # type: ignore[arg-type]
    await pilot.pause(0.05)  # type: ignore[attr-defined]


# --- the keyring wrapper --------------------------------------------------------------


def test_account_names_follow_the_exchange_not_the_scheme() -> None:
    assert account_for("https://API.Exchange.example:8443/kuna/") == (
        "api-key@api.exchange.example:8443/kuna"
    )
    assert account_for("http://api.exchange.example") == account_for("https://api.exchange.example")
    assert account_for("https://a.example") != account_for("https://b.example")


@pytest.mark.parametrize(
    ("backend", "available", "reason"),
    [
        (MemoryKeyring(), True, ""),
        (keyring.backends.fail.Keyring(), False, UNAVAILABLE),
        (keyring.backends.null.Keyring(), False, UNAVAILABLE),
        (EmptyChainer(), False, UNAVAILABLE),
    ],
    ids=["real", "fail", "null", "empty-chainer"],
)
def test_only_a_real_keyring_counts(backend: KeyringBackend, available: bool, reason: str) -> None:
    status = backend_status(backend)
    assert (status.available, status.reason) == (available, reason)


def test_a_backend_that_writes_plain_files_does_not_count() -> None:
    plaintext = type("PlaintextKeyring", (MemoryKeyring,), {"__module__": "keyrings.alt.file"})
    status = backend_status(plaintext())
    assert (status.available, status.reason) == (False, PLAINTEXT)


def test_save_load_forget(memory_keyring: MemoryKeyring) -> None:
    store = KeyStore()
    assert store.status().available
    assert store.load(SANDBOX_URL) is None
    store.save(SANDBOX_URL, Secret("remembered-key-0001"))
    assert memory_keyring.passwords == {(SERVICE, ACCOUNT): "remembered-key-0001"}
    assert store.remembers(SANDBOX_URL)
    loaded = KeyStore().load(SANDBOX_URL)
    assert loaded is not None and loaded.reveal() == "remembered-key-0001"
    assert store.forget(SANDBOX_URL) is True
    assert memory_keyring.passwords == {} and not store.remembers(SANDBOX_URL)
    assert store.forget(SANDBOX_URL) is False


def test_without_a_keyring_nothing_is_stored() -> None:
    store = KeyStore()  # the tests' default: keyring's fail backend
    assert store.status().reason == UNAVAILABLE
    assert store.load(SANDBOX_URL) is None
    with pytest.raises(KeyStoreError, match="no system keyring"):
        store.save(SANDBOX_URL, Secret("remembered-key-0002"))


def test_a_refusal_names_no_key() -> None:
    keyring.set_keyring(RefusingKeyring())
    with pytest.raises(KeyStoreError) as caught:
        KeyStore().save(SANDBOX_URL, Secret("remembered-key-0003"))
    assert "remembered-key-0003" not in str(caught.value)
    assert "PasswordSetError" in str(caught.value)


# --- the login screen -------------------------------------------------------------------


async def test_without_a_keyring_the_option_is_off_and_says_why(
    transport: httpx.ASGITransport,
) -> None:
    app = make_app(transport, password=None)
    async with app.run_test(size=SIZE) as pilot:
        await keyring_answered(pilot, app)
        await pilot.press("ctrl+t")
        await pilot.pause()  # the API key tab laid out before anything is clicked
        box = app.screen.query_one("#remember-key", Checkbox)
        assert box.disabled and not box.value
        assert "no system keyring found: the key is kept in memory only" in "\n".join(
            screen_lines(app)
        )


async def test_remember_then_start_straight_on_the_dashboard_then_forget(
    transport: httpx.ASGITransport, exchange: DemoExchange, memory_keyring: MemoryKeyring
) -> None:
    # First run: API key typed in, "remember" ticked.
    app = make_app(transport, password=None)
    async with app.run_test(size=SIZE) as pilot:
        await keyring_answered(pilot, app)
        await pilot.press("ctrl+t")
        await pilot.pause()  # the API key tab laid out before anything is clicked
        key_field = app.screen.query_one("#api-key", Input)
        assert key_field.password  # masked
        box = app.screen.query_one("#remember-key", Checkbox)
        assert not box.disabled and not box.value
        key_field.value = DEMO_API_KEY
        box.value = True
        await pilot.click("#login-button")
        await wait_until(pilot, lambda: on_dashboard(app))
        await wait_until(pilot, lambda: bool(memory_keyring.passwords))
    assert memory_keyring.passwords == {(SERVICE, ACCOUNT): DEMO_API_KEY}

    # Next run: no key in the environment, but one remembered for this URL: no typing.
    requests_before = len(exchange.requests)
    app = make_app(transport, password=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: on_dashboard(app))
        assert exchange.requests[requests_before].auth == "api-key"
        # The palette's "forget" removes it.
        app.action_forget_key()
        await wait_until(pilot, lambda: not memory_keyring.passwords)
        assert any("no longer remembered" in message for _, message, _ in app.notices)


async def test_unticking_the_box_on_a_later_login_forgets_the_key(
    transport: httpx.ASGITransport, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.passwords[SERVICE, ACCOUNT] = "a-key-that-was-revoked"
    app = make_app(transport, password=None)
    async with app.run_test(size=SIZE) as pilot:
        # The remembered key is tried by itself, is rejected, and the form says so.
        status = app.screen.query_one("#login-status", Static)
        await wait_until(pilot, lambda: "rejected" in str(status.render()))
        assert app.screen.query_one(TabbedContent).active == API_KEY_TAB
        box = app.screen.query_one("#remember-key", Checkbox)
        assert box.value  # it came from the keyring
        assert "a-key-that-was-revoked" not in "\n".join(screen_lines(app))
        box.value = False
        app.screen.query_one("#api-key", Input).value = DEMO_API_KEY
        await pilot.click("#login-button")
        await wait_until(pilot, lambda: on_dashboard(app))
        await wait_until(pilot, lambda: not memory_keyring.passwords)
    assert any("removed from the keyring" in message for _, message, _ in app.notices)


async def test_a_keyring_that_refuses_still_logs_in(transport: httpx.ASGITransport) -> None:
    keyring.set_keyring(RefusingKeyring())
    app = make_app(transport, password=None, api_key=None)
    async with app.run_test(size=SIZE) as pilot:
        await keyring_answered(pilot, app)
        await pilot.press("ctrl+t")
        await pilot.pause()  # the API key tab laid out before anything is clicked
        app.screen.query_one("#api-key", Input).value = DEMO_API_KEY
        app.screen.query_one("#remember-key", Checkbox).value = True
        await pilot.click("#login-button")
        await wait_until(pilot, lambda: on_dashboard(app))
        await wait_until(pilot, lambda: any("not remembered" in m for _, m, _ in app.notices))
    notices = " ".join(title + message for title, message, _ in app.notices)
    assert DEMO_API_KEY not in notices


async def test_demo_never_reads_the_keyring(
    transport: httpx.ASGITransport, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.passwords[SERVICE, ACCOUNT] = DEMO_API_KEY
    app = make_app(transport, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await keyring_answered(pilot, app)
        await pilot.pause(0.1)
        assert isinstance(app.screen, LoginScreen)


# --- the base URL field follows the config's rules ----------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("http://far.example", "clear text"),
        ("ftp://far.example", "must start with https://"),
        ("https://me:pw@far.example", "user name or password"),
        ("", "enter the exchange's base URL"),
    ],
)
async def test_the_login_screen_applies_the_config_rules_to_the_url(
    transport: httpx.ASGITransport, typed: str, message: str
) -> None:
    app = make_app(transport, base_url=None)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#base-url", Input).value = typed
        await pilot.click("#login-button")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        status = str(app.screen.query_one("#login-status", Static).render())
        assert message in status
        assert "pw@" not in status
        assert app.focused is app.screen.query_one("#base-url", Input)


async def test_the_login_screen_allows_plain_http_with_insecure(
    transport: httpx.ASGITransport,
) -> None:
    app = make_app(transport, base_url="http://far.example", insecure=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_dashboard(app))


async def test_secrets_are_masked_on_screen(transport: httpx.ASGITransport) -> None:
    app = make_app(transport)  # the demo password prefilled
    async with app.run_test(size=SIZE) as pilot:
        password = app.screen.query_one("#password", Input)
        assert password.password and password.value
        assert password.value not in "\n".join(screen_lines(app))
        await pilot.press("ctrl+t")
        await pilot.pause()  # the API key tab laid out before anything is clicked
        app.screen.query_one("#api-key", Input).value = DEMO_API_KEY
        await pilot.pause()
        assert DEMO_API_KEY not in "\n".join(screen_lines(app))
