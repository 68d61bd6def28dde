"""An old pending operation that settles off the feed's first page still raises its
notice: the feed learns its new status from `/v2/operation/details` (Pilot, sandbox)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from textual.message import Message

from tests.app_harness import (
    SIZE,
    ManualScheduler,
    MovingClock,
    api_key_app,
    dashboard_of,
    wait_until,
)
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DemoExchange
from tui.ui.feeds import OperationChanged
from tui.ui.feeds.operations import OPERATIONS_INTERVAL, RECENT_OPERATIONS
from tui.ui.screens.dashboard import FIRST_RATES_DELAY, DashboardScreen
from tui.ui.widgets.status_bar import StatusBar


def calls(exchange: DemoExchange, path: str) -> int:
    return sum(1 for r in exchange.requests if r.path == path)


def busy(exchange: DemoExchange) -> None:
    """More settled operations than one page, all newer than the seeded pending ones."""
    for number in range(RECENT_OPERATIONS + 5):
        exchange.add_operation("Withdraw", "Completed", "TRX", f"{number + 1}")


def change_recorder() -> tuple[list[OperationChanged], Callable[[Message], None]]:
    """The operation changes posted while the app runs (each once), and the message hook
    that collects them."""
    changes: list[OperationChanged] = []

    def hook(message: Message) -> None:
        # (A message bubbles from the screen to the app: the hook sees it at each.)
        if isinstance(message, OperationChanged) and all(m is not message for m in changes):
            changes.append(message)

    return changes, hook


async def ready(app: object, pilot: object) -> DashboardScreen:
    screen = await dashboard_of(app, pilot)  # type: ignore[arg-type]
    scheduler = screen.services.scheduler
    if isinstance(scheduler, ManualScheduler):
        scheduler.advance(FIRST_RATES_DELAY)  # the operations' first call
    await wait_until(pilot, lambda: screen.operations.state.value is not None)  # type: ignore[arg-type]
    return screen


async def next_answer(
    pilot: object, screen: DashboardScreen, scheduler: ManualScheduler, clock: MovingClock
) -> None:
    before = screen.operations.state.value
    clock.advance(OPERATIONS_INTERVAL)
    scheduler.advance(OPERATIONS_INTERVAL)
    await wait_until(pilot, lambda: screen.operations.state.value is not before)  # type: ignore[arg-type]


async def test_settling_off_the_first_page_raises_the_same_notices(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    busy(exchange)
    scheduler, clock = ManualScheduler(), MovingClock()
    changes, hook = change_recorder()
    app = api_key_app(transport, scheduler=scheduler, clock=clock)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        screen = await ready(app, pilot)
        status = screen.query_one(StatusBar)
        assert status.info.operations == "1 pending · 1 on hold"
        known = screen.operations.state.value
        assert known is not None
        held = next(op for op in known if op.status == "OnHold")
        processing = next(op for op in known if op.status == "Processing" and op.is_deposit)
        newest = exchange.operations_payload()["data"][:RECENT_OPERATIONS]
        assert held.id not in {item["id"] for item in newest}, "the hold is off the first page"
        assert calls(exchange, "/v2/operation/details") == 0
        # Both settle; neither is among the pending ones any more, nor on the first page.
        exchange.set_operation_status(processing.id, "Completed")
        exchange.set_operation_status(held.id, "Declined")
        await next_answer(pilot, screen, scheduler, clock)
        assert calls(exchange, "/v2/operation/details") == 2  # one each, in turn
        moved = {c.change.after.id: (c.change.old_status, c.change.new_status) for c in changes}
        assert moved == {
            processing.id: ("Processing", "Completed"),
            held.id: ("OnHold", "Declined"),
        }
        await wait_until(pilot, lambda: len(app.notices) >= 2)
        titles = [title for title, _, _ in app.notices]
        assert "Deposit completed" in titles and "Operation declined" in titles
        await wait_until(pilot, lambda: status.info.operations == "no pending operations")
        # Told once: the next answers neither ask again nor tell again.
        await next_answer(pilot, screen, scheduler, clock)
        await next_answer(pilot, screen, scheduler, clock)
        assert calls(exchange, "/v2/operation/details") == 2
        told = [c.change.after.id for c in changes]
        assert told.count(processing.id) == 1 and told.count(held.id) == 1, [
            (c.change.after.id, c.change.old_status, c.change.new_status) for c in changes
        ]


async def test_a_failed_lookup_keeps_the_operation_and_asks_again_next_time(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    busy(exchange)
    scheduler, clock = ManualScheduler(), MovingClock()
    app = api_key_app(transport, scheduler=scheduler, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        known = screen.operations.state.value
        assert known is not None
        held = next(op for op in known if op.status == "OnHold")
        exchange.set_operation_status(held.id, "Completed")
        faults.push(Fault.parse("500x1@/v2/operation/details"))
        await next_answer(pilot, screen, scheduler, clock)
        # The list came (not failed for one lookup): the hold as last known, still held.
        assert screen.operations.state.error is None
        after = screen.operations.state.value
        assert after is not None and after.get(held.id) is not None
        assert after.get(held.id).status == "OnHold"  # type: ignore[union-attr]
        assert not any(title == "Deposit completed" for title, _, _ in app.notices)
        await next_answer(pilot, screen, scheduler, clock)
        assert calls(exchange, "/v2/operation/details") == 2
        await wait_until(pilot, lambda: any(t == "Deposit completed" for t, _, _ in app.notices))


async def test_an_operation_the_server_no_longer_knows_leaves_the_list_without_a_notice(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    busy(exchange)
    scheduler, clock = ManualScheduler(), MovingClock()
    changes, hook = change_recorder()
    app = api_key_app(transport, scheduler=scheduler, clock=clock)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        screen = await ready(app, pilot)
        status = screen.query_one(StatusBar)
        assert status.info.operations == "1 pending · 1 on hold"
        known = screen.operations.state.value
        assert known is not None
        held = next(op for op in known if op.status == "OnHold")
        # The exchange forgets the hold: off the first page, in no by-status answer, and
        # its lookup answers 404.
        exchange.remove_operation(held.id)
        await next_answer(pilot, screen, scheduler, clock)
        assert calls(exchange, "/v2/operation/details") == 1
        assert [r.status for r in exchange.requests if r.path == "/v2/operation/details"] == [404]
        # The list came (a 404 for one lookup does not fail it), without the hold.
        assert screen.operations.state.error is None
        after = screen.operations.state.value
        assert after is not None and after.get(held.id) is None
        assert {op.id for op in after} == {op.id for op in known} - {held.id}
        await wait_until(pilot, lambda: status.info.operations == "1 pending")
        assert [c.change.after.id for c in changes if c.change.after.id == held.id] == []
        assert not any(t in ("Deposit completed", "Operation declined") for t, _, _ in app.notices)
        # Gone for good: the next answers do not ask for it again.
        await next_answer(pilot, screen, scheduler, clock)
        await next_answer(pilot, screen, scheduler, clock)
        assert calls(exchange, "/v2/operation/details") == 1
        assert screen.operations.state.value.get(held.id) is None  # type: ignore[union-attr]
