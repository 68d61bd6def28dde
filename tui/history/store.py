"""`HistoryStore`: one connection to the history database, and what is read and written.

Times are Unix seconds (float); amounts are exact decimal strings on disk and Decimal in
Python. Every method raises `HistoryError` (with a reason fit to show) for what the disk
or SQLite refuses: a locked, full, read-only or corrupt database, or a newer schema.
A store is used from one thread only (the `HistoryWriter`'s, or a one-shot command's).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from pathlib import Path

from tui.api.amounts import format_amount
from tui.api.models import AssetBalance
from tui.history.errors import HistoryError
from tui.history.schema import SchemaError, ensure_schema

__all__ = ["AlertRow", "BalanceRow", "HistoryError", "HistoryStore"]

#: How long a write waits for the other window's transaction before giving up, in ms.
BUSY_TIMEOUT_MS = 5000
#: Assets compared and written per statement: 5 parameters each (643 in all), under the 999
#: an older SQLite allows in one statement.
ROWS_PER_STATEMENT = 128


@dataclass(frozen=True)
class BalanceRow:
    """One asset's balances as recorded at `at` (Unix seconds) for a base URL and wallet.

    `wallet` is None for the account's main wallet; `amounts` are the API's fields
    (`balance`, `holdBalance`...) in the server's order; `value` is `total` in `quote`
    when a rate was known.
    """

    at: float
    base_url: str
    wallet: str | None
    asset: str
    amounts: tuple[tuple[str, Decimal], ...]
    total: Decimal
    quote: str | None = None
    value: Decimal | None = None


@dataclass(frozen=True)
class AlertRow:
    """An alert as recorded: when, for which base URL and wallet, its rule and message."""

    at: float
    base_url: str
    wallet: str | None
    rule: str
    message: str
    detail: Mapping[str, object]


def amounts_json(balance: AssetBalance) -> str:
    """The asset's amount fields as a JSON object of exact decimal strings, server's order."""
    return json.dumps({name: format_amount(value) for name, value in balance.amounts})


def _reason(error: BaseException, path: Path) -> str:
    """A short reason for a SQLite or OS error, naming the file."""
    text = str(error) or type(error).__name__
    if isinstance(error, sqlite3.DatabaseError) and "not a database" in text:
        text = "the file is not a SQLite database (corrupt?)"
    return f"{path}: {text}"


class HistoryStore:
    """The history database at `path`, opened (created, migrated) on construction.

    WAL journal mode lets two wallet-tui windows read and write the one file at once;
    a write waits up to BUSY_TIMEOUT_MS for the other's. `create=False` opens only an
    existing file (the `history` command must not leave an empty database behind).
    """

    def __init__(
        self, path: Path, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> None:
        self.path = path
        self._sources: dict[tuple[str, str], int] = {}
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            elif not path.exists():
                raise HistoryError(f"{path}: no history recorded yet")
            # isolation_level=None: transactions are begun and ended here, explicitly.
            self._db = sqlite3.connect(
                path, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as error:
            raise HistoryError(_reason(error, path)) from None
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise HistoryError(f"{path}: cannot use write-ahead logging ({mode})")
            self._db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; no fsync per row
            ensure_schema(self._db)
        except SchemaError as error:
            self._db.close()
            raise HistoryError(f"{path}: {error}") from None
        except (OSError, sqlite3.Error) as error:
            self._db.close()
            raise HistoryError(_reason(error, path)) from None

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL back into the file)."""
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise HistoryError(_reason(error, self.path)) from None

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise HistoryError(_reason(error, self.path)) from None

    def _source(self, db: sqlite3.Connection, base_url: str, wallet: str | None) -> int:
        key = (base_url, wallet or "")
        known = self._sources.get(key)
        if known is not None:
            return known
        db.execute("INSERT OR IGNORE INTO sources (base_url, wallet) VALUES (?, ?)", key)
        row = db.execute("SELECT id FROM sources WHERE base_url = ? AND wallet = ?", key).fetchone()
        self._sources[key] = int(row[0])
        return self._sources[key]

    # --- writing -------------------------------------------------------------------------

    def append_balances(
        self,
        base_url: str,
        wallet: str | None,
        at: float,
        balances: Iterable[AssetBalance],
        values: Mapping[str, Decimal] | None = None,
        quote: str | None = None,
    ) -> int:
        """Append a row for each asset whose amounts differ from its latest stored row.

        The latest row is read inside the write transaction, so two windows that see the
        same answer store it once. `values` maps assets to their value in `quote`.
        Returns the number of rows written.

        SQLite compares and inserts a batch of assets in one statement. With a statement
        per asset, the writer's thread let go of the interpreter at each one and waited to
        get it back while the UI's thread was busy: on back-to-back refreshes the history
        fell one answer further behind at each, holding every answer not yet written.
        """
        rows = []
        for balance in balances:
            # (`is not None`: the values may be worked out per asset, their length only by
            # going through every asset of the answer; see AssetValues.)
            value = values.get(balance.asset) if values is not None else None
            rows.append(
                (
                    balance.asset,
                    amounts_json(balance),
                    format_amount(balance.total),
                    quote if value is not None else None,
                    format_amount(value) if value is not None else None,
                )
            )
        written = 0
        with self._transaction() as db:
            source = self._source(db, base_url, wallet)
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                batch = rows[start : start + ROWS_PER_STATEMENT]
                listed = ", ".join(["(?, ?, ?, ?, ?)"] * len(batch))
                # `IS NOT`: an asset with no row yet (NULL) is written too.
                written += db.execute(
                    "INSERT INTO balances (source, at, asset, amounts, total, quote, value) "
                    "SELECT ?, ?, v.column1, v.column2, v.column3, v.column4, v.column5 "
                    f"FROM (VALUES {listed}) AS v "
                    "WHERE v.column2 IS NOT (SELECT amounts FROM balances "
                    "WHERE source = ? AND asset = v.column1 ORDER BY at DESC LIMIT 1)",
                    (source, at, *chain.from_iterable(batch), source),
                ).rowcount
        return written

    def append_alert(
        self,
        base_url: str,
        wallet: str | None,
        at: float,
        rule: str,
        message: str,
        detail: Mapping[str, object],
    ) -> None:
        """Record an alert that fired. `detail` is the JSON given to --on-alert."""
        with self._transaction() as db:
            source = self._source(db, base_url, wallet)
            db.execute(
                "INSERT INTO alerts (source, at, rule, message, detail) VALUES (?, ?, ?, ?, ?)",
                (source, at, rule, message, json.dumps(detail, ensure_ascii=False)),
            )

    def prune(self, before: float) -> int:
        """Delete rows older than `before` (Unix seconds); return how many balance rows went.

        Each asset's latest row stays whatever its age: it is still the current balance,
        and a sparkline of a quiet asset starts from it.
        """
        with self._transaction() as db:
            gone = db.execute(
                "DELETE FROM balances WHERE at < ? AND rowid NOT IN "
                "(SELECT MAX(rowid) FROM balances GROUP BY source, asset)",
                (before,),
            ).rowcount
            db.execute("DELETE FROM alerts WHERE at < ?", (before,))
        return gone

    # --- reading -------------------------------------------------------------------------

    def totals(
        self, base_url: str, wallet: str | None, asset: str, since: float
    ) -> list[tuple[float, Decimal]]:
        """`(time, total)` of `asset` from `since` on, oldest first.

        The latest row before `since`, if any, comes first with its own time: it is the
        total at the start of the window.
        """
        params = (base_url, wallet or "", asset)
        head = self._read(
            "SELECT b.at, b.total FROM balances b JOIN sources s ON s.id = b.source "
            "WHERE s.base_url = ? AND s.wallet = ? AND b.asset = ? AND b.at < ? "
            "ORDER BY b.at DESC LIMIT 1",
            (*params, since),
        )
        rows = self._read(
            "SELECT b.at, b.total FROM balances b JOIN sources s ON s.id = b.source "
            "WHERE s.base_url = ? AND s.wallet = ? AND b.asset = ? AND b.at >= ? "
            "ORDER BY b.at",
            (*params, since),
        )
        return [(float(at), Decimal(str(total))) for at, total in [*head, *rows]]  # type: ignore[arg-type]

    def balance_rows(
        self,
        *,
        base_url: str | None = None,
        wallets: Sequence[str | None] = (),
        asset: str | None = None,
        since: float | None = None,
    ) -> list[BalanceRow]:
        """Stored balance rows, oldest first, narrowed by whichever filter is given."""
        where, params = self._filters(base_url, wallets, since)
        if asset is not None:
            where.append("b.asset = ?")
            params.append(asset)
        rows = self._read(
            "SELECT b.at, s.base_url, s.wallet, b.asset, b.amounts, b.total, b.quote, b.value "
            "FROM balances b JOIN sources s ON s.id = b.source "
            f"WHERE {' AND '.join(where) or '1'} ORDER BY b.at, b.rowid",
            params,
        )
        return [
            BalanceRow(
                at=float(at),  # type: ignore[arg-type]
                base_url=str(url),
                wallet=str(wallet) or None,
                asset=str(name),
                amounts=tuple(
                    (field, Decimal(text)) for field, text in json.loads(str(amounts)).items()
                ),
                total=Decimal(str(total)),
                quote=None if quote is None else str(quote),
                value=None if value is None else Decimal(str(value)),
            )
            for at, url, wallet, name, amounts, total, quote, value in rows
        ]

    def alert_rows(
        self,
        *,
        base_url: str | None = None,
        wallets: Sequence[str | None] = (),
        since: float | None = None,
    ) -> list[AlertRow]:
        """Recorded alerts, oldest first, narrowed by whichever filter is given."""
        where, params = self._filters(base_url, wallets, since)
        rows = self._read(
            "SELECT b.at, s.base_url, s.wallet, b.rule, b.message, b.detail "
            "FROM alerts b JOIN sources s ON s.id = b.source "
            f"WHERE {' AND '.join(where) or '1'} ORDER BY b.at, b.id",
            params,
        )
        return [
            AlertRow(float(at), str(url), str(w) or None, str(rule), str(msg), json.loads(str(d)))  # type: ignore[arg-type]
            for at, url, w, rule, msg, d in rows
        ]

    @staticmethod
    def _filters(
        base_url: str | None, wallets: Sequence[str | None], since: float | None
    ) -> tuple[list[str], list[object]]:
        where: list[str] = []
        params: list[object] = []
        if base_url is not None:
            where.append("s.base_url = ?")
            params.append(base_url)
        if wallets:
            where.append(f"s.wallet IN ({', '.join('?' * len(wallets))})")
            params.extend(w or "" for w in wallets)
        if since is not None:
            where.append("b.at >= ?")
            params.append(since)
        return where, params
