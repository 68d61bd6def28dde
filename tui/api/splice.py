"""Decode only the bytes of a `/v2/balance` answer that changed since the last one.

A refresh of a big wallet usually brings the answer it brought last time with a few
assets changed. Decoding 400 KB of JSON for 2,000 assets to find the one that moved
costs more than everything else the app does per refresh; comparing the bytes with the
last answer's costs almost nothing. So the last accepted answer is kept as text with
the place (span) of every item of its `data` array, and a new answer is compared with
it from both ends: the items wholly inside the common head and tail are the same bytes,
hence the same items. Within the span between, an item whose bytes are those of the
old item at its place (in order) is that item again, and only the others are decoded:
a refresh in which assets moved all over the wallet (the span then covers most of
it) still decodes only the ones that moved.

That is exact, not a guess. The new answer's head and tail are byte for byte those of
an answer that was accepted whole; the span between replaces whole items (it is
widened to item boundaries), so the new answer is valid JSON if and only if that span
is a comma-separated list of JSON values, which is checked with the same decoder
(Decimal numbers, NaN refused) that `json.loads` would use. Anything else (an answer
not shaped `{"data": [...]}`, not ASCII, a change outside the items) is left to the
full parse, which also gives the error messages.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

#: JSON's whitespace, as its decoder skips it.
_WS = re.compile(r"[ \t\n\r]*")
#: The answer's head, up to its `data` array's first item.
_HEAD = re.compile(r'[ \t\n\r]*\{[ \t\n\r]*"data"[ \t\n\r]*:[ \t\n\r]*\[')
_WS_CHARS = " \t\n\r"
#: What may follow a value in the items' list: whitespace or the comma.
_AFTER_VALUE = frozenset(_WS_CHARS + ",")
#: Bytes compared at a time while looking for the first (or last) difference.
_CHUNK = 4096


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


Scan = Callable[[str, int], tuple[Any, int]]


def _scanner() -> Scan:
    """json's own value scanner, with numbers as Decimal and NaN/Infinity refused."""
    decoder = json.JSONDecoder(
        parse_float=Decimal, parse_int=Decimal, parse_constant=_reject_constant
    )
    return decoder.scan_once  # type: ignore[attr-defined, no-any-return]


_scan: Scan = _scanner()


@dataclass(frozen=True, slots=True)
class Layout:
    """An accepted answer as text: where each item of `data` starts and ends.

    `items[k]` was decoded from `text[starts[k]:ends[k]]`; `close` is the index of
    the `]` that ends the array. Only ASCII answers are laid out, so that an index in
    the text is an index in the bytes.
    """

    text: str
    starts: list[int]
    ends: list[int]
    items: list[Any]
    close: int


@dataclass(frozen=True, slots=True)
class Splice:
    """A new answer as the last one with `items[first:stop]` replaced by `new_items`.

    `sources[n]` is the index in the last answer of the item `new_items[n]` is byte for
    byte (the very object is reused), or None for an item decoded anew; `decoded` lists
    those n. `colons` counts the colons in the text of the decoded items (to check them
    for duplicate keys).
    """

    layout: Layout
    first: int
    stop: int
    new_items: list[Any]
    sources: list[int | None]
    decoded: list[int]
    colons: int


class _Scanned(NamedTuple):
    """The values of a run of text, their spans, where each came from, the colons decoded."""

    items: list[Any]
    starts: list[int]
    ends: list[int]
    sources: list[int | None]
    decoded: list[int]
    colons: int


def _scan_items(
    text: str, start: int, stop: int, old: Layout | None = None, first: int = 0, rest: int = 0
) -> _Scanned | None:
    """The JSON values of `text[start:stop]`, a comma-separated list (maybe empty) with
    whitespace around, and their spans; None when it is anything else.

    With `old`, the items `old.items[first:rest]` are tried in order against the text:
    a value whose bytes are those of the next one is that item (not decoded again).
    """
    items: list[Any] = []
    starts: list[int] = []
    ends: list[int] = []
    sources: list[int | None] = []
    decoded: list[int] = []
    colons = 0
    ws = _WS.match
    pos = ws(text, start, stop).end()  # type: ignore[union-attr]
    if pos == stop:
        return _Scanned(items, starts, ends, sources, decoded, colons)
    k = first
    while True:
        run = _same_run(old, k, rest, text, pos, stop) if old is not None else 0
        if run:
            # Old items byte for byte, found by one comparison of the texts (in C).
            shift = pos - old.starts[k]  # type: ignore[union-attr]
            items += old.items[k : k + run]  # type: ignore[union-attr]
            starts += [at + shift for at in old.starts[k : k + run]]  # type: ignore[union-attr]
            ends += [at + shift for at in old.ends[k : k + run]]  # type: ignore[union-attr]
            sources += range(k, k + run)
            end = ends[-1]
            k += run
        else:
            item: Any = None
            source: int | None = None
            end = -1
            if old is not None and k < rest:
                old_text = old.text[old.starts[k] : old.ends[k]]
                after = pos + len(old_text)
                # Equal bytes are the same value only if it ends there as well: a number
                # (`12` then `3`) may go on; a separator or the run's end must follow.
                if (
                    after <= stop
                    and text.startswith(old_text, pos)
                    and (after == stop or text[after] in _AFTER_VALUE)
                ):
                    item, source, end = old.items[k], k, after
            if source is None:
                try:
                    item, end = _scan(text, pos)
                except (StopIteration, ValueError, RecursionError):
                    return None
                if end > stop:
                    return None
                colons += text.count(":", pos, end)
                decoded.append(len(items))
            k += 1
            items.append(item)
            starts.append(pos)
            ends.append(end)
            sources.append(source)
        pos = ws(text, end, stop).end()  # type: ignore[union-attr]
        if pos == stop:
            return _Scanned(items, starts, ends, sources, decoded, colons)
        if text[pos] != ",":
            return None
        pos = ws(text, pos + 1, stop).end()  # type: ignore[union-attr]
        if pos == stop:
            return None  # a comma with no value after it


