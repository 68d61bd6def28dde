"""The API client against the sandbox: both auth modes, re-login, every error class."""

from __future__ import annotations

import email.utils
import socket
from decimal import Decimal

import httpx
import pytest

from tests.conftest import SANDBOX_URL, FakeClock
from tui.api.auth import ApiKeyAuth, PasswordAuth, Secret
from tui.api.client import KunaClient, Timeouts
from tui.api.errors import (
    AuthenticationError,
    BadResponseError,
    NetworkError,
    RateLimitedError,
    ServerError,
)
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DEMO_EMAIL, DEMO_MERCHANT_ID, MAIN_WALLET_ID, DemoExchange


def logins(exchange: DemoExchange) -> int:
    return sum(1 for r in exchange.requests if r.path == "/v2/auth/login")


async def test_api_key_mode_fetches_every_asset(
    key_client: KunaClient, exchange: DemoExchange
) -> None:
    snapshot = await key_client.fetch_balances()
    assert len(snapshot) >= 8
    assert snapshot.assets == tuple(item["asset"] for item in exchange.balance_payload()["data"])
    assert exchange.requests[-1].auth == "api-key"
    assert logins(exchange) == 0


async def test_jwt_mode_logs_in_once_then_reuses_the_token(
    jwt_client: KunaClient, exchange: DemoExchange
) -> None:
    await jwt_client.fetch_balances()
    await jwt_client.fetch_balances()
    assert logins(exchange) == 1
    assert [r.auth for r in exchange.requests if r.path == "/v2/balance"] == ["jwt", "jwt"]


async def test_amounts_are_exact(key_client: KunaClient, exchange: DemoExchange) -> None:
    exchange.set_amount("ETH", "balance", "123456789012.123456789012345678")
    exchange.set_amount("ETH", "referralBalance", "0.000000000000000001")
    for field in ("holdBalance", "lockBalance"):
        exchange.set_amount("ETH", field, "0")
    eth = (await key_client.fetch_balances()).get("ETH")
    assert eth is not None
    assert str(eth.available) == "123456789012.123456789012345678"
    assert eth.referral == Decimal("1E-18")
    assert eth.extra_amounts == ()
    assert eth.total == Decimal("123456789012.123456789012345679")


async def test_wallet_and_asset_filters(key_client: KunaClient, exchange: DemoExchange) -> None:
    snapshot = await key_client.fetch_balances(assets=["usdt", "BTC"])
    assert set(snapshot.assets) == {"USDT", "BTC"}
    other = next(w for w in exchange.wallet_ids if w != MAIN_WALLET_ID)
    savings = await key_client.fetch_balances(wallet_id=other)
    assert savings.wallet_id == other
    assert savings.assets == tuple(i["asset"] for i in exchange.balance_payload(other)["data"])


async def test_unknown_wallet_is_a_server_error_with_the_servers_message(
    key_client: KunaClient,
) -> None:
    with pytest.raises(ServerError) as caught:
        await key_client.fetch_balances(wallet_id="00000000-0000-0000-0000-000000000000")
    assert caught.value.status == 404


async def test_wrong_api_key_is_an_authentication_error(transport: httpx.ASGITransport) -> None:
    async with KunaClient(
        SANDBOX_URL, ApiKeyAuth(Secret("wrong-key")), transport=transport
    ) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.fetch_balances()
    assert "API key was rejected" in caught.value.message
    assert "wrong-key" not in caught.value.message


async def test_wrong_password_says_why_and_never_echoes_the_password(
    transport: httpx.ASGITransport,
) -> None:
    auth = PasswordAuth(DEMO_MERCHANT_ID, DEMO_EMAIL, Secret("hunter2-wrong"))
    async with KunaClient(SANDBOX_URL, auth, transport=transport) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.fetch_balances()
    assert caught.value.message == "Login failed: Invalid email or password"
    assert (
        "hunter2" not in repr(caught.value)
        and "hunter2" not in repr(auth)
        and "hunter2" not in repr(client)
    )


async def test_missing_merchant_id_is_an_authentication_error(
    transport: httpx.ASGITransport,
) -> None:
    auth = PasswordAuth("", DEMO_EMAIL, Secret("x"))
    async with KunaClient(SANDBOX_URL, auth, transport=transport) as client:
        with pytest.raises(AuthenticationError, match="merchant_id"):
            await client.login()


async def test_expired_token_is_renewed_silently(
    jwt_client: KunaClient, exchange: DemoExchange, clock: FakeClock
) -> None:
    await jwt_client.fetch_balances()
    clock.advance(601)  # past the sandbox's 600 s token lifetime
    await jwt_client.fetch_balances()
    assert logins(exchange) == 2


async def test_a_401_triggers_one_relogin_and_a_retry(
    jwt_client: KunaClient, exchange: DemoExchange, faults: FaultPlan
) -> None:
    await jwt_client.fetch_balances()
    faults.push(Fault(kind="unauthorized", times=1))
    snapshot = await jwt_client.fetch_balances()
    assert len(snapshot) >= 8
    assert logins(exchange) == 2
    statuses = [r.status for r in exchange.requests if r.path == "/v2/balance"]
    assert statuses == [201, 401, 201]


async def test_a_second_401_after_relogin_gives_up(
    jwt_client: KunaClient, exchange: DemoExchange, faults: FaultPlan
) -> None:
    await jwt_client.fetch_balances()
    faults.push(Fault(kind="unauthorized", times=2))
    with pytest.raises(AuthenticationError):
        await jwt_client.fetch_balances()
    assert logins(exchange) == 2


