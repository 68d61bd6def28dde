"""The sandbox's operation endpoints: `POST /v2/operation/find` and `POST /v2/operation/details`.

What they accept is the documented contract (shared/api/README.md, "Operations"):

- find: query `skip` and `take` (integers; our assumption: skip from 0, default 0; take
  1 to MAX_TAKE, default 50); optional body filters `type`, `status` (one of the
  documented types and statuses), `walletId`, `externalId`, `sourceAsset`,
  `targetAsset` (strings), `dateFrom`, `dateTo` (ISO 8601, on `createdAt`). No
  `walletId` means the caller's main wallet, as for `/v2/balance` (our assumption).
  Answers `{"data": [<operation>, ...]}`, newest first.
- details: body `{"id": "<id>"}`; answers `{"data": [<operation>]}` (a list, as
  documented), 404 OPERATION_NOT_FOUND for an unknown id.

Both check their query and body through `tui.sandbox.validation`, as every route does:
a field they do not know, one of the wrong type, or a bad `skip`/`take` is refused with
the framework's 400 listing every problem at once; what is refused as a fact of the
exchange (an unknown wallet or operation) comes in Kuna's error shape. 201 as every POST.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from tui.api.operations import STATUSES, TYPES
from tui.sandbox.validation import check_query, integer, iso_date, read_body, text
from tui.sandbox.wallet import DemoExchange, UnknownWalletError

#: The largest page the sandbox serves.
MAX_TAKE = 500
DEFAULT_TAKE = 50
#: The documented requests, field by field.
FIND_QUERY = {"skip": integer(low=0), "take": integer(low=1, high=MAX_TAKE)}
FIND_BODY = {
    "type": text(choices=TYPES),
    "status": text(choices=STATUSES),
    "walletId": text(),
    "externalId": text(),
    "sourceAsset": text(),
    "targetAsset": text(),
    "dateFrom": iso_date(),
    "dateTo": iso_date(),
}
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


def _when(value: str) -> float:
    """Unix time of an ISO 8601 text already checked by `iso_date` (no zone: UTC)."""
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


async def find_payload(request: Request, exchange: DemoExchange, error: ErrorFactory) -> Payload:
    """The answer of `/v2/operation/find` (authentication already checked)."""
    paging, problems = check_query(request.query_params, FIND_QUERY)
    body = await read_body(request, FIND_BODY, problems)  # one 400 for query and body
    skip, take = paging.get("skip", 0), paging.get("take", DEFAULT_TAKE)
    filters: dict[str, Any] = {
        keyword: body[name] for name, keyword in _KEYWORDS.items() if body.get(name) is not None
    }
    for name, keyword in (("dateFrom", "date_from"), ("dateTo", "date_to")):
        if body.get(name) is not None:
            filters[keyword] = _when(body[name])
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
