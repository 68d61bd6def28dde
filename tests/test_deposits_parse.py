"""Parsing the deposit endpoints' answers: every tolerated shape, and all-or-nothing refusal."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.api.amounts import format_amount
from tui.api.deposits import (
    DepositMethod,
    limits_line,
    method_json,
    minimum_sentence,
    parse_deposit_address,
    parse_deposit_methods,
)
from tui.api.errors import BadResponseError


def body(payload: Any) -> bytes:
    return json.dumps(payload).encode()


# Exact decimal strings as the API sends them: up to 18 decimals, no exponent.
amounts = st.decimals(
    min_value=0, max_value=Decimal("1e12"), places=18, allow_nan=False, allow_infinity=False
).map(format_amount)
sources = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=2, max_size=8)
AMOUNT_KEYS = ("feeFixed", "feeRate", "minAmount", "maxAmount")


@st.composite
def method_items(draw: st.DrawFn, source: str) -> dict[str, Any]:
    """One method in any tolerated form: fields may be missing, `source` may only be
    in the payment method code, amounts may be JSON numbers, unknown fields may come."""
    item: dict[str, Any] = {}
    style = draw(st.sampled_from(["both", "source", "code"]))
    if style in ("both", "source"):
        item["source"] = source
    if style in ("both", "code"):
        item["paymentMethodCode"] = f"USDT_{source}"
    low = None
    for key in AMOUNT_KEYS:
        if draw(st.booleans()):
            value = draw(amounts)
            if key == "maxAmount" and low is not None and Decimal(value) < Decimal(low):
                value = low
            if key == "minAmount":
                low = value
            item[key] = value if draw(st.integers(0, 4)) else None  # null: not said
    if draw(st.booleans()):
        item["isEnabled"] = draw(st.booleans())
    return item


@given(
    st.lists(sources, min_size=1, max_size=5, unique=True).flatmap(
        lambda names: st.tuples(st.just(names), st.tuples(*(method_items(n) for n in names)))
    ),
    st.booleans(),
)
def test_every_tolerated_shape_parses_exactly(
    drawn: tuple[list[str], tuple[dict[str, Any], ...]], single: bool
) -> None:
    names, items = drawn
    data: Any = items[0] if single else list(items)
    methods = parse_deposit_methods(body({"data": data}), "USDT")
    expected = items[:1] if single else items
    assert methods.sources == tuple(names[: len(expected)])
    for method, item in zip(methods, expected, strict=True):
        for key, name in (
            ("feeFixed", "fee_fixed"),
            ("feeRate", "fee_rate"),
            ("minAmount", "min_amount"),
            ("maxAmount", "max_amount"),
        ):
            raw = item.get(key)
            assert getattr(method, name) == (None if raw is None else Decimal(raw))
            # The JSON output gives back the server's very string.
            assert method_json(method)[key] == raw
        assert dict(method.extra) == (
            {"isEnabled": item["isEnabled"]} if "isEnabled" in item else {}
        )


@given(st.lists(st.sampled_from(["TRX", "trx", "ETH"]), min_size=2, max_size=4))
def test_a_source_twice_is_refused_whole(names: list[str]) -> None:
    if len({n.upper() for n in names}) == len(names):
        names = [*names, names[0]]
    items = [{"source": n, "minAmount": "1"} for n in names]
    with pytest.raises(BadResponseError, match="twice"):
        parse_deposit_methods(body({"data": items}), "USDT")


def test_numbers_are_read_exactly_never_as_floats() -> None:
    raw = b'{"data": [{"source": "ETH", "minAmount": 0.000000000000000001, "maxAmount": 12345678901234567890.5}]}'
    method = parse_deposit_methods(raw, "ETH").methods[0]
    assert method.min_amount == Decimal("0.000000000000000001")
    assert format_amount(method.max_amount) == "12345678901234567890.5"  # type: ignore[arg-type]


def test_no_method_at_all() -> None:
    for data in ([], None):
        assert parse_deposit_methods(body({"data": data}), "UAH").methods == ()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"oops": 1}, "no 'data'"),
        ({"data": "TRX"}, "must be an array"),
        ({"data": [1]}, "must be an object"),
        ({"data": {"oops": 1}}, "names no source"),
        ({"data": [{"paymentMethodCode": "BTC_BTC"}]}, "names no source"),
        ({"data": [{"source": "TRX", "minAmount": "12,5abc"}]}, "minAmount"),
        ({"data": [{"source": "TRX", "minAmount": True}]}, "minAmount"),
        ({"data": [{"source": "TRX", "feeFixed": "-1"}]}, "negative"),
        ({"data": [{"source": "TRX", "minAmount": "NaN"}]}, "minAmount"),
        ({"data": [{"source": "TRX", "minAmount": "10", "maxAmount": "5"}]}, "below"),
        ({"data": [{"source": "", "minAmount": "1"}]}, "empty"),
        ({"data": [{"source": 7}]}, "must be a string"),
        ({"data": [{"source": "TRX", "asset": "BTC"}]}, "not of 'USDT'"),
        (
            {"data": [{"source": "TRX", "minAmount": "1"}, {"source": "ETH", "maxAmount": "x"}]},
            "maxAmount",
        ),
    ],
)
def test_a_bad_answer_is_refused_whole(payload: Any, reason: str) -> None:
    with pytest.raises(BadResponseError, match=reason):
        parse_deposit_methods(body(payload), "USDT")


def test_duplicate_keys_and_bad_json_are_refused() -> None:
    with pytest.raises(BadResponseError):
        parse_deposit_methods(b'{"data": [{"source": "TRX"', "USDT")


def test_server_text_is_cleaned() -> None:
    raw = body({"data": [{"source": "T\x1b[31mRX\u202e", "minAmount": "1"}]})
    assert parse_deposit_methods(raw, "USDT").sources == ("T[31mRX",)


# --- /v2/deposit/address -----------------------------------------------------------------


def test_the_address_answer() -> None:
    raw = body({"data": {"asset": "XRP", "source": "XRP", "address": "rAbc", "memo": "123"}})
    address = parse_deposit_address(raw, "XRP", "XRP")
    assert (address.network, address.address, address.memo) == ("XRP", "rAbc", "123")
    # A one-item list, no echo of asset and source, an empty memo: all tolerated.
    raw = body({"data": [{"address": "T1", "memo": ""}]})
    assert parse_deposit_address(raw, "USDT", "TRX").memo is None


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"data": {"address": "T1", "source": "ETH"}}, "on 'ETH', not on 'TRX'"),
        ({"data": {"address": "T1", "asset": "BTC"}}, "of 'BTC'"),
        ({"data": {"memo": "1"}}, "address must be a string"),
        ({"data": {"address": ""}}, "address is empty"),
        ({"data": {"address": "T1", "memo": 5}}, "memo must be a string"),
        ({"data": [{"address": "T1"}, {"address": "T2"}]}, "must be an address object"),
        ({"errors": []}, "no 'data'"),
    ],
)
def test_a_bad_address_answer_is_refused(payload: Any, reason: str) -> None:
    with pytest.raises(BadResponseError, match=reason):
        parse_deposit_address(body(payload), "USDT", "TRX")


# --- words ----------------------------------------------------------------------------------


def test_minimum_and_limits_in_words() -> None:
    method = DepositMethod(
        "ETH", fee_fixed=Decimal("5"), min_amount=Decimal("20"), max_amount=Decimal("1000000")
    )
    assert minimum_sentence("USDT", method) == (
        "Minimum deposit 20 USDT. Smaller deposits may not be credited."
    )
    assert limits_line("USDT", method) == "Maximum 1,000,000 USDT · Fee 5 USDT"
    tiny = DepositMethod(
        "ETH", min_amount=Decimal("0.000000000000000001"), fee_rate=Decimal("0.001")
    )
    assert minimum_sentence("ETH", tiny).startswith("Minimum deposit 0.000000000000000001 ETH.")  # type: ignore[union-attr]
    assert limits_line("ETH", tiny) == "Fee rate 0.001"
    assert minimum_sentence("ETH", DepositMethod("ETH")) is None
    assert limits_line("ETH", DepositMethod("ETH", fee_fixed=Decimal(0))) == ""
