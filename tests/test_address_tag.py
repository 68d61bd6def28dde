"""A memo/tag sent inside the address (`r...?dt=1049372`) is shown and copied apart."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.app_harness import dashboard, select, wait_until
from tui.api.address_tag import split_tag
from tui.api.errors import BadResponseError
from tui.api.models import DepositAddress
from tui.api.parse import parse_balance_response
from tui.sandbox.wallet import DemoExchange
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import MEMO_WARNING, DetailPane, NetworkCard

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


async def test_the_dashboard_shows_and_copies_address_and_tag_apart(
    transport: httpx.ASGITransport, exchange: DemoExchange
) -> None:
    exchange.set_deposit_address("XRP", "XRP", f"{XRP}?dt=1049372", None)
    async with dashboard(transport) as (app, pilot, screen, _, _):
        await select(pilot, screen.query_one(BalanceGrid), "XRP")
        detail = screen.query_one(DetailPane)
        await wait_until(pilot, lambda: bool(list(detail.query(NetworkCard))))
        card = str(detail.query_one(NetworkCard).render_card())
        assert f"Address   {XRP}\n" in card and "?dt=" not in card.split("\n")[0]
        assert "Memo/Tag  1049372" in card
        assert MEMO_WARNING in card
        assert "came inside the address" in card
        await pilot.press("c")
        await wait_until(pilot, lambda: app.clipboard == XRP and bool(app.notices))
        title, message, severity = app.notices[-1]
        assert title.startswith("Address") and severity == "warning"
        assert "m copies it" in message and "came inside the address" in message
        await pilot.press("m")
        await wait_until(pilot, lambda: app.clipboard == "1049372")
        await wait_until(pilot, lambda: app.notices[-1][0].startswith("Memo/Tag"))
        assert app.notices[-1][0].startswith("Memo/Tag")
