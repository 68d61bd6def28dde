"""Shared fixtures: the built-in sandbox exchange as the back end of every test.

The sandbox is a real ASGI application; httpx's ASGITransport sends real HTTP
requests to it in-process, so tests exercise the client's whole request path
without a socket. Tests that need a socket start it on a loopback port.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx
import keyring
import keyring.backends.fail
import pytest
from hypothesis import HealthCheck, settings

from tui.api.auth import ApiKeyAuth, PasswordAuth, Secret
from tui.api.client import KunaClient
from tui.sandbox.app import create_app
from tui.sandbox.faults import FaultPlan
from tui.sandbox.wallet import (
    DEMO_API_KEY,
    DEMO_EMAIL,
    DEMO_MERCHANT_ID,
    DEMO_PASSWORD,
    DemoExchange,
)

if TYPE_CHECKING:
    from tui.sandbox.server import RunningSandbox

# No property test may fail for being slow: hypothesis's default deadline (200 ms an
# example) and its too-slow health check are timing assertions, and a loaded machine
# running the suite on every core misses them. Built on the profile in force, so CI's
# own (derandomized, no database) stays as it is otherwise.
settings.register_profile(
    "wallet-tui",
    parent=settings.default,
    deadline=None,
    suppress_health_check=(*settings.default.suppress_health_check, HealthCheck.too_slow),
)
settings.load_profile("wallet-tui")

# A loopback URL, as plain http:// is refused to any other host. ASGITransport serves
# requests in-process and never connects: nothing listens on port 9.
SANDBOX_URL = "http://127.0.0.1:9"


class FakeClock:
    """A clock that moves only when told to (Unix seconds, starting at the real time).

    It starts at the real time because the app's own client reads the real clock to
    tell whether the sandbox's token has expired.
    """

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    """Time for the sandbox's tokens and simulation."""
    return FakeClock()


@pytest.fixture
def exchange(clock: FakeClock) -> DemoExchange:
    """The seeded demo account, still unless a test advances it."""
    return DemoExchange(seed=7, clock=clock, moving=False)


@pytest.fixture
def faults() -> FaultPlan:
    """Faults to inject into the sandbox's answers."""
    return FaultPlan()


@pytest.fixture
def transport(exchange: DemoExchange, faults: FaultPlan, clock: FakeClock) -> httpx.ASGITransport:
    """An httpx transport that serves requests with the sandbox, in-process."""
    return httpx.ASGITransport(app=create_app(exchange, faults, token_ttl=600, now=clock))


@pytest.fixture
def password_auth() -> PasswordAuth:
    """The demo merchant's email and password."""
    return PasswordAuth(DEMO_MERCHANT_ID, DEMO_EMAIL, Secret(DEMO_PASSWORD))


@pytest.fixture
def api_key_auth() -> ApiKeyAuth:
    """The demo merchant's API key."""
    return ApiKeyAuth(Secret(DEMO_API_KEY))


@pytest.fixture
async def jwt_client(
    transport: httpx.ASGITransport, password_auth: PasswordAuth, clock: FakeClock
) -> AsyncIterator[KunaClient]:
    """A client that logs in with email and password."""
    async with KunaClient(SANDBOX_URL, password_auth, transport=transport, clock=clock) as client:
        yield client


@pytest.fixture
async def key_client(
    transport: httpx.ASGITransport, api_key_auth: ApiKeyAuth
) -> AsyncIterator[KunaClient]:
    """A client that authenticates with the API key."""
    async with KunaClient(SANDBOX_URL, api_key_auth, transport=transport) as client:
        yield client


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    """One sandbox on a free loopback port for the test module; balances stand still."""
    from tui.sandbox.server import start_in_background  # (uvicorn: only where needed)

    with start_in_background(seed=7, moving=False) as running:
        yield running


@pytest.fixture
def url(sandbox: RunningSandbox) -> Iterator[str]:
    """The module's sandbox's URL; the faults a test pushed are cleared after it."""
    yield sandbox.url
    sandbox.faults.clear()


@pytest.fixture
def long_flash(monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed amount stays highlighted until the test ends: the flash lasts one second
    of real time, which a loaded machine can spend between a refresh and the next line."""
    import tui.ui.widgets.balance_grid as balance_grid

    monkeypatch.setattr(balance_grid, "FLASH_SECONDS", 3600.0)


@pytest.fixture(autouse=True)
def _no_real_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Keep the user's own config file and secrets out of every test."""
    for name in (
        "WALLET_TUI_API_KEY",
        "WALLET_TUI_PASSWORD",
        "WALLET_TUI_BASE_URL",
        "WALLET_TUI_EMAIL",
        "WALLET_TUI_MERCHANT_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WALLET_TUI_CONFIG", str(tmp_path_factory.mktemp("config") / "config.toml"))
    # The remembered theme lives in the state folder: never the developer's own.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    # The balance history lives in the data folder: never the developer's own.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
    # The parsed stylesheets a run keeps (tui/ui/css_cache.py): never in the developer's own.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield


@pytest.fixture(autouse=True)
def _no_real_keyring() -> Iterator[None]:
    """Never read or write the developer's own keyring: tests that need one set their own."""
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(keyring.backends.fail.Keyring())
