"""Secrets stay in memory: never in a repr, a str, a traceback (with locals) or a message."""

from __future__ import annotations

import io
import json
import pickle
import traceback

import httpx
import pytest
from rich.console import Console
from rich.traceback import Traceback

from tests.conftest import SANDBOX_URL
from tui.api.auth import ApiKeyAuth, PasswordAuth, Secret
from tui.api.client import KunaClient
from tui.api.errors import AuthenticationError, KunaError, NetworkError
from tui.api.models import LoginTokens
from tui.api.redact import MASK, redact, register_secret
from tui.config.settings import Secrets, Settings
from tui.sandbox.wallet import DEMO_EMAIL, DEMO_MERCHANT_ID, DEMO_PASSWORD
from tui.ui.login_form import LoginForm

PASSWORD = "correct horse battery staple"
API_KEY = "key-5f0c1e9a-d00d-4bb1-8a6e-0123456789ab"


def rich_traceback(exc: BaseException) -> str:
    """The traceback as Textual prints it when the app crashes: with every frame's locals."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(
        Traceback.from_exception(type(exc), exc, exc.__traceback__, show_locals=True, width=200)
    )
    return console.file.getvalue()  # type: ignore[attr-defined]


def plain_traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


# --- Secret and the objects that hold one ---------------------------------------------


def test_a_secret_never_shows_itself() -> None:
    secret = Secret(PASSWORD)
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>40}"):
        assert PASSWORD not in shown
    assert secret.reveal() == PASSWORD
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_objects_holding_credentials_hide_them() -> None:
    key, password = Secret(API_KEY), Secret(PASSWORD)
    objects = [
        ApiKeyAuth(key),
        PasswordAuth("merchant", "me@example.com", password),
        Secrets(api_key=key, password=password),
        LoginForm(base_url="https://x.example", password=password, api_key=key),
        LoginTokens(access_token="eyJ.access.token", refresh_token="refresh-opaque"),
        KunaClient("https://x.example", ApiKeyAuth(key)),
        Settings(base_url="https://x.example"),
    ]
    for thing in objects:
        for shown in (repr(thing), str(thing)):
            assert PASSWORD not in shown and API_KEY not in shown
            assert "eyJ.access.token" not in shown and "refresh-opaque" not in shown


# --- tracebacks of failing logins -----------------------------------------------------


async def test_a_refused_login_leaves_no_secret_in_the_error_or_its_traceback(
    transport: httpx.ASGITransport,
) -> None:
    auth = PasswordAuth(DEMO_MERCHANT_ID, DEMO_EMAIL, Secret(PASSWORD))
    async with KunaClient(SANDBOX_URL, auth, transport=transport) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.login()
    error = caught.value
    for text in (str(error), repr(error), plain_traceback(error), rich_traceback(error)):
        assert PASSWORD not in text


def failing_transport(exc: Exception) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("connection refused"), httpx.ReadTimeout("timed out"), RuntimeError("bug")],
    ids=["refused", "timeout", "bug"],
)
async def test_a_login_that_crashes_shows_no_secret_in_any_frame(failure: Exception) -> None:
    """Even the locals of every frame (as Textual prints them) hold the password wrapped."""
    auth = PasswordAuth(DEMO_MERCHANT_ID, DEMO_EMAIL, Secret(PASSWORD))
    async with KunaClient(SANDBOX_URL, auth, transport=failing_transport(failure)) as client:
        with pytest.raises(KunaError) as caught:
            await client.login()
    for text in (repr(caught.value), plain_traceback(caught.value), rich_traceback(caught.value)):
        assert PASSWORD not in text


async def test_a_balance_call_that_crashes_shows_no_key_or_token_in_any_frame(
    transport: httpx.ASGITransport,
) -> None:
    key_auth = ApiKeyAuth(Secret(API_KEY))
    async with KunaClient(SANDBOX_URL, key_auth, transport=failing_transport(RuntimeError())) as c:
        with pytest.raises(KunaError) as caught:
            await c.fetch_balances()
    assert API_KEY not in rich_traceback(caught.value)

    # JWT mode: log in for real, then make the balance call fail.
    auth = PasswordAuth(DEMO_MERCHANT_ID, DEMO_EMAIL, Secret(DEMO_PASSWORD))
    async with KunaClient(SANDBOX_URL, auth, transport=transport) as client:
        tokens = await client.login()
        client._http._transport = failing_transport(httpx.ConnectError("gone"))
        with pytest.raises(NetworkError) as network:
            await client.fetch_balances()
    for text in (plain_traceback(network.value), rich_traceback(network.value)):
        assert tokens.access_token not in text and DEMO_PASSWORD not in text


# --- a server that echoes credentials back ----------------------------------------------


def echoing_transport(status: int) -> httpx.MockTransport:
    """A server whose error message quotes the credentials it was sent."""

    def handle(request: httpx.Request) -> httpx.Response:
        sent = request.headers.get("api-key") or request.headers.get("authorization") or ""
        body = json.loads(request.content or b"{}")
        message = f"rejected {sent} {body.get('password', '')}"
        return httpx.Response(status, json={"errors": [{"code": "X", "message": message}]})

    return httpx.MockTransport(handle)


@pytest.mark.parametrize("status", [401, 500])
async def test_credentials_echoed_by_the_server_are_masked_in_errors(status: int) -> None:
    async with KunaClient(
        SANDBOX_URL, ApiKeyAuth(Secret(API_KEY)), transport=echoing_transport(status)
    ) as client:
        with pytest.raises(KunaError) as caught:
            await client.fetch_balances()
    assert API_KEY not in str(caught.value) and MASK in str(caught.value)

    auth = PasswordAuth(DEMO_MERCHANT_ID, DEMO_EMAIL, Secret(PASSWORD))
    async with KunaClient(SANDBOX_URL, auth, transport=echoing_transport(status)) as client:
        with pytest.raises(KunaError) as caught:
            await client.login()
    assert PASSWORD not in str(caught.value)


# --- redaction --------------------------------------------------------------------------


def test_redact_masks_registered_secrets_and_credential_shapes() -> None:
    register_secret("s3cr3t-value-42")
    cases = {
        "the value s3cr3t-value-42 leaked": "the value *** leaked",
        "Authorization: Bearer abc.def.ghi": "Authorization: ***",
        "authorization=Basic dXNlcjpwdw== next": "authorization=*** next",
        "headers {'api-key': 'k-123', 'merchant_id': 'm'}": "headers {'api-key': '***', 'merchant_id': 'm'}",
        '{"email": "a@b.c", "password": "p w\\"d"}': '{"email": "a@b.c", "password": "***"}',
        '{"accessToken":"eyJ.x.y","refreshToken":"r"}': '{"accessToken":"***","refreshToken":"***"}',
        "Api-Key: abc": "Api-Key: ***",
    }  # fmt: skip
    for raw, masked in cases.items():
        assert redact(raw) == masked
    # Words that only look like field names are left alone; so is the merchant ID.
    for fine in ("the token was rejected", "merchant_id: demo-merchant", "Invalid password"):
        assert redact(fine) == fine


def test_very_short_values_are_not_registered() -> None:
    register_secret("ab")
    assert redact("a tab b") == "a tab b"
