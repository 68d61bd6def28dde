"""While a request is outstanding past the interval, the status does not say "● live"."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from tests.app_harness import (
    FROZEN_NOW,
    ManualScheduler,
    MovingClock,
    api_key_app,
    dashboard_of,
    wait_until,
)
from tui.ui.feeds.feed import FeedState
from tui.ui.widgets.status_bar import StatusBar


class GatedTransport(httpx.AsyncBaseTransport):
    """The sandbox's transport, whose answers wait while the gate is closed."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.gate = asyncio.Event()
        self.gate.set()
        self.waiting = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/v2/balance":  # the balances' status is under test
            return await self.inner.handle_async_request(request)
        self.waiting += 1
        try:
            await self.gate.wait()
        finally:
            self.waiting -= 1
        return await self.inner.handle_async_request(request)


def test_overdue_only_for_a_call_in_flight_longer_than_the_interval() -> None:
    state: FeedState[object] = FeedState(asked_at=FROZEN_NOW)
    assert state.overdue(FROZEN_NOW + timedelta(seconds=5), 5.0) is None
    assert state.overdue(FROZEN_NOW + timedelta(seconds=7), 5.0) == 7.0
    assert FeedState().overdue(FROZEN_NOW + timedelta(hours=1), 5.0) is None


async def test_a_request_outstanding_past_the_interval_is_not_live(
    transport: httpx.ASGITransport,
) -> None:
    gated = GatedTransport(transport)
    clock = MovingClock()
    app = api_key_app(gated, interval=5, clock=clock, scheduler=ManualScheduler())
    async with app.run_test() as pilot:
        screen = await dashboard_of(app, pilot)
        status = screen.query_one(StatusBar)
        assert status.render_status().plain.startswith("● live")

        gated.gate.clear()
        await pilot.press("r")
        # r asks every feed; only the balances request waits at the gate (the rates'
        # and the operations' pass: the status's state is the balances').
        await wait_until(pilot, lambda: gated.waiting == 1)
        clock.advance(4)
        screen._tick()
        assert status.render_status().plain.startswith("● live")  # within the interval
        clock.advance(8)
        screen._tick()
        line = status.render_status().plain
        assert "live" not in line and line.startswith("◌ waiting 12 s for the exchange")

        gated.gate.set()  # the answer comes: live again
        await wait_until(pilot, lambda: status.render_status().plain.startswith("● live"))
        screen._tick()
        assert status.render_status().plain.startswith("● live")
