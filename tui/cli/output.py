"""Plain-text, JSON and CSV renderings of balances, for the one-shot `balances` command.

Every amount is printed exactly, with every digit the server sent: this output is
meant for scripts and records, where a cut digit would be a wrong number. With market
rates (`--quote`), each asset's value and each wallet's total are printed exactly too
(amount x rate, no rounding); an asset without a rate has no value (blank, null or
"—"), never 0, and the total names what it leaves out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tui.api.amounts import format_amount, split_amount, trim_zeros
from tui.api.models import (
    KNOWN_AMOUNT_FIELDS,
    SETTLEMENT,
    AssetBalance,
    BalanceSnapshot,
    amount_label,
)
from tui.api.rates import Rates
from tui.api.values import WalletValue, asset_value, gap_names, wallet_value
from tui.cli.width import display_width, pad_left, pad_right

if TYPE_CHECKING:
    from tui.api.deposits import DepositMethods

_GAP = "  "
# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


#: The amount fields that JSON and CSV output always carry, sent or not: the four the
#: reference page documents, and the settlement balance it speaks of. A script reading
#: columns or keys finds them whatever the data (null or an empty cell when not sent).
SCRIPT_AMOUNT_FIELDS = (*KNOWN_AMOUNT_FIELDS, SETTLEMENT)


@dataclass(frozen=True)
class Valuation:
    """Market rates and the quote currency to value the assets in (`--quote USD`)."""

    rates: Rates
    quote: str

    def of(self, asset: AssetBalance) -> Decimal | None:
        """`asset`'s total in the quote currency, exact; None without a rate."""
        value = asset_value(asset, self.rates, self.quote)
        return None if value is None else trim_zeros(value)

    def total(self, snapshot: BalanceSnapshot) -> WalletValue:
        """The wallet's exact total, and the assets it leaves out."""
        value = wallet_value(snapshot, self.rates, self.quote)
        return WalletValue(value.quote, trim_zeros(value.total), value.missing)


def amount_fields(snapshots: Iterable[BalanceSnapshot]) -> list[str]:
    """The documented amount fields, then every extra `*Balance` field, in first-seen order."""
    fields = list(KNOWN_AMOUNT_FIELDS)
    for snapshot in snapshots:
        for asset in snapshot:
            fields.extend(name for name, _ in asset.amounts if name not in fields)
    return fields


def script_amount_fields(snapshots: Iterable[BalanceSnapshot]) -> list[str]:
    """SCRIPT_AMOUNT_FIELDS, then any other `*Balance` field the server sent, by name (A-Z)."""
    others = {
        name
        for snapshot in snapshots
        for asset in snapshot
        for name, _ in asset.amounts
        if name not in SCRIPT_AMOUNT_FIELDS
    }
    return [*SCRIPT_AMOUNT_FIELDS, *sorted(others)]


# --- table ------------------------------------------------------------------------------


def render_table(
    snapshot: BalanceSnapshot, *more: BalanceSnapshot, valuation: Valuation | None = None
) -> str:
    """An aligned plain-text table per wallet, then its deposit addresses.

    Amount columns are right-aligned on the decimal point; a field the server did
    not report for an asset is left blank. With a `valuation`, a value column ("—"
    without a rate) and the wallet's total value under the table.
    """
    sections = [_wallet_table(s, valuation) for s in (snapshot, *more)]
    return "\n\n".join(sections) + "\n"


def _wallet_table(snapshot: BalanceSnapshot, valuation: Valuation | None = None) -> str:
    lines = [f"Wallet {snapshot.wallet_id}"] if snapshot.wallet_id else []
    if not snapshot.balances:
        return "\n".join([*lines, "No assets."])
    fields = amount_fields([snapshot])
    assets = list(snapshot)
    columns = [_text_column("Asset", [a.asset for a in assets])]
    columns += [_amount_column(amount_label(f), [a.amount(f) for a in assets]) for f in fields]
    columns.append(_amount_column("Total", [a.total for a in assets]))
    if valuation is not None:
        values = [valuation.of(a) for a in assets]
        column = _amount_column(f"Value {valuation.quote}", values)
        # No rate: a dash where the units digit goes, never a 0.
        columns.append(
            [
                *column[:2],
                *(
                    c if v is not None else "—".rjust(len(c))
                    for c, v in zip(column[2:], values, strict=True)
                ),
            ]
        )
    lines += _join_rows(columns)
    if valuation is not None:
        total = valuation.total(snapshot)
        note = f" (excl. {gap_names(total.missing)}: no rate)" if total.missing else ""
        lines += [
            "",
            f"Total value: {format_amount(total.total, grouping=True)} {total.quote}{note}",
        ]
    addresses = _address_lines(assets)
    if addresses:
        lines += ["", "Deposit addresses", *addresses]
    return "\n".join(lines)


def _text_column(header: str, cells: Sequence[str]) -> list[str]:
    width = max([display_width(header), *(display_width(c) for c in cells)])
    return [pad_right(header, width), "-" * width, *(pad_right(c, width) for c in cells)]


def _amount_column(header: str, values: Sequence[Decimal | None]) -> list[str]:
    """Cells padded so that every decimal point falls in the same place."""
    parts = [split_amount(v, grouping=False) if v is not None else None for v in values]
    present = [p for p in parts if p is not None]
    whole_width = max((len(whole) for whole, _ in present), default=0)
    fraction_width = max((len(fraction) for _, fraction in present), default=0)
    # The point and the fraction digits; a whole number leaves the space blank.
    tail_width = fraction_width + 1 if fraction_width else 0
    cells = []
    for part in parts:
        if part is None:
            cells.append("")
            continue
        whole, fraction = part
        tail = "." + fraction if fraction else ""
        cells.append(whole.rjust(whole_width) + tail.ljust(tail_width))
    width = max(display_width(header), whole_width + tail_width)
    return [pad_left(header, width), "-" * width, *(c.rjust(width) for c in cells)]


