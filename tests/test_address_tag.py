"""A memo/tag sent inside the address (`r...?dt=1049372`) is shown and copied apart."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.api.address_tag import split_tag
from tui.api.errors import BadResponseError
from tui.api.models import DepositAddress
from tui.api.parse import parse_balance_response

XRP = "rEb8TK3gBgk5auZkwc6sHnwrGVJH8DuaLh"


def xrp_answer(address: str, memo: Any = None) -> bytes:
    entry = {"address": address, "memo": memo}
    return json.dumps(
        {"data": [{"asset": "XRP", "balance": "1", "depositAddress": {"XRP": entry}}]}
    ).encode()


def address_of(body: bytes) -> DepositAddress:
    return parse_balance_response(body).balances[0].deposit_addresses[0]


@pytest.mark.parametrize(
    "address",
    [f"{XRP}?dt=1049372", f"{XRP}?memo=1049372", f"{XRP}?tag=1049372", f"{XRP}?DT=1049372",
     f"{XRP}?amount=5&dt=1049372", f"{XRP}?dt=1049372&amount=5"],
)  # fmt: skip
def test_the_tag_is_taken_out_of_the_address(address: str) -> None:
    assert address_of(xrp_answer(address)) == DepositAddress("XRP", XRP, "1049372", True)


def test_a_tag_also_sent_as_the_memo_is_the_same_tag() -> None:
    body = xrp_answer(f"{XRP}?dt=1049372", "1049372")
    assert address_of(body) == DepositAddress("XRP", XRP, "1049372", True)


def test_a_tag_that_differs_from_the_memo_refuses_the_answer() -> None:
    with pytest.raises(BadResponseError, match=r"carries the tag '1049372'.*memo is '555'"):
        parse_balance_response(xrp_answer(f"{XRP}?dt=1049372", "555"))


@pytest.mark.parametrize(
    "address", [XRP, f"{XRP}?", f"{XRP}?dt=", f"{XRP}?amount=5", "?dt=1", "https://pay?x=1"]
)
def test_addresses_without_a_tag_stay_whole(address: str) -> None:
    parsed = address_of(xrp_answer(address, "7"))
    assert (parsed.address, parsed.memo, parsed.memo_in_address) == (address.strip(), "7", False)


@given(
    address=st.text(st.characters(blacklist_characters="?&=#% "), min_size=1, max_size=40),
    key=st.sampled_from(["dt", "memo", "tag", "Dt", "MEMO"]),
    tag=st.text("0123456789abcdefXYZ", min_size=1, max_size=20),
)
def test_split_tag_gives_back_the_parts(address: str, key: str, tag: str) -> None:
    if not address.strip():
        return
    assert split_tag(f"{address}?{key}={tag}") == (address.strip(), tag, key)
    assert split_tag(address) == (address, None, None)
