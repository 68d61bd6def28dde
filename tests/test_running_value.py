"""`RunningValue`: the wallet's total kept up to date by differences is, digit for digit
(exponent included), the total a full `wallet_value` gives, and does no work when
nothing changed."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api import rates as rates_module
from tui.api import values
from tui.api.models import AssetBalance, BalanceSnapshot
from tui.api.rates import Rates
from tui.api.values import RunningValue, wallet_value

ASSETS = [f"A{i}" for i in range(8)]
amounts = st.decimals(min_value=0, max_value=10**9, places=8, allow_nan=False) | st.sampled_from(
    [Decimal("0"), Decimal("0.000000000000000000"), Decimal("1E+2"), Decimal("0.10")]
)
rates_ = (
    st.none()
    | st.sampled_from([Decimal("0"), Decimal("0.00")])
    | st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False)
)


def balance(asset: str, available: Decimal, hold: Decimal | None) -> AssetBalance:
    fields = [("balance", available)] + ([] if hold is None else [("holdBalance", hold)])
    return AssetBalance(asset, tuple(fields))


@st.composite
def sessions(draw: st.DrawFn) -> tuple[Rates, list[BalanceSnapshot]]:
    """A wallet, its rates (some missing, some zero), and refreshes in which some assets
    change (new objects) and the rest keep their objects, as the client keeps them."""
    n = draw(st.integers(1, len(ASSETS)))
    table = {}
    for asset in ASSETS[:n]:
        rate = draw(rates_)
        if rate is not None:
            table[asset] = {"USD": rate}
    rates = Rates(table, ("USD",))
    current = [balance(asset, draw(amounts), draw(st.none() | amounts)) for asset in ASSETS[:n]]
    snapshots = [BalanceSnapshot(tuple(current))]
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):  # some assets change in place
            for index in draw(st.lists(st.integers(0, n - 1), max_size=3)):
                current[index] = balance(
                    current[index].asset, draw(amounts), draw(st.none() | amounts)
                )
        elif n > 1 and draw(st.booleans()):  # an asset goes (the full sum's way)
            current = current[1:] + current[:1]
        snapshots.append(BalanceSnapshot(tuple(current)))
    return rates, snapshots


@settings(max_examples=300, deadline=None)
@given(sessions())
def test_the_running_total_is_the_full_sum_digit_for_digit(
    session: tuple[Rates, list[BalanceSnapshot]],
) -> None:
    rates, snapshots = session
    running = RunningValue()
    for snapshot in snapshots:
        got = running.update(snapshot, rates, "USD")
        want = wallet_value(snapshot, rates, "USD")
        assert str(got.total) == str(want.total)
        assert got.missing == want.missing
        assert got.describe() == want.describe()


def test_nothing_changed_is_not_summed_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    snapshot = BalanceSnapshot(
        (balance("BTC", Decimal("1.5"), None), balance("XRP", Decimal(2), None))
    )
    rates = Rates({"BTC": {"USD": Decimal("100")}}, ("USD",))
    running = RunningValue()
    first = running.update(snapshot, rates, "USD")
    assert first.describe() == "≈ 150.00 USD, excl. XRP: no rate"

    products = []
    monkeypatch.setattr(values, "exact_product", lambda a, r: products.append(a) or a * r)
    monkeypatch.setattr(  # (a full sum's products)
        rates_module,
        "exact_products",
        lambda amounts, rates: [
            products.append(a) or a * r if r else None for a, r in zip(amounts, rates, strict=True)
        ],
    )
    assert running.update(snapshot, rates, "USD") is first
    assert products == []
    # One asset changed: only its old and new values are computed.
    moved = BalanceSnapshot((balance("BTC", Decimal("2"), None), snapshot.balances[1]))
    assert running.update(moved, rates, "USD").describe() == "≈ 200.00 USD, excl. XRP: no rate"
    assert products == [Decimal("1.5"), Decimal("2")]
    # Another quote or new rates: the full sum.
    assert running.update(moved, Rates(dict(rates.table), ("USD",)), "USD").total == 200
    assert len(products) == 3  # XRP has no rate
