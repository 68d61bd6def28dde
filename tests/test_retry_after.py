"""Retry-After in every form HTTP allows, capped at 10 minutes and said in the status."""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.api.auth import ApiKeyAuth, Secret
from tui.api.client import KunaClient
from tui.api.errors import RateLimitedError, ServerError
from tui.api.retry_after import MAX_RETRY_AFTER, http_date, parse_retry_after
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DEMO_API_KEY

NOW = 1_790_000_000.0  # 2026-09-21
NOV_6_1994 = 784111777.0


@pytest.mark.parametrize(
    "text",
    [
        "Sun, 06 Nov 1994 08:49:37 GMT",  # IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT",  # RFC 850
        "Sun Nov  6 08:49:37 1994",  # asctime
        "sun, 06 nov 1994 08:49:37 gmt",
    ],
)
def test_the_three_date_forms(text: str) -> None:
    assert http_date(text) == NOV_6_1994


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("120", 120.0), ("1.5", 1.5), ("0", 0.0), (" 30 ", 30.0),
     (email.utils.formatdate(NOW + 90, usegmt=True), 90.0),
     (email.utils.formatdate(NOW - 90, usegmt=True), 0.0),
     ("Sun Nov  6 08:49:37 1994", 0.0)],
)  # fmt: skip
def test_waits(value: str, seconds: float) -> None:
    wait = parse_retry_after(value, NOW)
    assert wait is not None and wait.seconds == seconds and not wait.capped


@pytest.mark.parametrize(
    "value",
    ["Thu, 01 Jan 2099 00:00:00 GMT", "Thursday, 01-Jan-49 00:00:00 GMT",
     "Thu Jan  1 00:00:00 2099", "86400", "1e9"],
)  # fmt: skip
def test_long_waits_are_capped_at_ten_minutes(value: str) -> None:
    wait = parse_retry_after(value, NOW)
    if value == "1e9":
        assert wait is None  # not delay-seconds
        return
    assert wait is not None and wait.seconds == MAX_RETRY_AFTER and wait.capped
    assert wait.cap_note().endswith("; waiting at most 10 min")


@pytest.mark.parametrize(
    "value",
    [None, "soon", "nan", "-5", "inf", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT",
     "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST"],
)  # fmt: skip
def test_unreadable_values(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


@given(st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 1, 1)))
def test_every_date_in_every_form_reads_back(when: datetime) -> None:
    moment = when.replace(microsecond=0, tzinfo=UTC)
    stamp = moment.timestamp()
    imf = email.utils.formatdate(stamp, usegmt=True)
    asctime = moment.strftime("%a %b ") + f"{moment.day:>2}" + moment.strftime(" %H:%M:%S %Y")
    assert http_date(imf) == stamp
    assert http_date(asctime) == stamp
    if 1950 <= moment.year < 2050:
        rfc850 = moment.strftime("%A, %d-%b-%y %H:%M:%S GMT")
        assert http_date(rfc850) == stamp
    wait = parse_retry_after(imf, NOW)
    assert wait is not None
    assert 0 <= wait.seconds <= MAX_RETRY_AFTER
    assert wait.capped == (stamp - NOW > MAX_RETRY_AFTER)


@given(st.integers(min_value=0, max_value=10**12))
def test_every_delay_is_within_the_cap(seconds: int) -> None:
    wait = parse_retry_after(str(seconds), NOW)
    assert wait is not None and wait.seconds == min(seconds, MAX_RETRY_AFTER)


@pytest.mark.parametrize(
    "retry_after", ["Thu, 01 Jan 2099 00:00:00 GMT", "Thu Jan  1 00:00:00 2099", "999999"]
)
async def test_the_client_caps_the_wait_and_says_so(
    transport: httpx.ASGITransport, faults: FaultPlan, retry_after: str
) -> None:
    faults.push(Fault(kind="rate_limit", retry_after=retry_after, times=1))
    auth = ApiKeyAuth(Secret(DEMO_API_KEY))
    async with KunaClient("http://127.0.0.1:9", auth, transport=transport, clock=time.time) as c:
        with pytest.raises(RateLimitedError) as caught:
            await c.fetch_balances()
    assert caught.value.retry_after == MAX_RETRY_AFTER
    assert caught.value.message.startswith(
        "Rate limited by the server (the server asked to wait "
    )
    assert "; waiting at most 10 min)" in caught.value.message


async def test_the_asctime_form_is_honoured_not_ignored(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    fixed = 1_790_000_000.0
    when = datetime.fromtimestamp(fixed + 45, UTC)
    asctime = when.strftime("%a %b ") + f"{when.day:>2}" + when.strftime(" %H:%M:%S %Y")
    faults.push(Fault(kind="rate_limit", retry_after=asctime, times=1))
    auth = ApiKeyAuth(Secret(DEMO_API_KEY))
    async with KunaClient(
        "http://127.0.0.1:9", auth, transport=transport, clock=lambda: fixed
    ) as c:
        with pytest.raises(RateLimitedError) as caught:
            await c.fetch_balances()
    assert caught.value.retry_after == 45


async def test_a_503_with_a_far_date_is_capped_too() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"retry-after": "Thu, 01 Jan 2099 00:00:00 GMT"})

    auth = ApiKeyAuth(Secret("key-for-tests"))
    async with KunaClient("https://x.example", auth, transport=httpx.MockTransport(answer)) as c:
        with pytest.raises(ServerError) as caught:
            await c.fetch_balances()
    assert caught.value.retry_after == MAX_RETRY_AFTER
    assert "waiting at most 10 min" in caught.value.message
