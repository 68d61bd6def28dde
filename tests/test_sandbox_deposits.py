"""The sandbox's deposit endpoints over HTTP, and the client's methods for them."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.conftest import SANDBOX_URL
from tui.api.client import KunaClient
from tui.api.errors import BadResponseError, ServerError
from tui.sandbox.app import create_app
from tui.sandbox.deposits import CATALOGUE, generate_address
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DEMO_API_KEY, MAIN_WALLET_ID, SAVINGS_WALLET_ID, DemoExchange

KEY = {"api-key": DEMO_API_KEY, "content-type": "application/json"}


@pytest.fixture
async def http(exchange: DemoExchange, faults: FaultPlan) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(exchange, faults))
    return httpx.AsyncClient(transport=transport, base_url="http://sandbox")


async def test_usdt_has_three_networks_with_different_minimums_and_one_fee(
    key_client: KunaClient,
) -> None:
    methods = await key_client.fetch_deposit_methods("USDT")
    assert methods.sources == ("TRX", "ETH", "BSC")
    minimums = [m.min_amount for m in methods]
    assert len(set(minimums)) == 3
    assert [m.source for m in methods if m.has_fee] == ["ETH"]
    assert methods.get("eth").fee_fixed == Decimal("5")  # type: ignore[union-attr]


async def test_fiat_has_no_method_and_memo_coins_get_a_tag(key_client: KunaClient) -> None:
    assert (await key_client.fetch_deposit_methods("UAH")).methods == ()
    xrp = await key_client.deposit_address("XRP", "XRP")
    assert xrp.memo == "1499017317"  # the seeded one: get, not generate


async def test_get_or_create_gives_one_address_and_balance_lists_it(
    key_client: KunaClient, exchange: DemoExchange
) -> None:
    before = (await key_client.fetch_balances()).get("TRX")
    assert before is not None and before.deposit_addresses == ()  # no address yet
    first = await key_client.deposit_address("TRX", "TRX")
    again = await key_client.deposit_address("TRX", "TRX")
    assert first == again
    assert first.address.startswith("T") and len(first.address) == 34
    after = (await key_client.fetch_balances()).get("TRX")
    assert after is not None and after.deposit_addresses == (first,)
    # Another wallet gets another address for the same asset and source.
    savings = await key_client.deposit_address("TRX", "TRX", SAVINGS_WALLET_ID)
    assert savings.address != first.address
    assert savings.address == generate_address(SAVINGS_WALLET_ID, "TRX", "TRX")[0]
    assert generate_address(MAIN_WALLET_ID, "TRX", "TRX")[0] == first.address


async def test_an_existing_address_is_returned_not_replaced(key_client: KunaClient) -> None:
    seeded = (await key_client.fetch_balances()).get("USDT")
    assert seeded is not None
    trx = await key_client.deposit_address("USDT", "TRX")
    assert trx == seeded.deposit_addresses[0]
    bsc = await key_client.deposit_address("USDT", "BSC")
    assert bsc.address.startswith("0x") and len(bsc.address) == 42
    networks = [
        a.network for a in (await key_client.fetch_balances()).get("USDT").deposit_addresses
    ]  # type: ignore[union-attr]
    assert networks == ["TRX", "ETH", "BSC"]


async def test_an_asset_the_wallet_never_held_appears_at_zero(key_client: KunaClient) -> None:
    address = await key_client.deposit_address("SOL", "SOL", SAVINGS_WALLET_ID)
    sol = (await key_client.fetch_balances(SAVINGS_WALLET_ID)).get("SOL")
    assert sol is not None and sol.is_zero and sol.deposit_addresses == (address,)


async def test_refusals_in_the_servers_words(
    key_client: KunaClient, transport: httpx.ASGITransport
) -> None:
    with pytest.raises(ServerError, match="400 Bad Request: Source BTC is not available for USDT"):
        await key_client.deposit_address("USDT", "BTC")
    with pytest.raises(ServerError, match="Asset NOPE is not supported"):
        await key_client.fetch_deposit_methods("NOPE")
    with pytest.raises(ServerError, match=r"Not found \(404\) .*: Wallet not found"):
        await key_client.deposit_address("BTC", "BTC", "no-such-wallet")
    desk = transport.app.state.deposits  # type: ignore[attr-defined]
    desk.refuse("USDT", "BSC", "BSC deposits are suspended for maintenance")
    with pytest.raises(ServerError, match="400 Bad Request: BSC deposits are suspended"):
        await key_client.deposit_address("USDT", "BSC")
    desk.allow("USDT", "BSC")
    assert (await key_client.deposit_address("USDT", "BSC")).network == "BSC"


async def test_answers_are_201_and_unknown_fields_get_the_frameworks_400(
    http: httpx.AsyncClient,
) -> None:
    ok = await http.post("/v2/deposit/pre-request", headers=KEY, json={"asset": "BTC"})
    assert ok.status_code == 201
    assert ok.json() == {
        "data": [
            {
                "source": "BTC",
                "paymentMethodCode": "BTC_BTC",
                "feeFixed": "0",
                "feeRate": "0",
                "minAmount": CATALOGUE["BTC"][0].min_amount,
                "maxAmount": "100",
            }
        ]
    }
    bad = await http.post(
        "/v2/deposit/address", headers=KEY, json={"asset": "BTC", "network": "BTC"}
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "statusCode": 400,
        "message": ["property network should not exist", "source must be a string"],
        "error": "Bad Request",
    }
    missing = await http.post("/v2/deposit/address", headers=KEY, json={"asset": "BTC"})
    assert missing.json()["message"] == ["source must be a string"]
    wallet_type = await http.post(
        "/v2/deposit/pre-request", headers=KEY, json={"asset": "BTC", "walletType": "Institution"}
    )
    assert wallet_type.status_code == 201
    anonymous = await http.post("/v2/deposit/address", json={"asset": "BTC", "source": "BTC"})
    assert anonymous.status_code == 401


FRAMEWORK_400 = {"statusCode": 400, "error": "Bad Request"}


@pytest.mark.parametrize(
    ("path", "body", "problems"),
    [
        # Missing fields: every one named.
        ("/v2/deposit/pre-request", {}, ["asset must be a string"]),
        ("/v2/deposit/pre-request", {"walletType": "Customer"}, ["asset must be a string"]),
        ("/v2/deposit/address", {}, ["asset must be a string", "source must be a string"]),
        ("/v2/deposit/address", {"source": "TRX"}, ["asset must be a string"]),
        ("/v2/deposit/address", {"asset": " ", "source": "TRX"}, ["asset should not be empty"]),
        # Wrong types, and a walletType the page does not list.
        ("/v2/deposit/pre-request", {"asset": 5}, ["asset must be a string"]),
        ("/v2/deposit/pre-request", {"asset": ["BTC"]}, ["asset must be a string"]),
        (
            "/v2/deposit/pre-request",
            {"asset": "BTC", "walletType": "Savings"},
            ["walletType must be one of the following values: Customer, Institution, Wallet"],
        ),
        (
            "/v2/deposit/pre-request",
            {"asset": "BTC", "walletType": 1},
            ["walletType must be a string"],
        ),
        (
            "/v2/deposit/address",
            {"asset": "USDT", "source": {"code": "TRX"}, "walletId": 7},
            ["source must be a string", "walletId must be a string"],
        ),
        # Fields the contract does not have: the framework whitelists.
        (
            "/v2/deposit/pre-request",
            {"asset": "BTC", "walletId": MAIN_WALLET_ID, "source": "BTC"},
            ["property walletId should not exist", "property source should not exist"],
        ),
        (
            "/v2/deposit/address",
            {"asset": "USDT", "network": "TRX", "memo": None},
            [
                "property network should not exist",
                "property memo should not exist",
                "source must be a string",
            ],
        ),
    ],
)
async def test_bad_bodies_get_one_framework_400_naming_every_problem(
    http: httpx.AsyncClient, exchange: DemoExchange, path: str, body: dict, problems: list[str]
) -> None:
    before = exchange.balance_payload()
    answer = await http.post(path, headers=KEY, json=body)
    assert answer.status_code == 400
    assert answer.json() == {**FRAMEWORK_400, "message": problems}
    assert exchange.balance_payload() == before  # nothing generated


@pytest.mark.parametrize(
    ("path", "content", "problems"),
    [
        (
            "/v2/deposit/pre-request",
            b'{"asset": "BTC", "asset": "USDT"}',
            ["property asset should not be given more than once"],
        ),
        (
            "/v2/deposit/address",
            b'{"asset": "USDT", "source": "TRX", "source": "ETH", "wallet": 1}',
            [
                "property source should not be given more than once",
                "property wallet should not exist",
            ],
        ),
        ("/v2/deposit/pre-request", b"", ["asset must be a string"]),
        ("/v2/deposit/address", b"   ", ["asset must be a string", "source must be a string"]),
        ("/v2/deposit/pre-request", b'["BTC"]', ["request body must be a JSON object"]),
        ("/v2/deposit/address", b'"USDT"', ["request body must be a JSON object"]),
    ],
)
async def test_duplicate_keys_empty_bodies_and_non_objects_are_refused_too(
    http: httpx.AsyncClient, path: str, content: bytes, problems: list[str]
) -> None:
    answer = await http.post(path, headers=KEY, content=content)
    assert answer.status_code == 400
    assert answer.json() == {**FRAMEWORK_400, "message": problems}


@pytest.mark.parametrize("path", ["/v2/deposit/pre-request", "/v2/deposit/address"])
async def test_a_body_that_is_not_json_is_a_framework_400(
    http: httpx.AsyncClient, path: str
) -> None:
    answer = await http.post(path, headers=KEY, content=b'{"asset": "BTC",')
    assert answer.status_code == 400
    body = answer.json()
    assert body["statusCode"] == 400 and body["error"] == "Bad Request"
    assert body["message"][0].startswith("Unexpected token in JSON")


async def test_every_documented_field_is_taken_and_refusals_of_fact_stay_in_kunas_shape(
    http: httpx.AsyncClient,
) -> None:
    for wallet_type in ("Customer", "Institution", "Wallet", None):
        answer = await http.post(
            "/v2/deposit/pre-request",
            headers=KEY,
            json={"asset": "usdt", "walletType": wallet_type},
        )
        assert answer.status_code == 201 and len(answer.json()["data"]) == 3
    answer = await http.post(
        "/v2/deposit/address",
        headers=KEY,
        json={"asset": "TRX", "source": "TRX", "walletId": SAVINGS_WALLET_ID},
    )
    assert answer.status_code == 201
    assert answer.json()["data"]["address"] == generate_address(SAVINGS_WALLET_ID, "TRX", "TRX")[0]
    # Well-formed, but not something the exchange serves: Kuna's error shape.
    answer = await http.post("/v2/deposit/pre-request", headers=KEY, json={"asset": "NOPE"})
    assert (answer.status_code, answer.json()["errors"][0]["code"]) == (400, "ASSET_NOT_SUPPORTED")
    answer = await http.post(
        "/v2/deposit/address", headers=KEY, json={"asset": "BTC", "source": "BTC", "walletId": "x"}
    )
    assert (answer.status_code, answer.json()["errors"][0]["code"]) == (404, "WALLET_NOT_FOUND")
    # Authentication comes before the body, as for every private route.
    answer = await http.post("/v2/deposit/address", content=b"{")
    assert answer.status_code == 401


async def test_the_client_sends_only_documented_fields(
    key_client: KunaClient, transport: httpx.ASGITransport
) -> None:
    # The sandbox refuses unknown fields: these pass only if the client sends none.
    await key_client.fetch_deposit_methods("USDT")
    await key_client.deposit_address("USDT", "TRX", MAIN_WALLET_ID)


@pytest.mark.parametrize("path", ["/v2/deposit/pre-request", "/v2/deposit/address"])
@pytest.mark.parametrize(
    ("spec", "error", "words"),
    [
        ("500", ServerError, "500 Internal Server Error"),
        ("html", ServerError, "HTML error page"),
        ("bad_json", BadResponseError, "not valid JSON"),
        ("wrong_shape", BadResponseError, "no source|address must be"),
    ],
)
async def test_faults_on_both_endpoints(
    key_client: KunaClient, faults: FaultPlan, path: str, spec: str, error: type, words: str
) -> None:
    faults.push(Fault.parse(f"{spec}x1@{path}"))
    call = (
        key_client.fetch_deposit_methods("USDT")
        if path.endswith("pre-request")
        else key_client.deposit_address("USDT", "TRX")
    )
    with pytest.raises(error, match=words):
        await call
    # The fault was used up: the next call is answered.
    assert await key_client.fetch_deposit_methods("USDT")


async def test_bad_amount_spoils_a_minimum(key_client: KunaClient, faults: FaultPlan) -> None:
    faults.push(Fault.parse("bad_amount x1 @/v2/deposit/pre-request".replace(" ", "")))
    with pytest.raises(BadResponseError, match="minAmount"):
        await key_client.fetch_deposit_methods("USDT")


async def test_the_jwt_mode_works_too(jwt_client: KunaClient) -> None:
    assert (await jwt_client.fetch_deposit_methods("TON")).sources == ("TON",)
    assert SANDBOX_URL
