"""Everyday features: sort, hide zero rows, privacy mask, wallet switching, CSV export."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from tests.app_harness import (
    SIZE,
    ManualScheduler,
    api_key_app,
    dashboard,
    dashboard_of,
    grid_rows,
    grid_text,
    values_of,
    wait_until,
)
from tui.sandbox.wallet import MAIN_WALLET_ID, SAVINGS_WALLET_ID, DemoExchange
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.status_bar import StatusBar


def rendered(grid: BalanceGrid) -> str:
    return "\n".join(grid_text(grid))


async def test_s_cycles_the_sort_and_keeps_the_cursor_on_its_asset(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        server_order = grid_rows(grid)
        await pilot.press("down", "down")
        selected = grid.selected_asset
        await pilot.press("s")
        assert grid_rows(grid) == sorted(server_order)
        assert grid.selected_asset == selected
        assert "sort Asset ▲" in screen.query_one(StatusBar).render_status().plain
        await pilot.press("s")
        assert grid_rows(grid) == sorted(server_order, reverse=True)
        await pilot.press("s")  # available, largest first
        snapshot = screen.snapshot
        assert snapshot is not None
        expected = sorted(
            sorted(server_order), key=lambda a: snapshot.get(a).available, reverse=True
        )  # type: ignore[union-attr]
        assert grid_rows(grid) == expected
        assert grid.selected_asset == selected
        for _ in range(4):
            await pilot.press("s")
        assert grid_rows(grid) == server_order  # the cycle ends on the server's order


async def test_a_header_click_sorts_by_that_column(transport: httpx.ASGITransport) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        snapshot = screen.snapshot
        assert snapshot is not None
        x = 0
        for column in grid.ordered_columns:
            if column.key.value == "total":
                break
            x += column.get_render_width(grid)
        await pilot.click(BalanceGrid, offset=(x + 2, 0))  # on the Total header
        await pilot.pause()
        assert grid.current_sort is not None and grid.current_sort.column == "total"
        totals = [snapshot.get(asset).total for asset in grid_rows(grid)]  # type: ignore[union-attr]
        assert totals == sorted(totals, reverse=True)


async def test_z_hides_zero_rows_and_counts_them(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        assert "SOL" in grid_rows(grid)  # the demo's all-zero asset
        await pilot.press("z")
        assert "SOL" not in grid_rows(grid)
        assert grid.hidden_zero_count == 1
        assert "1 zero hidden" in screen.query_one(StatusBar).render_status().plain
        await pilot.press("z")
        assert "SOL" in grid_rows(grid)


async def test_h_masks_every_amount_and_shows_them_again(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        await values_of(screen, pilot)  # values are masked too
        grid, detail = screen.query_one(BalanceGrid), screen.query_one(DetailPane)
        before = rendered(grid)
        await pilot.press("h")
        masked = rendered(grid)
        assert not any(ch.isdigit() for ch in masked)
        assert "BTC" in masked  # symbols stay readable
        for part in ("#detail-amounts", "#detail-values"):
            amounts = str(screen.query_one(part).render())
            assert amounts and not any(ch.isdigit() for ch in amounts)
        assert "amounts hidden" in screen.query_one(StatusBar).render_status().plain
        # Copying an address still works while amounts are hidden.
        await pilot.press("c")
        assert app.clipboard == detail.selected_address.address  # type: ignore[union-attr]
        await pilot.press("h")
        assert rendered(grid) == before


async def test_w_switches_wallets_and_refreshes_at_once(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    scheduler = ManualScheduler()
    app = api_key_app(
        transport, scheduler=scheduler, wallet_ids=(MAIN_WALLET_ID, SAVINGS_WALLET_ID)
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        main_assets = grid_rows(grid)
        await pilot.press("w")
        savings = [item["asset"] for item in exchange.balance_payload(SAVINGS_WALLET_ID)["data"]]
        await wait_until(pilot, lambda: grid_rows(grid) == savings)
        assert screen.wallet_id == SAVINGS_WALLET_ID
        assert "wallet 6d0f2a8e…" in screen.query_one(StatusBar).render_status().plain
        assert not any(grid.get_cell(a, "delta").plain.strip() for a in savings)  # not a change
        await pilot.press("w")
        await wait_until(pilot, lambda: grid_rows(grid) == main_assets)
        balance_bodies = [r for r in exchange.requests if r.path == "/v2/balance"]
        assert len(balance_bodies) == 3


async def test_w_never_shows_the_wallet_left_behind_under_the_next_ones_name(
    transport: httpx.ASGITransport,
) -> None:
    # `w` to a wallet the exchange does not know: the status said "Wallet not found",
    # while the grid and the total kept the main wallet's balances, not even dimmed.
    scheduler = ManualScheduler()
    app = api_key_app(transport, scheduler=scheduler, wallet_ids=(MAIN_WALLET_ID, "no-such"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        status = screen.query_one(StatusBar)
        assert grid_rows(grid)
        await pilot.press("w")
        assert grid_rows(grid) == []  # at once, before the wallet answers
        assert "≈" not in status.render_status().plain  # nor the main wallet's total
        await wait_until(pilot, lambda: "Wallet not found" in status.render_status().plain)
        assert grid_rows(grid) == []
        assert "no-such" in status.render_status().plain


async def test_w_with_one_wallet_says_how_to_add_more(transport: httpx.ASGITransport) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_of(app, pilot)
        await pilot.press("w")
        assert "--wallet-id" in app.notices[-1][1]


async def test_e_exports_exact_amounts_addresses_and_memos(
    transport: httpx.ASGITransport,
    exchange: DemoExchange,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    exchange.set_amount("ETH", "referralBalance", "0.000000000000000001")
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        await values_of(screen, pilot)  # the values on screen are exported too
        await pilot.press("e")
        title, message, _ = app.notices[-1]
        assert title == "Exported to CSV"
        path = Path(message)
        assert path.parent == tmp_path and path.name == "wallet-tui-main-20261125-120000.csv"
        with path.open(newline="") as file:
            exported = list(csv.DictReader(file))
        eth = next(row for row in exported if row["asset"] == "ETH")
        assert eth["balance"] == "1.234567890123456789"
        assert (
            Decimal(eth["referralBalance"]) == Decimal("1E-18")
            and "E" not in eth["referralBalance"]
        )
        xrp = next(row for row in exported if row["asset"] == "XRP")
        assert xrp["memo"] and xrp["address"].startswith("r")
        rate = exchange.rate("ETH", "USD")
        assert Decimal(eth["value USD"]) == Decimal(eth["total"]) * rate  # exact
        assert exported[-1]["asset"] == "Total value" and exported[-1]["value USD"]
        await pilot.press("e")  # a second export does not overwrite the first
        assert Path(app.notices[-1][1]) != path and path.exists()


async def test_the_detail_pane_draws_qr_codes_of_the_address_and_the_memo(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    from tui.ui.widgets.qr_code import QRCode

    payload = {item["asset"]: item for item in exchange.balance_payload()["data"]}
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        grid = screen.query_one(BalanceGrid)
        address_qr = screen.query_one("#qr-address", QRCode)
        memo_qr = screen.query_one("#qr-memo", QRCode)

        async def codes_show(address: str | None, memo: str | None) -> None:
            # The codes follow the selection a moment later; until then, the old ones
            # are hidden: never a code beside an address that is not its own.
            assert not address_qr.visible or address_qr.data == address
            assert not memo_qr.visible or memo_qr.data == memo
            await wait_until(
                pilot,
                lambda: address_qr.visible and (address_qr.data, memo_qr.data) == (address, memo),
            )

        while grid.selected_asset != "XRP":
            await pilot.press("down")
        xrp = next(iter(payload["XRP"]["depositAddress"].values()))
        await codes_show(xrp["address"], xrp["memo"])
        # 120 x 40 has room for both (once the pane is laid out again with the network
        # card's minimum, which can come just after the codes).
        await wait_until(pilot, lambda: address_qr.fits and memo_qr.fits)
        while grid.selected_asset != "USDT":
            await pilot.press("up")
        networks = list(payload["USDT"]["depositAddress"].values())
        await codes_show(networks[0]["address"], None)
        await pilot.press("]")
        await codes_show(networks[1]["address"], None)
        while grid.selected_asset != "UAH":
            await pilot.press("down")
        await codes_show(None, None)  # fiat: nothing to scan


async def test_the_theme_chosen_is_remembered_for_the_next_start(
    transport: httpx.ASGITransport,
) -> None:
    from tui.ui.ui_state import load_state

    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_of(app, pilot)
        app.theme = "gruvbox"  # what choosing it in the command palette does
        await pilot.pause()
    assert load_state()["theme"] == "gruvbox"
    again = api_key_app(transport)
    async with again.run_test(size=SIZE) as pilot:
        await dashboard_of(again, pilot)
        assert again.theme == "gruvbox"


async def test_a_long_asset_name_is_cut_in_notifications(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    long_name = "VERYLONGTOKEN" * 20
    exchange.add_asset(long_name, {"balance": "1"}, {"NET": "addr-of-the-long-one"})
    async with dashboard(transport) as (app, pilot, screen, scheduler, _):
        grid = screen.query_one(BalanceGrid)
        while grid.selected_asset != long_name:
            await pilot.press("down")
        await pilot.press("c")
        assert app.clipboard == "addr-of-the-long-one"
        _, message, _ = app.notices[-1]
        assert message.startswith("VERYLONGTOKENVERYLONGTO… on NET: ")
        exchange.set_amount(long_name, "balance", "2")
        scheduler.advance(5)
        await wait_until(pilot, lambda: app.notices[-1][0] == "Available balance up")
        assert len(app.notices[-1][1]) < 60


async def test_e_names_the_export_after_the_wallets_configured_name(
    transport: httpx.ASGITransport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.sandbox.wallet import SAVINGS_WALLET_ID
    from tui.ui.export import export_path

    monkeypatch.chdir(tmp_path)
    app = api_key_app(
        transport,
        wallet_ids=(SAVINGS_WALLET_ID,),
        wallet_names={SAVINGS_WALLET_ID: "Savings / EUR"},
    )
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_of(app, pilot)
        await pilot.press("e")
        path = Path(app.notices[-1][1])
        assert path.name == "wallet-tui-Savings-EUR-20261125-120000.csv"
    # A name that is no use in a file name falls back to the id's first characters.
    from tui.api.models import BalanceSnapshot

    empty = BalanceSnapshot((), wallet_id="6d0f2a8e-3c4b")
    when = datetime(2026, 11, 25, 12, 0, 0)
    assert (
        export_path(empty, when, tmp_path, "../..").name
        == "wallet-tui-6d0f2a8e-20261125-120000.csv"
    )
    assert export_path(empty, when, tmp_path, "Рахунок 1").name.startswith("wallet-tui-Рахунок-1-")
