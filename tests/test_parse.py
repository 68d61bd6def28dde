"""The balance parser: the documented shape, tolerated variations, and all-or-nothing rejection."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api.errors import BadResponseError
from tui.api.parse import (
    error_message,
    jwt_expiry,
    parse_balance_payload,
    parse_balance_response,
    parse_login_response,
)
from tui.api.text import is_clean

REFERENCE_EXAMPLE = b"""{
  "data": [
    {"balance": "0", "asset": "BTC", "holdBalance": "0", "lockBalance": "0", "referralBalance": "0",
     "depositAddress": {"BTC": {"address": "bc1q4curzl6agt0l3zvc3ermrzuesm2f9nevm9rll0", "memo": null}}},
    {"balance": "0.64", "asset": "USDT", "holdBalance": "0", "lockBalance": "0", "referralBalance": "0",
     "depositAddress": {"TRX": { "address": "TW6fBsVChypHoN3xFXpizHFJNQa7b1wRWc", "memo": null }}}
  ]
}"""


def asset(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "asset": "BTC",
        "balance": "1",
        "holdBalance": "0",
        "lockBalance": "0",
        "referralBalance": "0",
    }
    base.update(fields)
    return base


def test_reference_example_parses() -> None:
    snapshot = parse_balance_response(REFERENCE_EXAMPLE)
    assert snapshot.assets == ("BTC", "USDT")
    usdt = snapshot.get("USDT")
    assert usdt is not None
    assert usdt.available == Decimal("0.64")
    assert usdt.deposit_addresses[0].network == "TRX"
    assert usdt.deposit_addresses[0].address == "TW6fBsVChypHoN3xFXpizHFJNQa7b1wRWc"
    assert usdt.deposit_addresses[0].memo is None


def test_extra_balance_fields_are_kept_in_order() -> None:
    payload = {"data": [asset(settlementBalance="2.5", reserveBalance="0.1", note="ignored")]}
    btc = parse_balance_payload(payload).balances[0]
    assert [name for name, _ in btc.amounts] == [
        "balance",
        "holdBalance",
        "lockBalance",
        "referralBalance",
        "settlementBalance",
        "reserveBalance",
    ]
    assert btc.extra_amounts == (
        ("settlementBalance", Decimal("2.5")),
        ("reserveBalance", Decimal("0.1")),
    )
    assert btc.total == Decimal("3.6")


@pytest.mark.parametrize("deposit", [None, {}, "absent"])
def test_missing_deposit_address_forms(deposit: Any) -> None:
    item = asset(asset="UAH")
    if deposit != "absent":
        item["depositAddress"] = deposit
    assert parse_balance_payload({"data": [item]}).balances[0].deposit_addresses == ()


def test_memo_and_several_networks() -> None:
    item = asset(
        asset="USDT",
        depositAddress={
            "TRX": {"address": "T1", "memo": None},
            "ETH": {"address": "0xabc", "memo": ""},
            "TON": {"address": "EQ1", "memo": "123456"},
        },
    )
    addresses = parse_balance_payload({"data": [item]}).balances[0].deposit_addresses
    assert [(a.network, a.address, a.memo) for a in addresses] == [
        ("TRX", "T1", None),
        ("ETH", "0xabc", None),
        ("TON", "EQ1", "123456"),
    ]


def test_eighteen_decimals_and_huge_amounts_are_exact() -> None:
    body = json.dumps(
        {
            "data": [
                asset(
                    balance="123456789012345678901234.123456789012345678",
                    referralBalance="0.000000000000000001",
                )
            ]
        }
    )
    btc = parse_balance_response(body.encode()).balances[0]
    assert str(btc.available) == "123456789012345678901234.123456789012345678"
    assert btc.referral == Decimal("1E-18")
    assert btc.total == Decimal("123456789012345678901234.123456789012345679")


def test_json_numbers_are_read_exactly_not_as_floats() -> None:
    btc = parse_balance_response(
        b'{"data": [{"asset": "BTC", "balance": 0.1000000000000000055511151231257827}]}'
    ).balances[0]
    assert btc.available == Decimal("0.1000000000000000055511151231257827")


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {},
        {"data": None},
        {"data": {"asset": "BTC"}},
        {"data": ["BTC"]},
        {"data": [asset(asset=None)]},
        {"data": [asset(asset="")]},
        {"data": [asset(asset=7)]},
        {"data": [asset(balance=None)]},
        {"data": [{"asset": "BTC"}]},
        {"data": [asset(balance="NaN")]},
        {"data": [asset(balance="1e400")]},
        {"data": [asset(holdBalance="12,5abc")]},
        {"data": [asset(lockBalance=True)]},
        {"data": [asset(balance="9" * 80)]},
        {"data": [asset(), asset()]},
        {"data": [asset(depositAddress=[])]},
        {"data": [asset(depositAddress={"BTC": "bc1q"})]},
        {"data": [asset(depositAddress={"BTC": {"address": None}})]},
        {"data": [asset(depositAddress={"BTC": {"address": "bc1", "memo": 5}})]},
        {"data": [asset(depositAddress={"BTC": {"address": "x" * 5000}})]},
    ],
)
def test_bad_payloads_are_rejected_whole(payload: Any) -> None:
    good_then_bad = payload
    if isinstance(payload, dict) and isinstance(payload.get("data"), list):
        good_then_bad = {"data": [asset(asset="GOOD"), *payload["data"]]}
    with pytest.raises(BadResponseError):
        parse_balance_payload(good_then_bad)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>502 Bad Gateway</html>",
        b'{"data": [',
        b'{"data": [{"asset": "BTC", "balance": NaN}]}',
        b"[" * 100000,
    ],
)
def test_bodies_that_are_not_json(body: bytes) -> None:
    with pytest.raises(BadResponseError):
        parse_balance_response(body)


def test_control_characters_are_removed_from_server_text() -> None:
    item = asset(
        asset="B\x1b[31mTC\x07",
        depositAddress={
            "\x1b]52;c;ZXZpbA==\x07BTC": {"address": "bc1\u202eq4cu\u200brzl", "memo": "12\r\n34"}
        },
    )
    btc = parse_balance_payload({"data": [item]}).balances[0]
    assert btc.asset == "B[31mTC"
    address = btc.deposit_addresses[0]
    assert address.network == "]52;c;ZXZpbA==BTC"
    assert address.address == "bc1q4curzl"
    assert address.memo == "12  34"


@pytest.mark.parametrize(
    "field",
    ["hold\x00Balance", "hold\u200bBalance", "\x1b[31mBalance", "x" * 100 + "Balance"],
    ids=["nul", "zero-width", "escape", "long"],
)
def test_amount_field_names_must_be_plain(field: str) -> None:
    """A field that would clean to another's name (and be counted twice), or be a huge label."""
    with pytest.raises(BadResponseError, match="not a plain field name"):
        parse_balance_payload({"data": [asset(holdBalance="1", **{field: "2"})]})


