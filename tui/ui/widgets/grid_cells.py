"""The cells of the balance grid: what one asset's row shows, as plain comparable data.

Rendering is kept apart from the widget: a row's cells are (text, style) pairs that the
grid diffs against what it drew last, and turns into Rich Text only when they changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple, TypeAlias

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from tui.api.amounts import exact_sum, format_aligned, format_value, value_places
from tui.api.models import KNOWN_AMOUNT_FIELDS, AssetBalance
from tui.api.text import clean_text

#: Asset symbols longer than this (in terminal cells) are cut with an ellipsis so that
#: one odd symbol from the server cannot push the amounts off the screen.
MAX_ASSET_CELLS = 12

MISSING = "—"
_ZERO = Decimal(0)
MASK = "••••• "

# A rendered cell as plain data: its text and its style. Diffing these tuples is
# cheap and exact, unlike `Text.__eq__`, which ignores the base style.
Cell: TypeAlias = tuple[str, str]


class Derived(NamedTuple):
    """What the grid shows of one asset, computed once per change of its amounts."""

    amounts: tuple[tuple[str, Decimal], ...]
    #: One value per amount column; None when the server did not report the field.
    values: tuple[Decimal | None, ...]
    #: The number of fraction digits of each value (0 for a missing one).
    digits: tuple[int, ...]


class DrawnRow(NamedTuple):
    """The cells last drawn in one table row, with their widths in cells."""

    cells: tuple[Cell, ...]
    widths: tuple[int, ...]

    @classmethod
    def of(cls, cells: tuple[Cell, ...]) -> DrawnRow:
        return cls(cells, tuple(cell_len(plain) for plain, _ in cells))


class AmountText(Text):
    """A right-justified amount whose trailing padding survives rendering.

    Rich's right justification strips trailing whitespace before padding on the left,
    which would undo the decimal alignment that `format_aligned`'s trailing spaces
    (fraction padding and the marker cell) make. This pads on the left itself.
    """

    __slots__ = ()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.copy()  # a plain Text: rendering it does not come back here
        text.justify = "left"
        text.pad_left(max(0, options.max_width - self.cell_len))
        yield from text.__rich_console__(console, options)


class AssetText(Text):
    """The asset cell: a Text that remembers its full symbol, for sorting rows by key."""

    __slots__ = ("asset",)

    def __init__(self, asset: str, shown: str) -> None:
        super().__init__(shown, no_wrap=True, overflow="ellipsis", end="")
        self.asset = asset


def derive(balance: AssetBalance) -> Derived:
    """The grid's values of `balance`: the four documented fields, "Other" (the exact sum
    of every other `*Balance` field, None when there is none), and the total."""
    extra = balance.extra_amounts
    other = exact_sum(value for _, value in extra) if extra else None
    values = (*(balance.amount(name) for name in KNOWN_AMOUNT_FIELDS), other, balance.total)
    return Derived(balance.amounts, values, tuple(fraction_digits(v) for v in values))


def fraction_digits(value: Decimal | None) -> int:
    # The positional form of a Decimal has exactly -exponent fraction digits, so this
    # matches `split_amount` without formatting the number.
    if value is None:
        return 0
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def same_digits(old: tuple[tuple[str, Decimal], ...], new: tuple[tuple[str, Decimal], ...]) -> bool:
    """True when both hold the same fields with the same digits ("1.5" is not "1.50")."""
    if old != new:
        return False
    # Equal numbers may still be written differently; the grid shows what the server
    # wrote, so a change of trailing zeros must be redrawn. compare_total is 0 (false)
    # only for the same digits; map and any keep the loop in C, as this runs per asset.
    return not any(map(Decimal.compare_total, map(_value, old), map(_value, new)))


_value = itemgetter(1)


def amount_cell(value: Decimal | None, fraction_width: int, direction: int = 0) -> Cell:
    if value is None:
        # Under the units digit, where the integer part of the numbers ends.
        pad = fraction_width + 1 if fraction_width else 0
        return MISSING + " " * pad + " ", QUIET
    return format_aligned(value, fraction_width), amount_style(value, direction)


def amount_style(value: Decimal | None, direction: int = 0) -> str:
    """The role of an amount's cell: UP or DOWN while it shows a change (`direction`
    above or below 0), QUIET for a zero or a missing amount, else none ("")."""
    if value is None:
        return QUIET
    if direction:
        return UP if direction > 0 else DOWN
    return QUIET if value.is_zero() else ""


def delta_cell(value: Decimal | None, fraction_width: int) -> Cell:
    """The change of an asset's total since the previous refresh; blank when none."""
    if value is None:
        return "", ""
    sign = "+" if value > 0 else ""  # a negative number carries its own "-"
    return sign + format_aligned(value, fraction_width), GAIN if value > 0 else LOSS


