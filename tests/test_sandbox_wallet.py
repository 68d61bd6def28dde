"""The demo account: seeded content, deterministic movement, and the test helpers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api.models import is_amount_field
from tui.api.parse import parse_balance_payload
from tui.sandbox import wallet
from tui.sandbox.demo_data import PRECISION
from tui.sandbox.wallet import (
    MAIN_WALLET_ID,
    MAX_CATCH_UP_TICKS,
    SAVINGS_WALLET_ID,
    DemoExchange,
    UnknownAssetError,
    UnknownWalletError,
)

TICK = 3.0


class Clock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def items(payload: dict) -> dict[str, dict]:
    return {item["asset"]: item for item in payload["data"]}


def all_amounts(exchange: DemoExchange) -> list[tuple[str, str, Decimal, int]]:
    """(asset, field, value, exponent) for every amount of every wallet."""
    found = []
    for wallet_id in exchange.wallet_ids:
        for item in exchange.balance_payload(wallet_id)["data"]:
            for key, text in item.items():
                if is_amount_field(key):
                    value = Decimal(text)
                    found.append((item["asset"], key, value, value.as_tuple().exponent))
    return found


# -- seeded content --------------------------------------------------------------------


def test_seeded_main_wallet_has_the_promised_variety() -> None:
    payload = DemoExchange(moving=False).balance_payload()
    by_asset = items(payload)
    assert list(by_asset) == ["BTC", "ETH", "USDT", "XRP", "TON", "TRX", "UAH", "SOL"]
    assert list(by_asset["BTC"])[:5] == [
        "asset",
        "balance",
        "holdBalance",
        "lockBalance",
        "referralBalance",
    ]
    assert by_asset["ETH"]["balance"] == "1.234567890123456789"
    assert by_asset["ETH"]["referralBalance"] == "0.000000000000000001"
    assert set(by_asset["USDT"]["depositAddress"]) == {"TRX", "ETH"}
    assert by_asset["USDT"]["settlementBalance"] == "75.25"
    assert by_asset["XRP"]["depositAddress"]["XRP"]["memo"].isdigit()
    assert by_asset["TON"]["depositAddress"]["TON"]["memo"]
    assert by_asset["BTC"]["depositAddress"]["BTC"]["memo"] is None
    assert "depositAddress" not in by_asset["UAH"]
    assert all(by_asset["SOL"][f] == "0" for f in ("balance", "holdBalance", "lockBalance"))
    assert by_asset["SOL"]["depositAddress"]["SOL"]["address"]


def test_addresses_look_like_their_chains() -> None:
    by_asset = items(DemoExchange(moving=False).balance_payload())
    btc = by_asset["BTC"]["depositAddress"]["BTC"]["address"]
    eth = by_asset["ETH"]["depositAddress"]["ETH"]["address"]
    trx = by_asset["USDT"]["depositAddress"]["TRX"]["address"]
    assert btc.startswith("bc1q") and len(btc) == 42
    assert eth.startswith("0x") and len(eth) == 42 and int(eth, 16) >= 0
    assert trx.startswith("T") and len(trx) == 34
    assert by_asset["XRP"]["depositAddress"]["XRP"]["address"].startswith("r")


def test_payload_parses_with_the_real_parser_exactly() -> None:
    snapshot = parse_balance_payload(DemoExchange(moving=False).balance_payload())
    eth = snapshot.get("ETH")
    assert eth is not None
    assert eth.available == Decimal("1.234567890123456789")
    assert eth.referral == Decimal("1E-18")
    assert snapshot.get("USDT").extra_amounts == (("settlementBalance", Decimal("75.25")),)  # type: ignore[union-attr]
    assert snapshot.get("UAH").deposit_addresses == ()  # type: ignore[union-attr]
    assert snapshot.get("SOL").is_zero  # type: ignore[union-attr]


def test_savings_wallet_and_unknown_wallet() -> None:
    exchange = DemoExchange(moving=False)
    assert exchange.wallet_ids == (MAIN_WALLET_ID, SAVINGS_WALLET_ID)
    assert "BTC" in items(exchange.balance_payload(SAVINGS_WALLET_ID))
    with pytest.raises(UnknownWalletError) as caught:
        exchange.balance_payload("no-such-wallet")
    assert isinstance(caught.value, KeyError)
    assert "no-such-wallet" in str(caught.value)


def test_assets_filter_is_case_insensitive_and_keeps_wallet_order() -> None:
    exchange = DemoExchange(moving=False)
    payload = exchange.balance_payload(None, ["usdt", "Btc", "NOPE", "btc"])
    assert [item["asset"] for item in payload["data"]] == ["BTC", "USDT"]
    assert exchange.balance_payload(None, []) == exchange.balance_payload()


# -- movement --------------------------------------------------------------------------


def test_same_seed_same_ticks_same_state() -> None:
    clock_a, clock_b = Clock(), Clock()
    a = DemoExchange(seed=11, clock=clock_a, tick_seconds=TICK)
    b = DemoExchange(seed=11, clock=clock_b, tick_seconds=TICK)
    clock_a.now += 40 * TICK
    # b reaches the same tick count through many small reads: lazily, in whole ticks.
    for _ in range(160):
        clock_b.now += TICK / 4
        b.balance_payload()
    assert a.balance_payload() == b.balance_payload()
    assert a.ticks == b.ticks == 40
    assert a.balance_payload(SAVINGS_WALLET_ID) == b.balance_payload(SAVINGS_WALLET_ID)


def test_different_seeds_differ() -> None:
    a, b = DemoExchange(seed=1, moving=False), DemoExchange(seed=2, moving=False)
    a.advance(30)
    b.advance(30)
    assert a.balance_payload() != b.balance_payload()


def test_balances_move_in_whole_ticks_of_the_clock() -> None:
    clock = Clock()
    exchange = DemoExchange(clock=clock, tick_seconds=TICK)
    start = exchange.balance_payload()
    clock.now += TICK * 0.99
    assert exchange.balance_payload() == start
    assert exchange.ticks == 0
    clock.now += TICK * 20
    assert exchange.ticks == 0  # lazy: nothing runs until a read
    assert exchange.balance_payload() != start
    assert exchange.ticks == 20


def test_not_moving_ignores_the_clock_but_advance_still_steps() -> None:
    clock = Clock()
    exchange = DemoExchange(clock=clock, moving=False)
    start = exchange.balance_payload()
    clock.now += 10_000
    assert exchange.balance_payload() == start
    assert exchange.ticks == 0
    exchange.advance(20)
    assert exchange.ticks == 20
    assert exchange.balance_payload() != start


def test_a_clock_jump_is_capped() -> None:
    clock = Clock()
    exchange = DemoExchange(clock=clock)
    clock.now += 1e9
    exchange.balance_payload()
    assert exchange.ticks == MAX_CATCH_UP_TICKS
    exchange.balance_payload()  # the skipped history is not replayed later
    assert exchange.ticks == MAX_CATCH_UP_TICKS


def test_a_clock_going_backwards_moves_nothing() -> None:
    clock = Clock()
    exchange = DemoExchange(clock=clock)
    clock.now -= 100
    exchange.balance_payload()
    assert exchange.ticks == 0


def test_amounts_stay_non_negative_and_within_precision_over_many_ticks() -> None:
    exchange = DemoExchange(seed=3, moving=False)
    exchange.advance(3000)
    for asset, field, value, exponent in all_amounts(exchange):
        assert value >= 0, (asset, field, value)
        assert -exponent <= PRECISION[asset], (asset, field, value)
    assert all(value == 0 for asset, _, value, _ in all_amounts(exchange) if asset == "SOL")


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), ticks=st.integers(0, 300))
def test_never_negative_for_any_seed(seed: int, ticks: int) -> None:
    exchange = DemoExchange(seed=seed, moving=False)
    exchange.advance(ticks)
    assert all(value >= 0 for _, _, value, _ in all_amounts(exchange))


def test_deposits_land_on_hold_then_clear_into_balance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wallet, "WITHDRAWAL_CHANCE", 0.0)
    monkeypatch.setattr(wallet, "REFERRAL_CHANCE", 0.0)
    monkeypatch.setattr(wallet, "DEPOSIT_CHANCE", 1.0)
    exchange = DemoExchange(seed=5, moving=False)

    def totals() -> tuple[Decimal, Decimal]:
        amounts = all_amounts(exchange)
        hold = sum((v for _, f, v, _ in amounts if f == "holdBalance"), Decimal(0))
        balance = sum((v for _, f, v, _ in amounts if f == "balance"), Decimal(0))
        return hold, balance

    hold0, balance0 = totals()
    exchange.advance(3)  # the seeded holds clear at tick 2; three deposits per wallet land
    hold1, balance1 = totals()
    assert hold1 > 0
    assert hold1 + balance1 > hold0 + balance0
    monkeypatch.setattr(wallet, "DEPOSIT_CHANCE", 0.0)
    exchange.advance(3)
    hold2, balance2 = totals()
    assert hold2 == 0
    # Nothing withdrawn, nothing deposited: every held deposit is in the balance, to the digit.
    assert balance2 == balance1 + hold1


# -- helpers ---------------------------------------------------------------------------


def test_set_amount_is_exact_and_can_add_an_extra_field() -> None:
    exchange = DemoExchange(moving=False)
    exchange.set_amount("BTC", "balance", "123456789.123456789012345678")
    exchange.set_amount("BTC", "reserveBalance", Decimal("0.5"), wallet_id=SAVINGS_WALLET_ID)
    assert items(exchange.balance_payload())["BTC"]["balance"] == "123456789.123456789012345678"
    assert items(exchange.balance_payload(SAVINGS_WALLET_ID))["BTC"]["reserveBalance"] == "0.5"
    assert exchange.amount("BTC", "reserveBalance", SAVINGS_WALLET_ID) == Decimal("0.5")
    with pytest.raises(TypeError):
        exchange.set_amount("BTC", "balance", 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        exchange.set_amount("BTC", "asset", "1")
    with pytest.raises(ValueError):
        exchange.set_amount("BTC", "balance", "NaN")
    with pytest.raises(UnknownAssetError):
        exchange.set_amount("DOGE", "balance", "1")
    with pytest.raises(UnknownWalletError):
        exchange.set_amount("BTC", "balance", "1", wallet_id="nope")


def test_add_asset_fills_the_documented_fields_and_takes_address_forms() -> None:
    exchange = DemoExchange(moving=False)
    exchange.add_asset(
        "XLM",
        {"balance": "10", "stakedBalance": "2"},
        {"XLM": ("GABCDEF", "12345"), "ALT": "GXYZ", "ALT2": {"address": "G2", "memo": None}},
    )
    exchange.add_asset("EUR", {"balance": "1.5"})
    xlm = items(exchange.balance_payload())["XLM"]
    assert list(xlm) == [
        "asset",
        "balance",
        "holdBalance",
        "lockBalance",
        "referralBalance",
        "stakedBalance",
        "depositAddress",
    ]
    assert xlm["depositAddress"] == {
        "XLM": {"address": "GABCDEF", "memo": "12345"},
        "ALT": {"address": "GXYZ", "memo": None},
        "ALT2": {"address": "G2", "memo": None},
    }
    assert "depositAddress" not in items(exchange.balance_payload())["EUR"]
    assert exchange.balance_payload()["data"][-1]["asset"] == "EUR"
    exchange.advance(200)  # added assets never move by themselves
    assert items(exchange.balance_payload())["EUR"]["balance"] == "1.5"


def test_add_asset_replaces_in_place() -> None:
    exchange = DemoExchange(moving=False)
    exchange.add_asset("BTC", {"balance": "9"})
    payload = exchange.balance_payload()
    assert payload["data"][0]["asset"] == "BTC"
    assert payload["data"][0]["balance"] == "9"


def test_remove_asset_and_deposit_addresses() -> None:
    exchange = DemoExchange(moving=False)
    exchange.remove_asset("ETH")
    assert "ETH" not in items(exchange.balance_payload())
    exchange.advance(5)  # ETH's seeded hold was pending: clearing it must not fail
    with pytest.raises(UnknownAssetError):
        exchange.remove_asset("ETH")
    exchange.set_deposit_address("UAH", "SEPA", "UA213223130000026007233566001")
    exchange.set_deposit_address("XRP", "XRP", "rNEW", memo="42")
    by_asset = items(exchange.balance_payload())
    assert by_asset["UAH"]["depositAddress"] == {
        "SEPA": {"address": "UA213223130000026007233566001", "memo": None}
    }
    assert by_asset["XRP"]["depositAddress"]["XRP"] == {"address": "rNEW", "memo": "42"}


def test_request_log_uses_the_exchange_clock() -> None:
    clock = Clock()
    exchange = DemoExchange(clock=clock, moving=False)
    exchange.record("/v2/balance", "api-key", 200)
    assert exchange.requests[0].time == clock.now
    assert exchange.requests[0].auth == "api-key"
    assert exchange.requests[0].status == 200


def test_tick_seconds_must_be_positive() -> None:
    with pytest.raises(ValueError):
        DemoExchange(tick_seconds=0)
    with pytest.raises(ValueError):
        DemoExchange(moving=False).advance(-1)
