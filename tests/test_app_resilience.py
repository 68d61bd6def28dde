"""Live refresh in the real world: faults, backoff, Retry-After, token expiry, slow servers.

The sandbox's fault injection drives each case; a hand-moved scheduler stands in for
time, so the tests assert exactly when each request happens without sleeping.
"""

from __future__ import annotations

import socket
from decimal import Decimal

import httpx
import pytest

from tests.app_harness import (
    SIZE,
    ManualScheduler,
    api_key_app,
    balance_calls,
    dashboard,
    dashboard_of,
    grid_text,
    make_app,
    wait_until,
)
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DemoExchange
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.status_bar import RefreshState, StatusBar


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("500", "Server error 500"),
        ("html", "Server error 502 Bad Gateway: HTML error page"),
        ("bad_json", "not valid JSON"),
        ("wrong_shape", "'data' must be an array"),
        ("bad_amount", "is not a decimal number"),
        ("empty:503", "Server error 503"),
    ],
)
async def test_a_bad_answer_keeps_the_data_marks_it_stale_and_recovers_by_itself(
    transport: httpx.ASGITransport,
    exchange: DemoExchange,
    faults: FaultPlan,
    spec: str,
    reason: str,
) -> None:
    async with dashboard(transport, values=True) as (_, pilot, screen, scheduler, clock):
        before = grid_text(screen.query_one(BalanceGrid))
        faults.push(Fault.parse(spec))  # until cleared
        calls = balance_calls(exchange)
        clock.advance(5)
        scheduler.advance(5)
        status = screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
        assert reason in (status.info.error or "")
        assert (
            grid_text(screen.query_one(BalanceGrid)) == before
        )  # nothing lost, nothing half applied
        assert screen.query_one(BalanceGrid).has_class("-stale")
        clock.advance(42)
        status.set_now(clock.now)
        assert "stale 47 s" in status.render_status().plain
        faults.clear()
        assert balance_calls(exchange) == calls + 1
        scheduler.advance(scheduler.next_delay or 0)
        await wait_until(pilot, lambda: status.info.state is RefreshState.LIVE)
        assert not screen.query_one(BalanceGrid).has_class("-stale")
        assert balance_calls(exchange) == calls + 2


async def test_failures_back_off_exponentially_up_to_a_minute_and_reset_on_success(
    transport: httpx.ASGITransport, faults: FaultPlan, exchange: DemoExchange
) -> None:
    async with dashboard(transport, interval=2.0) as (_, pilot, screen, scheduler, _):
        assert scheduler.next_delay == 2.0
        faults.push(Fault.parse("500"))
        delays = []
        for attempt in range(9):
            calls = balance_calls(exchange)
            scheduler.advance(scheduler.next_delay or 0)
            await wait_until(pilot, lambda calls=calls: balance_calls(exchange) == calls + 1)
            await wait_until(pilot, lambda: scheduler.next_delay is not None)
            delays.append(scheduler.next_delay)
            base = min(60.0, 2.0 * 2**attempt)
            assert max(2.0, base / 2) <= delays[-1] <= base  # jittered, capped
        assert delays[-1] <= 60 and delays[-1] >= 30
        faults.clear()
        scheduler.advance(scheduler.next_delay or 0)
        await wait_until(pilot, lambda: screen.query_one(StatusBar).info.state is RefreshState.LIVE)
        assert scheduler.next_delay == 2.0  # back to the interval


async def test_retry_after_is_honoured_exactly_and_r_still_tries_at_once(
    transport: httpx.ASGITransport, faults: FaultPlan, exchange: DemoExchange
) -> None:
    async with dashboard(transport) as (_, pilot, screen, scheduler, clock):
        status = screen.query_one(StatusBar)
        faults.push(Fault.parse("429:30x1"))
        scheduler.advance(5)
        await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
        assert "Rate limited" in (status.info.error or "")
        assert scheduler.next_delay == 30
        status.set_now(clock.now)
        assert status.render_status().plain.count("retry in") == 1  # one countdown
        assert "retry in 30 s" in status.render_status().plain
        calls = balance_calls(exchange)
        scheduler.advance(29.9)
        await pilot.pause()
        assert balance_calls(exchange) == calls  # not a request before Retry-After
        await pilot.press("r")  # the user may still try at once
        await wait_until(pilot, lambda: status.info.state is RefreshState.LIVE)
        assert balance_calls(exchange) == calls + 1


