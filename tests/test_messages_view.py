"""The messages view (`l`): every text a bar cut with "…", a card's border cut or a toast
took away, whole, from the keyboard (tmux and SSH users have no tooltips); Esc closes."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.app_harness import FROZEN_NOW, SIZE, api_key_app, dashboard, wait_until
from tests.screen_text import assert_no_control_characters, rendered_lines, screen_lines
from tui.api.text import clean_text
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DemoExchange
from tui.ui.message_log import MessageLog
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.messages import MessagesScreen, render_messages
from tui.ui.screens.operations import OperationsScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane, NetworkCard
from tui.ui.widgets.status_bar import RefreshState, StatusBar

NARROW = (70, 30)


def view_text(lines: list[str]) -> str:
    """The messages box as one string: its border and the wrapping taken out, so that a
    text wrapped over several lines reads as one (words joined by single spaces)."""
    inside = [line.strip().strip("│╭╮╰╯").strip() for line in lines]
    return " ".join(" ".join(inside).split())


def one_spaced(text: str) -> str:
    return " ".join(text.split())


async def open_messages(app: object, pilot: object) -> list[str]:
    await pilot.press("l")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, MessagesScreen))  # type: ignore[arg-type, attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return screen_lines(app)  # type: ignore[arg-type]


async def test_a_status_line_cut_at_70_columns_is_whole_behind_l(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    async with dashboard(transport) as (app, pilot, screen, scheduler, clock):
        await pilot.resize_terminal(*NARROW)
        faults.push(Fault.parse("404"))  # an error with a long message, that stays
        clock.advance(5)
        scheduler.advance(5)
        status = screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
        error = status.info.error or ""
        assert len(error) > 60
        await pilot.pause()
        bar = screen_lines(app)[-2]
        assert bar.rstrip().endswith("…")  # the bar cuts the line...
        assert "check --base-url" not in bar

        lines = await open_messages(app, pilot)
        assert all(len(line) <= NARROW[0] for line in lines)
        text = view_text(lines)
        # ...the view has it all: the status line as the bar would show it, uncut...
        assert one_spaced(status.render_status().plain) in text
        # ...and the error in the server's words, with its time (the frozen clock's).
        assert f"{FROZEN_NOW + timedelta(seconds=5):%H:%M:%S} balances: {one_spaced(error)}" in text

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await open_messages(app, pilot)
        await pilot.press("l")  # the key that opens it closes it too
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))

        # The same failure again is one entry that counts; an answer ends it.
        clock.advance(120)
        scheduler.advance(scheduler.next_delay or 0)
        await wait_until(
            pilot, lambda: len(app.messages.errors) == 1 and app.messages.errors[0].count == 2
        )
        faults.clear()
        clock.advance(300)
        scheduler.advance(scheduler.next_delay or 0)
        await wait_until(pilot, lambda: status.info.state is RefreshState.LIVE)
        text = view_text(await open_messages(app, pilot))
        assert f"(×2 since {FROZEN_NOW + timedelta(seconds=5):%H:%M:%S})" in text
        assert "balances answered again" in text
        assert text.index("balances answered again") < text.index("balances: Not found")


async def test_the_operations_view_lines_are_whole_behind_l(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    async with dashboard(transport) as (app, pilot, _, _, _):
        await pilot.resize_terminal(*NARROW)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OperationsScreen))
        ops = app.screen
        assert isinstance(ops, OperationsScreen)
        faults.push(Fault.parse("503@/v2/operation/find"))
        await pilot.press("r")
        await wait_until(pilot, lambda: ops.error is not None)
        await pilot.pause()
        assert screen_lines(app)[-2].rstrip().endswith("…")
        text = view_text(await open_messages(app, pilot))
        assert one_spaced(ops.render_status().plain) in text
        assert one_spaced(ops.render_filters().plain) in text
        assert f"operations: {one_spaced(ops.error or '')}" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is ops)


LONG_NETWORK = "[b]Arbitrum One (Nitro) \x1b[31mlayer-two rollup network[/b]"


async def test_network_names_and_notifications_are_whole_and_plain(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    exchange.add_asset(
        "ARB", {"balance": "1"}, deposit_addresses={LONG_NETWORK: {"address": "0xabc123"}}
    )
    app = api_key_app(transport)
    async with app.run_test(size=NARROW) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, DashboardScreen) and app.screen.snapshot is not None,
        )
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.query_one(BalanceGrid).select_asset("ARB")
        detail = screen.query_one(DetailPane)
        await wait_until(pilot, lambda: len(detail.query(NetworkCard)) == 1)
        await pilot.press("m")  # no memo: a toast names the network, cut short
        await wait_until(pilot, lambda: any("memo" in m for _, m, _ in app.notices))
        await pilot.pause()
        whole = clean_text(LONG_NETWORK)
        assert not any(whole in message for _, message, _ in app.notices)

        lines = await open_messages(app, pilot)
        assert_no_control_characters(lines)
        text = view_text(lines)
        assert f"Networks ▸ {one_spaced(whole)}" in text  # literally: "[b]" is text
        assert f"ARB on {one_spaced(whole)} has no memo/tag: nothing copied." in text


def test_the_view_shows_server_text_plain_and_hides_amounts_while_they_are() -> None:
    log = MessageLog()
    at = FROZEN_NOW
    log.failed("rates", "[red]boom[/red]\x1b[2J\x07 twice", at)
    log.notified("BTC +1.5 (now 2)", at, title="Available balance up", amounts=True)
    log.notified("Line one\nline\x1b]0;x\x07 two", at, title="Copied", severity="warning")
    shown = "\n".join(rendered_lines(render_messages(log, [], at, masked=False), width=66))
    assert_no_control_characters(shown.splitlines())
    assert "rates: [red]boom[/red][2J twice" in shown  # markup as text, escapes removed
    assert "BTC +1.5 (now 2)" in shown
    assert "Line one" in shown and "line]0;x two" in shown  # its own line break kept
    assert "Nothing on this screen is cut." in shown
    masked = "\n".join(rendered_lines(render_messages(log, [], at, masked=True), width=66))
    assert "1.5" not in masked and "amounts hidden" in masked
    assert "Copied" in masked  # a notification without amounts stays


async def test_l_is_in_the_bar_at_120_columns(transport: httpx.ASGITransport) -> None:
    # (The help screen and the README list it: tests/test_keys.py checks every key there.)
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await wait_until(pilot, lambda: "l Log" in screen_lines(app)[-1])


def test_the_log_counts_repeats_notes_recoveries_and_stays_bounded() -> None:
    log = MessageLog(limit=3)
    at = FROZEN_NOW
    log.answered("rates", at)  # no failure before: nothing to say
    log.failed("rates", "Server error 500", at)
    log.failed("balances", "Server error 502", at + timedelta(seconds=1))
    log.failed("rates", "Server error 500", at + timedelta(seconds=2))  # the same again
    assert [(e.source, e.count) for e in log.errors] == [("balances", 1), ("rates", 2)]
    assert log.errors[-1].first_at == at and log.errors[-1].at == at + timedelta(seconds=2)
    log.failed("rates", "Server error 503", at + timedelta(seconds=3))  # another failure
    log.answered("rates", at + timedelta(seconds=4))
    log.answered("rates", at + timedelta(seconds=5))  # said once
    assert [(e.source, e.message, e.recovered) for e in log.errors] == [
        ("rates", "Server error 500", False),
        ("rates", "Server error 503", False),
        ("rates", "", True),
    ]  # the oldest went first (limit 3)
    for n in range(5):
        log.notified(f"notice {n}", at)
    assert [entry.message for entry in log.notices] == ["notice 2", "notice 3", "notice 4"]


async def test_one_operations_failed_details_are_in_the_errors(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    from tests.test_app_operations import ready
    from tui.ui.screens.operation_detail import OperationDetailScreen

    faults.push(Fault.parse("503@/v2/operation/details"))
    app = api_key_app(transport)
    async with app.run_test(size=NARROW) as pilot:
        await ready(app, pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OperationsScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, OperationDetailScreen))
        detail = app.screen
        assert isinstance(detail, OperationDetailScreen)
        await wait_until(pilot, lambda: "not loaded" in detail.note)
        text = view_text(await open_messages(app, pilot))
        assert "Nothing on this screen is cut." in text
        assert "operation details: Server error 503" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is detail)


async def test_a_deposit_methods_failure_and_its_recovery_name_the_asset_asked_about(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    # The log names a feed's messages by what they are about (FeedLoaded/FeedFailed.about),
    # not by their class: the deposit methods feed is not loaded at start-up.
    faults.push(Fault.parse("503x1@/v2/deposit/pre-request"))
    async with dashboard(transport) as (app, pilot, screen, _, _):
        detail = screen.query_one(DetailPane)
        assert detail.balance is not None and detail.balance.asset == "BTC"
        await wait_until(pilot, lambda: bool(app.messages.errors))
        failed = app.messages.errors[-1]
        assert failed.source == "BTC deposit methods"
        assert failed.message.startswith("Server error 503")
        await pilot.press("r")  # asks again, past the cache: the methods come
        await wait_until(pilot, lambda: app.messages.errors[-1].recovered)
        assert app.messages.errors[-1].source == "BTC deposit methods"
        assert [e.source for e in app.messages.errors] == ["BTC deposit methods"] * 2
        text = view_text(await open_messages(app, pilot))
        assert "BTC deposit methods: Server error 503" in text