def quote_value_cell(value: Decimal | None, quote: str, *, stale: bool = False) -> Cell:
    """A value in the quote currency, rounded for the grid (the detail pane has it exact);
    "—" under the units digit when there is no rate. Stale values are dimmed."""
    if value is None:
        return MISSING + " " * (value_places(quote) + 1) + " ", QUIET
    style = STALE if stale else (QUIET if value.is_zero() else "")
    return format_value(value, quote) + " ", style


def value_column_width(values: Sequence[Decimal | None], quote: str) -> int:
    """The width of the widest `quote_value_cell` of `values` (0 when there is none),
    formatting only the few values that can give it, not each.

    A cell's width grows with its rounded value's size (digits, separators, sign),
    except that a value that rounds to zero without being zero shows the step
    ("<0.01", ">-0.01"), wider than the small values around it. So the widest cell is
    that of the largest value, of the smallest (the most negative), of the positive
    value nearest zero, of the negative one nearest zero, or a missing value's dash.
    """
    present = [value for value in values if value is not None]
    candidates: list[Decimal | None] = [] if len(present) == len(values) else [None]
    if present:
        candidates += (max(present), min(present))
        # (filter with a bound comparison: the loops stay in C)
        nearest_above = min(filter(_ZERO.__lt__, present), default=None)
        nearest_below = max(filter(_ZERO.__gt__, present), default=None)
        candidates += (v for v in (nearest_above, nearest_below) if v is not None)
    return max((len(quote_value_cell(value, quote)[0]) for value in candidates), default=0)


def direction(old: Decimal | None, new: Decimal | None) -> int:
    if old is None or new is None or old == new:
        return 0
    return 1 if new > old else -1


# A cell's style is a role, drawn as the grid's component class `balance-grid--<role>`,
# so that its colours come from the theme (and any column using these cells follows).
# A change is never told by colour alone: a rise is bold, a drop bold and underlined
# (red and green look alike to many), and the Δ column carries a sign.
#: An amount that rose at the last refresh (flashes for FLASH_SECONDS).
UP = "up"
#: An amount that fell at the last refresh.
DOWN = "down"
#: A positive Δ.
GAIN = "gain"
#: A negative Δ.
LOSS = "loss"
#: Zero, missing or masked: there, but quieter.
QUIET = "quiet"
#: Worked out from data that is no longer fresh (a value from old rates).
STALE = "stale"
ROLES = (UP, DOWN, GAIN, LOSS, QUIET, STALE)


def amount_text(cell: Cell) -> Text:
    plain, style = cell
    return AmountText(plain, style=style, justify="right", no_wrap=True, end="")


def asset_text(asset: str) -> AssetText:
    text = AssetText(asset, clean_text(asset))
    text.truncate(MAX_ASSET_CELLS, overflow="ellipsis")
    return text


def merge_order(old: Sequence[str], server: Iterable[str]) -> list[str]:
    """The row order after a refresh: known assets keep their places, gone ones leave,
    and each new asset goes right after the asset the server lists before it."""
    server_order = list(dict.fromkeys(server))
    if not old:
        return server_order
    present = set(server_order)
    known = set(old)
    if present == known:
        return list(old)  # the usual refresh: no asset came or went
    following: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for asset in server_order:
        if asset in known:
            anchor = asset
        else:
            following.setdefault(anchor, []).append(asset)
    merged = list(following.get(None, ()))
    for asset in old:
        if asset in present:
            merged.append(asset)
            merged.extend(following.get(asset, ()))
    return merged