def test_error_message_shapes() -> None:
    assert (
        error_message(
            b'{"errors": [{"code": "INVALID_CREDENTIALS", "message": "Invalid email or password"}]}'
        )
        == "Invalid email or password"
    )
    assert error_message(b'{"errors": [{"code": "TOO_MANY_REQUESTS"}]}') == "TOO_MANY_REQUESTS"
    assert error_message(b'{"message": "Gateway timeout"}') == "Gateway timeout"
    assert error_message(b"<html><body>502</body></html>") is None
    assert error_message(b"") is None
    assert error_message(b'{"message": "\\u001b[2Jcleared"}') == "[2Jcleared"


def test_login_response_and_jwt_expiry() -> None:
    import base64

    claims = (
        base64.urlsafe_b64encode(json.dumps({"exp": 1900000000}).encode()).rstrip(b"=").decode()
    )
    token = f"eyJhbGciOiJIUzI1NiJ9.{claims}.c2ln"
    tokens = parse_login_response(
        json.dumps({"data": {"accessToken": token, "refreshToken": "r"}}).encode()
    )
    assert tokens.access_token == token
    assert tokens.expires_at == 1900000000
    assert token not in repr(tokens)
    assert jwt_expiry("not-a-jwt") is None
    assert jwt_expiry("a.!!!.c") is None
    with pytest.raises(BadResponseError):
        parse_login_response(b'{"data": {}}')


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
asset_like = st.fixed_dictionaries(
    {"asset": st.text(max_size=10) | st.none()},
    optional={
        "balance": st.text(max_size=12)
        | st.integers()
        | st.none()
        | st.sampled_from(["1", "0.5", "1e-18", "NaN"]),
        "holdBalance": st.sampled_from(["0", "-1", "2.50", "x", ""]) | json_values,
        "settlementBalance": st.sampled_from(["0", "3"]) | json_values,
        "depositAddress": st.none()
        | json_values
        | st.dictionaries(
            st.text(max_size=6),
            st.fixed_dictionaries(
                {
                    "address": st.text(max_size=20) | json_values,
                    "memo": st.none() | st.text(max_size=8),
                }
            ),
            max_size=3,
        ),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries({"data": st.lists(asset_like, max_size=5)})))
def test_parser_gives_a_clean_model_or_a_bad_response_error(payload: Any) -> None:
    try:
        snapshot = parse_balance_payload(payload)
    except BadResponseError as exc:
        assert is_clean(exc.message)
        return
    for balance in snapshot:
        assert balance.asset and is_clean(balance.asset)
        assert all(isinstance(value, Decimal) and value.is_finite() for _, value in balance.amounts)
        for address in balance.deposit_addresses:
            assert is_clean(address.network) and is_clean(address.address)
            assert address.memo is None or is_clean(address.memo)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_parser(body: bytes) -> None:
    with contextlib.suppress(BadResponseError):
        parse_balance_response(body)
