"""The sandbox's operation endpoints: `POST /v2/operation/find` and `POST /v2/operation/details`.

- find: query `skip` (default 0) and `take` (default 50, 1 to MAX_TAKE); optional body
  filters `type`, `status`, `walletId`, `externalId`, `sourceAsset`, `targetAsset`
  (strings), `dateFrom`, `dateTo` (ISO 8601, on `createdAt`). No `walletId` means the
  caller's main wallet, as for `/v2/balance` (our assumption). Answers
  `{"data": [<operation>, ...]}`, newest first.
- details: body `{"id": "<id>"}`; answers `{"data": [<operation>]}` (a list, as documented),
  404 OPERATION_NOT_FOUND for an unknown id.

Both read their body through `tui.sandbox.validation` (a field they do not know, or
of the wrong type, is refused with the framework's 400), and answer 201 as every POST.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from tui.sandbox.validation import read_body, text
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
#: The documented request bodies, field by field.
FIND_BODY = {name: text() for name in FIND_FILTERS}
DETAILS_BODY = {"id": text(required=True)}
_KEYWORDS = {
    "type": "type",
    "status": "status",
    "externalId": "external_id",
    "sourceAsset": "source_asset",
    "targetAsset": "target_asset",
}

Payload = dict[str, Any]
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


def _when(value: str, name: str, error: ErrorFactory) -> float:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise error(400, "VALIDATION_ERROR", f"{name} must be an ISO 8601 date") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


async def find_payload(request: Request, exchange: DemoExchange, error: ErrorFactory) -> Payload:
    """The answer of `/v2/operation/find` (authentication already checked)."""
    skip = _query_int(request, "skip", 0, 0, 10**9, error)
    take = _query_int(request, "take", DEFAULT_TAKE, 1, MAX_TAKE, error)
    body = await read_body(request, FIND_BODY)
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
    request: Request, exchange: DemoExchange, error: ErrorFactory
) -> Payload:
    """The answer of `/v2/operation/details` (authentication already checked)."""
    body = await read_body(request, DETAILS_BODY)
    operation = exchange.operation_json(body["id"].strip())
    if operation is None:
        raise error(404, "OPERATION_NOT_FOUND", "Operation not found")
    return {"data": [operation]}
