"""The documented login body, `{"token": email, "password"}`, and the one fallback to
`{"email", ...}` for a server that says the field is wrong, remembered per exchange."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import SANDBOX_URL
from tui.api.auth import PasswordAuth, Secret
from tui.api.client import KunaClient
from tui.api.errors import AuthenticationError
from tui.api.login_body import LoginField, forget_login_fields, login_field_rejected
from tui.sandbox.wallet import DEMO_EMAIL, DEMO_MERCHANT_ID, DEMO_PASSWORD, DemoExchange

URL = "https://exchange.example"
AUTH = PasswordAuth("m-1", "me@example.com", Secret("s3cret-pass"))
GOOD = {"data": {"accessToken": "a.b.c"}, "extra": None}
BALANCES = {"data": [{"asset": "BTC", "balance": "1"}]}


@pytest.fixture(autouse=True)
def _documented_field_first() -> Iterator[None]:
    forget_login_fields()
    yield
    forget_login_fields()


class Server:
    """A small exchange that takes the email under one field name only, and records bodies.

    `refusal` builds its 400/422 answer for a body with the wrong field.
    """

    def __init__(
        self, field: str, refusal: Callable[[str], httpx.Response], status: int = 201
    ) -> None:
        self.field = field
        self.refusal = refusal
        self.status = status
        self.bodies: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v2/balance":
            return httpx.Response(self.status, json=BALANCES)
        body = json.loads(request.content)
        self.bodies.append(body)
        wrong = next((name for name in body if name not in (self.field, "password")), None)
        if wrong is not None:
            return self.refusal(wrong)
        if body.get("password") != "s3cret-pass":
            return httpx.Response(401, json={"errors": [{"message": "Invalid email or password"}]})
        return httpx.Response(self.status, json=GOOD)

    def client(self) -> KunaClient:
        return KunaClient(URL, AUTH, transport=httpx.MockTransport(self))


def nest_400(wrong: str) -> httpx.Response:
    """class-validator with forbidNonWhitelisted, as the provider's framework answers."""
    expected = "email" if wrong == "token" else "token"
    messages = [f"property {wrong} should not exist", f"{expected} must be a string"]
    return httpx.Response(
        400, json={"statusCode": 400, "message": messages, "error": "Bad Request"}
    )


def pydantic_422(wrong: str) -> httpx.Response:
    expected = "email" if wrong == "token" else "token"
    return httpx.Response(
        422,
        json={
            "detail": [
                {"loc": ["body", expected], "msg": "Field required"},
                {"loc": ["body", wrong], "msg": "Extra inputs are not permitted"},
            ]
        },
    )


def joi_400(wrong: str) -> httpx.Response:
    return httpx.Response(400, json={"message": f'"{wrong}" is not allowed'})


async def test_the_sandbox_takes_the_documented_body_at_once(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    auth = PasswordAuth(DEMO_MERCHANT_ID, DEMO_EMAIL, Secret(DEMO_PASSWORD))
    async with KunaClient(SANDBOX_URL, auth, transport=transport) as client:
        await client.fetch_balances()
    assert [(r.path, r.status) for r in exchange.requests] == [
        ("/v2/auth/login", 201),
        ("/v2/balance", 201),
    ]


async def test_the_documented_body_goes_first_and_alone() -> None:
    server = Server("token", nest_400)
    async with server.client() as client:
        await client.login()
        await client.fetch_balances()
    assert server.bodies == [{"token": "me@example.com", "password": "s3cret-pass"}]


@pytest.mark.parametrize("refusal", [nest_400, pydantic_422, joi_400])
async def test_a_server_that_wants_email_gets_it_once_and_for_the_session(
    refusal: Callable[[str], httpx.Response],
) -> None:
    server = Server("email", refusal)
    async with server.client() as client:
        await client.login()
        snapshot = await client.fetch_balances()
    assert snapshot.assets == ("BTC",)
    assert [list(body) for body in server.bodies] == [["token", "password"], ["email", "password"]]
    assert LoginField.for_exchange(URL) is LoginField.EMAIL
    # A new client for the same exchange (a re-login from the login screen) asks right away.
    async with server.client() as again:
        await again.login()
    assert [list(body) for body in server.bodies][2:] == [["email", "password"]]


async def test_a_wrong_password_is_not_a_field_problem() -> None:
    def wrong_credentials(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        message = {
            "statusCode": 400,
            "message": ["Invalid email or password"],
            "error": "Bad Request",
        }
        return httpx.Response(400, json=message)

    bodies: list[dict[str, str]] = []
    async with KunaClient(URL, AUTH, transport=httpx.MockTransport(wrong_credentials)) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.login()
    assert len(bodies) == 1
    assert caught.value.message == "Login failed: Invalid email or password"


async def test_a_field_refused_both_ways_is_tried_once_and_reported_in_full() -> None:
    def neither(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        wrong = next(name for name in bodies[-1] if name != "password")
        messages = [f"property {wrong} should not exist", "login must be a string"]
        return httpx.Response(
            400, json={"statusCode": 400, "message": messages, "error": "Bad Request"}
        )

    bodies: list[dict[str, str]] = []
    async with KunaClient(URL, AUTH, transport=httpx.MockTransport(neither)) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.login()
    assert [list(body) for body in bodies] == [["token", "password"], ["email", "password"]]
    # The documented body's answer, every message of it.
    assert caught.value.message == (
        "Login failed: property token should not exist; login must be a string"
    )
    assert LoginField.for_exchange(URL) is LoginField.TOKEN


async def test_the_fallback_keeps_the_field_even_when_the_password_is_wrong() -> None:
    server = Server("email", nest_400)
    wrong = PasswordAuth("m-1", "me@example.com", Secret("not-it"))
    async with KunaClient(URL, wrong, transport=httpx.MockTransport(server)) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.login()
    assert caught.value.message == "Login failed: Invalid email or password"
    assert LoginField.for_exchange(URL) is LoginField.EMAIL


@pytest.mark.parametrize("status", [200, 201, 202, 203])
async def test_every_2xx_is_success_for_login_and_balances(status: int) -> None:
    server = Server("token", nest_400, status=status)
    async with server.client() as client:
        assert (await client.fetch_balances()).assets == ("BTC",)


@pytest.mark.parametrize(
    ("message", "about_the_field"),
    [
        ("property email should not exist", True),
        ("property token should not exist", True),
        ("email must be an email", True),
        ("token must be a string", True),
        ("token should not be empty", True),
        ('"token" is not allowed', True),
        ("token: Extra inputs are not permitted", True),
        ("email: Field required", True),
        ("Unknown field: token", True),
        ("Invalid email or password", False),
        ("Wrong password", False),
        ("INVALID_CREDENTIALS", False),
        ("Invalid token", False),
        ("Merchant not found", False),
    ],
)
def test_which_messages_say_the_field_is_wrong(message: str, about_the_field: bool) -> None:
    assert login_field_rejected([message]) is about_the_field
