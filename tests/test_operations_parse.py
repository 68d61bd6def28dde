"""Parsing `/v2/operation/find` and `/details`: lenient shapes, exact amounts, all or nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.api.errors import BadResponseError
from tui.api.operations import JsonObject, OperationList
from tui.api.parse_operations import (
    KnownOperations,
    parse_operation_details_response,
    parse_operations_response,
)
from tui.api.text import clean_text


def body(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def operation(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "op-1",
        "walletId": "w-1",
        "type": "Deposit",
        "status": "Processing",
        "sourceAsset": "ETH",
        "sourceAmount": "0.000000000000000001",
        "targetAsset": "ETH",
        "targetAmount": "1.234567890123456789",
        "createdAt": "2026-11-25T14:10:00.000Z",
        "updatedAt": "2026-11-25T14:11:00.000Z",
    }
    item.update(fields)
    return item


def test_the_documented_list_with_exact_amounts_and_aware_times() -> None:
    page = parse_operations_response(body({"data": [operation()]}))
    (op,) = page.operations
    assert page.total is None
    assert (op.id, op.type, op.status, op.wallet_id) == ("op-1", "Deposit", "Processing", "w-1")
    assert op.source_amount == Decimal("0.000000000000000001")
    assert str(op.target_amount) == "1.234567890123456789"
    assert op.created_at == datetime(2026, 11, 25, 14, 10, tzinfo=UTC)
    assert op.is_pending and not op.needs_attention and op.is_deposit


@pytest.mark.parametrize(
    ("data", "total"),
    [
        ({"items": [operation()], "total": 7}, 7),
        ({"rows": [operation()], "count": 1}, 1),
        ({"items": [operation()]}, None),
    ],
)
def test_the_paged_envelopes_are_tolerated(data: dict[str, Any], total: int | None) -> None:
    page = parse_operations_response(body({"data": data}))
    assert len(page) == 1 and page.total == total


def test_unknown_fields_types_and_statuses_are_kept_as_sent_in_order() -> None:
    item = operation(
        type="StakingReward",
        status="Frozen\x1b[31m",
        fee="0.5",
        network={"code": "TRX", "confirmations": 12},
        tags=["a", "b"],
        feeAmount="0.000001",
    )
    (op,) = parse_operations_response(body({"data": [item]})).operations
    assert (op.type, op.status) == ("StakingReward", "Frozen[31m")  # control chars removed
    names = [name for name, _ in op.fields]
    assert names == list(item)
    fields = dict(op.fields)
    assert fields["fee"] == "0.5"
    assert fields["network"] == JsonObject((("code", "TRX"), ("confirmations", Decimal(12))))
    assert fields["tags"] == ("a", "b")
    assert fields["feeAmount"] == Decimal("0.000001")


def test_a_numeric_id_becomes_text_and_is_sent_back_as_a_number() -> None:
    (op,) = parse_operations_response(body({"data": [operation(id=12345)]})).operations
    assert op.id == "12345" and op.sent_id == 12345


def test_times_without_a_zone_are_utc_and_unix_milliseconds_are_read() -> None:
    items = [
        operation(id="a", createdAt="2026-11-25T14:10:00"),
        operation(id="b", createdAt=1764080000000),
        operation(id="c", createdAt="2026-11-25T16:10:00+02:00"),
        operation(id="d", createdAt=None, updatedAt=None),
    ]
    a, b, c, d = parse_operations_response(body({"data": items})).operations
    assert a.created_at == datetime(2026, 11, 25, 14, 10, tzinfo=UTC)
    assert b.created_at == datetime.fromtimestamp(1764080000, UTC)
    assert c.created_at == datetime(2026, 11, 25, 16, 10, tzinfo=timezone(timedelta(hours=2)))
    assert d.created_at is None and d.sort_time is None


def test_details_is_a_list_or_one_object() -> None:
    assert parse_operation_details_response(body({"data": [operation()]}))[0].id == "op-1"
    assert parse_operation_details_response(body({"data": operation()}))[0].id == "op-1"
    assert parse_operation_details_response(body({"data": []})) == ()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"data": [{"id": "a", "id": "b"}]}', "duplicate key"),
        (body({"data": [operation(), operation()]}), "appears twice"),
        (body({"data": [operation(targetAmount="12,5abc")]}), "targetAmount"),
        (body({"data": [operation(sourceAmount=True)]}), "sourceAmount"),
        (body({"data": [operation(createdAt="yesterday")]}), "createdAt"),
        (body({"data": [operation(id="")]}), "id"),
        (body({"data": [operation(id=None)]}), "id"),
        (body({"data": [operation(status=3)]}), "status"),
        (body({"data": [{**operation(), "id\u200b": "x"}]}), "appears twice"),
        (body({"data": {"oops": 1}}), "items"),
        (body({"data": {"items": [], "total": -1}}), "total"),
        (body({"nodata": []}), "'data'"),
        (b"<html>502</html>", "not valid JSON"),
        (b'{"data": [{"id": "a", "fee": NaN}]}', "not valid JSON"),
    ],
)
def test_a_bad_answer_is_rejected_whole(raw: bytes, reason: str) -> None:
    with pytest.raises(BadResponseError, match=reason):
        parse_operations_response(raw)


def test_the_list_is_newest_first_with_each_id_once() -> None:
    items = [
        operation(id="old", createdAt="2026-11-25T10:00:00Z"),
        operation(id="undated", createdAt=None, updatedAt=None),
        operation(id="new", createdAt="2026-11-25T12:00:00Z"),
    ]
    page = parse_operations_response(body({"data": items}))
    again = parse_operations_response(body({"data": [operation(id="new", status="Completed")]}))
    listed = OperationList.of([*page, *again])
    assert [op.id for op in listed] == ["new", "old", "undated"]
    assert listed.get("new").status == "Processing"  # the first answer of an id is kept


# --- properties ---------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**12, places=18, allow_nan=False).map(
    lambda d: format(d, "f")
)
names = st.text(min_size=1, max_size=20).filter(lambda s: clean_text(s).strip())
extra_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10).filter(
    lambda k: not k.endswith("amount") and k not in {"id", "type", "status", "createdat"}
)


@settings(max_examples=60, deadline=None)
@given(
    source=amounts,
    target=amounts,
    status=names,
    kind=names,
    extra=st.dictionaries(extra_keys, st.one_of(st.text(max_size=30), st.integers(), st.booleans()), max_size=4),
)
def test_amounts_round_trip_exactly_and_every_field_is_kept(
    source: str, target: str, status: str, kind: str, extra: dict[str, Any]
) -> None:
    item = {
        "id": "x",
        "type": kind,
        "status": status,
        "sourceAmount": source,
        "targetAmount": target,
        **extra,
    }
    (op,) = parse_operations_response(body({"data": [item]})).operations
    assert op.source_amount == Decimal(source) and op.target_amount == Decimal(target)
    assert format(op.source_amount, "f") == source  # every digit, no exponent
    assert [name for name, _ in op.fields] == list(item)
    assert (op.status, op.type) == (clean_text(status).strip(), clean_text(kind).strip())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(data=json_values)
def test_any_json_parses_or_is_rejected_with_a_bad_response_error(data: Any) -> None:
    for payload in ({"data": data}, {"data": [data]}, {"data": {"items": [data]}}):
        try:
            parse_operations_response(body(payload))
            parse_operation_details_response(body(payload))
        except BadResponseError:
            pass


def test_operations_sent_as_before_keep_their_objects_across_the_pages_asked_in_turn() -> None:
    known = KnownOperations()
    newest = body({"data": [operation(id="a"), operation(id="b")]})
    on_hold = body({"data": [operation(id="old", status="OnHold")]})
    first = parse_operations_response(newest, known)
    held = parse_operations_response(on_hold, known)
    again = parse_operations_response(newest, known)
    assert [a is b for a, b in zip(first, again, strict=True)] == [True, True]
    assert parse_operations_response(on_hold, known).operations[0] is held.operations[0]
    # A changed item is parsed afresh, never taken for its earlier self.
    moved = parse_operations_response(body({"data": [operation(id="a", status="Completed")]}), known)
    assert moved.operations[0] is not first.operations[0]
    assert moved.operations[0].status == "Completed"
