"""Values in the dashboard: the Value column, the wallet's total, `v`, missing and zero
rates, stale rates, the mask, sorting by value, and the detail pane's exact values.

The rates feed runs beside the balances feed on the same hand-moved scheduler, so each
test says exactly when each request goes out.
"""

from __future__ import annotations

from decimal import Decimal

import httpx

from tests.app_harness import (
    SIZE,
    ManualScheduler,
    api_key_app,
    balance_calls,
    dashboard,
    dashboard_of,
    grid_rows,
    select,
    values_of,
    wait_until,
)
from tui.api.amounts import exact_product, exact_sum, format_value
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DemoExchange
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.status_bar import RefreshState, StatusBar

RATES = "/v2/rate/equivalent"


def rate_calls(exchange: DemoExchange) -> int:
    return sum(1 for record in exchange.requests if record.path == RATES)


def expected_total(exchange: DemoExchange, quote: str) -> Decimal:
    """The wallet's value computed here from the sandbox's own numbers."""
    parts = []
    for item in exchange.balance_payload()["data"]:
        rate = exchange.rate(item["asset"], quote)
        if rate:
            total = exact_sum(Decimal(v) for k, v in item.items() if k.endswith("alance"))
            parts.append(exact_product(total, rate))
    return exact_sum(parts)


def value_cell(grid: BalanceGrid, asset: str) -> str:
    return grid.get_cell(asset, "value").plain.strip()


