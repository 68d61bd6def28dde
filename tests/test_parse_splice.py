"""A new answer that differs from the last in a few bytes is decoded only there
(tui.api.splice), and the result is always exactly what a fresh parse gives, or the
same error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_parse_reuse import exact, outcome

from tui.api import splice as splice_module
from tui.api.errors import BadResponseError
from tui.api.parse import ParsedAssets, parse_balance_response
from tui.api.splice import lay_out, splice


def item(asset: str, balance: str = "1.5", **more: Any) -> dict[str, Any]:
    return {"asset": asset, "balance": balance, "holdBalance": "0", **more}


def compact(*items: dict[str, Any]) -> bytes:
    return json.dumps({"data": list(items)}, separators=(",", ":")).encode()


WALLET = [item(f"A{i}", f"{i}.{i:04d}") for i in range(30)]


def test_the_same_body_again_is_the_same_snapshot() -> None:
    known = ParsedAssets()
    body = compact(*WALLET)
    first = parse_balance_response(body, known=known)
    assert parse_balance_response(bytes(body), known=known) is first
    # For another wallet it is another question: parsed again.
    other = parse_balance_response(body, wallet_id="w2", known=known)
    assert other is not first and exact(other) == exact(first)


def test_one_changed_item_is_decoded_alone_and_the_others_keep_their_objects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    known = ParsedAssets()
    first = parse_balance_response(compact(*WALLET), known=known)
    changed = list(WALLET)
    changed[3] = item("A3", "3.0002")
    scanned: list[tuple[int, int]] = []
    real = splice_module._scan_items

    def spy(text: str, start: int, stop: int, *old: Any) -> Any:
        scanned.append((start, stop))
        return real(text, start, stop, *old)

    monkeypatch.setattr(splice_module, "_scan_items", spy)
    body = compact(*changed)
    second = parse_balance_response(body, known=known)
    assert len(scanned) == 1
    start, stop = scanned[0]
    assert json.loads(body[start:stop]) == changed[3]  # just that item's bytes
    assert exact(second) == exact(parse_balance_response(body))
    assert [a is b for a, b in zip(first, second, strict=True)].count(False) == 1
    assert second.balances[3] is not first.balances[3]


def test_a_body_that_is_not_shaped_or_not_ascii_is_parsed_in_full() -> None:
    assert lay_out(b'{"data": [], "more": 1}') is None
    assert lay_out(compact(item("\u00e9t\u00e9")).replace(b"\\u00e9", "\u00e9".encode())) is None
    laid = lay_out(b' { "data" : [ {"a": 1} ,{"b":2}\n] } \n')
    assert laid is not None and laid.items == [{"a": 1}, {"b": 2}]
    old = compact(*WALLET)
    layout = lay_out(old)
    assert layout is not None
    # A change of the head, or after the last item, is not spliced.
    assert splice(layout, old, old.replace(b'{"data"', b'{"data" ', 1)) is None
    assert splice(layout, old, old[:-2] + b',{"asset":"Z","balance":"1"}]}') is None


def test_an_item_broken_in_place_is_rejected_with_the_full_parse_s_message() -> None:
    known = ParsedAssets()
    good = compact(*WALLET)
    first = parse_balance_response(good, known=known)
    for broken in (
        good.replace(b'"A5","balance":"5.0005"', b'"A5","balance":"x"'),
        good.replace(b'"A5","balance":"5.0005"', b'"A4","balance":"5.0005"'),  # twice
        good.replace(b'"A5","balance":"5.0005"', b'"A5","balance":NaN'),
        good.replace(b'{"asset":"A5"', b'{"asset":"A5"}, {"asset":"A5"', 1),
        good.replace(b"},{", b"},,{", 1),
        good.replace(b"},{", b"}{", 1),
        # A duplicate key: valid JSON to Python, refused as a bad answer.
        good.replace(b'"A5","balance":"5.0005"', b'"A5","balance":"5.0005","balance":"1"'),
    ):
        assert outcome(broken, known) == outcome(broken)
        assert outcome(broken)[0] == "rejected"
    # A rejected answer leaves the last good one in place.
    assert parse_balance_response(good, known=known) is first


EDITS = st.sampled_from(["replace", "insert", "delete"])


@st.composite
def edited_bodies(draw: st.DrawFn) -> list[bytes]:
    """A valid answer, then answers made from it by edits of its text: a few bytes
    replaced, inserted or deleted anywhere (often breaking it), an item's amount or
    the whitespace between items changed, an item added, removed or doubled."""
    count = draw(st.integers(0, 6))
    items = [item(f"A{i}", f"{i}.{draw(st.integers(0, 99))}") for i in range(count)]
    spaced = draw(st.booleans())
    text = json.dumps({"data": items}, separators=(", ", ": ") if spaced else (",", ":"))
    bodies = [text.encode()]
    for _ in range(draw(st.integers(1, 5))):
        text = bodies[-1].decode()
        kind = draw(st.sampled_from(["bytes", "amount", "space", "item"]))
        if kind == "bytes" and text:
            at = draw(st.integers(0, len(text) - 1))
            size = draw(st.integers(0, 3))
            piece = draw(st.text(alphabet='{}[],:" 0123456789.abN', max_size=3))
            edit = draw(EDITS)
            if edit == "replace":
                text = text[:at] + piece + text[at + size :]
            elif edit == "insert":
                text = text[:at] + piece + text[at:]
            else:
                text = text[:at] + text[at + size :]
        elif kind == "amount" and items:
            which = draw(st.integers(0, len(items) - 1))
            items[which] = item(items[which]["asset"], draw(st.sampled_from(["7", "7.0", "0"])))
            text = json.dumps({"data": items}, separators=(",", ":"))
        elif kind == "space":
            text = text.replace(",", draw(st.sampled_from([", ", " ,", ",\n", ","])), 1)
        elif kind == "item":
            which = draw(st.integers(0, len(items)))
            new = item(draw(st.sampled_from(["A0", "A1", "B", "C"])))
            items = [*items[:which], new, *items[which + draw(st.integers(0, 1)) :]]
            text = json.dumps({"data": items}, separators=(",", ":"))
        bodies.append(text.encode())
    return bodies


@settings(max_examples=400, deadline=None)
@given(edited_bodies())
def test_splicing_never_changes_what_a_parse_gives(bodies: list[bytes]) -> None:
    known = ParsedAssets()
    for body in bodies:
        assert outcome(body, known) == outcome(body)


def test_the_snapshot_is_the_one_a_fresh_parse_gives_after_many_edits() -> None:
    known = ParsedAssets()
    wallet = [dict(each) for each in WALLET]
    for step in range(40):
        at = (step * 7) % len(wallet)
        wallet[at] = item(wallet[at]["asset"], f"{step}.{step}")
        if step % 9 == 0:
            wallet.insert(at, item(f"N{step}"))
        body = compact(*wallet)
        try:
            assert exact(parse_balance_response(body, known=known)) == exact(
                parse_balance_response(body)
            )
        except BadResponseError as error:  # pragma: no cover - the wallet is valid
            pytest.fail(error.message)


def test_changes_all_over_a_wallet_decode_only_the_changed_items(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A big wallet's refresh moves assets anywhere: the span between the first and the
    # last change covers most of it, and the items in between must not be decoded.
    known = ParsedAssets()
    first = parse_balance_response(compact(*WALLET), known=known)
    changed = list(WALLET)
    for at in (0, 2, 15, 27, 29):
        changed[at] = item(f"A{at}", f"{at}.5")
    changed[16] = item("A16", "16.0016", note="new")  # a longer item: the rest shift
    decoded: list[Any] = []
    real = splice_module._scan

    def spy(text: str, pos: int) -> tuple[Any, int]:
        value, end = real(text, pos)
        decoded.append(value)
        return value, end

    monkeypatch.setattr(splice_module, "_scan", spy)
    body = compact(*changed)
    second = parse_balance_response(body, known=known)
    assert sorted(value["asset"] for value in decoded) == ["A0", "A15", "A16", "A2", "A27", "A29"]
    assert exact(second) == exact(parse_balance_response(body))
    kept = [a is b for a, b in zip(first, second, strict=True)]
    assert kept.count(False) == 6
    # The next answer is laid out right after the shift: one more change, one decode.
    decoded.clear()
    changed[20] = item("A20", "0")
    body = compact(*changed)
    assert exact(parse_balance_response(body, known=known)) == exact(parse_balance_response(body))
    assert [value["asset"] for value in decoded] == ["A20"]


VALUES = st.one_of(
    st.integers(-20, 200),
    st.sampled_from(["a", "b:c", "", "12"]),
    st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 12), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(VALUES, max_size=8),
    st.lists(st.tuples(st.integers(0, 7), VALUES), max_size=4),
    st.booleans(),
)
def test_a_splice_gives_the_values_json_gives(
    values: list[Any], edits: list[tuple[int, Any]], spaced: bool
) -> None:
    # Numbers are not self-delimiting (`12` then `3` is 123): an old item's bytes at the
    # start of a new value are that item only where the value ends there too.
    separators = (", ", ": ") if spaced else (",", ":")
    old = json.dumps({"data": values}, separators=separators).encode()
    new_values = list(values)
    for at, value in edits:
        if at < len(new_values):
            new_values[at] = value
    new = json.dumps({"data": new_values}, separators=separators).encode()
    layout = lay_out(old)
    assert layout is not None
    spliced = splice(layout, old, new)
    if spliced is None:
        return  # (nothing changed within the items, or the change reached an end)
    assert spliced.layout.items == new_values
    spans = zip(spliced.layout.starts, spliced.layout.ends, strict=True)
    assert [json.loads(new[start:end]) for start, end in spans] == new_values
    for value, source in zip(spliced.new_items, spliced.sources, strict=True):
        if source is not None:
            assert value is layout.items[source]


@pytest.mark.parametrize(
    ("values", "new_values"),
    [
        ([1, 12, 3], [2, 123, 4]),  # an old item's bytes, then a digit
        ([1, 12, 3, 4], [2, 123, 3, 5]),  # the same inside a run of items
    ],
)
def test_an_old_number_is_not_taken_for_the_start_of_a_longer_one(
    values: list[int], new_values: list[int]
) -> None:
    old, new = (json.dumps({"data": v}).encode() for v in (values, new_values))
    layout = lay_out(old)
    assert layout is not None
    spliced = splice(layout, old, new)
    # Spliced, not given up (the full parse would hide the mistake, not make it).
    assert spliced is not None and spliced.layout.items == new_values


def test_a_run_of_unchanged_items_is_found_in_one_comparison() -> None:
    old = compact(*WALLET)
    layout = lay_out(old)
    assert layout is not None
    changed = list(WALLET)
    changed[2] = item("A2", "2.25")
    changed[15] = item("A15", "15.25")
    text = compact(*changed).decode()

    def at(asset: str) -> int:
        return text.index(f'{{"asset":"{asset}"')

    # From item 3 on: items 3 to 14 are the old ones, then item 15 differs.
    assert splice_module._same_run(layout, 3, 30, text, at("A3"), len(text)) == 12
    # Never the span's last item (what follows it is outside the span).
    assert splice_module._same_run(layout, 16, 20, text, at("A16"), len(text)) == 3
    assert splice_module._same_run(layout, 15, 30, text, at("A15"), len(text)) == 0
