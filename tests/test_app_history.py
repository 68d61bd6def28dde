"""History and alerts in the running app: Pilot against the sandbox, a real SQLite file."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from textual.widgets import Sparkline, Static

from tests.app_harness import (
    FROZEN_NOW,
    SANDBOX_URL,
    SIZE,
    ManualScheduler,
    MovingClock,
    api_key_app,
    dashboard,
    dashboard_of,
    select,
    wait_until,
)
from tui.api.amounts import exact_product, trim_zeros
from tui.api.models import AVAILABLE, AssetBalance
from tui.history.store import HistoryStore
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DEMO_API_KEY, DEMO_PASSWORD, DemoExchange
from tui.ui.screens.dashboard import FIRST_RATES_DELAY
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.trend_view import TrendView


def stored(path: Path) -> HistoryStore:
    return HistoryStore(path, create=False)


def change_text(app: object) -> str:
    view = app.screen.query_one(TrendView)  # type: ignore[attr-defined]
    return str(view.query_one("#trend-change", Static).render())


async def test_answers_are_recorded_once_each_change_and_no_secret(
    transport: httpx.ASGITransport, exchange: DemoExchange, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    async with dashboard(transport, history_file=path) as (app, pilot, screen, scheduler, _):
        assert app.recorder.writer is not None and app.recorder.writer.flush()
        first = stored(path).balance_rows()
        assert len(first) == len(screen.snapshot or ())
        scheduler.advance(5)  # the same answer again: nothing new
        exchange.set_amount("BTC", "balance", "0.000000000000000001")
        scheduler.advance(5)
        await wait_until(pilot, lambda: screen.snapshot.get("BTC").available < 1)  # type: ignore[union-attr]
        assert app.recorder.writer.flush()
        rows = stored(path).balance_rows()
        assert len(rows) == len(first) + 1
        assert (rows[-1].asset, rows[-1].base_url, rows[-1].wallet) == ("BTC", SANDBOX_URL, None)
        assert dict(rows[-1].amounts)["balance"] == Decimal("0.000000000000000001")
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    for secret in (DEMO_API_KEY, DEMO_PASSWORD, "Bearer", "api-key"):
        assert secret.encode() not in on_disk


async def test_no_history_writes_nothing_and_shows_no_sparkline(
    transport: httpx.ASGITransport, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    app = api_key_app(transport, history=False, history_file=path)
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_of(app, pilot)
        await pilot.pause()
        assert app.recorder.writer is None
        assert not app.screen.query_one(TrendView).display
    assert not path.exists()


async def test_a_corrupt_database_warns_once_and_the_dashboard_goes_on(
    transport: httpx.ASGITransport, exchange: DemoExchange, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database\n" * 500)
    async with dashboard(transport, history_file=path) as (app, pilot, screen, scheduler, _):
        await wait_until(pilot, lambda: any(t == "History and alerts" for t, _, _ in app.notices))
        for amount in ("7", "8"):
            exchange.set_amount("BTC", "balance", amount)
            scheduler.advance(5)
            await wait_until(
                pilot, lambda a=amount: screen.snapshot.get("BTC").available == Decimal(a)
            )  # type: ignore[union-attr,misc]
        warnings = [n for n in app.notices if n[0] == "History and alerts"]
        assert len(warnings) == 1 and "not a SQLite database" in warnings[0][1]
        await wait_until(pilot, lambda: "History unavailable" in change_text(app))


async def test_the_sparkline_of_the_selected_asset_and_its_exact_change(
    transport: httpx.ASGITransport, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    for hours, available in ((30 * 24, "0.1"), (5 * 24, "0.2"), (20, "0.3"), (1, "0.4")):
        at = (FROZEN_NOW - timedelta(hours=hours)).timestamp()
        store.append_balances(
            SANDBOX_URL, None, at, [AssetBalance("ETH", ((AVAILABLE, Decimal(available)),))]
        )
    store.close()
    app = api_key_app(transport, history_file=path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        await select(pilot, screen.query_one(BalanceGrid), "ETH")
        line = screen.query_one(TrendView).query_one(Sparkline)
        eth = screen.snapshot.get("ETH")  # type: ignore[union-attr]
        # 24 h ago the total was 0.2 (it became 0.3 20 h ago): the change is from there.
        want = f"+{trim_zeros(eth.total - Decimal('0.2'))}"
        try:
            await wait_until(pilot, lambda: want in change_text(app))
        except AssertionError:
            raise AssertionError(change_text(app) + " want " + want) from None
        assert "Total, 24 h" in change_text(app) and len(line.data or []) > 10
        await pilot.press("t")
        await wait_until(pilot, lambda: "Total, 7 d" in change_text(app))
        assert f"+{trim_zeros(eth.total - Decimal('0.1'))}" in change_text(app)
        await pilot.press("t")
        await wait_until(pilot, lambda: "Total, 30 d" in change_text(app))
        await pilot.press("h")  # masked: no figure, no bars
        assert "•••••" in change_text(app) and not line.data
        await pilot.press("h", "t")
        await wait_until(pilot, lambda: "Total, 24 h" in change_text(app))


def hook_recorder(tmp_path: Path) -> tuple[str, Path]:
    out = tmp_path / "alerts.jsonl"
    script = tmp_path / "hook.py"
    script.write_text(
        f"import sys\nopen({str(out)!r}, 'a').write(sys.stdin.read())\n", encoding="utf-8"
    )
    return f"{sys.executable} {script}", out


async def test_each_alert_rule_fires_once_and_reaches_every_channel(
    transport: httpx.ASGITransport, exchange: DemoExchange, faults: FaultPlan, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    command, out = hook_recorder(tmp_path)
    scheduler = ManualScheduler()
    clock = MovingClock()
    rules = ("USDT available < 2000", "BTC total > 1", "deposit", "offline > 5m")
    app = api_key_app(
        transport,
        scheduler=scheduler,
        clock=clock,
        history_file=path,
        alerts=rules,
        on_alert=command,
        desktop_alerts=False,
    )
    bells: list[int] = []
    app.recorder._bell = lambda: bells.append(1)

    def fired(rule: str) -> int:
        return sum(1 for alert in app.recorder.fired if alert.rule == rule)

    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        assert app.recorder.fired == []  # nothing is true at start

        async def answer(asset: str, field: str, value: str) -> None:
            exchange.set_amount(asset, field, value)
            clock.advance(5)
            scheduler.advance(5)
            await wait_until(
                pilot,
                lambda: screen.snapshot.get(asset).amount(field) == Decimal(value),  # type: ignore[union-attr]
            )

        await answer("USDT", "balance", "1500")
        await answer("USDT", "balance", "1400")  # still true: no second alert
        assert fired("USDT available < 2000") == 1
        await answer("USDT", "balance", "2500")  # false again (and a deposit)
        await answer("USDT", "balance", "1000")
        assert fired("USDT available < 2000") == 2
        await answer("BTC", "balance", "2")
        await answer("BTC", "balance", "3")
        assert fired("BTC total > 1") == 1
        # Deposits: USDT 1400 -> 2500, BTC 0.5 -> 2; BTC 2 -> 3 on the very next answer
        # is the same condition still true: fired once, as the rule says.
        assert fired("deposit") == 2

        faults.push(Fault(kind="html", times=None))
        clock.advance(200)
        scheduler.advance(60)
        await wait_until(pilot, lambda: screen.balances.state.error is not None)
        assert fired("offline > 5m") == 0
        clock.advance(200)
        scheduler.advance(120)
        await wait_until(pilot, lambda: fired("offline > 5m") == 1)
        clock.advance(200)
        scheduler.advance(300)
        await pilot.pause()
        assert fired("offline > 5m") == 1

        total = len(app.recorder.fired)
        assert total == 6 and len(bells) == total
        notices = [n for n in app.notices if n[0].startswith("Alert: ")]
        assert len(notices) == total
        assert app.recorder.delivery is not None and app.recorder.delivery.flush()
        assert app.recorder.writer is not None and app.recorder.writer.flush()
    hooked = [json.loads(line) for line in out.read_text().splitlines()]
    assert [h["rule"] for h in hooked] == [a.rule for a in app.recorder.fired]
    assert hooked[0]["amount"] == "1500" and hooked[0]["baseUrl"] == SANDBOX_URL
    assert DEMO_API_KEY not in out.read_text()
    assert [a.rule for a in stored(path).alert_rows()] == [a.rule for a in app.recorder.fired]


async def test_rows_carry_the_value_in_the_quote_currency_once_rates_are_known(
    transport: httpx.ASGITransport, exchange: DemoExchange, tmp_path: Path
) -> None:
    path = tmp_path / "history.sqlite3"
    async with dashboard(transport, history_file=path) as (app, pilot, screen, scheduler, _):
        scheduler.advance(FIRST_RATES_DELAY)
        await wait_until(pilot, lambda: screen.rates.state.value is not None)
        exchange.set_amount("BTC", "balance", "2.000000000000000001")
        scheduler.advance(5)
        await wait_until(pilot, lambda: screen.snapshot.get("BTC").available > 1)  # type: ignore[union-attr]
        assert app.recorder.writer is not None and app.recorder.writer.flush()
        row = stored(path).balance_rows(asset="BTC")[-1]
        rate = screen.rates.state.value.rate("BTC", "USD")  # type: ignore[union-attr]
        assert rate is not None and row.quote == "USD"
        assert row.value == exact_product(row.total, rate)


async def test_operation_rules_fire_once_per_operation_entering_the_status(
    transport: httpx.ASGITransport, exchange: DemoExchange, tmp_path: Path
) -> None:
    command, out = hook_recorder(tmp_path)
    scheduler = ManualScheduler()
    app = api_key_app(
        transport,
        scheduler=scheduler,
        history_file=tmp_path / "history.sqlite3",
        alerts=("operation OnHold", "operation Declined"),
        on_alert=command,
        desktop_alerts=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        scheduler.advance(FIRST_RATES_DELAY)  # the operations' first call
        await wait_until(pilot, lambda: screen.operations.state.value is not None)
        assert app.recorder.fired == []  # what was on hold before the start is not news
        eth = next(
            item["id"]
            for item in exchange.operations_payload()["data"]
            if item["status"] == "Processing"
        )
        exchange.set_operation_status(eth, "OnHold")
        withdrawal = exchange.add_operation("Withdraw", "Processing", "BTC", "0.042")
        scheduler.advance(30)
        await wait_until(pilot, lambda: len(app.recorder.fired) == 1)
        scheduler.advance(30)  # the same statuses again: nothing new
        exchange.set_operation_status(withdrawal, "Declined")
        scheduler.advance(30)
        await wait_until(pilot, lambda: len(app.recorder.fired) == 2)
        scheduler.advance(30)
        await pilot.pause()
        held, declined = app.recorder.fired
        assert (held.rule, held.detail["operationId"]) == ("operation OnHold", eth)
        assert (declined.rule, declined.detail["operationId"]) == ("operation Declined", withdrawal)
        assert declined.detail["amount"] == "0.042" and declined.asset == "BTC"
        assert app.recorder.delivery is not None and app.recorder.delivery.flush()
    hooked = [json.loads(line) for line in out.read_text().splitlines()]
    assert [h["status"] for h in hooked] == ["OnHold", "Declined"]