async def test_the_value_column_and_the_total_in_the_quote_currency(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    async with dashboard(transport) as (_, pilot, screen, scheduler, _):
        grid = screen.query_one(BalanceGrid)
        assert value_cell(grid, "BTC") == ""  # no rates yet: blank, not 0
        await values_of(screen, pilot, scheduler)
        btc = screen.snapshot.get("BTC")  # type: ignore[union-attr]
        rate = exchange.rate("BTC", "USD")
        assert value_cell(grid, "BTC") == format_value(exact_product(btc.total, rate), "USD")
        assert grid.columns["value"].label.plain.strip() == "Value USD"
        worth = screen.query_one(StatusBar).info.worth
        assert worth == f"≈ {format_value(expected_total(exchange, 'USD'), 'USD')} USD"
        assert "≈" in screen.query_one(StatusBar).render_status().plain
        # The rates feed asks again after its own interval, 30 s; balances every 5 s.
        assert scheduler.next_delay_of("rates") == 30 and scheduler.next_delay == 4.5


async def test_v_cycles_the_quotes_and_a_missing_or_zero_rate_is_a_dash_never_zero(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    async with dashboard(transport, values=True) as (_, pilot, screen, _, _):
        grid, status = screen.query_one(BalanceGrid), screen.query_one(StatusBar)
        seen = []
        for _ in range(5):
            await pilot.press("v")
            seen.append(screen.quote)
            if screen.quote == "UAH":  # TON's UAH rate is "0": no rate
                assert value_cell(grid, "TON") == "—"
                assert status.info.worth.endswith(", excl. TON: no rate")
            if screen.quote == "EUR":  # XRP has no EUR rate at all
                assert value_cell(grid, "XRP") == "—"
                assert status.info.worth.endswith(", excl. XRP: no rate")
                total = format_value(expected_total(exchange, "EUR"), "EUR")
                assert status.info.worth == f"≈ {total} EUR, excl. XRP: no rate"
            if screen.quote == "BTC":  # a crypto quote: 8 decimals
                assert value_cell(grid, "ETH").split(".")[1].__len__() == 8
        assert seen == ["UAH", "EUR", "BTC", "USDT", "USD"]  # from USD, round to USD
        assert "SOL" in grid_rows(grid) and value_cell(grid, "SOL") == "0.00"  # held: 0


async def test_the_configured_quote_is_where_v_starts(
    transport: httpx.ASGITransport,
) -> None:
    async with dashboard(transport, quote="UAH", values=True) as (_, pilot, screen, _, _):
        assert screen.query_one(StatusBar).info.worth.split()[-5] == "UAH,"
        await pilot.press("v")
        assert screen.quote == "EUR"


async def test_a_rates_failure_marks_values_stale_and_never_touches_balances(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    async with dashboard(transport, values=True) as (_, pilot, screen, scheduler, clock):
        grid, status = screen.query_one(BalanceGrid), screen.query_one(StatusBar)
        before = value_cell(grid, "BTC")
        faults.push(Fault.parse("503@rates"))
        balances = balance_calls(exchange)
        for _ in range(6):  # 30 s in steps of the balance interval
            clock.advance(5)
            scheduler.advance(5)
            await pilot.pause()
        await wait_until(pilot, lambda: status.info.rates_stale)
        # The values stay, marked; the balances went on every 5 s, live and not stale.
        assert value_cell(grid, "BTC") == before
        assert grid.columns["value"].label.plain.strip() == "Value USD (stale)"
        assert balance_calls(exchange) >= balances + 6
        assert status.info.state is RefreshState.LIVE and not grid.has_class("-stale")
        line = status.render_status().plain
        assert "rates stale 30 s: Server error 503" in line
        # Its own backoff: not sooner than the rates interval, whatever balances do.
        assert (scheduler.next_delay_of("rates") or 0) >= 30
        faults.clear()
        clock.advance(60)
        scheduler.advance(60)
        await wait_until(pilot, lambda: not status.info.rates_stale)
        assert grid.columns["value"].label.plain.strip() == "Value USD"


async def test_a_balances_failure_keeps_the_values_and_old_rates_turn_stale_by_age(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan
) -> None:
    async with dashboard(transport, values=True) as (_, pilot, screen, scheduler, clock):
        grid, status = screen.query_one(BalanceGrid), screen.query_one(StatusBar)
        worth = status.info.worth
        faults.push(Fault.parse("500"))
        clock.advance(5)
        scheduler.advance(5)
        await wait_until(pilot, lambda: status.info.state is RefreshState.ERROR)
        assert status.info.worth == worth and value_cell(grid, "BTC") != ""
        # Rates that nobody refreshed for over 5 minutes are stale (here: paused).
        faults.clear()
        await pilot.press("p")
        clock.advance(301)
        await wait_until(pilot, lambda: status.info.rates_stale)  # at the next 1 s tick
        assert rate_calls(exchange) == 1


async def test_h_masks_values_and_the_total(
    transport: httpx.ASGITransport,
) -> None:
    async with dashboard(transport, values=True) as (_, pilot, screen, _, _):
        grid, status = screen.query_one(BalanceGrid), screen.query_one(StatusBar)
        await pilot.press("h")
        assert value_cell(grid, "BTC") == "•••••"
        assert not any(ch.isdigit() for ch in status.info.worth)
        for part in ("#detail-amounts", "#detail-values"):
            detail = str(screen.query_one(part).render())
            assert detail and not any(ch.isdigit() for ch in detail)
        await pilot.press("h")
        assert any(ch.isdigit() for ch in status.info.worth)


async def test_s_sorts_by_value(transport: httpx.ASGITransport, exchange: DemoExchange) -> None:
    async with dashboard(transport, values=True) as (_, pilot, screen, _, _):
        grid = screen.query_one(BalanceGrid)
        for _ in range(7):
            await pilot.press("s")
        assert screen.query_one(StatusBar).info.sort == "Value ▼"
        values = [grid.quote_value(asset) or Decimal(0) for asset in grid_rows(grid)]
        assert values == sorted(values, reverse=True)
        assert grid_rows(grid)[0] == "BTC"


async def test_the_detail_pane_shows_the_rate_its_age_and_exact_values(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    async with dashboard(transport, values=True) as (_, pilot, screen, _, clock):
        grid = screen.query_one(BalanceGrid)
        await select(pilot, grid, "ETH")
        clock.advance(12)
        rate = exchange.rate("ETH", "USD")
        rate_line = f"1 ETH = {rate:,f} USD\nas of 12:00:00 (<1 min)"
        detail = screen.query_one("#detail-values")
        await wait_until(pilot, lambda: rate_line in str(detail.render()))  # the 1 s tick
        text = str(detail.render())
        eth = screen.snapshot.get("ETH")  # type: ignore[union-attr]
        # Every digit of amount x rate, the one-wei referral's value included.
        referral = exact_product(eth.referral, rate)  # type: ignore[arg-type]
        assert f"{referral:f}".rstrip("0") in text
        assert screen.query_one(DetailPane).rate.rate == rate  # type: ignore[union-attr]


async def test_when_rates_never_came_the_status_bar_says_why(
    transport: httpx.ASGITransport, faults: FaultPlan
) -> None:
    scheduler = ManualScheduler()
    app = api_key_app(transport, scheduler=scheduler)
    async with app.run_test(size=SIZE) as pilot:
        faults.push(Fault.parse("503@rates"))
        screen = await dashboard_of(app, pilot)
        scheduler.advance(1)
        status = screen.query_one(StatusBar)
        await wait_until(pilot, lambda: status.info.rates_error is not None)
        line = status.render_status().plain
        assert "no values yet (rates: Server error 503" in line
        assert value_cell(screen.query_one(BalanceGrid), "BTC") == ""  # blank, never 0


async def test_the_rate_s_age_moves_by_the_minute_and_repaints_only_then(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    """The age is shown to the minute: the 1 s tick draws nothing while the minute is the
    same (a quiet dashboard repaints nothing each second), and the pane's values move when
    it turns; the sparkline stays."""
    async with dashboard(transport, values=True) as (_, pilot, screen, _, clock):
        await select(pilot, screen.query_one(BalanceGrid), "ETH")
        clock.advance(12)
        screen._tick()
        amounts = screen.query_one("#detail-values")
        calls: list[bool] = []
        original = amounts.update
        amounts.update = lambda content, *, layout=True: (  # type: ignore[method-assign]
            calls.append(layout),
            original(content, layout=layout),
        )[1]
        for _ in range(47):  # 13 s to 59 s old: "(<1 min)" all along
            clock.advance(1)
            screen._tick()
        assert calls == []
        assert "(<1 min)" in str(amounts.render())
        clock.advance(1)  # 60 s
        screen._tick()
        assert len(calls) == 1
        assert "as of 12:00:00 (1 min)" in str(amounts.render())
        screen._tick()  # the same second: nothing to draw
        assert len(calls) == 1
        clock.advance(59)  # 1 min 59 s: still "(1 min)"
        screen._tick()
        assert len(calls) == 1


def test_rate_age_is_told_to_the_minute() -> None:
    from datetime import UTC, datetime, timedelta

    from tui.ui.widgets.detail_amounts import rate_age

    at = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
    cases = {
        -5: "<1 min",  # a clock a little behind the rate's time
        0: "<1 min",
        59: "<1 min",
        60: "1 min",
        299: "4 min",
        3599: "59 min",
        3600: "1 h",
        3600 + 5 * 60 + 59: "1 h 5 min",
        26 * 3600: "26 h",
    }
    for seconds, text in cases.items():
        assert rate_age(at, at + timedelta(seconds=seconds)) == text, seconds
