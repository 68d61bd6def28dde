"""The operations view and its live feed, driven with Pilot against the sandbox (no sleeps)."""

from __future__ import annotations

from decimal import Decimal

import httpx
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Static

from tests.app_harness import (
    SIZE,
    ManualScheduler,
    MovingClock,
    api_key_app,
    dashboard,
    dashboard_of,
    select,
    values_of,
    wait_until,
)
from tests.screen_text import screen_lines
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DemoExchange
from tui.ui.app import WalletApp
from tui.ui.feeds import OperationChanged
from tui.ui.screens.dashboard import FIRST_RATES_DELAY, DashboardScreen
from tui.ui.screens.operation_detail import OperationDetailScreen
from tui.ui.screens.operations import OperationsScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.operations_table import OperationsTable
from tui.ui.widgets.status_bar import RefreshState, StatusBar


def find_calls(exchange: DemoExchange) -> int:
    return sum(1 for r in exchange.requests if r.path == "/v2/operation/find")


def expected_ids(exchange: DemoExchange) -> list[str]:
    return [item["id"] for item in exchange.operations_payload()["data"]]


async def operations_of(pilot: Pilot[object], screen: DashboardScreen) -> None:
    """Wait for the dashboard's first operations answer (asked for FIRST_RATES_DELAY after
    the first balances: the hand-moved scheduler is moved on, where there is one)."""
    scheduler = screen.services.scheduler
    if isinstance(scheduler, ManualScheduler):
        scheduler.advance(FIRST_RATES_DELAY)
    await wait_until(pilot, lambda: screen.operations.state.value is not None)


async def ready(app: WalletApp, pilot: Pilot[object]) -> DashboardScreen:
    """Wait for the dashboard with its first balances and operations."""
    screen = await dashboard_of(app, pilot)
    await operations_of(pilot, screen)
    return screen


