"""The sandbox exchange as an ASGI app: Kuna Core's login and balance endpoints, plus controls.

API endpoints, as documented (shared/api/README.md): a successful POST answers 201 (the
back end's framework does so by default); a body with an unknown field, a missing one or
one of the wrong type gets the framework's 400, `{"statusCode": 400, "message": [every
problem], "error": "Bad Request"}` (see `tui.sandbox.validation`); other errors come in
Kuna's shape, `{"errors": [{"code", "message"}]}`.

- `POST /v2/auth/login`: header `merchant_id`, body `{"token": <email>, "password"}` (the
  documented field name; `{"email", ...}` is refused); answers
  `{"data": {"accessToken": <HS256 JWT>, "refreshToken", "expiresIn"}}`.
- `POST /v2/balance`: `Authorization: Bearer <JWT>` or `api-key: <key>` (any case);
  optional body `{"walletId"?, "assets"?}`; answers `{"data": [<asset>, ...]}`.
- `POST /v2/deposit/pre-request` `{"asset", "walletType"?}` (documented; `walletType` one
  of Customer, Institution, Wallet) and `POST /v2/deposit/address` `{"asset", "source",
  "walletId"?}` (our assumption): see `tui.sandbox.deposits`; both answer 201; their
  bodies are checked as every route's (the framework's 400); what the exchange refuses
  (an asset or source it does not serve, an unknown wallet) comes in Kuna's shape.
- `GET /v2/rate/equivalent`: the same authentication; answers `{"data": [{"asset",
  "equivalent": {"USD": "67250.4", ...}}, ...]}`, rates that move a little every tick
  (`tui.sandbox.rates`), with a gap (XRP has no EUR rate) and a "0" (TON in UAH).
- `POST /v2/operation/find?skip=&take=` and `POST /v2/operation/details`: the wallet's
  operations, in step with its balances (see `tui.sandbox.operation_routes`).

A new route: declare its body as a schema of `tui.sandbox.validation` rules, read it with
`read_body(request, SCHEMA)` in a payload handler, and route it through `api()` (faults,
201 for POST), as `login` and `balance` do.

Control endpoints, with no authentication (the sandbox only ever listens on loopback); their
bodies are read as the API's are, a bad one refused with the framework's 400:

- `GET /sandbox/faults`: the faults waiting, with their remaining uses.
- `POST /sandbox/faults`: queue a fault, `{"spec": "500x3"}` or its fields
  `{"kind": "slow", "delay": 2, "times": 1, "path": "/v2/balance"}`.
- `DELETE /sandbox/faults`: forget every fault.
- `POST /sandbox/advance`: `{"ticks": n}` (default 1) runs the simulation n ticks now.

Order of checks on an API request: a matching fault is taken (one use spent) as soon as
the request arrives. The early kinds (status, html, rate_limit, unauthorized, empty)
answer at once, before authentication or the body are looked at, as a gateway or an
outage would. `slow` waits, then serves normally. The corrupting kinds (bad_json,
wrong_shape, bad_amount) spoil the answer only when it would have been a 200; a request
that fails on its own (401, 400, 404) gets its real error, and the use is still spent.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.sandbox import operation_routes
from tui.sandbox.deposits import WALLET_TYPES, DepositDesk, DepositRefused
from tui.sandbox.faults import Fault, FaultPlan, RawReply, json_bytes, kuna_error
from tui.sandbox.tokens import TokenError, TokenSigner
from tui.sandbox.validation import (
    Schema,
    ValidationFailed,
    integer,
    number,
    read_body,
    text,
    text_list,
    text_or_integer,
)
from tui.sandbox.wallet import (
    DEMO_API_KEY,
    DEMO_EMAIL,
    DEMO_MERCHANT_ID,
    DEMO_PASSWORD,
    DemoExchange,
    UnknownWalletError,
)

#: The most ticks one `POST /sandbox/advance` may ask for.
MAX_ADVANCE_TICKS = 10_000

#: The control endpoints' bodies (ours, not Kuna's): checked the same way as the API's.
ADVANCE_BODY = {"ticks": integer(low=0, high=MAX_ADVANCE_TICKS)}
#: `{"spec"}` or the fault's fields; what each field may hold, `Fault` checks itself.
FAULT_BODY = {
    "spec": text(),
    "kind": text(),
    "status": integer(),
    "delay": number(),
    "retry_after": text_or_integer(),
    "times": integer(),
    "path": text(),
}
#: The documented request bodies (shared/api/README.md), field by field.
LOGIN_BODY = {"token": text(required=True), "password": text(required=True)}
BALANCE_BODY = {"walletId": text(), "assets": text_list()}
DEPOSIT_METHODS_BODY = {"asset": text(required=True), "walletType": text(choices=WALLET_TYPES)}
#: Our assumption: the page names no request fields beyond the asset's source.
DEPOSIT_ADDRESS_BODY = {
    "asset": text(required=True),
    "source": text(required=True),
    "walletId": text(),
}

Payload = dict[str, Any]
Handler = Callable[[Request], Awaitable[Payload]]


class ApiError(Exception):
    """An error answer in Kuna's shape; raised by handlers, rendered by the app."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _response(reply: RawReply) -> Response:
    return Response(
        reply.body, status_code=reply.status, media_type=reply.media_type, headers=reply.headers
    )


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return _response(RawReply(status, json_bytes(payload), headers=headers or {}))


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison that survives any text a client may send."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


