"""The sandbox exchange over HTTP (in-process ASGI): login, auth, balances, controls, errors."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from tui.api.parse import jwt_expiry, parse_balance_response, parse_login_response
from tui.sandbox.app import create_app
from tui.sandbox.faults import FaultPlan
from tui.sandbox.wallet import (
    DEMO_API_KEY,
    DEMO_EMAIL,
    DEMO_MERCHANT_ID,
    DEMO_PASSWORD,
    MAIN_WALLET_ID,
    SAVINGS_WALLET_ID,
    DemoExchange,
)

TTL = 600.0
JSON_HEADERS = {"accept": "application/json", "content-type": "application/json"}
LOGIN_HEADERS = {**JSON_HEADERS, "merchant_id": DEMO_MERCHANT_ID}
CREDENTIALS = {"token": DEMO_EMAIL, "password": DEMO_PASSWORD}
KEY = {"api-key": DEMO_API_KEY}


class Clock:
    """Unix time that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def exchange(clock: Clock) -> DemoExchange:
    return DemoExchange(clock=clock, moving=False)


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
async def client(
    exchange: DemoExchange, plan: FaultPlan, clock: Clock
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(exchange, plan, token_ttl=TTL, now=clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox", headers=JSON_HEADERS
    ) as c:
        yield c


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"errors"}
    return body["errors"][0]["code"]


def validation_messages(response: httpx.Response) -> list[str]:
    """The framework-style 400's messages (every problem of the body)."""
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"statusCode", "message", "error"}
    assert (body["statusCode"], body["error"]) == (400, "Bad Request")
    assert isinstance(body["message"], list)
    return body["message"]


async def login(client: httpx.AsyncClient) -> str:
    response = await client.post("/v2/auth/login", headers=LOGIN_HEADERS, json=CREDENTIALS)
    assert response.status_code == 201, response.text
    return response.json()["data"]["accessToken"]


# -- login -----------------------------------------------------------------------------


async def test_login_returns_a_real_jwt(client: httpx.AsyncClient, clock: Clock) -> None:
    response = await client.post("/v2/auth/login", headers=LOGIN_HEADERS, json=CREDENTIALS)
    assert response.status_code == 201  # the framework's default for a successful POST
    data = response.json()["data"]
    assert data["expiresIn"] == int(TTL)
    assert isinstance(data["refreshToken"], str) and len(data["refreshToken"]) >= 32
    claims = data["accessToken"].split(".")[1]
    decoded = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert decoded["sub"] == DEMO_EMAIL
    assert decoded["merchant"] == DEMO_MERCHANT_ID
    assert decoded["iat"] == int(clock.now)
    assert jwt_expiry(data["accessToken"]) == int(clock.now + TTL)
    tokens = parse_login_response(response.content)  # what the real client does with it
    assert tokens.expires_at == int(clock.now + TTL)


async def test_login_email_is_case_insensitive(client: httpx.AsyncClient) -> None:
    body = {"token": DEMO_EMAIL.upper(), "password": DEMO_PASSWORD}
    response = await client.post("/v2/auth/login", headers=LOGIN_HEADERS, json=body)
    assert response.status_code == 201


async def test_login_refuses_the_undocumented_email_field(client: httpx.AsyncClient) -> None:
    """The documented body carries the email in `token`; `email` is refused as a strict
    deployment refuses it, with every problem listed."""
    body = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    response = await client.post("/v2/auth/login", headers=LOGIN_HEADERS, json=body)
    assert validation_messages(response) == [
        "property email should not exist",
        "token must be a string",
    ]


@pytest.mark.parametrize(
    ("merchant", "body"),
    [
        (DEMO_MERCHANT_ID, {"token": DEMO_EMAIL, "password": "wrong"}),
        (DEMO_MERCHANT_ID, {"token": "someone@else.dev", "password": DEMO_PASSWORD}),
        ("other-merchant", CREDENTIALS),
    ],
)
async def test_login_refuses_wrong_credentials(
    client: httpx.AsyncClient, merchant: str, body: dict
) -> None:
    response = await client.post("/v2/auth/login", headers={"merchant_id": merchant}, json=body)
    assert response.status_code == 401
    assert response.json() == {
        "errors": [{"code": "INVALID_CREDENTIALS", "message": "Invalid email or password"}]
    }


