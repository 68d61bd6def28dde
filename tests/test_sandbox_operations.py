"""The sandbox's operations: in step with its moving balances, filtered and paged over HTTP."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import httpx
import pytest

from tests.conftest import SANDBOX_URL
from tui.api.client import KunaClient
from tui.api.errors import BadResponseError, ServerError
from tui.api.operations import OperationFilter
from tui.sandbox.app import create_app
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.operations import DECLINE_FROM_TICK, ONHOLD_FROM_TICK
from tui.sandbox.wallet import DEMO_API_KEY, MAIN_WALLET_ID, SAVINGS_WALLET_ID, DemoExchange

SEEDED_LOCK = {(MAIN_WALLET_ID, "USDT"): Decimal(150)}


def holds_and_locks(exchange: DemoExchange) -> dict[tuple[str, str, str], Decimal]:
    amounts: dict[tuple[str, str, str], Decimal] = {}
    for wallet in exchange.wallet_ids:
        for item in exchange.balance_payload(wallet)["data"]:
            for field in ("holdBalance", "lockBalance"):
                amounts[(wallet, item["asset"], field)] = Decimal(item[field])
    return amounts


def explained(exchange: DemoExchange) -> dict[tuple[str, str, str], Decimal]:
    """What the operations say the hold and lock balances must be."""
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for op in exchange.book.operations:
        if op.status in ("Created", "Processing"):
            sums[(op.wallet_id, op.asset, "holdBalance")] += op.amount
        elif op.status == "OnHold":
            sums[(op.wallet_id, op.asset, "lockBalance")] += op.amount
    return sums


def test_every_hold_and_lock_is_explained_by_operations_tick_after_tick(
    exchange: DemoExchange,
) -> None:
    seen_statuses: set[tuple[str, str]] = set()
    for _ in range(40):
        actual = holds_and_locks(exchange)
        expected = explained(exchange)
        for key, value in actual.items():
            assert value == expected.get(key, Decimal(0)), (exchange.ticks, key)
        seen_statuses |= {(op.type, op.status) for op in exchange.book.operations}
        exchange.advance(1)
    assert {
        ("Deposit", "Created"),
        ("Deposit", "Processing"),
        ("Deposit", "Completed"),
        ("Deposit", "OnHold"),
        ("Withdraw", "Processing"),
        ("Withdraw", "Completed"),
        ("Withdraw", "Declined"),
    } <= seen_statuses


def test_a_deposit_goes_created_processing_completed_with_its_amount_on_hold(
    exchange: DemoExchange,
) -> None:
    before = {op.id for op in exchange.book.operations}
    while True:
        exchange.advance(1)
        new = [
            op
            for op in exchange.book.operations
            if op.id not in before and op.type == "Deposit" and op.wallet_id == MAIN_WALLET_ID
        ]
        if new:
            break
    deposit = new[0]
    assert deposit.status == "Created"
    hold = exchange.amount(deposit.asset, "holdBalance")
    assert hold >= deposit.amount
    exchange.advance(1)
    assert deposit.status == "Processing"
    balance = exchange.amount(deposit.asset)
    while deposit.status == "Processing":
        exchange.advance(1)
    assert deposit.status in ("Completed", "OnHold")
    assert deposit.updated_at > deposit.created_at
    if deposit.status == "Completed":
        assert exchange.amount(deposit.asset) >= balance  # landed (less any withdrawal meanwhile)


def test_one_deposit_goes_on_hold_and_one_withdrawal_is_declined_and_returned(
    exchange: DemoExchange,
) -> None:
    exchange.advance(max(ONHOLD_FROM_TICK, DECLINE_FROM_TICK) + 30)
    live = [op for op in exchange.book.operations if op.created_at >= exchange.book.started_at]
    on_hold = [op for op in live if op.status == "OnHold"]
    declined = [op for op in live if op.status == "Declined"]
    assert len(on_hold) == 1 and on_hold[0].type == "Deposit"
    assert len(declined) == 1 and declined[0].type == "Withdraw"
    assert "reason" in declined[0].extra and "reason" in on_hold[0].extra


@pytest.fixture
async def client(exchange: DemoExchange, faults: FaultPlan) -> KunaClient:
    exchange.advance(12)
    transport = httpx.ASGITransport(app=create_app(exchange, faults))
    from tui.api.auth import ApiKeyAuth, Secret

    return KunaClient(SANDBOX_URL, ApiKeyAuth(Secret(DEMO_API_KEY)), transport=transport)


async def test_find_filters_and_orders_newest_first(client: KunaClient, exchange: DemoExchange) -> None:
    everything = await client.all_operations()
    times = [op.created_at for op in everything]
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]
    assert {op.wallet_id for op in everything} == {MAIN_WALLET_ID}  # no walletId: the main wallet
    declined = await client.all_operations(OperationFilter(status="Declined"))
    assert declined and all(op.status == "Declined" for op in declined)
    usdt = await client.all_operations(OperationFilter(source_asset="USDT", type="Withdraw"))
    assert usdt and all((op.source_asset, op.type) == ("USDT", "Withdraw") for op in usdt)
    since = everything[2].created_at
    recent = await client.all_operations(OperationFilter(date_from=since))
    assert [op.id for op in recent] == [op.id for op in everything[:3]]
    savings = await client.all_operations(OperationFilter(wallet_id=SAVINGS_WALLET_ID))
    assert savings and {op.wallet_id for op in savings} == {SAVINGS_WALLET_ID}


async def test_skip_and_take_page_through_every_operation(
    client: KunaClient, exchange: DemoExchange
) -> None:
    whole = await client.find_operations(take=500)
    pages = [await client.find_operations(skip=skip, take=4) for skip in range(0, len(whole) + 4, 4)]
    assert [op.id for page in pages for op in page] == [op.id for op in whole]
    assert len(pages[-1]) == 0
    calls = len(exchange.requests)
    assert [op.id for op in await client.all_operations(page_size=4)] == [op.id for op in whole]
    assert len(exchange.requests) - calls == len(pages)  # until the empty page


async def test_details_send_every_field_and_unknown_ids_are_404(client: KunaClient) -> None:
    first = (await client.find_operations(take=1)).operations[0]
    detail = await client.operation_details(first)
    assert detail is not None and detail.fields == first.fields
    with pytest.raises(ServerError, match="Operation not found"):
        await client.operation_details("no-such-id")


async def test_unknown_body_fields_and_bad_paging_are_refused(exchange: DemoExchange) -> None:
    transport = httpx.ASGITransport(app=create_app(exchange))
    headers = {"api-key": DEMO_API_KEY}
    async with httpx.AsyncClient(transport=transport, base_url=SANDBOX_URL) as http:
        answer = await http.post("/v2/operation/find", json={"colour": "red"}, headers=headers)
        assert answer.status_code == 400 and "colour" in answer.text
        answer = await http.post("/v2/operation/find?take=0", json={}, headers=headers)
        assert answer.status_code == 400
        answer = await http.post("/v2/operation/find", json={"dateFrom": "soon"}, headers=headers)
        assert answer.status_code == 400
        answer = await http.post("/v2/operation/details", json={"id": "x", "x": 1}, headers=headers)
        assert answer.status_code == 400
        answer = await http.post("/v2/operation/find", json={})
        assert answer.status_code == 401


async def test_find_and_details_refuse_as_the_framework_does_listing_every_problem(
    exchange: DemoExchange,
) -> None:
    transport = httpx.ASGITransport(app=create_app(exchange))
    headers = {"api-key": DEMO_API_KEY}
    async with httpx.AsyncClient(transport=transport, base_url=SANDBOX_URL) as http:
        # Query and body wrong together: one 400 in the framework's shape names them all.
        answer = await http.post(
            "/v2/operation/find?skip=-1&take=9999",
            json={"colour": "red", "dateFrom": "soon", "status": "Done", "type": 5},
            headers=headers,
        )
        assert answer.status_code == 400
        body = answer.json()
        assert body["statusCode"] == 400 and body["error"] == "Bad Request"
        assert sorted(body["message"]) == sorted(
            [
                "skip must be an integer number",
                "take must not be greater than 500",
                "property colour should not exist",
                "dateFrom must be a valid ISO 8601 date string",
                "status must be one of the following values: "
                "Created, Processing, OnHold, Declined, Completed",
                "type must be a string",
            ]
        )
        answer = await http.post("/v2/operation/find?take=0", json={}, headers=headers)
        assert answer.json()["message"] == ["take must not be less than 1"]
        answer = await http.post(
            "/v2/operation/details", json={"id": "x", "x": 1}, headers=headers
        )
        assert answer.status_code == 400
        assert answer.json()["message"] == ["property x should not exist"]
        answer = await http.post("/v2/operation/details", json={}, headers=headers)
        assert answer.status_code == 400 and answer.json()["message"] == ["id must be a string"]
        answer = await http.post("/v2/operation/details", content=b"{", headers=headers)
        assert answer.status_code == 400 and "statusCode" in answer.json()
        # What the exchange itself refuses (no such wallet or operation) stays Kuna's shape.
        answer = await http.post("/v2/operation/details", json={"id": "nope"}, headers=headers)
        assert answer.status_code == 404
        assert answer.json()["errors"][0]["code"] == "OPERATION_NOT_FOUND"
        answer = await http.post(
            "/v2/operation/find", json={"walletId": "no-such-wallet"}, headers=headers
        )
        assert answer.status_code == 404
        assert answer.json()["errors"][0]["code"] == "WALLET_NOT_FOUND"


async def test_find_accepts_every_documented_filter(exchange: DemoExchange) -> None:
    transport = httpx.ASGITransport(app=create_app(exchange))
    headers = {"api-key": DEMO_API_KEY}
    everything = {
        "type": "Deposit",
        "status": "OnHold",
        "walletId": MAIN_WALLET_ID,
        "externalId": None,  # null counts as absent, as the framework's optional fields
        "sourceAsset": "USDT",
        "targetAsset": "USDT",
        "dateFrom": "2000-01-01T00:00:00.000Z",
        "dateTo": "2100-01-01",
    }
    async with httpx.AsyncClient(transport=transport, base_url=SANDBOX_URL) as http:
        answer = await http.post(
            "/v2/operation/find?skip=0&take=500", json=everything, headers=headers
        )
        assert answer.status_code == 201, answer.text
        found = answer.json()["data"]
        assert found and all(
            item["status"] == "OnHold" and item["type"] == "Deposit" for item in found
        )
        for status in ("Created", "Processing", "OnHold", "Declined", "Completed"):
            answer = await http.post("/v2/operation/find", json={"status": status}, headers=headers)
            assert answer.status_code == 201
        answer = await http.post(
            "/v2/operation/find", json={"dateFrom": "2100-01-01T00:00:00+02:00"}, headers=headers
        )
        assert answer.status_code == 201 and answer.json()["data"] == []


async def test_faults_reach_both_endpoints(client: KunaClient, faults: FaultPlan) -> None:
    faults.push(Fault.parse("500x1@/v2/operation/find"))
    with pytest.raises(ServerError, match="500"):
        await client.find_operations()
    faults.push(Fault.parse("bad_amount@/v2/operation/find"))
    with pytest.raises(BadResponseError, match="targetAmount"):
        await client.find_operations()
    faults.clear()
    first = (await client.find_operations(take=1)).operations[0]
    faults.push(Fault.parse("wrong_shapex1@/v2/operation/details"))
    with pytest.raises(BadResponseError):
        await client.operation_details(first)
    faults.push(Fault.parse("html:502x1@/v2/operation/details"))
    with pytest.raises(ServerError, match="502"):
        await client.operation_details(first)