class _RequestLog:
    """ASGI middleware appending every answered request to `exchange.requests`."""

    def __init__(self, app: ASGIApp, exchange: DemoExchange) -> None:
        self.app = app
        self.exchange = exchange

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Handlers note the auth mode in request.state, which is this very dict.
        state = scope.setdefault("state", {})
        status = 500  # what the client gets if the app raises before answering

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            self.exchange.record(scope["path"], state.get("auth"), status, scope["method"])


def create_app(
    exchange: DemoExchange,
    faults: FaultPlan | None = None,
    token_ttl: float = 3600.0,
    now: Callable[[], float] = time.time,
    deposits: DepositDesk | None = None,
) -> Starlette:
    """The sandbox exchange serving `exchange`, misbehaving as `faults` says.

    `now` (Unix time) dates and checks the access tokens; pass a fake one to test expiry.
    `deposits` answers the deposit endpoints (default: a desk of its own, in
    `app.state.deposits`).
    """
    plan = faults if faults is not None else FaultPlan()
    signer = TokenSigner(ttl=token_ttl, now=now)
    desk = deposits if deposits is not None else DepositDesk(exchange)

    async def api(request: Request, handler: Handler) -> Response:
        """Answer an API request with `handler`, as faults say; 201 for a POST's success."""
        fault = plan.take(request.url.path)
        if fault is not None and fault.answers_early:
            return _response(fault.early_reply())
        if fault is not None and fault.kind == "slow":
            await asyncio.sleep(fault.delay)
        payload = await handler(request)  # an ApiError goes out as it is, fault or not
        status = 201 if request.method == "POST" else 200
        if fault is not None and fault.corrupts:
            return _response(replace(fault.corrupt(payload), status=status))
        return _json(payload, status)

    def authenticate(request: Request) -> None:
        authorization = request.headers.get("authorization")
        api_key = request.headers.get("api-key")
        if authorization is not None:
            request.state.auth = "jwt"
            scheme, _, token = authorization.strip().partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise ApiError(401, "INVALID_TOKEN", "Invalid access token")
            try:
                signer.verify(token.strip())
            except TokenError as error:
                raise ApiError(401, error.code, error.message) from None
        elif api_key is not None:
            request.state.auth = "api-key"
            if not _same(api_key.strip(), DEMO_API_KEY):
                raise ApiError(401, "INVALID_API_KEY", "Invalid API key")
        else:
            raise ApiError(401, "UNAUTHORIZED", "Send a Bearer access token or an api-key header")

    async def login_payload(request: Request) -> Payload:
        merchant = request.headers.get("merchant_id", "").strip()
        if not merchant:
            raise ApiError(400, "MERCHANT_ID_REQUIRED", "The merchant_id header is required")
        body = await read_body(request, LOGIN_BODY)
        email, password = body["token"], body["password"]
        # Every comparison runs, so the time taken says nothing about which one failed.
        right = [
            _same(merchant, DEMO_MERCHANT_ID),
            _same(email.strip().lower(), DEMO_EMAIL),
            _same(password, DEMO_PASSWORD),
        ]
        if not all(right):
            raise ApiError(401, "INVALID_CREDENTIALS", "Invalid email or password")
        return {
            "data": {
                "accessToken": signer.issue(DEMO_EMAIL, DEMO_MERCHANT_ID),
                "refreshToken": secrets.token_urlsafe(32),
                "expiresIn": int(token_ttl),
            }
        }

    async def balance_payload(request: Request) -> Payload:
        authenticate(request)
        body = await read_body(request, BALANCE_BODY)
        wallet_id, assets = body.get("walletId"), body.get("assets")
        try:
            return exchange.balance_payload(wallet_id, assets)
        except UnknownWalletError:
            raise ApiError(404, "WALLET_NOT_FOUND", "Wallet not found") from None

    def deposit_handler(answer: Callable[[Payload], Payload], schema: Schema) -> Handler:
        async def payload(request: Request) -> Payload:
            authenticate(request)
            body = await read_body(request, schema)
            try:
                return answer(body)
            except DepositRefused as refused:
                raise ApiError(refused.status, refused.code, refused.message) from None

        return payload

    deposit_methods_payload = deposit_handler(desk.methods_payload, DEPOSIT_METHODS_BODY)
    deposit_address_payload = deposit_handler(desk.address_payload, DEPOSIT_ADDRESS_BODY)

    async def deposit_methods(request: Request) -> Response:
        return await api(request, deposit_methods_payload)

    async def deposit_address(request: Request) -> Response:
        return await api(request, deposit_address_payload)

    async def rates_payload(request: Request) -> Payload:
        authenticate(request)
        return exchange.rates_payload()

    async def operations_payload(request: Request) -> Payload:
        authenticate(request)
        return await operation_routes.find_payload(request, exchange, ApiError)

    async def details_payload(request: Request) -> Payload:
        authenticate(request)
        return await operation_routes.details_payload(request, exchange, ApiError)

    async def operations(request: Request) -> Response:
        return await api(request, operations_payload)

    async def details(request: Request) -> Response:
        return await api(request, details_payload)

    async def login(request: Request) -> Response:
        return await api(request, login_payload)

    async def rates(request: Request) -> Response:
        return await api(request, rates_payload)

    async def balance(request: Request) -> Response:
        return await api(request, balance_payload)

    async def list_faults(request: Request) -> Response:
        pending = [{**f.to_json(), "remaining": left} for f, left in plan.pending()]
        return _json({"data": pending})

    async def push_fault(request: Request) -> Response:
        body = await read_body(request, FAULT_BODY)
        try:
            fault = Fault.from_json(
                {name: value for name, value in body.items() if value is not None}
            )
        except (ValueError, TypeError) as error:  # what the fault itself says is wrong
            raise ValidationFailed([str(error)]) from None
        plan.push(fault)
        return _json({"data": {"fault": fault.to_json(), "pending": len(plan)}})

    async def clear_faults(request: Request) -> Response:
        cleared = len(plan)
        plan.clear()
        return _json({"data": {"cleared": cleared}})

    async def advance(request: Request) -> Response:
        body = await read_body(request, ADVANCE_BODY)
        ticks = body.get("ticks")
        exchange.advance(1 if ticks is None else ticks)
        return _json({"data": {"ticks": exchange.ticks}})

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _json(kuna_error(exc.code, exc.message), exc.status)

    async def validation_failed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ValidationFailed)
        return _json(exc.payload(), 400)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "BAD_REQUEST")
        message = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, exc.detail)
        return _json(kuna_error(code, message), exc.status_code, dict(exc.headers or {}))

    async def server_error(request: Request, exc: Exception) -> Response:
        return _json(kuna_error("INTERNAL_ERROR", "Internal server error"), 500)

    routes = [
        Route("/v2/auth/login", login, methods=["POST"]),
        Route("/v2/balance", balance, methods=["POST"]),
        Route("/v2/deposit/pre-request", deposit_methods, methods=["POST"]),
        Route("/v2/deposit/address", deposit_address, methods=["POST"]),
        Route("/v2/rate/equivalent", rates, methods=["GET"]),
        Route("/v2/operation/find", operations, methods=["POST"]),
        Route("/v2/operation/details", details, methods=["POST"]),
        Route("/sandbox/faults", list_faults, methods=["GET"]),
        Route("/sandbox/faults", push_fault, methods=["POST"]),
        Route("/sandbox/faults", clear_faults, methods=["DELETE"]),
        Route("/sandbox/advance", advance, methods=["POST"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(_RequestLog, exchange=exchange)],
        exception_handlers={
            ApiError: api_error,
            ValidationFailed: validation_failed,
            HTTPException: http_error,
            Exception: server_error,
        },
    )
    app.state.exchange = exchange
    app.state.faults = plan
    app.state.deposits = desk
    return app