async def test_login_requires_the_merchant_header(client: httpx.AsyncClient) -> None:
    response = await client.post("/v2/auth/login", json=CREDENTIALS)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"code": "MERCHANT_ID_REQUIRED", "message": "The merchant_id header is required"}
        ]
    }


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (b"", ["token must be a string", "password must be a string"]),
        (b"[1, 2]", ["request body must be a JSON object"]),
        (b'{"token": 5, "password": "x"}', ["token must be a string"]),
        (b'{"token": "a@b.c"}', ["password must be a string"]),
        (b'{"token": " ", "password": "x"}', ["token should not be empty"]),
        (
            b'{"token": "a@b.c", "password": "x", "otp": "1", "email": "a@b.c"}',
            ["property otp should not exist", "property email should not exist"],
        ),
    ],
)
async def test_login_refuses_bad_bodies_listing_every_problem(
    client: httpx.AsyncClient, content: bytes, messages: list[str]
) -> None:
    response = await client.post("/v2/auth/login", headers=LOGIN_HEADERS, content=content)
    assert validation_messages(response) == messages


async def test_a_body_that_is_not_json_is_a_framework_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/v2/auth/login", headers=LOGIN_HEADERS, content=b"{not json")
    [message] = validation_messages(response)
    assert message.startswith("Unexpected token in JSON")


# -- authentication of /v2/balance -----------------------------------------------------


async def test_jwt_auth_until_the_token_expires(
    client: httpx.AsyncClient, clock: Clock, exchange: DemoExchange
) -> None:
    token = await login(client)
    bearer = {"authorization": f"Bearer {token}"}
    assert (await client.post("/v2/balance", headers=bearer)).status_code == 201
    clock.now += TTL - 1
    assert (await client.post("/v2/balance", headers=bearer)).status_code == 201
    clock.now += 1
    response = await client.post("/v2/balance", headers=bearer)
    assert response.status_code == 401
    assert response.json() == {
        "errors": [{"code": "TOKEN_EXPIRED", "message": "Access token expired"}]
    }
    assert [r.auth for r in exchange.requests if r.path == "/v2/balance"] == ["jwt"] * 3
    assert [r.status for r in exchange.requests] == [201, 201, 201, 401]


async def test_a_tampered_or_foreign_token_is_refused(
    client: httpx.AsyncClient, exchange: DemoExchange
) -> None:
    token = await login(client)
    header, claims, signature = token.split(".")
    forged_claims = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    forged_claims["exp"] += 10**6
    forged = base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).rstrip(b"=").decode()
    other_app = create_app(DemoExchange(moving=False))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=other_app), base_url="http://other"
    ) as other:
        foreign = (
            await other.post("/v2/auth/login", headers=LOGIN_HEADERS, json=CREDENTIALS)
        ).json()["data"]["accessToken"]
    for value in (
        f"Bearer {header}.{forged}.{signature}",
        f"Bearer {foreign}",
        f"Bearer {token[:-2]}",
        "Bearer not-a-jwt",
        "Bearer ",
        f"Basic {token}",
        "Bearer é.é.é".encode("latin-1"),  # non-ASCII bytes must not crash the check
    ):
        response = await client.post("/v2/balance", headers={"authorization": value})
        assert response.status_code == 401, value
        assert error_code(response) == "INVALID_TOKEN", value


@pytest.mark.parametrize("name", ["api-key", "Api-key", "API-KEY", "aPi-KeY"])
async def test_api_key_in_any_header_case(
    client: httpx.AsyncClient, exchange: DemoExchange, name: str
) -> None:
    response = await client.post("/v2/balance", headers={name: DEMO_API_KEY})
    assert response.status_code == 201
    assert exchange.requests[-1].auth == "api-key"


async def test_wrong_api_key(client: httpx.AsyncClient) -> None:
    response = await client.post("/v2/balance", headers={"api-key": "guess"})
    assert response.status_code == 401
    assert error_code(response) == "INVALID_API_KEY"


async def test_no_credentials(client: httpx.AsyncClient, exchange: DemoExchange) -> None:
    response = await client.post("/v2/balance", json={})
    assert response.status_code == 401
    assert error_code(response) == "UNAUTHORIZED"
    assert exchange.requests[-1].auth is None


# -- balances --------------------------------------------------------------------------


async def test_balances_parse_exactly_with_the_real_parser(client: httpx.AsyncClient) -> None:
    response = await client.post("/v2/balance", headers=KEY)
    assert response.headers["content-type"] == "application/json"
    snapshot = parse_balance_response(response.content)
    eth = snapshot.get("ETH")
    assert eth is not None
    assert eth.available == Decimal("1.234567890123456789")
    assert eth.referral == Decimal("0.000000000000000001")
    assert b'"1.234567890123456789"' in response.content  # a string, never a float
    assert len(snapshot) == 8


