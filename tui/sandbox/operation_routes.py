"""The sandbox's operation endpoints: `POST /v2/operation/find` and `POST /v2/operation/details`.

- find: query `skip` (default 0) and `take` (default 50, 1 to MAX_TAKE); optional body
  filters `type`, `status`, `walletId`, `externalId`, `sourceAsset`, `targetAsset`
  (strings), `dateFrom`, `dateTo` (ISO 8601, on `createdAt`). No `walletId` means the
  caller's main wallet, as for `/v2/balance` (our assumption). Answers
  `{"data": [<operation>, ...]}`, newest first.
- details: body `{"id": "<id>"}`; answers `{"data": [<operation>]}` (a list, as documented),
  404 OPERATION_NOT_FOUND for an unknown id.

Both refuse a field they do not know with 400, as a strict (validating) server does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from tui.sandbox.wallet import DemoExchange, UnknownWalletError

#: The largest page the sandbox serves.
MAX_TAKE = 500
DEFAULT_TAKE = 50
FIND_FILTERS = (
    "type",
    "status",
    "walletId",
    "externalId",
    "sourceAsset",
    "targetAsset",
    "dateFrom",
    "dateTo",
)
_KEYWORDS = {
    "type": "type",
    "status": "status",
    "externalId": "external_id",
    "sourceAsset": "source_asset",
    "targetAsset": "target_asset",
}

Payload = dict[str, Any]
BodyReader = Callable[[Request], Awaitable[Payload]]
# (status, code, message) -> the exception the app renders as a Kuna error.
ErrorFactory = Callable[[int, str, str], Exception]


def _query_int(
    request: Request, name: str, default: int, low: int, high: int, error: ErrorFactory
) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit() or not low <= int(raw) <= high:
        raise error(400, "VALIDATION_ERROR", f"{name} must be an integer from {low} to {high}")
    return int(raw)


def _refuse_unknown(body: Payload, allowed: tuple[str, ...], error: ErrorFactory) -> None:
    unknown = [key for key in body if key not in allowed]
    if unknown:
        names = ", ".join(sorted(unknown))
        raise error(400, "VALIDATION_ERROR", f"property {names} should not exist")


def _when(value: str, name: str, error: ErrorFactory) -> float:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise error(400, "VALIDATION_ERROR", f"{name} must be an ISO 8601 date") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


async def find_payload(
    request: Request, exchange: DemoExchange, body_of: BodyReader, error: ErrorFactory
) -> Payload:
    """The answer of `/v2/operation/find` (authentication already checked)."""
    skip = _query_int(request, "skip", 0, 0, 10**9, error)
    take = _query_int(request, "take", DEFAULT_TAKE, 1, MAX_TAKE, error)
    body = await body_of(request)
    _refuse_unknown(body, FIND_FILTERS, error)
    for key, value in body.items():
        if value is not None and not isinstance(value, str):
            raise error(400, "VALIDATION_ERROR", f"{key} must be a string")
    filters: dict[str, Any] = {
        keyword: body[name] for name, keyword in _KEYWORDS.items() if body.get(name) is not None
    }
    for name, keyword in (("dateFrom", "date_from"), ("dateTo", "date_to")):
        if body.get(name) is not None:
            filters[keyword] = _when(body[name], name, error)
    try:
        items = exchange.operations_payload(body.get("walletId"), **filters)["data"]
    except UnknownWalletError:
        raise error(404, "WALLET_NOT_FOUND", "Wallet not found") from None
    return {"data": items[skip : skip + take]}


async def details_payload(
    request: Request, exchange: DemoExchange, body_of: BodyReader, error: ErrorFactory
) -> Payload:
    """The answer of `/v2/operation/details` (authentication already checked)."""
    body = await body_of(request)
    _refuse_unknown(body, ("id",), error)
    operation_id = body.get("id")
    if not isinstance(operation_id, str) or not operation_id.strip():
        raise error(400, "VALIDATION_ERROR", "id must be a non-empty string")
    operation = exchange.operation_json(operation_id.strip())
    if operation is None:
        raise error(404, "OPERATION_NOT_FOUND", "Operation not found")
    return {"data": [operation]}
