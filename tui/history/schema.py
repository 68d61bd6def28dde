"""The history database's tables, its version number, and the way up from older versions.

The version lives in SQLite's `PRAGMA user_version`. A database of an older version is
migrated in place, in one transaction, step by step; one of a newer version (written by a
newer wallet-tui) is left alone and refused, since this program cannot know its tables.
"""

from __future__ import annotations

import sqlite3

#: The version this wallet-tui writes.
SCHEMA_VERSION = 2

# Version 1: balances only (time, asset, every amount field as an exact decimal string).
SCHEMA_V1 = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    base_url TEXT NOT NULL,
    wallet TEXT NOT NULL,          -- '' for the account's main wallet
    UNIQUE (base_url, wallet)
);
CREATE TABLE balances (
    source INTEGER NOT NULL REFERENCES sources (id),
    at REAL NOT NULL,              -- Unix time in seconds of the answer
    asset TEXT NOT NULL,
    amounts TEXT NOT NULL,         -- JSON object: API field name -> exact decimal string
    total TEXT NOT NULL            -- exact decimal string: the sum of every amount field
);
CREATE INDEX balances_by_asset ON balances (source, asset, at);
CREATE INDEX balances_by_time ON balances (at);
"""

# Version 2: the value in the quote currency beside each row, and the alerts.
MIGRATE_1_TO_2 = """
ALTER TABLE balances ADD COLUMN quote TEXT;   -- quote currency of `value`, NULL without a rate
ALTER TABLE balances ADD COLUMN value TEXT;   -- exact decimal string: total x rate
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    source INTEGER NOT NULL REFERENCES sources (id),
    at REAL NOT NULL,
    rule TEXT NOT NULL,            -- the rule as the user wrote it
    message TEXT NOT NULL,         -- what was shown
    detail TEXT NOT NULL           -- JSON: the alert as given to --on-alert
);
CREATE INDEX alerts_by_time ON alerts (at);
"""

#: MIGRATIONS[n] takes a database of version n to version n + 1.
MIGRATIONS: dict[int, str] = {1: MIGRATE_1_TO_2}


class SchemaError(Exception):
    """The database's version cannot be used by this wallet-tui."""


def schema_version(connection: sqlite3.Connection) -> int:
    """The database's `user_version` (0 for a new, empty file)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def ensure_schema(connection: sqlite3.Connection) -> int:
    """Create the tables in a new database, or migrate an older one; return the old version.

    Raises SchemaError for a database newer than SCHEMA_VERSION, and sqlite3 errors for a
    file that is not a database, locked, read-only or full.
    """
    connection.execute("BEGIN IMMEDIATE")  # one window migrates; the other waits, then sees it
    try:
        version = original = schema_version(connection)
        if version > SCHEMA_VERSION:
            raise SchemaError(
                f"the history database is version {version}, newer than this wallet-tui "
                f"knows ({SCHEMA_VERSION}); upgrade wallet-tui to keep recording history"
            )
        if version == 0:
            _run_script(connection, SCHEMA_V1)
            version = 1
        while version < SCHEMA_VERSION:
            _run_script(connection, MIGRATIONS[version])
            version += 1
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return original


def _run_script(connection: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the open transaction first: run statement by statement.
    for statement in script.split(";"):
        lines = [line.split("--", 1)[0] for line in statement.splitlines()]
        sql = "\n".join(lines).strip()
        if sql:
            connection.execute(sql)