def _same_run(old: Layout, k: int, rest: int, text: str, pos: int, stop: int) -> int:
    """How many of the items `old.items[k:rest - 1]` come again, byte for byte and each
    with the byte after it, in `text` from `pos` (a value's start) on, before `stop`.

    The byte after an item counts, so that the item is known to end where it ended (a
    separator follows it in the old text); the span's last item is left to be checked
    alone, since what follows it lies outside the span.
    """
    if k + 1 >= rest:
        return 0
    begin = old.starts[k]
    limit = min(old.ends[rest - 1], begin + stop - pos) - begin
    same = _common_prefix(old.text, begin, text, pos, limit)
    # The items that end before the first difference (so do the bytes after them).
    return bisect_left(old.ends, begin + same, k, rest - 1) - k


def lay_out(body: bytes) -> Layout | None:
    """Decode a whole answer shaped `{"data": [...]}`, noting each item's span.

    None when the body is not ASCII, not of that shape, or not valid JSON: the caller
    then parses it the usual way (and reports what is wrong with it).
    """
    if not body.isascii():
        return None
    text = body.decode("ascii")
    head = _HEAD.match(text)
    if head is None:
        return None
    end = len(text.rstrip(_WS_CHARS))
    if end == 0 or text[end - 1] != "}":
        return None
    close = len(text[: end - 1].rstrip(_WS_CHARS)) - 1
    if close < head.end() - 1 or text[close] != "]":
        return None
    scanned = _scan_items(text, head.end(), close)
    if scanned is None:
        return None
    return Layout(text, scanned.starts, scanned.ends, scanned.items, close)


def _common_prefix(
    old: str | bytes, old_start: int, new: str | bytes, new_start: int, limit: int
) -> int:
    """How many characters `old[old_start:]` and `new[new_start:]` share, at most `limit`.

    Compared a chunk at a time, then by halves: the work stays in C.
    """
    low = 0
    while (
        low + _CHUNK <= limit
        and old[old_start + low : old_start + low + _CHUNK]
        == new[new_start + low : new_start + low + _CHUNK]
    ):
        low += _CHUNK
    high = min(low + _CHUNK, limit)
    # The first difference is in the next `high - low` characters: halve until found.
    while low < high:
        middle = (low + high + 1) // 2
        if old[old_start + low : old_start + middle] == new[new_start + low : new_start + middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_head(old: bytes, new: bytes) -> int:
    """How many leading bytes `old` and `new` share."""
    return _common_prefix(old, 0, new, 0, min(len(old), len(new)))


def _common_tail(old: bytes, new: bytes, limit: int) -> int:
    """How many trailing bytes `old` and `new` share, at most `limit`."""
    n_old, n_new = len(old), len(new)
    low = 0
    while (
        low + _CHUNK <= limit
        and old[n_old - low - _CHUNK : n_old - low] == new[n_new - low - _CHUNK : n_new - low]
    ):
        low += _CHUNK
    high = min(low + _CHUNK, limit)
    # The last `low` bytes are shared and no more than `high`: halve the range.
    while low < high:
        middle = (low + high + 1) // 2
        if old[n_old - middle : n_old - low] == new[n_new - middle : n_new - low]:
            low = middle
        else:
            high = middle - 1
    return low


def splice(layout: Layout, old: bytes, new: bytes) -> Splice | None:
    """`new` as `old` (laid out as `layout`) with a run of whole items replaced.

    None when the difference reaches outside the items (the head, the tail, or the
    commas between the first or last item and the array's ends), when `new` is not
    ASCII, or when the replacing span is not a list of JSON values: the caller then
    parses `new` in full.
    """
    if not new.isascii() or not layout.starts:
        return None
    head = _common_head(old, new)
    tail = _common_tail(old, new, min(len(old), len(new)) - head)
    starts, ends = layout.starts, layout.ends
    count = len(starts)
    # The first item not wholly inside the common head, and the last not wholly inside
    # the common tail (in the old text); a difference between items takes in the item
    # before it, so that the replaced span always runs from an item's start to an
    # item's end.
    changed_from = len(old) - tail
    first = bisect_right(ends, head)
    last = bisect_left(starts, changed_from) - 1
    if first < count and head < starts[first]:
        first -= 1
    if last >= 0 and changed_from > ends[last]:
        last += 1
    if first < 0 or last >= count or first > last:
        return None  # the head or the tail changed, or nothing within the items did
    span_start = starts[first]
    span_stop = ends[last] + len(new) - len(old)
    if span_stop < span_start:
        return None
    text = new.decode("ascii")
    rest = last + 1
    scanned = _scan_items(text, span_start, span_stop, layout, first, rest)
    if scanned is None or not scanned.items:
        return None  # not values, or none at all (the commas around would clash)
    new_items, new_starts, new_ends = scanned.items, scanned.starts, scanned.ends
    shift = len(new) - len(old)
    after_starts, after_ends = starts[rest:], ends[rest:]
    if shift:
        after_starts = [start + shift for start in after_starts]
        after_ends = [end + shift for end in after_ends]
    laid = Layout(
        text,
        starts[:first] + new_starts + after_starts,
        ends[:first] + new_ends + after_ends,
        layout.items[:first] + new_items + layout.items[rest:],
        layout.close + shift,
    )
    return Splice(laid, first, rest, new_items, scanned.sources, scanned.decoded, scanned.colons)
