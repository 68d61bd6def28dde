"""From stored totals to what the detail pane draws: evenly spaced points and an exact change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tui.api.amounts import exact_difference, trim_zeros


@dataclass(frozen=True)
class Trend:
    """An asset's total over a window: `points` to draw and the exact change.

    `start` is the total when the window opened (the last one recorded before it, or the
    first inside it), `end` the latest; `change` is `end - start`, exact. `points` are
    floats only because a sparkline draws bars: no figure is ever read from them.
    """

    start: Decimal
    end: Decimal
    change: Decimal
    points: tuple[float, ...]
    first_at: float


def resample(
    totals: Sequence[tuple[float, Decimal]], start: float, end: float, buckets: int
) -> list[float]:
    """The total at the end of each of `buckets` equal slices of [start, end].

    A total holds until the next one (a balance is a level, not a rate). Slices before
    the first recorded total are left out, so a new asset's line starts where its
    history does.
    """
    if not totals or buckets < 1 or end <= start:
        return []
    width = (end - start) / buckets
    points: list[float] = []
    index = -1
    for bucket in range(buckets):
        edge = start + width * (bucket + 1)
        while index + 1 < len(totals) and totals[index + 1][0] <= edge:
            index += 1
        if index >= 0:
            points.append(float(totals[index][1]))
    return points


def trend(
    totals: Sequence[tuple[float, Decimal]], start: float, end: float, buckets: int
) -> Trend | None:
    """The trend of `totals` (as `HistoryStore.totals` gives them) over [start, end]."""
    if not totals:
        return None
    first, last = totals[0][1], totals[-1][1]
    return Trend(
        start=first,
        end=last,
        change=trim_zeros(exact_difference(last, first)),
        points=tuple(resample(totals, start, end, buckets)),
        first_at=max(totals[0][0], start),
    )