async def test_wallet_id_selects_the_wallet(client: httpx.AsyncClient) -> None:
    main = await client.post("/v2/balance", headers=KEY, json={"walletId": MAIN_WALLET_ID})
    default = await client.post("/v2/balance", headers=KEY)
    savings = await client.post("/v2/balance", headers=KEY, json={"walletId": SAVINGS_WALLET_ID})
    assert main.json() == default.json()
    assert [i["asset"] for i in savings.json()["data"]] == ["BTC", "ETH", "USDT", "UAH"]


async def test_unknown_wallet_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post("/v2/balance", headers=KEY, json={"walletId": "nope"})
    assert response.status_code == 404
    assert error_code(response) == "WALLET_NOT_FOUND"


async def test_assets_filter(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v2/balance", headers=KEY, json={"walletId": None, "assets": ["usdt", "BTC", "DOGE"]}
    )
    assert [i["asset"] for i in response.json()["data"]] == ["BTC", "USDT"]


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        ({"walletId": 5}, ["walletId must be a string"]),
        ({"assets": "BTC"}, ["assets must be an array"]),
        ({"assets": ["BTC", 1]}, ["each value in assets must be a non-empty string"]),
        ({"assets": {"BTC": True}}, ["assets must be an array"]),
        (
            {"wallet": "x", "walletId": 5, "asset": "BTC"},
            ["property wallet should not exist", "property asset should not exist",
             "walletId must be a string"],
        ),
    ],
)  # fmt: skip
async def test_balance_body_with_wrong_or_unknown_fields_is_400(
    client: httpx.AsyncClient, body: dict, messages: list[str]
) -> None:
    response = await client.post("/v2/balance", headers=KEY, json=body)
    assert validation_messages(response) == messages


@pytest.mark.parametrize("content", [b"{", b"[]"])
async def test_balance_body_not_an_object(client: httpx.AsyncClient, content: bytes) -> None:
    response = await client.post("/v2/balance", headers=KEY, content=content)
    assert len(validation_messages(response)) == 1


@pytest.mark.parametrize(
    ("path", "headers", "content", "messages"),
    [
        (
            "/v2/auth/login",
            LOGIN_HEADERS,
            b'{"token": "x@example.com", "token": "%s", "password": "%s"}'
            % (DEMO_EMAIL.encode(), DEMO_PASSWORD.encode()),
            ["property token should not be given more than once"],
        ),
        (
            "/v2/balance",
            KEY,
            b'{"assets": ["BTC"], "assets": ["USDT"]}',
            ["property assets should not be given more than once"],
        ),
        (
            "/v2/operation/find?take=5",
            KEY,
            b'{"status": "Completed", "status": "Declined", "type": 1}',
            ["property status should not be given more than once", "type must be a string"],
        ),
        (
            "/v2/operation/details",
            KEY,
            b'{"id": "a", "id": "b"}',
            ["property id should not be given more than once"],
        ),
        # In a nested object too (the field itself is refused as well: it is not a string).
        (
            "/v2/balance",
            KEY,
            b'{"walletId": {"id": "a", "id": "b"}}',
            ["property id should not be given more than once", "walletId must be a string"],
        ),
    ],
)
async def test_a_key_given_twice_is_a_framework_400_on_every_route(
    client: httpx.AsyncClient, path: str, headers: dict, content: bytes, messages: list[str]
) -> None:
    # The last value would win silently in Python's and the framework's parsers: the
    # sandbox refuses, so that a client sending one fails here first.
    response = await client.post(path, headers=headers, content=content)
    assert validation_messages(response) == messages


async def test_authentication_comes_before_the_body(client: httpx.AsyncClient) -> None:
    response = await client.post("/v2/balance", content=b"{")
    assert response.status_code == 401


async def test_balances_move_with_the_exchange_clock(client: httpx.AsyncClient) -> None:
    clock = Clock()
    moving = DemoExchange(seed=7, clock=clock, tick_seconds=1.0)
    app = create_app(moving)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sandbox"
    ) as live:
        before = (await live.post("/v2/balance", headers=KEY)).json()
        clock.now += 30
        after = (await live.post("/v2/balance", headers=KEY)).json()
    assert before != after
    assert moving.ticks == 30


# -- errors and routing ----------------------------------------------------------------


async def test_unknown_route_is_404_in_kuna_shape(client: httpx.AsyncClient) -> None:
    response = await client.post("/v2/nothing", headers=KEY)
    assert response.status_code == 404
    assert response.json() == {"errors": [{"code": "NOT_FOUND", "message": "Not found"}]}