async def test_o_opens_the_operations_newest_first_and_esc_keeps_the_selection(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        grid = screen.query_one(BalanceGrid)
        await select(pilot, grid, "USDT")
        await pilot.press("o")
        view = app.screen
        assert isinstance(view, OperationsScreen)
        table = view.query_one(OperationsTable)
        assert [op.id for op in table.operations] == expected_ids(exchange)
        declined = next(op for op in table.operations if op.status == "Declined")
        row = [cell.plain for cell in table.get_row(declined.id)]
        assert row[1:4] == ["Withdraw", "Declined", "250 XRP"]
        assert "red" in str(table.get_row(declined.id)[1].style)  # stays highlighted
        await pilot.press("down", "c")
        await wait_until(pilot, lambda: app.clipboard == table.operations[1].id)
        await wait_until(pilot, lambda: app.notices[-1][0].startswith("Operation id "))
        await pilot.press("escape")
        assert app.screen is screen and grid.selected_asset == "USDT"


async def test_filters_by_the_selected_asset_type_and_status(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await select(pilot, screen.query_one(BalanceGrid), "USDT")
        await pilot.press("o")
        view = app.screen
        assert isinstance(view, OperationsScreen)
        table = view.query_one(OperationsTable)
        everything = len(table.operations)
        await pilot.press("a")
        assert table.operations and all(op.involves("USDT") for op in table.operations)
        assert len(table.operations) < everything
        await pilot.press("t")  # Deposit
        assert [(op.type, op.source_asset) for op in table.operations] == [("Deposit", "USDT")]
        await pilot.press("a", "t", "s", "s", "s")  # all assets, Withdraw..., then status OnHold
        assert view.type_filter == "Withdraw" and view.status_filter == "OnHold"
        assert table.operations == ()
        await pilot.press(*"t" * 6)  # past the last type: every type again
        assert view.type_filter is None
        assert [op.status for op in table.operations] == ["OnHold"]


async def test_enter_shows_every_field_the_server_sent(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    exchange.add_operation(
        "StakingReward", "Settled", "TON", "0.000000001", note="server text", weird={"a": 1}
    )
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("o")
        table = app.screen.query_one(OperationsTable)
        newest = table.operations[0]
        assert (newest.type, newest.status) == ("StakingReward", "Settled")  # kept as sent
        await pilot.press("enter")
        detail = app.screen
        assert isinstance(detail, OperationDetailScreen)
        await wait_until(pilot, lambda: "Every field" in detail.note)
        text = "\n".join(screen_lines(app))
        for expected in ("StakingReward", "0.000000001", "note", "server text", "weird", "a: 1"):
            assert expected in text, expected
        calls = [r.path for r in exchange.requests]
        assert "/v2/operation/details" in calls
        await pilot.press("c")
        await wait_until(pilot, lambda: app.clipboard == newest.id)
        await pilot.press("escape")
        assert isinstance(app.screen, OperationsScreen)


async def test_a_landed_deposit_arrives_live_and_completes_with_notifications(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    scheduler, clock = ManualScheduler(), MovingClock()
    changes: list[OperationChanged] = []

    def hook(message: Message) -> None:
        if isinstance(message, OperationChanged):
            changes.append(message)

    app = api_key_app(transport, scheduler=scheduler, clock=clock)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        screen = await ready(app, pilot)
        await pilot.press("o")
        view = app.screen
        assert isinstance(view, OperationsScreen)
        table = view.query_one(OperationsTable)
        before = find_calls(exchange)
        exchange.advance(1)  # a BTC deposit lands in holdBalance (seed 7)
        clock.advance(5)
        scheduler.advance(5)  # the balances refresh sees it and asks for the operations
        await wait_until(pilot, lambda: find_calls(exchange) > before)
        await wait_until(pilot, lambda: table.operations[0].id == expected_ids(exchange)[0])
        new = next(op for op in table.operations if op.type == "Deposit")
        assert new.status == "Created" and new.source_asset == "BTC"
        assert ("New deposit", "information") in [(t, s) for t, _, s in app.notices]
        assert any(c.change.is_new and c.change.after.id == new.id for c in changes)
        for _ in range(4):  # Processing, then Completed when the hold clears
            exchange.advance(1)
            clock.advance(5)
            scheduler.advance(5)
            await pilot.pause()
        await wait_until(pilot, lambda: table.operations[table.get_row_index(new.id)].status != "Created")
        await wait_until(pilot, lambda: any(t == "Deposit completed" for t, _, _ in app.notices))
        statuses = [c.change.new_status for c in changes if c.change.after.id == new.id]
        assert statuses[0] == "Created" and statuses[-1] == "Completed"
        assert screen.operations.interval == 30.0  # without a balance move: the slow interval


async def test_balance_moves_every_second_ask_for_the_operations_at_most_every_5_s(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    """A wallet that moves at every 1 s refresh must not fetch the operations page every
    second: a move within MOVE_GAP of the last ask is asked for once, when the gap ends
    (later moves neither add a call nor push it back); past the gap, at once."""
    from tui.ui.feeds.operations import MOVE_GAP

    scheduler, clock = ManualScheduler(), MovingClock()
    app = api_key_app(transport, scheduler=scheduler, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        feed = screen.operations
        await wait_until(pilot, lambda: not feed.loop.in_flight)
        asked = find_calls(exchange)  # the first ask, at 0 s
        clock.advance(1)
        feed.balance_moved()
        await pilot.pause()
        assert find_calls(exchange) == asked
        assert scheduler.next_delay_of("operations") == MOVE_GAP - 1
        for _ in range(3):  # more moves, at 2, 3 and 4 s
            clock.advance(1)
            scheduler.advance(1)
            feed.balance_moved()
        await pilot.pause()
        assert find_calls(exchange) == asked
        assert scheduler.next_delay_of("operations") == 1  # still due at 5 s, not later
        clock.advance(1)
        scheduler.advance(1)
        await wait_until(pilot, lambda: find_calls(exchange) == asked + 1)
        await wait_until(pilot, lambda: not feed.loop.in_flight)
        # A move MOVE_GAP after that ask is asked for at once.
        clock.advance(MOVE_GAP)
        feed.balance_moved()
        await wait_until(pilot, lambda: find_calls(exchange) == asked + 2)


async def test_on_hold_and_declined_raise_warnings_and_the_summary_counts(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    async with dashboard(transport) as (app, pilot, screen, scheduler, _):
        await operations_of(pilot, screen)
        status = screen.query_one(StatusBar)
        assert status.info.operations == "1 pending · 1 on hold"  # the seeded ETH and USDT
        assert status.info.operations_alert
        eth = next(
            item["id"] for item in exchange.operations_payload()["data"] if item["status"] == "Processing"
        )
        exchange.set_operation_status(eth, "OnHold")
        withdrawal = exchange.add_operation("Withdraw", "Processing", "BTC", "0.042")
        scheduler.advance(30)
        await wait_until(pilot, lambda: status.info.operations == "1 pending · 2 on hold")
        exchange.set_operation_status(withdrawal, "Declined")
        scheduler.advance(30)
        await wait_until(pilot, lambda: any(t == "Operation declined" for t, _, _ in app.notices))
        severities = {t: s for t, _, s in app.notices}
        assert severities["Operation on hold"] == "warning"
        assert severities["Operation declined"] == "error"
        assert "no pending" not in status.render_status().plain
        assert "2 on hold" in status.render_status().plain


async def test_the_detail_pane_explains_hold_and_lock_balances(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        grid = screen.query_one(BalanceGrid)
        await select(pilot, grid, "ETH")
        pending = "\n".join(screen_lines(app))
        assert "Hold" in pending and "deposit 0.05 ETH Processing since" in pending
        # Narrow terminals: the line wraps in the amounts' column, never cut unmarked
        # (at 70 columns it was cut after "Proc", found by hand).
        line = screen.query_one("#detail-pending", Static)
        for width in (70, 90, 110):
            await pilot.resize_terminal(width, SIZE[1])
            await pilot.pause()
            region = line.content_region
            assert region.right <= line.parent.content_region.right, f"{width}: overflows"
            # The line's own cells: the amounts' column may scroll, its scrollbar beside.
            rows = screen_lines(app)[region.y : region.bottom]
            shown = "".join("".join(row[region.x : region.right] for row in rows).split())
            assert "Holddeposit0.05ETHProcessingsince" in shown, f"{width}: {shown!r}"
        await pilot.resize_terminal(*SIZE)
        await select(pilot, grid, "USDT")
        pending = "\n".join(screen_lines(app))
        assert "Locked" in pending and "deposit 150 USDT OnHold" in pending
        await select(pilot, grid, "XRP")
        assert not screen.query_one("#detail-pending").display  # nothing pending


async def test_an_operations_failure_leaves_the_balances_live(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    async with dashboard(transport) as (app, pilot, screen, scheduler, _):
        await operations_of(pilot, screen)
        faults.push(Fault.parse("html@/v2/operation/find"))
        await pilot.press("o")
        view = app.screen
        assert isinstance(view, OperationsScreen)
        shown = view.query_one(OperationsTable).operations
        await pilot.press("r")
        await wait_until(pilot, lambda: view.error is not None)
        assert "502" in view.error  # type: ignore[operator]
        assert view.query_one(OperationsTable).operations == shown  # the last good list stays
        await pilot.press("escape")
        status = screen.query_one(StatusBar)
        assert status.info.operations_stale and "(stale)" in status.render_status().plain
        exchange.set_amount("BTC", "balance", "7.77")
        scheduler.advance(5)
        await wait_until(pilot, lambda: screen.snapshot.get("BTC").available == Decimal("7.77"))  # type: ignore[union-attr]
        assert status.info.state is RefreshState.LIVE and status.info.error is None
        faults.clear()
        scheduler.advance(120)  # the operations feed retries by itself
        await wait_until(pilot, lambda: not status.info.operations_stale)


async def test_the_pending_summary_stands_next_to_the_value_total_each_stale_on_its_own(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    async with dashboard(transport) as (_, pilot, screen, scheduler, _):
        await operations_of(pilot, screen)
        status = screen.query_one(StatusBar)
        scheduler.advance(0.5)  # the rates feed's first request
        await wait_until(pilot, lambda: status.info.worth.startswith("≈ "))
        line = status.render_status().plain
        assert f"{status.info.worth} · 1 pending · 1 on hold · " in line
        # The operations fail: their summary is marked, the total is not.
        faults.push(Fault.parse("500@/v2/operation/find"))
        await pilot.press("r")
        await wait_until(pilot, lambda: status.info.operations_stale)
        line = status.render_status().plain
        assert "1 pending · 1 on hold (stale)" in line and "rates stale" not in line
        # The rates fail too, the operations come back: each says only its own state.
        faults.clear()
        faults.push(Fault.parse("500@rates"))
        await pilot.press("r")
        await wait_until(pilot, lambda: status.info.rates_stale and not status.info.operations_stale)
        line = status.render_status().plain
        assert "rates" in line and "(stale)" not in line
        assert status.info.state is RefreshState.LIVE


async def test_the_hold_explanation_stands_under_the_amounts_above_the_values(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    # USDT has an Other field and a rate: its detail pane is the tallest. With a
    # withdrawal waiting too, both lines must be on a 120 x 40 screen, between the
    # amounts and the values (a short pane cuts its bottom, which must not be them).
    scheduler = ManualScheduler()
    exchange.add_operation("Withdraw", "Processing", "USDT", "224.921333")
    app = api_key_app(transport, scheduler=scheduler)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await values_of(screen, pilot, scheduler)
        await select(pilot, screen.query_one(BalanceGrid), "USDT")
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert "withdraw 224.921333 USDT Processing since" in text
        assert "deposit 150 USDT OnHold since" in text
        hold = next(i for i, line in enumerate(lines) if "withdraw 224.921333 USDT" in line)
        total = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Total"))
        rate = next(i for i, line in enumerate(lines) if "1 USDT = " in line)
        assert total < hold < rate


async def test_the_view_says_paused_while_the_dashboard_is_paused(
    transport: httpx.ASGITransport,
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("p", "o")
        view = app.screen
        assert isinstance(view, OperationsScreen)
        line = str(view.query_one("#ops-status").render())
        assert line.startswith("⏸ paused") and "live" not in line
        await pilot.press("escape", "p", "o")
        line = str(app.screen.query_one("#ops-status").render())
        assert line.startswith("● live")


async def test_an_old_hold_is_still_explained_when_newer_operations_fill_the_page(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    from tui.ui.feeds.operations import RECENT_OPERATIONS

    # A busy wallet: more settled operations than one page, all newer than the seeded
    # OnHold USDT deposit and Processing ETH deposit.
    for number in range(RECENT_OPERATIONS + 5):
        exchange.add_operation("Withdraw", "Completed", "TRX", f"{number + 1}")
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        status = screen.query_one(StatusBar)
        assert status.info.operations == "1 pending · 1 on hold"
        await select(pilot, screen.query_one(BalanceGrid), "USDT")
        assert "deposit 150 USDT OnHold since" in "\n".join(screen_lines(app))
        bodies = [r for r in exchange.requests if r.path == "/v2/operation/find"]
        assert len(bodies) == 4  # the newest page, then Created, Processing, OnHold
