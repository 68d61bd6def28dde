"""The detail pane's amounts: every amount field of an asset, exact and aligned on the
decimal point, its value in the quote currency at the rate shown (and that rate's age),
and the pending operations its hold and lock balances are made of.

Pure functions from models to Rich `Text` (server text passed through `clean_text`);
the pane (detail_pane.py) places them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text

from tui.api.amounts import exact_product, format_aligned, format_amount, split_amount, trim_zeros
from tui.api.models import KNOWN_AMOUNT_FIELDS, AssetBalance, amount_label
from tui.api.text import clean_text

if TYPE_CHECKING:
    from tui.api.operations import Operation

MASK = "•••••"


@dataclass(frozen=True)
class AssetRate:
    """The market rate the pane values an asset at: one unit in `quote` (None: no rate),
    from the answer received `as_of`; `stale` when that answer is old or a later
    request failed."""

    quote: str
    rate: Decimal | None
    as_of: datetime | None = None
    stale: bool = False


def rate_age(as_of: datetime, now: datetime) -> str:
    """How old a rate is, to the minute: "<1 min", "4 min", "2 h 5 min", "26 h".

    To the minute, not the second: the exact time is beside it ("as of 12:00:05"), rates
    are fetched every 30 s and marked stale past 5 min, and a text that moved every second
    would repaint the pane every second for nothing a user acts on.
    """
    minutes = max(0, int((now - as_of).total_seconds())) // 60
    if minutes < 1:
        return "<1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def render_rate(asset: str, rate: AssetRate, now: datetime | None, *, masked: bool) -> Text:
    """ "1 BTC = 67,250.40 USD", then "as of 12:00:05 (<1 min)", marked when stale."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if rate.rate is None:
        text.append(f"No {rate.quote} rate for {clean_text(asset)}: no value", style="dim")
        return text
    if masked:
        text.append(f"Value in {rate.quote}", style="bold")
    else:
        shown = format_amount(rate.rate, grouping=True)
        text.append(f"1 {clean_text(asset)} = {shown} {rate.quote}", style="bold")
    if rate.as_of is not None and not masked:
        text.append(f"\nas of {rate.as_of:%H:%M:%S}", style="dim")
        if now is not None:
            text.append(f" ({rate_age(rate.as_of, now)})", style="dim")
    if rate.stale:
        text.append(" · stale", style="bold yellow")
    return text


def _block(
    text: Text, rows: list[tuple[str, Decimal]], cells: list[str], label_width: int, *, italic: bool
) -> None:
    """Labelled cells aligned on the decimal point, a rule, then the total in bold."""
    value_width = max(len(cell) for cell in cells)
    for index, ((label, value), cell) in enumerate(zip(rows, cells, strict=True)):
        is_total = index == len(rows) - 1
        if is_total:
            text.append("─" * (label_width + value_width) + "\n", style="dim")
        text.append(label.ljust(label_width), style="bold" if is_total else "")
        style = "bold" if is_total else ("dim" if value.is_zero() else "")
        text.append(cell.rjust(value_width), style=style + (" italic" if italic else ""))
        if not is_total:
            text.append("\n")


def render_amounts(
    balance: AssetBalance,
    *,
    masked: bool = False,
    rate: AssetRate | None = None,
    now: datetime | None = None,
) -> Text:
    """Every amount field of `balance`, exact and aligned on the decimal point; with a
    `rate`, under them (after a blank line) what `render_values` shows.

    A field without a column of its own in the grid is marked as counted in its "Other"
    column ("Settlement (in Other)"), so that the grid's row can be read against it.
    """
    rows = _amount_rows(balance)
    fraction_width = max(len(split_amount(value)[1]) for _, value in rows)
    cells = [MASK if masked else format_aligned(value, fraction_width) for _, value in rows]
    text = Text(no_wrap=True, overflow="ellipsis")
    _block(text, rows, cells, _label_width(rows), italic=False)
    if rate is not None:
        text.append("\n\n")
        text.append_text(render_values(balance, rate, now, masked=masked))
    return text


def render_values(
    balance: AssetBalance, rate: AssetRate, now: datetime | None = None, *, masked: bool = False
) -> Text:
    """The rate `balance`'s asset is valued at, its age, and the exact value of every
    amount field in the quote currency (every digit of amount x rate; masked with the
    amounts), labelled and aligned as `render_amounts` shows the amounts."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append_text(render_rate(balance.asset, rate, now, masked=masked))
    if rate.rate is not None:
        rows = _amount_rows(balance)
        text.append("\n")
        values = [(label, exact_product(value, rate.rate)) for label, value in rows]
        _block(text, values, _value_cells(values, masked), _label_width(rows), italic=rate.stale)
    return text


def _amount_rows(balance: AssetBalance) -> list[tuple[str, Decimal]]:
    """(label, amount) for every field of `balance` in the server's order, then the total."""
    rows = [
        (
            clean_text(amount_label(name))
            + (" (in Other)" if name not in KNOWN_AMOUNT_FIELDS else ""),
            value,
        )
        for name, value in balance.amounts
    ]
    rows.append(("Total", balance.total))
    return rows


def _label_width(rows: list[tuple[str, Decimal]]) -> int:
    return max(len(label) for label, _ in rows) + 2


def render_pending(
    operations: tuple[Operation, ...], zone: tzinfo | None, *, masked: bool = False
) -> Text:
    """The operations that explain the asset's hold and lock balances, one per line:
    "Hold  withdrawal 0.042 BTC Processing since 14:10"."""
    from tui.api.operations import ON_HOLD  # (loaded with the operations shown)

    text = Text(overflow="fold")
    for index, op in enumerate(operations):
        if index:
            text.append("\n")
        where = "Locked" if op.status == ON_HOLD else "Hold"
        asset = op.target_asset if op.is_deposit else op.source_asset
        asset = asset or op.source_asset or op.target_asset or ""
        amount = op.amount_of(asset)
        shown = MASK if masked else ("" if amount is None else format_amount(amount, grouping=True))
        text.append(f"{where:<8}", style="bold")
        text.append(f"{clean_text((op.type or 'operation').lower())} {shown} {clean_text(asset)} ")
        text.append(
            clean_text(op.status or "—"), style="bold magenta" if op.status == ON_HOLD else "yellow"
        )
        if op.sort_time is not None:
            text.append(f" since {op.sort_time.astimezone(zone):%H:%M}", style="dim")
    return text


def _value_cells(values: list[tuple[str, Decimal]], masked: bool) -> list[str]:
    """Each exact value for its column, aligned on the decimal point. Computed trailing
    zeros say nothing: trimmed."""
    if masked:
        return [MASK] * len(values)
    exact = [trim_zeros(value) for _, value in values]
    width = max(len(split_amount(value)[1]) for value in exact)
    return [format_aligned(value, width) for value in exact]
