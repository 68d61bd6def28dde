"""The balance grid's Value column on a wallet bigger than the screen: new rates give
every row its exact value (drawn when the row is drawn or read, so a rates answer
formats the rows on screen, not every row), the column fits the widest value shown
(on screen or not), sorting by value follows the rates, and the stale mark reaches
every value cell."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from tui.api.amounts import exact_product, format_value
from tui.api.models import AssetBalance, BalanceSnapshot
from tui.api.rates import Rates, parse_rates_response
from tui.ui.widgets import grid_rows
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.grid_cells import quote_value_cell, value_column_width
from tui.ui.widgets.grid_view import SortOrder

SIZE = (120, 30)
#: Far more rows than the 28 or so on screen.
ASSETS = [f"A{n:03}" for n in range(120)]


class GridApp(App[None]):
    def compose(self) -> ComposeResult:
        self.grid = BalanceGrid()
        yield self.grid


def wallet(**balances: str) -> BalanceSnapshot:
    """Every asset of ASSETS holding n + 1.5 (the n-th), or what `balances` says."""
    return BalanceSnapshot(
        tuple(
            AssetBalance(asset, (("balance", Decimal(balances.get(asset, f"{n}.5"))),))
            for n, asset in enumerate(ASSETS)
        )
    )


def rates_answer(prices: dict[str, str]) -> Rates:
    """Rates as the client gets them: parsed from an answer's body (USD and EUR)."""
    data = [
        {"asset": asset, "equivalent": {"USD": price, "EUR": price}}
        for asset, price in prices.items()
    ]
    return parse_rates_response(json.dumps({"data": data}).encode())


def value_text(grid: BalanceGrid, asset: str) -> str:
    return grid.get_cell(asset, "value").plain


def expected(snapshot: BalanceSnapshot, rates: Rates, asset: str, quote: str = "USD") -> str:
    """The value cell's text worked out here: the exact product, rounded for display."""
    rate = rates.rate(asset, quote)
    if rate is None:
        return quote_value_cell(None, quote)[0]
    return format_value(exact_product(snapshot.get(asset).total, rate), quote) + " "  # type: ignore[union-attr]


def screen_values(grid: BalanceGrid) -> dict[str, str]:
    """The Value column's text in each row on screen, as drawn (padding stripped)."""
    start = 0
    for column in grid.ordered_columns:
        if column.key.value == "value":
            break
        start += column.get_render_width(grid)
    width = grid.columns["value"].get_render_width(grid)
    top = grid.scroll_offset.y
    rows = grid.size.height - 1
    shown = [row.key.value for row in grid.ordered_rows][top : top + rows]  # type: ignore[misc]
    return {
        asset: grid.render_line(1 + i).text[start : start + width].strip()
        for i, asset in enumerate(shown)
    }


@pytest.fixture
def formatted(monkeypatch: pytest.MonkeyPatch) -> list[Decimal | None]:
    """Every value cell the grid formats, as it formats it."""
    calls: list[Decimal | None] = []

    def counting(value: Decimal | None, quote: str, *, stale: bool = False) -> tuple[str, str]:
        calls.append(value)
        return quote_value_cell(value, quote, stale=stale)

    monkeypatch.setattr(grid_rows, "quote_value_cell", counting)
    return calls


async def test_new_rates_format_the_rows_on_screen_and_every_row_is_exact(
    formatted: list[Decimal | None],
) -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid, snapshot = app.grid, wallet()
        grid.show(snapshot)
        grid.set_rates(rates_answer(dict.fromkeys(ASSETS, "2")), "USD")
        await pilot.pause()
        # New rates; the last asset, far off screen, now has the widest value.
        prices = {asset: f"3.{n:02}" for n, asset in enumerate(ASSETS)}
        prices["A119"] = "123456789.5"
        del prices["A050"]  # no rate now: a dash
        rates = rates_answer(prices)
        formatted.clear()
        grid.set_rates(rates, "USD")
        await pilot.pause()
        on_screen = screen_values(grid)
        assert 20 < len(on_screen) < 40
        # Only the rows on screen, and the few values that can be the widest, were
        # formatted (all 120, before): the rest are when they are drawn or read.
        assert len(formatted) <= len(on_screen) + 5
        for asset, text in on_screen.items():
            assert text == expected(snapshot, rates, asset).strip()
        for asset in ASSETS:
            assert value_text(grid, asset) == expected(snapshot, rates, asset), asset
        assert value_text(grid, "A050").strip() == "—"
        widest = max(len(expected(snapshot, rates, asset)) for asset in ASSETS)
        assert widest == len(expected(snapshot, rates, "A119")) == len("14,753,086,345.25 ")
        assert grid.columns["value"].content_width == widest
        # Scrolled to the end, the widest value shows whole.
        grid.select_asset("A119")
        await pilot.pause()
        assert screen_values(grid)["A119"] == "14,753,086,345.25"


