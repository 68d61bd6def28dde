"""Alert rules: the parser (examples and hypothesis) and the evaluator's fire-once logic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.history_fixtures import asset, snapshot
from tui.alerts.evaluate import AlertEvaluator
from tui.alerts.rules import (
    OPERATION_STATUSES,
    BalanceRule,
    DepositRule,
    OfflineRule,
    OperationRule,
    RuleError,
    parse_rule,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "USDT available < 1000",
            BalanceRule("USDT available < 1000", "USDT", "balance", "<", Decimal(1000)),
        ),
        ("BTC total > 2", BalanceRule("BTC total > 2", "BTC", "total", ">", Decimal(2))),
        (
            "  btc   Total>=0.00000001 ",
            BalanceRule("btc Total>=0.00000001", "BTC", "total", ">=", Decimal("0.00000001")),
        ),
        (
            "eth hold <= 0.5",
            BalanceRule("eth hold <= 0.5", "ETH", "holdBalance", "<=", Decimal("0.5")),
        ),
        (
            "XRP settlementBalance > 1",
            BalanceRule("XRP settlementBalance > 1", "XRP", "settlementBalance", ">", Decimal(1)),
        ),
        ("deposit", DepositRule("deposit")),
        ("Deposit usdt", DepositRule("Deposit usdt", "USDT")),
        ("operation OnHold", OperationRule("operation OnHold", "OnHold")),
        ("operation declined", OperationRule("operation declined", "Declined")),
        ("offline > 5m", OfflineRule("offline > 5m", 300.0)),
        ("offline>90s", OfflineRule("offline>90s", 90.0)),
        ("offline > 1h", OfflineRule("offline > 1h", 3600.0)),
    ],
)
def test_rules_that_parse(text: str, rule: object) -> None:
    assert parse_rule(text) == rule


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("USDT available", "not understood"),
        ("USDT avail < 5", "unknown field 'avail'"),
        ("USDT available = 5", "not understood"),
        ("USDT available < 1e5", "not a decimal"),
        ("USDT available < NaN", "not a decimal"),
        ("US;DT available < 5", "not an asset symbol"),
        ("operation Lost", "unknown operation status 'Lost'"),
        ("operation", "write `operation STATUS`"),
        ("offline < 5m", "write `offline > DURATION`"),
        ("offline > soon", "not a duration"),
        ("offline > 0s", "more than zero"),
        ("deposit BTC ETH", "write `deposit`"),
        ("BTC total > 2\x1b[31m", "control characters"),
    ],
)
def test_rules_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(RuleError, match=None) as caught:
        parse_rule(text)
    assert reason in str(caught.value)


_ASSETS = st.from_regex(r"[A-Z][A-Z0-9]{0,7}", fullmatch=True)
_AMOUNTS = st.decimals(min_value=0, max_value=10**12, places=8, allow_nan=False)


@given(
    asset_=_ASSETS,
    field=st.sampled_from(["available", "hold", "locked", "referral", "total"]),
    op=st.sampled_from(["<", "<=", ">", ">="]),
    amount=_AMOUNTS,
    space=st.sampled_from(["", " ", "  "]),
)
def test_every_balance_rule_written_parses_back(
    asset_: str, field: str, op: str, amount: Decimal, space: str
) -> None:
    text = f"{asset_.lower()} {field}{space}{op}{space}{amount:f}"
    rule = parse_rule(text)
    assert isinstance(rule, BalanceRule)
    assert (rule.asset, rule.op, rule.threshold) == (asset_, op, amount)


@given(st.text(max_size=80))
def test_any_text_is_a_rule_or_a_rule_error(text: str) -> None:
    try:
        parse_rule(text)
    except RuleError as error:
        assert str(error)


@given(st.sampled_from(OPERATION_STATUSES), st.sampled_from([str.lower, str.upper, str]))
def test_every_status_in_any_case(status: str, case: object) -> None:
    rule = parse_rule(f"operation {case(status)}")  # type: ignore[operator]
    assert rule == OperationRule(f"operation {case(status)}", status)  # type: ignore[operator]


# --- firing once --------------------------------------------------------------------------


def test_a_balance_rule_fires_once_then_again_only_after_it_was_false() -> None:
    evaluator = AlertEvaluator([parse_rule("USDT available < 1000")])
    fired = [
        len(evaluator.balances(snapshot(asset("USDT", amount)), None, NOW))
        for amount in ["1500", "999.99", "500", "999", "1000", "2000", "10", "5"]
    ]
    assert fired == [0, 1, 0, 0, 0, 0, 1, 0]


def test_a_balance_alert_carries_exact_strings_and_can_hide_amounts() -> None:
    evaluator = AlertEvaluator([parse_rule("BTC total > 2")])
    (alert,) = evaluator.balances(snapshot(asset("BTC", "2", "0.000000000000000001")), None, NOW)
    assert alert.detail == {
        "field": "total",
        "amount": "2.000000000000000001",
        "op": ">",
        "threshold": "2",
    }
    assert "2.000000000000000001" in alert.message
    masked = AlertEvaluator([parse_rule("BTC total > 2")])
    (hidden,) = masked.balances(snapshot(asset("BTC", "3")), None, NOW, masked=True)
    assert "3" not in hidden.message and "hidden" in hidden.message


def test_an_asset_missing_from_an_answer_keeps_the_rules_state() -> None:
    evaluator = AlertEvaluator([parse_rule("USDT available < 1000")])
    assert len(evaluator.balances(snapshot(asset("USDT", "1")), None, NOW)) == 1
    assert evaluator.balances(snapshot(asset("BTC", "1")), None, NOW) == []
    assert evaluator.balances(snapshot(asset("USDT", "2")), None, NOW) == []


def test_wallets_are_judged_apart() -> None:
    evaluator = AlertEvaluator([parse_rule("USDT available < 1000")])
    assert len(evaluator.balances(snapshot(asset("USDT", "1"), wallet="a"), None, NOW)) == 1
    assert len(evaluator.balances(snapshot(asset("USDT", "1"), wallet="b"), None, NOW)) == 1


def test_deposit_fires_per_asset_when_available_goes_up() -> None:
    evaluator = AlertEvaluator([parse_rule("deposit")])
    before = snapshot(asset("BTC", "1"), asset("ETH", "5"))
    up = snapshot(asset("BTC", "1.5"), asset("ETH", "5", hold="1"))
    (alert,) = evaluator.balances(up, before, NOW)
    assert (alert.asset, alert.detail["change"], alert.detail["amount"]) == ("BTC", "0.5", "1.5")
    assert evaluator.balances(up, up, NOW) == []  # no rise: false again
    again = snapshot(asset("BTC", "2"), asset("ETH", "5"))
    assert [a.asset for a in evaluator.balances(again, up, NOW)] == ["BTC"]
    assert AlertEvaluator([parse_rule("deposit")]).balances(up, None, NOW) == []


def test_deposit_of_one_asset() -> None:
    evaluator = AlertEvaluator([parse_rule("deposit ETH")])
    before = snapshot(asset("BTC", "1"), asset("ETH", "5"))
    after = snapshot(asset("BTC", "2"), asset("ETH", "6"))
    assert [a.asset for a in evaluator.balances(after, before, NOW)] == ["ETH"]


def test_offline_fires_once_per_outage() -> None:
    evaluator = AlertEvaluator([parse_rule("offline > 5m")])
    last_good = NOW
    assert evaluator.connection(last_good, NOW + timedelta(minutes=4)) == []
    (alert,) = evaluator.connection(last_good, NOW + timedelta(minutes=5, seconds=1))
    assert alert.kind == "offline" and "5m1s" in alert.message
    assert evaluator.connection(last_good, NOW + timedelta(minutes=9)) == []
    back = NOW + timedelta(minutes=10)
    assert evaluator.connection(back, back) == []
    assert len(evaluator.connection(back, back + timedelta(minutes=6))) == 1


def test_operation_rules_fire_once_per_operation_entering_the_status() -> None:
    evaluator = AlertEvaluator([parse_rule("operation OnHold"), parse_rule("operation Declined")])
    assert evaluator.operation("op1", "Processing", NOW) == []
    (held,) = evaluator.operation("op1", "OnHold", NOW, asset="BTC", kind="Deposit")
    assert held.rule == "operation OnHold" and "op1 (Deposit BTC) is OnHold" in held.message
    assert evaluator.operation("op1", "OnHold", NOW) == []
    assert len(evaluator.operation("op2", "OnHold", NOW)) == 1
    (declined,) = evaluator.operation("op1", "Declined", NOW)
    assert declined.rule == "operation Declined"
    assert evaluator.watches_operations
    assert not AlertEvaluator([parse_rule("deposit")]).watches_operations


def test_the_json_of_an_alert_names_no_secret() -> None:
    evaluator = AlertEvaluator([parse_rule("BTC total > 2")])
    (alert,) = evaluator.balances(snapshot(asset("BTC", "3"), wallet="w1"), None, NOW)
    data = alert.to_json("https://api.exchange.example")
    assert set(data) == {
        "rule", "kind", "title", "message", "time", "baseUrl", "walletId", "asset",
        "field", "amount", "op", "threshold",
    }  # fmt: skip
    assert data["time"] == "2026-11-25T12:00:00+00:00"
