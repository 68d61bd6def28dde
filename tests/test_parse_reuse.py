"""Parsing with the last answer remembered: unchanged assets keep their objects, and the
result is always exactly what a fresh parse gives (or the same error)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_parse import asset, asset_like

from tui.api.errors import BadResponseError
from tui.api.models import BalanceSnapshot
from tui.api.parse import ParsedAssets, parse_balance_response


def body(*items: dict[str, Any]) -> bytes:
    return json.dumps({"data": list(items)}).encode()


def exact(snapshot: BalanceSnapshot) -> list[Any]:
    """Everything a snapshot says, with amounts as written ("1.0" is not "1")."""
    return [
        (b.asset, [(name, str(value)) for name, value in b.amounts], b.deposit_addresses)
        for b in snapshot
    ]


def outcome(data: bytes, known: ParsedAssets | None = None) -> Any:
    try:
        return exact(parse_balance_response(data, known=known))
    except BadResponseError as error:
        return ("rejected", error.message)


def test_an_unchanged_asset_keeps_its_object_and_a_changed_one_is_parsed_again() -> None:
    known = ParsedAssets()
    eth = asset(asset="ETH", depositAddress={"ETH": {"address": "0xabc", "memo": None}})
    first = parse_balance_response(body(asset(), eth), known=known)
    second = parse_balance_response(body(asset(balance="2"), eth), known=known)
    assert second.get("ETH") is first.get("ETH")
    assert second.get("BTC") is not first.get("BTC")
    assert str(second.get("BTC").available) == "2"  # type: ignore[union-attr]
    assert len(known) == 2


def test_numbers_that_compare_equal_are_not_taken_for_the_same_answer() -> None:
    known = ParsedAssets()
    parse_balance_response(body(asset(balance=1)), known=known)
    # `true == 1` in Python, but `true` is no amount: the answer must be rejected.
    with pytest.raises(BadResponseError):
        parse_balance_response(body(asset(balance=True)), known=known)
    # 1.0 == 1, but the server wrote another number: shown as written.
    again = parse_balance_response(b'{"data": [{"asset": "BTC", "balance": 1.0}]}', known=known)
    assert str(again.balances[0].available) == "1.0"


def test_a_new_field_order_is_a_new_answer() -> None:
    known = ParsedAssets()
    first = parse_balance_response(body(asset(settlementBalance="1")), known=known)
    reordered = {"settlementBalance": "1", **asset()}
    second = parse_balance_response(body(reordered), known=known)
    assert second.balances[0] is not first.balances[0]
    assert [name for name, _ in second.balances[0].amounts][1] == "settlementBalance"


def test_a_rejected_answer_leaves_the_remembered_one_in_place() -> None:
    known = ParsedAssets()
    good = body(asset(), asset(asset="ETH"))
    first = parse_balance_response(good, known=known)
    with pytest.raises(BadResponseError):
        parse_balance_response(body(asset(), asset(asset="ETH", balance="x")), known=known)
    assert parse_balance_response(good, known=known).get("ETH") is first.get("ETH")


def test_a_duplicate_asset_is_still_rejected_when_both_copies_are_known() -> None:
    known = ParsedAssets()
    parse_balance_response(body(asset()), known=known)
    with pytest.raises(BadResponseError, match="twice"):
        parse_balance_response(body(asset(), asset()), known=known)


#: Values that compare equal in Python while being different answers; the first six
#: are valid amounts.
EQUAL_LOOKING = [1, 1.0, "1", "1.0", 0, "0", True, False, None]


@st.composite
def look_alikes(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A valid item and near twins of it: one value swapped for an equal-looking one,
    or the same fields in another order."""
    valid = st.sampled_from(EQUAL_LOOKING[:6])
    fields = draw(
        st.lists(
            st.tuples(st.sampled_from(["holdBalance", "settlementBalance"]), valid),
            min_size=1,
            max_size=2,
            unique_by=lambda field: field[0],
        )
    )
    base = {"asset": "BTC", "balance": draw(valid), **dict(fields)}
    twins = [base, dict(reversed(base.items()))]
    for _ in range(draw(st.integers(1, 3))):
        twin = dict(base)
        twin[draw(st.sampled_from(sorted(twin)[1:]))] = draw(st.sampled_from(EQUAL_LOOKING))
        twins.append(twin)
    return twins


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_remembering_never_changes_what_a_parse_gives(data: st.DataObject) -> None:
    # A series of answers, each with one of the look-alike items and some others
    # drawn from a pool: items come back unchanged, next to changed ones, in another
    # order, twice (a duplicate), or broken.
    twins = data.draw(look_alikes())
    others = data.draw(st.lists(asset_like, max_size=4))
    answer = st.tuples(
        st.sampled_from(twins),
        st.lists(st.sampled_from(others), max_size=3) if others else st.just([]),
    ).map(lambda drawn: body(drawn[0], *drawn[1]))
    known = ParsedAssets()
    for each in data.draw(st.lists(answer, min_size=2, max_size=6)):
        assert outcome(each, known) == outcome(each)
