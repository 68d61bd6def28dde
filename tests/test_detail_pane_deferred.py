"""The detail pane mounts its parts just after the dashboard's first frame: whatever it
was given before then is drawn, whole, once they are mounted."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
from textual.app import App, ComposeResult

from tests.app_harness import dashboard, wait_until
from tests.test_balance_grid import bal
from tui.api.models import AssetBalance, DepositAddress
from tui.ui.widgets.detail_amounts import MASK, AssetRate
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.network_cards import NetworkCard
from tui.ui.widgets.trend_view import TrendView

ADDRESS = "bc1qml80wt4gjpulzndtxwtz6fsdnsl8jgnluxaad4"
AS_OF = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


class HiddenPaneApp(App[None]):
    """A detail pane that is not laid out (display: none) until the test shows it."""

    CSS = "#detail { display: none; }"

    def compose(self) -> ComposeResult:
        yield DetailPane(id="detail")


def btc() -> AssetBalance:
    with_hold = bal("BTC", "0.5", holdBalance="0.25")
    return AssetBalance("BTC", with_hold.amounts, (DepositAddress("BTC", ADDRESS, None),))


def text(pane: DetailPane, selector: str) -> str:
    return str(pane.query_one(selector).render())


async def test_what_the_pane_is_given_before_its_parts_exist_is_drawn_once_they_do() -> None:
    app = HiddenPaneApp()
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(DetailPane)
        # Before the first answer: nothing to switch, said as the pane says it.
        assert pane.switch_qr() == "No asset selected: no QR code to switch."
        pane.show_asset(btc())
        pane.set_rate(AssetRate("USD", Decimal("60000"), AS_OF), AS_OF)
        pane.trend_unavailable("History is off (--no-history).")
        await pilot.pause()
        assert not pane.built
        assert not pane.query("#detail-title")  # nothing mounted, nothing drawn
        assert pane.qr_pending  # the codes come with the parts
        assert pane.switch_qr() == "The QR codes are still being drawn."
        pane.set_masked(True)

        pane.display = True
        await wait_until(pilot, lambda: pane.built and not pane.qr_pending)

        assert "BTC" in text(pane, "#detail-title")
        amounts = text(pane, "#detail-amounts")
        assert MASK in amounts and "0.25" not in amounts  # masked before it was drawn
        assert "USD" in text(pane, "#detail-values")
        assert "History is off" in text(pane.query_one(TrendView), "#trend-change")
        cards = list(pane.query(NetworkCard))
        assert len(cards) == 1 and ADDRESS in str(cards[0].render())


async def test_another_asset_before_the_parts_exist_shows_that_asset_only() -> None:
    app = HiddenPaneApp()
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show_asset(btc())
        pane.show_trend(None, "24 h")
        pane.show_asset(bal("UAH", "100"))  # no trend for UAH yet: "loading"
        pane.display = True
        await wait_until(pilot, lambda: pane.built and not pane.qr_pending)
        assert "UAH" in text(pane, "#detail-title")
        trend = pane.query_one(TrendView)
        assert trend.display and "…" in text(trend, "#trend-change")  # not BTC's trend
        assert not pane.query(NetworkCard)  # UAH has no deposit address


async def test_the_dashboard_pane_shows_the_selected_asset_once_mounted(
    transport: httpx.AsyncBaseTransport,
) -> None:
    async with dashboard(transport) as on:
        pane = on.screen.query_one(DetailPane)
        assert pane.built
        assert on.screen.snapshot is not None
        first = on.screen.snapshot.balances[0].asset
        assert first in text(pane, "#detail-title")


class LaterTrendApp(App[None]):
    """Mounts a TrendView that was given its trend line before it was mounted."""

    def __init__(self, view: TrendView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield self.view


async def test_a_trend_view_told_before_its_parts_exist_draws_it_once_they_do() -> None:
    # The detail pane shows its trend as soon as it has mounted its parts, which can be
    # before the trend view has mounted its own (this crashed the start-up probe).
    view = TrendView(id="detail-trend")
    view.unavailable("History is off (--no-history).")
    app = LaterTrendApp(view)
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert view.display
        assert "History is off" in text(view, "#trend-change")  # type: ignore[arg-type]
