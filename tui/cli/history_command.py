"""`wallet-tui history [ASSET] [--since 24h|ISO] [--json|--csv] [--alerts]`: the recorded balances
(or alerts) printed for scripts, exact amounts, oldest first.

Rows are those of the configured exchange (base URL) and wallets when they are set, else of
every exchange and wallet recorded. The database is only read: a missing file is "no
history yet", never an empty file created.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from tui.api.amounts import format_amount
from tui.cli.output import csv_safe
from tui.cli.width import display_width, pad_left, pad_right
from tui.config.settings import Settings
from tui.config.values import ConfigError
from tui.history.source import history_source
from tui.history.store import AlertRow, BalanceRow, HistoryError, HistoryStore

_RELATIVE = re.compile(r"(\d+)\s*(s|m|h|d|w)", re.IGNORECASE)
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(text: str, now: datetime) -> datetime:
    """`24h`, `7d`, `30m`, `2w` before `now`, or an ISO date or time (local when no zone)."""
    spec = text.strip()
    match = _RELATIVE.fullmatch(spec)
    if match:
        return now - timedelta(seconds=int(match[1]) * _UNIT[match[2].lower()])
    try:
        moment = datetime.fromisoformat(spec)
    except ValueError:
        raise ConfigError(
            f"--since: {text!r} is neither a span (24h, 7d, 30m) nor an ISO date or time"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


def run_history(
    settings: Settings,
    *,
    asset: str | None,
    since: str | None,
    form: str,
    alerts: bool,
    now: datetime | None = None,
) -> int:
    """Print the history; returns 0, or 4 when the database cannot be read."""
    moment = now or datetime.now().astimezone()
    start = parse_since(since, moment).timestamp() if since else None
    symbol = asset.strip().upper() if asset else None
    path = settings.history_path
    base_url = (
        history_source(settings.base_url or "", demo=settings.demo)
        if settings.base_url or settings.demo
        else None
    )
    try:
        store = HistoryStore(path, create=False)
    except HistoryError as error:
        if not path.exists():
            print(f"wallet-tui: no history recorded yet ({path})", file=sys.stderr)
            sys.stdout.write(render([], [], form, alerts_only=alerts))
            return 0
        print(f"wallet-tui: cannot read the history: {error}", file=sys.stderr)
        return 4
    try:
        wallets = tuple(settings.wallet_ids)
        if alerts:
            rows: Sequence[Any] = store.alert_rows(base_url=base_url, wallets=wallets, since=start)
            text = render([], rows, form, alerts_only=True)
        else:
            rows = store.balance_rows(base_url=base_url, wallets=wallets, asset=symbol, since=start)
            text = render(rows, [], form, alerts_only=False)
    except HistoryError as error:
        print(f"wallet-tui: cannot read the history: {error}", file=sys.stderr)
        return 4
    finally:
        store.close()
    sys.stdout.write(text)
    return 0


def render(
    balances: Sequence[BalanceRow], alerts: Sequence[AlertRow], form: str, alerts_only: bool
) -> str:
    """The rows as `form` ("table", "json" or "csv")."""
    records = [_alert_record(r) for r in alerts] if alerts_only else _balance_records(balances)
    if form == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    header = list(records[0]) if records else _empty_header(alerts_only)
    if form == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for record in records:
            writer.writerow([csv_safe(_cell(record[key])) for key in header])
        return out.getvalue()
    if not records:
        return "No alerts recorded.\n" if alerts_only else "No balances recorded.\n"
    return _table(header, [[_cell(record[key]) for key in header] for record in records])


def _empty_header(alerts_only: bool) -> list[str]:
    if alerts_only:
        return ["time", "baseUrl", "walletId", "rule", "message"]
    return ["time", "baseUrl", "walletId", "asset", "balance", "total", "value", "quote"]


def _time(at: float) -> str:
    return datetime.fromtimestamp(at).astimezone().isoformat(timespec="seconds")


def _balance_records(rows: Sequence[BalanceRow]) -> list[dict[str, Any]]:
    """One object per row, every row with the same keys (fields the server never sent: null)."""
    fields: list[str] = []
    for row in rows:
        fields.extend(name for name, _ in row.amounts if name not in fields)
    records = []
    for row in rows:
        amounts = dict(row.amounts)
        record: dict[str, Any] = {
            "time": _time(row.at),
            "baseUrl": row.base_url,
            "walletId": row.wallet,
            "asset": row.asset,
        }
        for name in fields:
            record[name] = format_amount(amounts[name]) if name in amounts else None
        record["total"] = format_amount(row.total)
        record["value"] = None if row.value is None else format_amount(row.value)
        record["quote"] = row.quote
        records.append(record)
    return records


def _alert_record(row: AlertRow) -> dict[str, Any]:
    return {
        "time": _time(row.at),
        "baseUrl": row.base_url,
        "walletId": row.wallet,
        "rule": row.rule,
        "message": row.message,
        "detail": dict(row.detail),
    }


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return " ".join(str(value).split())  # one line per row, whatever the server's text held


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An aligned table; amount columns line up on the decimal point."""
    # Columns that are the same on every row (one exchange, one wallet) say nothing here.
    keep = [
        i
        for i, name in enumerate(header)
        if name != "detail"
        and (name not in ("baseUrl", "walletId") or len({row[i] for row in rows}) > 1)
    ]
    text_columns = ("time", "baseUrl", "walletId", "asset", "rule", "message", "quote")
    cells = [list(row) for row in rows]
    for i in keep:
        if header[i] in text_columns:
            continue
        fraction = max((len(row[i].partition(".")[2]) for row in cells if "." in row[i]), default=0)
        for row in cells:
            whole, point, digits = row[i].partition(".")
            tail = point + digits if point else ""
            row[i] = whole + tail.ljust(fraction + 1 if fraction else 0) if row[i] else ""
    # Display width: an asset named in CJK or emoji takes more cells than characters.
    widths = {
        i: max(display_width(header[i]), *(display_width(row[i]) for row in cells)) for i in keep
    }

    def line(values: Sequence[str]) -> str:
        parts = [
            pad_right(values[i], widths[i])
            if header[i] in text_columns
            else pad_left(values[i], widths[i])
            for i in keep
        ]
        return "  ".join(parts).rstrip()

    out = [line(header), line(["-" * widths.get(i, 0) for i in range(len(header))])]
    out += [line(row) for row in cells]
    return "\n".join(out) + "\n"