def _join_rows(columns: Sequence[Sequence[str]]) -> list[str]:
    return [_GAP.join(row).rstrip() for row in zip(*columns, strict=True)]


def _address_lines(assets: Sequence[AssetBalance]) -> list[str]:
    rows = [
        (a.asset, d.network, d.address, d.memo or "") for a in assets for d in a.deposit_addresses
    ]
    if not rows:
        return []
    has_memo = any(memo for *_, memo in rows)
    headers = (
        ("Asset", "Network", "Address", "Memo") if has_memo else ("Asset", "Network", "Address")
    )
    columns = [_text_column(header, [row[i] for row in rows]) for i, header in enumerate(headers)]
    return _join_rows(columns)


# --- JSON -------------------------------------------------------------------------------


def render_json(
    snapshot: BalanceSnapshot,
    *more: BalanceSnapshot,
    valuation: Valuation | None = None,
    limits: Mapping[str, DepositMethods | str] | None = None,
) -> str:
    """A JSON list with one object per asset, under the API's own field names.

    Amounts are exact decimal strings (`Decimal(obj["balance"])` gives back the very
    value); a field the server did not report is null. Every object has the same keys,
    in this order: `walletId` (null for the account's main wallet), `asset`, the
    amount fields of `script_amount_fields`, `depositAddress` (null when none), `total`.
    With `limits` (asset -> its deposit methods, or why they are unknown), each object
    also gets `depositMethods` (a list of `/v2/deposit/pre-request` methods, or null) and
    `depositMethodsError` (why they are unknown, else null).

    With a `valuation` each object also has `value` (exact, null without a rate) and
    the answer becomes `{"quote", "wallets": [{"walletId", "total", "excluded"}],
    "assets": [...]}`, so that the totals have a place.
    """
    snapshots = (snapshot, *more)
    fields = script_amount_fields(snapshots)
    records = [_record(asset, fields, s.wallet_id) for s in snapshots for asset in s]
    if limits is not None:
        from tui.api.deposits import method_json

        for record in records:
            found = limits.get(record["asset"])
            if found is None or isinstance(found, str):
                record["depositMethods"] = None
                record["depositMethodsError"] = found or "not fetched"
            else:
                record["depositMethods"] = [method_json(m) for m in found]
                record["depositMethodsError"] = None  # every object keeps the same keys
    if valuation is None:
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    for record, asset in zip(records, (a for s in snapshots for a in s), strict=True):
        value = valuation.of(asset)
        record["value"] = None if value is None else format_amount(value)
    wallets = []
    for s in snapshots:
        total = valuation.total(s)
        wallets.append(
            {
                "walletId": s.wallet_id,
                "total": format_amount(total.total),
                "excluded": list(total.missing),
            }
        )
    answer = {"quote": valuation.quote, "wallets": wallets, "assets": records}
    return json.dumps(answer, indent=2, ensure_ascii=False) + "\n"


def _record(asset: AssetBalance, fields: Sequence[str], wallet_id: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {"walletId": wallet_id, "asset": asset.asset}
    for name in fields:
        value = asset.amount(name)
        record[name] = None if value is None else format_amount(value)
    addresses = {d.network: {"address": d.address, "memo": d.memo} for d in asset.deposit_addresses}
    record["depositAddress"] = addresses or None
    record["total"] = format_amount(asset.total)
    return record


# --- CSV --------------------------------------------------------------------------------


def render_csv(
    snapshot: BalanceSnapshot, *more: BalanceSnapshot, valuation: Valuation | None = None
) -> str:
    """A header row, then one row per asset and deposit network.

    The columns: walletId (empty for the account's main wallet), asset, network,
    address, memo, the amount fields of `script_amount_fields` (empty when not sent),
    total. An asset without an address gets one row with empty address cells. Text
    from the server that a spreadsheet would run as a formula is prefixed with "'".
    With a `valuation`, a `value <QUOTE>` column (exact; empty without a rate) and,
    per wallet, a last row whose asset is "Total value" (its network cell names the
    assets left out for want of a rate).
    """
    snapshots = (snapshot, *more)
    fields = script_amount_fields(snapshots)
    header = ["walletId", "asset", "network", "address", "memo", *fields, "total"]
    if valuation is not None:
        header.append(f"value {valuation.quote}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_safe(cell) for cell in header])
    for s in snapshots:
        for asset in s:
            amounts = [_csv_amount(asset.amount(name)) for name in fields]
            amounts.append(format_amount(asset.total))
            if valuation is not None:
                amounts.append(_csv_amount(valuation.of(asset)))
            prefix = [csv_safe(s.wallet_id or "")]
            places = [(d.network, d.address, d.memo or "") for d in asset.deposit_addresses]
            for place in places or [("", "", "")]:
                text = [csv_safe(cell) for cell in (asset.asset, *place)]
                writer.writerow([*prefix, *text, *amounts])
        if valuation is not None:
            total = valuation.total(s)
            prefix = [csv_safe(s.wallet_id or "")]
            gaps = f"excl. {' '.join(total.missing)}: no rate" if total.missing else ""
            blanks = [""] * (len(fields) + 1)
            writer.writerow(
                [
                    *prefix,
                    "Total value",
                    csv_safe(gaps),
                    "",
                    "",
                    *blanks,
                    format_amount(total.total),
                ]
            )
    return out.getvalue()


def _csv_amount(value: Decimal | None) -> str:
    return "" if value is None else format_amount(value)


def csv_safe(cell: str) -> str:
    """`cell`, with a leading "'" when a spreadsheet would take it for a formula."""
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