async def test_a_slow_answer_delays_the_next_request_and_never_overlaps(
    exchange: DemoExchange, faults: FaultPlan
) -> None:
    from tui.sandbox.app import create_app

    # Per endpoint, i.e. per feed: balances, rates, operations and deposit methods each
    # have at most one in flight.
    in_flight: dict[str, int] = {}
    most: dict[str, int] = {}

    class CountingTransport(httpx.ASGITransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            path = request.url.path
            in_flight[path] = in_flight.get(path, 0) + 1
            most[path] = max(most.get(path, 0), in_flight[path])
            try:
                return await super().handle_async_request(request)
            finally:
                in_flight[path] -= 1

    transport = CountingTransport(app=create_app(exchange, faults))
    async with dashboard(transport, interval=1.0) as (_, pilot, screen, scheduler, _):
        # Slow enough that the keys below always come while it is in flight, even on a
        # loaded machine.
        faults.push(Fault.parse("slow:1.5x1"))
        calls = balance_calls(exchange)
        scheduler.advance(1)
        await pilot.pause(0.1)
        # The request is in flight: however much time passes, nothing else is scheduled,
        # and r asks nothing more (the answer in flight is the fresh one).
        assert scheduler.next_delay is None
        scheduler.advance(30)
        await pilot.press("r", "r", "r")
        await wait_until(pilot, lambda: balance_calls(exchange) == calls + 1)
        await wait_until(pilot, lambda: scheduler.next_delay == 1.0)
        assert balance_calls(exchange) == calls + 1
        assert most["/v2/balance"] == 1 and set(most.values()) == {1}
        assert screen.query_one(StatusBar).info.state is RefreshState.LIVE


async def test_a_hung_server_ends_with_a_read_timeout_and_a_clear_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tui.sandbox import server
    from tui.sandbox.server import start_in_background

    # The answer would come long after the read timeout, however loaded the machine is;
    # stopping the sandbox cuts the request off instead of waiting for it.
    monkeypatch.setattr(server, "SHUTDOWN_GRACE", 0.1)
    with start_in_background(moving=False) as sandbox:
        scheduler = ManualScheduler()
        app = api_key_app(None, scheduler=scheduler, base_url=sandbox.url, read_timeout=0.3)
        async with app.run_test(size=SIZE) as pilot:
            screen = await dashboard_of(app, pilot)
            sandbox.faults.push(Fault(kind="slow", delay=60, times=1))
            scheduler.advance(5)
            status = screen.query_one(StatusBar)
            await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
            assert "did not answer within 0.3 s" in (status.info.error or "")


async def test_connection_refused_then_the_server_comes_back(exchange: DemoExchange) -> None:
    from tui.sandbox.server import start_in_background

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with start_in_background(moving=False) as first:
        scheduler = ManualScheduler()
        app = api_key_app(None, scheduler=scheduler, base_url=f"http://127.0.0.1:{port}")
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
            screen = app.screen
            status = screen.query_one(StatusBar)
            await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
            assert "Cannot connect to 127.0.0.1" in (status.info.error or "")
            assert first.url  # an unrelated sandbox is up; ours is not yet
            with start_in_background(moving=False, port=port):
                scheduler.advance(scheduler.next_delay or 0)
                await wait_until(pilot, lambda: status.info.state is RefreshState.LIVE)
                assert screen.query_one(BalanceGrid).row_count >= 8


async def test_token_expiry_means_one_silent_relogin(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    scheduler = ManualScheduler()
    app = make_app(transport, scheduler=scheduler)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = await dashboard_of(app, pilot)
        faults.push(Fault(kind="unauthorized", times=1))
        calls = balance_calls(exchange)
        scheduler.advance(5)
        await wait_until(pilot, lambda: balance_calls(exchange) == calls + 2)
        await pilot.pause()
        assert app.screen is screen  # no login screen
        assert screen.query_one(StatusBar).info.state is RefreshState.LIVE
        assert sum(1 for r in exchange.requests if r.path == "/v2/auth/login") == 2


async def test_plus_and_minus_change_the_interval_live(transport: httpx.ASGITransport) -> None:
    async with dashboard(transport) as (app, pilot, screen, scheduler, _):
        status = screen.query_one(StatusBar)
        await pilot.press("plus")
        assert status.info.interval == 10 and scheduler.next_delay == 10
        assert "every 10 s" in status.render_status().plain
        for _ in range(6):
            await pilot.press("minus")
        assert status.info.interval == 1 and scheduler.next_delay == 1
        assert "shortest" in app.notices[-1][1]


async def test_a_deposit_is_announced_and_flashes(
    transport: httpx.ASGITransport, exchange: DemoExchange, long_flash: None
) -> None:
    async with dashboard(transport) as (app, pilot, screen, scheduler, _):
        before = exchange.amount("BTC")
        exchange.set_amount("BTC", "balance", before + Decimal("0.25"))
        scheduler.advance(5)
        await wait_until(pilot, lambda: any(t == "Available balance up" for t, _, _ in app.notices))
        _, message, _ = app.notices[-1]
        assert message.startswith("BTC +0.25 (now ")
        grid = screen.query_one(BalanceGrid)
        assert grid.get_cell("BTC", "balance").style == "up"
        assert grid.get_cell("BTC", "delta").plain.strip() == "+0.25"
