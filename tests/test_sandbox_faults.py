"""Fault injection: the spec syntax, the plan's counting, and each kind as a client sees it."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from tui.api.errors import BadResponseError
from tui.api.parse import error_message, load_json, parse_balance_response
from tui.sandbox.app import create_app
from tui.sandbox.faults import BAD_AMOUNT, Fault, FaultPlan
from tui.sandbox.wallet import DEMO_API_KEY, DemoExchange

KEY = {"api-key": DEMO_API_KEY}

# -- Fault.parse -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("500", Fault("status", status=500)),
        ("503", Fault("status", status=503)),
        ("status:504", Fault("status", status=504)),
        ("html", Fault("html")),
        ("html:503", Fault("html", status=503)),
        ("bad_json", Fault("bad_json")),
        ("Bad-JSON", Fault("bad_json")),
        ("wrong_shape", Fault("wrong_shape")),
        ("bad_amount", Fault("bad_amount")),
        ("slow", Fault("slow", delay=5.0)),
        ("slow:20", Fault("slow", delay=20.0)),
        ("slow:0.25", Fault("slow", delay=0.25)),
        ("429", Fault("rate_limit", status=429)),
        ("429:30", Fault("rate_limit", status=429, retry_after=30)),
        ("rate_limit:30", Fault("rate_limit", retry_after=30)),
        (
            "429:Wed, 21 Oct 2015 07:28:00 GMT",
            Fault("rate_limit", status=429, retry_after="Wed, 21 Oct 2015 07:28:00 GMT"),
        ),
        ("unauthorized", Fault("unauthorized")),
        ("401", Fault("unauthorized", status=401)),
        ("empty", Fault("empty")),
        ("empty:503", Fault("empty", status=503)),
        ("empty:200", Fault("empty", status=200)),
        ("500x3", Fault("status", status=500, times=3)),
        ("slow:2x4", Fault("slow", delay=2.0, times=4)),
        ("429:30x2", Fault("rate_limit", status=429, retry_after=30, times=2)),
        ("html@/v2/auth/login", Fault("html", path="/v2/auth/login")),
        ("500x2@*", Fault("status", status=500, times=2, path="*")),
        ("  bad_amount  ", Fault("bad_amount")),
    ],
)
def test_parse(spec: str, expected: Fault) -> None:
    assert Fault.parse(spec) == expected


@pytest.mark.parametrize(
    ("spec", "complaint"),
    [
        ("", "empty"),
        ("nope", "unknown fault"),
        ("x3", "unknown fault"),
        ("500x0", "N >= 1"),
        ("slow:abc", "seconds"),
        ("slow:-1", "delay"),
        ("slow:nan", "delay"),
        ("bad_json:1", "no argument"),
        ("500:1", "no argument"),
        ("status", "needs a code"),
        ("200", "between 400 and 599"),
        ("html:700", "between 400 and 599"),
        ("empty:abc", "whole number"),
        ("html:", "nothing after"),
        ("500@v2/balance", "path"),
    ],
)
def test_parse_rejects_clearly(spec: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint) as caught:
        Fault.parse(spec)
    assert repr(spec) in str(caught.value) or spec == ""


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "slow", "status": 500},
        {"kind": "status", "times": 0},
        {"kind": "status", "times": True},
        {"kind": "rate_limit", "retry_after": "30\r\nX-Evil: 1"},
        {"kind": "rate_limit", "retry_after": -1},
        {"kind": "slow", "delay": float("inf")},
    ],
)
def test_invalid_fault_fields(fields: dict) -> None:
    with pytest.raises(ValueError):
        Fault(**fields)


def test_from_json() -> None:
    assert Fault.from_json({"spec": "500x3"}) == Fault("status", status=500, times=3)
    assert Fault.from_json({"kind": "slow", "delay": 2, "times": 1}) == Fault(
        "slow", delay=2, times=1
    )
    for bad in ([], {"spec": 5}, {"kind": "status", "colour": "red"}, {"status": 500}):
        with pytest.raises(ValueError):
            Fault.from_json(bad)


# -- FaultPlan -------------------------------------------------------------------------


def test_plan_counts_uses_in_order_and_by_path() -> None:
    plan = FaultPlan()
    plan.push(Fault("status", status=500, times=2))
    plan.push(Fault("html", path="/v2/auth/login", times=1))
    plan.push(Fault("empty"))  # until cleared
    assert plan.take("/v2/auth/login") == Fault("html", path="/v2/auth/login", times=1)
    assert plan.take("/v2/auth/login") is None
    assert plan.take("/v2/balance").kind == "status"  # type: ignore[union-attr]
    assert plan.take("/v2/balance").kind == "status"  # type: ignore[union-attr]
    for _ in range(5):
        assert plan.take("/v2/balance").kind == "empty"  # type: ignore[union-attr]
    assert len(plan) == 1
    plan.clear()
    assert plan.take("/v2/balance") is None


def test_any_path_spares_the_control_endpoints() -> None:
    fault = Fault("status", status=500, path="*")
    assert fault.matches("/v2/balance") and fault.matches("/v2/auth/login")
    assert not fault.matches("/sandbox/faults")


def test_plan_is_thread_safe() -> None:
    plan = FaultPlan([Fault("status", status=500, times=2000)])
    taken: list[int] = []

    def worker() -> None:
        count = 0
        while plan.take("/v2/balance") is not None:
            count += 1
        taken.append(count)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(taken) == 2000


# -- each kind over HTTP ---------------------------------------------------------------


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
async def client(plan: FaultPlan) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(DemoExchange(moving=False), plan)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as c:
        yield c


async def balance(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    return await client.post("/v2/balance", headers=headers or KEY, json={})


async def test_status_fault(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("500"))
    response = await balance(client)
    assert response.status_code == 500
    assert response.json() == {
        "errors": [{"code": "INTERNAL_ERROR", "message": "Internal Server Error"}]
    }
    plan.clear()  # without xN a fault lasts until cleared
    plan.push(Fault.parse("503"))
    response = await balance(client)
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "SERVICE_UNAVAILABLE"
    assert error_message(response.content) == "Service Unavailable"


async def test_html_fault(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("html"))
    response = await balance(client)
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<center>nginx</center>" in response.text
    assert "502 Bad Gateway" in response.text
    assert error_message(response.content) is None


async def test_bad_json_fault(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("bad_json"))
    response = await balance(client)
    assert response.status_code == 201
    assert response.content.startswith(b'{"data":[')
    with pytest.raises(BadResponseError, match="not valid JSON"):
        load_json(response.content)


async def test_wrong_shape_fault(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("wrong_shape"))
    response = await balance(client)
    assert response.status_code == 201
    assert response.json() == {"data": {"oops": 1}}
    with pytest.raises(BadResponseError):
        parse_balance_response(response.content)


async def test_bad_amount_fault(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("bad_amount"))
    response = await balance(client)
    assert response.status_code == 201
    data = response.json()["data"]
    assert data[0]["balance"] == BAD_AMOUNT
    assert len(data) == 8  # the rest of the answer is intact
    with pytest.raises(BadResponseError, match="balance"):
        parse_balance_response(response.content)


async def test_bad_amount_on_an_empty_answer(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("bad_amount"))
    response = await client.post("/v2/balance", headers=KEY, json={"assets": ["NOPE"]})
    assert response.json()["data"] == [{"asset": "BTC", "balance": BAD_AMOUNT}]


async def test_slow_fault_answers_normally_after_the_delay(
    client: httpx.AsyncClient, plan: FaultPlan
) -> None:
    plan.push(Fault("slow", delay=0.05, times=1))
    started = time.perf_counter()
    response = await balance(client)
    assert time.perf_counter() - started >= 0.05
    assert response.status_code == 201
    assert parse_balance_response(response.content).get("BTC") is not None


async def test_rate_limit_with_seconds(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("429:30"))
    response = await balance(client)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "30"
    assert response.json()["errors"][0]["code"] == "TOO_MANY_REQUESTS"


async def test_rate_limit_with_http_date(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    plan.push(Fault("rate_limit", retry_after=date))
    response = await balance(client)
    assert response.status_code == 429
    assert response.headers["retry-after"] == date


async def test_rate_limit_without_retry_after(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("429"))
    response = await balance(client)
    assert response.status_code == 429
    assert "retry-after" not in response.headers


async def test_unauthorized_fault_overrides_good_credentials(
    client: httpx.AsyncClient, plan: FaultPlan
) -> None:
    plan.push(Fault.parse("unauthorized"))
    response = await balance(client)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "TOKEN_EXPIRED"


@pytest.mark.parametrize(
    ("spec", "status"), [("empty", 503), ("empty:502", 502), ("empty:200", 200)]
)
async def test_empty_fault(
    client: httpx.AsyncClient, plan: FaultPlan, spec: str, status: int
) -> None:
    plan.push(Fault.parse(spec))
    response = await balance(client)
    assert response.status_code == status
    assert response.content == b""


async def test_times_counts_requests(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("500x2"))
    statuses = [(await balance(client)).status_code for _ in range(4)]
    assert statuses == [500, 500, 201, 201]


async def test_early_faults_answer_before_authentication(
    client: httpx.AsyncClient, plan: FaultPlan
) -> None:
    plan.push(Fault.parse("500x1"))
    response = await client.post("/v2/balance", json={})  # no credentials at all
    assert response.status_code == 500


async def test_corrupting_faults_leave_real_errors_alone(
    client: httpx.AsyncClient, plan: FaultPlan
) -> None:
    plan.push(Fault.parse("bad_jsonx1"))
    response = await client.post("/v2/balance", headers={"api-key": "wrong"}, json={})
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "INVALID_API_KEY"
    assert len(plan) == 0  # the use was spent all the same
    assert (await balance(client)).status_code == 201


async def test_faults_only_hit_their_path(client: httpx.AsyncClient, plan: FaultPlan) -> None:
    plan.push(Fault.parse("html@/v2/auth/login"))
    assert (await balance(client)).status_code == 201
    login = await client.post("/v2/auth/login", headers={"merchant_id": "x"}, json={})
    assert login.status_code == 502