@pytest.mark.parametrize(
    ("spec", "error", "needle"),
    [
        ("500", ServerError, "Server error 500 Internal Server Error"),
        ("html", ServerError, "HTML error page"),
        ("empty:503", ServerError, "503"),
        ("bad_json", BadResponseError, "not valid JSON"),
        ("wrong_shape", BadResponseError, "'data' must be an array"),
        ("bad_amount", BadResponseError, "not a decimal number"),
        ("429:30", RateLimitedError, "Rate limited by the server"),
    ],
)
async def test_each_fault_maps_to_its_error_class(
    key_client: KunaClient, faults: FaultPlan, spec: str, error: type[Exception], needle: str
) -> None:
    faults.push(Fault.parse(f"{spec}x1"))
    with pytest.raises(error) as caught:
        await key_client.fetch_balances()
    assert needle in str(caught.value)
    # The next call, without the fault, works again.
    assert len(await key_client.fetch_balances()) >= 8


async def test_retry_after_seconds_and_http_date(
    key_client: KunaClient, faults: FaultPlan, clock: FakeClock
) -> None:
    faults.push(Fault(kind="rate_limit", retry_after=30, times=1))
    with pytest.raises(RateLimitedError) as caught:
        await key_client.fetch_balances()
    assert caught.value.retry_after == 30


async def test_rate_limit_with_an_http_date(
    transport: httpx.ASGITransport, api_key_auth: ApiKeyAuth, faults: FaultPlan
) -> None:
    fixed = 1_790_000_000.0
    faults.push(
        Fault(
            kind="rate_limit", retry_after=email.utils.formatdate(fixed + 45, usegmt=True), times=1
        )
    )
    async with KunaClient(
        SANDBOX_URL, api_key_auth, transport=transport, clock=lambda: fixed
    ) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.fetch_balances()
    assert caught.value.retry_after == 45


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_connection_refused_is_a_network_error(api_key_auth: ApiKeyAuth) -> None:
    async with KunaClient(f"http://127.0.0.1:{closed_port()}", api_key_auth) as client:
        with pytest.raises(NetworkError, match=r"Cannot connect to 127\.0\.0\.1"):
            await client.fetch_balances()


async def test_unknown_host_is_a_network_error(api_key_auth: ApiKeyAuth) -> None:
    async with KunaClient(
        "http://no-such-host.invalid", api_key_auth, timeouts=Timeouts(2, 2)
    ) as client:
        with pytest.raises(NetworkError):
            await client.fetch_balances()


async def test_a_hung_server_ends_with_a_read_timeout(
    api_key_auth: ApiKeyAuth, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.sandbox import server
    from tui.sandbox.server import start_in_background

    # The answer would come long after the read timeout, however loaded the machine is;
    # stopping the sandbox cuts the request off instead of waiting for it.
    monkeypatch.setattr(server, "SHUTDOWN_GRACE", 0.1)
    with start_in_background(moving=False) as sandbox:
        sandbox.faults.push(Fault(kind="slow", delay=60, times=1))
        async with KunaClient(
            sandbox.url, api_key_auth, timeouts=Timeouts(connect=1, read=0.3)
        ) as client:
            with pytest.raises(NetworkError, match=r"did not answer within 0\.3 s"):
                await client.fetch_balances()
            # Keep-alive pool recovers: the next call works.
            assert len(await client.fetch_balances()) >= 8


async def test_a_short_lived_token_is_not_renewed_on_every_request(
    exchange: DemoExchange, faults: FaultPlan, clock: FakeClock, password_auth: PasswordAuth
) -> None:
    from tui.sandbox.app import create_app

    transport = httpx.ASGITransport(app=create_app(exchange, faults, token_ttl=20, now=clock))
    async with KunaClient(SANDBOX_URL, password_auth, transport=transport, clock=clock) as client:
        for _ in range(7):  # 14 s of refreshes every 2 s with a 20 s token
            await client.fetch_balances()
            clock.advance(2)
        assert logins(exchange) == 1
        clock.advance(3)  # 17 s: inside the last quarter of the token's life
        await client.fetch_balances()
        assert logins(exchange) == 2


async def test_a_refresh_over_the_network_tries_no_import() -> None:
    """Each refresh goes through httpcore, which asks `import sniffio` on every request:
    without it installed (a dependency for that reason) each request would search every
    folder of sys.path for it, a tenth of the CPU of a refresh that changed nothing."""
    import importlib.abc
    import sys

    from tui.api.auth import ApiKeyAuth, Secret
    from tui.sandbox.server import start_in_background
    from tui.sandbox.wallet import DEMO_API_KEY

    attempts: list[str] = []

    class Spy(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: object, target: object = None) -> None:
            attempts.append(name)  # asked only for what sys.modules does not hold

    with start_in_background(seed=7, moving=False) as sandbox:
        async with KunaClient(sandbox.url, ApiKeyAuth(Secret(DEMO_API_KEY))) as client:
            # The first request of each kind imports what it needs (the parsers load at
            # their first answer).
            await client.fetch_balances()
            await client.fetch_rates()
            spy = Spy()
            sys.meta_path.insert(0, spy)
            try:
                await client.fetch_balances()
                await client.fetch_rates()
            finally:
                sys.meta_path.remove(spy)
    assert attempts == []