async def test_sorting_by_value_follows_new_rates() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid, snapshot = app.grid, wallet()
        grid.show(snapshot)
        grid.set_sort(SortOrder("value", descending=True))
        grid.set_rates(rates_answer(dict.fromkeys(ASSETS, "1")), "USD")
        await pilot.pause()
        assert [row.key.value for row in grid.ordered_rows][:2] == ["A119", "A118"]  # type: ignore[misc]
        # Rates that turn the order round: the smallest holdings are now worth most.
        rates = rates_answer({asset: str(1000 - n * 8) for n, asset in enumerate(ASSETS)})
        grid.set_rates(rates, "USD")
        await pilot.pause()
        order = [row.key.value for row in grid.ordered_rows]  # type: ignore[misc]
        values = [grid.quote_value(asset) for asset in order]
        assert values == sorted(values, reverse=True)  # type: ignore[type-var]
        assert order[0] == "A062" and value_text(grid, "A062") == expected(snapshot, rates, "A062")
        grid.select_asset("A062")
        await pilot.pause()
        assert screen_values(grid)["A062"] == "31,500.00"  # 62.5 x 504


async def test_the_stale_mark_reaches_every_value_cell_and_goes() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        grid.show(wallet())
        rates = rates_answer(dict.fromkeys(ASSETS, "2"))
        grid.set_rates(rates, "USD")
        await pilot.pause()
        grid.set_rates(rates, "USD", stale=True)  # the same rates, now old
        await pilot.pause()
        assert grid.columns["value"].label.plain.strip() == "Value USD (stale)"
        assert {str(grid.get_cell(asset, "value").style) for asset in ASSETS} == {"stale"}
        grid.set_rates(rates, "USD")
        await pilot.pause()
        assert {str(grid.get_cell(asset, "value").style) for asset in ASSETS} == {""}


async def test_the_value_column_fits_the_widest_value_shown_as_balances_move() -> None:
    app = GridApp()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.grid
        rates = rates_answer(dict.fromkeys(ASSETS, "2"))
        grid.show(wallet())
        grid.set_rates(rates, "USD")
        await pilot.pause()

        def fits() -> int:
            """The widest value cell shown, checked to be the column's width (or its
            label's, when that is wider)."""
            column = grid.columns["value"]
            shown = [row.key.value for row in grid.ordered_rows]  # type: ignore[misc]
            widest = max(len(value_text(grid, asset)) for asset in shown)
            assert column.content_width == max(widest, column.label.cell_len)
            return widest

        base = fits()  # "239.00 "
        grid.show(wallet(A100="5000000"))  # off screen: 10,000,000.00
        await pilot.pause()
        assert fits() == len("10,000,000.00 ")
        grid.show(wallet(A100="5000000", A003="600000000"))
        await pilot.pause()
        assert fits() == len("1,200,000,000.00 ")
        grid.show(wallet(A100="5000000"))  # the widest one shrinks back
        await pilot.pause()
        assert fits() == len("10,000,000.00 ")
        grid.set_filter("A0")  # the wide one is filtered out
        await pilot.pause()
        assert fits() == base  # A099's 199.00, as wide as A119's 239.00
        grid.set_filter("")
        grid.set_masked(True)
        await pilot.pause()
        assert fits() == len("••••• ")
        grid.set_masked(False)
        grid.show(wallet(A100="0.001"))  # a tiny value shows the step: "<0.01"
        await pilot.pause()
        assert value_text(grid, "A100") == "<0.01 " and fits() == len("239.00 ")


values_ = st.one_of(
    st.none(),
    st.decimals(min_value=-(10**15), max_value=10**15, places=10, allow_nan=False),
    st.sampled_from([Decimal("0.004"), Decimal("-0.004"), Decimal("0.005"), Decimal("0")]),
)


@given(st.lists(values_, max_size=12), st.sampled_from(["USD", "BTC"]))
def test_the_column_width_is_the_widest_cell(values: list[Decimal | None], quote: str) -> None:
    """Worked out from a few values, the width is that of the widest formatted cell."""
    widest = max((len(quote_value_cell(value, quote)[0]) for value in values), default=0)
    assert value_column_width(values, quote) == widest
