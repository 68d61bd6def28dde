"""Which assets the grid shows, and in what order: sort, filter and hiding zero rows.

Pure functions over the grid's data, kept apart from the widget so that the rules are
easy to read and to test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

ASSET = "asset"


class SortOrder(NamedTuple):
    """Sort by `column` (an asset symbol or an amount column key)."""

    column: str
    descending: bool = False

    @property
    def arrow(self) -> str:
        """The marker shown in the column's header."""
        return "▼" if self.descending else "▲"


#: What `s` steps through; None is the server's own order.
SORT_CYCLE: tuple[SortOrder | None, ...] = (
    None,
    SortOrder(ASSET),
    SortOrder(ASSET, descending=True),
    SortOrder("balance", descending=True),
    SortOrder("balance"),
    SortOrder("total", descending=True),
    SortOrder("total"),
    SortOrder("value", descending=True),
    SortOrder("value"),
)


def next_sort(current: SortOrder | None) -> SortOrder | None:
    """The sort after `current` in SORT_CYCLE."""
    index = SORT_CYCLE.index(current) if current in SORT_CYCLE else 0
    return SORT_CYCLE[(index + 1) % len(SORT_CYCLE)]


def sort_for_header(current: SortOrder | None, column: str) -> SortOrder:
    """The sort a click on `column`'s header asks for: flip it if it is the sort already.

    Symbols start A to Z; amounts start with the largest, which is what one looks for.
    """
    if current is not None and current.column == column:
        return SortOrder(column, not current.descending)
    return SortOrder(column, descending=column != ASSET)


def describe(sort: SortOrder | None, labels: Mapping[str, str]) -> str:
    """A short description for the status bar, e.g. "Total ▼"; "" for the server's order."""
    if sort is None:
        return ""
    return f"{labels.get(sort.column, sort.column)} {sort.arrow}"


def arrange(
    order: Sequence[str],
    sort: SortOrder | None,
    value_of: Callable[[str, str], Decimal | None],
) -> list[str]:
    """`order` sorted by `sort` (stable; ties and missing values by symbol)."""
    if sort is None:
        return list(order)
    if sort.column == ASSET:
        return sorted(order, key=str.casefold, reverse=sort.descending)
    by_symbol = sorted(order, key=str.casefold)

    def amount(asset: str) -> Decimal:
        value = value_of(asset, sort.column)
        return value if value is not None else Decimal(0)

    return sorted(by_symbol, key=amount, reverse=sort.descending)


def select(
    order: Sequence[str],
    *,
    needle: str,
    hide_zero: bool,
    is_zero: Callable[[str], bool],
) -> tuple[list[str], int, int]:
    """The assets to show, and how many the filter and the zero rule each hide."""
    folded = needle.casefold()
    matching = [asset for asset in order if folded in asset.casefold()] if folded else list(order)
    shown = [asset for asset in matching if not is_zero(asset)] if hide_zero else matching
    return shown, len(order) - len(matching), len(matching) - len(shown)