async def test_wrong_method_is_405_in_kuna_shape(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/balance", headers=KEY)
    assert response.status_code == 405
    assert error_code(response) == "METHOD_NOT_ALLOWED"
    assert response.headers["allow"] == "POST"


async def test_request_log(client: httpx.AsyncClient, exchange: DemoExchange, clock: Clock) -> None:
    await login(client)
    await client.post("/v2/balance", headers=KEY)
    await client.get("/nowhere")
    log = [(r.path, r.auth, r.status, r.method, r.time) for r in exchange.requests]
    assert log == [
        ("/v2/auth/login", None, 201, "POST", clock.now),
        ("/v2/balance", "api-key", 201, "POST", clock.now),
        ("/nowhere", None, 404, "GET", clock.now),
    ]


# -- control endpoints -----------------------------------------------------------------


async def test_fault_control_endpoints(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    pushed = await client.post("/sandbox/faults", json={"spec": "500x2"})
    assert pushed.status_code == 200
    assert pushed.json()["data"]["fault"]["times"] == 2
    pushed = await client.post(
        "/sandbox/faults", json={"kind": "rate_limit", "retry_after": 7, "path": "/v2/auth/login"}
    )
    assert pushed.json()["data"]["pending"] == 2
    listing = (await client.get("/sandbox/faults")).json()["data"]
    assert [(f["kind"], f["remaining"]) for f in listing] == [("status", 2), ("rate_limit", None)]

    assert (await client.post("/v2/balance", headers=KEY)).status_code == 500
    limited = await client.post("/v2/auth/login", headers=LOGIN_HEADERS, json=CREDENTIALS)
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "7")

    cleared = await client.delete("/sandbox/faults")
    assert cleared.json() == {"data": {"cleared": 2}}
    assert len(plan) == 0
    assert (await client.post("/v2/balance", headers=KEY)).status_code == 201


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ({"spec": "nope"}, ["fault spec 'nope': unknown fault 'nope'"]),
        ({"kind": "slow", "delay": "2"}, ["delay must be a number"]),
        ({"kind": "slow", "delay": 99999}, ["delay must be between 0 and"]),
        ({"colour": 1}, ["property colour should not exist"]),
        ({"spec": 3}, ["spec must be a string"]),
        ({"spec": "500", "times": True}, ["times must be an integer number"]),
        ({}, ["'kind' is required"]),
    ],
)
async def test_bad_faults_are_400(
    client: httpx.AsyncClient, plan: FaultPlan, body: dict, problems: list[str]
) -> None:
    response = await client.post("/sandbox/faults", json=body)
    messages = validation_messages(response)
    assert len(messages) == len(problems)
    assert all(m.startswith(p) for m, p in zip(messages, problems, strict=True)), messages
    assert len(plan) == 0


async def test_a_fault_with_a_key_twice_or_not_json_is_400(
    client: httpx.AsyncClient, plan: FaultPlan
) -> None:
    response = await client.post("/sandbox/faults", content=b'{"spec": "500", "spec": "slow"}')
    assert validation_messages(response) == ["property spec should not be given more than once"]
    response = await client.post("/sandbox/faults", content=b'{"spec": ')
    assert validation_messages(response)[0].startswith("Unexpected token in JSON")
    assert len(plan) == 0


async def test_advance_control_endpoint(client: httpx.AsyncClient, exchange: DemoExchange) -> None:
    before = exchange.balance_payload()
    response = await client.post("/sandbox/advance", json={"ticks": 25})
    assert response.json() == {"data": {"ticks": 25}}
    assert exchange.balance_payload() != before
    assert (await client.post("/sandbox/advance")).json() == {"data": {"ticks": 26}}
    for bad, problem in (
        ({"ticks": -1}, "ticks must not be less than 0"),
        ({"ticks": "3"}, "ticks must be an integer number"),
        ({"ticks": True}, "ticks must be an integer number"),
        ({"ticks": 10**9}, "ticks must not be greater than 10000"),
        ({"ticks": 1, "steps": 2}, "property steps should not exist"),
    ):
        response = await client.post("/sandbox/advance", json=bad)
        assert validation_messages(response) == [problem]
    response = await client.post("/sandbox/advance", content=b'{"ticks": 1, "ticks": 500}')
    assert validation_messages(response) == ["property ticks should not be given more than once"]
    assert exchange.ticks == 26  # no refused call moved the clock
