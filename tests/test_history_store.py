"""The history database: a real SQLite file in a temporary folder, written and read back."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.history_fixtures import asset, snapshot
from tui.history.schema import SCHEMA_V1, SCHEMA_VERSION
from tui.history.store import HistoryError, HistoryStore
from tui.history.writer import HistoryWriter

URL = "https://api.exchange.example"
T0 = 1_764_072_000.0  # 25 November 2025, 12:00 UTC


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def test_only_changed_assets_are_appended_with_exact_strings(db: Path) -> None:
    store = HistoryStore(db)
    first = snapshot(asset("BTC", "0.00000001", "1.50"), asset("USDT", "1000"))
    assert store.append_balances(URL, None, T0, first) == 2
    same = snapshot(asset("BTC", "0.00000001", "1.50"), asset("USDT", "1000"))
    assert store.append_balances(URL, None, T0 + 5, same) == 0
    moved = snapshot(asset("BTC", "0.00000001", "1.50"), asset("USDT", "999.999999999999999999"))
    assert store.append_balances(URL, None, T0 + 10, moved, {"USDT": Decimal("999.99")}, "USD") == 1
    rows = store.balance_rows()
    assert [(r.at, r.asset) for r in rows] == [(T0, "BTC"), (T0, "USDT"), (T0 + 10, "USDT")]
    assert rows[0].amounts == (("balance", Decimal("0.00000001")), ("holdBalance", Decimal("1.50")))
    assert str(rows[0].total) == "1.50000001"
    assert str(rows[2].amounts[0][1]) == "999.999999999999999999"
    assert (rows[2].quote, rows[2].value) == ("USD", Decimal("999.99"))
    assert (rows[0].quote, rows[0].value) == (None, None)
    raw = sqlite3.connect(db).execute("SELECT amounts, total FROM balances LIMIT 1").fetchone()
    assert raw == ('{"balance": "0.00000001", "holdBalance": "1.50"}', "1.50000001")


def test_wal_mode_and_schema_version(db: Path) -> None:
    HistoryStore(db).close()
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_sources_keep_exchanges_and_wallets_apart(db: Path) -> None:
    store = HistoryStore(db)
    store.append_balances(URL, None, T0, snapshot(asset("BTC", "1")))
    store.append_balances(URL, "savings", T0, snapshot(asset("BTC", "2")))
    store.append_balances("https://other.example", None, T0, snapshot(asset("BTC", "3")))
    assert [r.total for r in store.balance_rows(base_url=URL, wallets=[None])] == [Decimal(1)]
    assert [r.total for r in store.balance_rows(base_url=URL, wallets=["savings"])] == [Decimal(2)]
    assert len(store.balance_rows()) == 3
    assert store.totals(URL, "savings", "BTC", T0 - 1) == [(T0, Decimal(2))]


def test_totals_start_with_the_last_total_before_the_window(db: Path) -> None:
    store = HistoryStore(db)
    for i, amount in enumerate(["1", "2", "3", "4"]):
        store.append_balances(URL, None, T0 + i * 3600, snapshot(asset("BTC", amount)))
    assert store.totals(URL, None, "BTC", T0 + 1.5 * 3600) == [
        (T0 + 3600, Decimal(2)),
        (T0 + 7200, Decimal(3)),
        (T0 + 10800, Decimal(4)),
    ]


def test_two_writers_at_once_share_the_file(db: Path) -> None:
    HistoryStore(db).close()
    errors: list[BaseException] = []

    def window(wallet: str) -> None:
        try:
            store = HistoryStore(db)
            for i in range(60):
                store.append_balances(URL, wallet, T0 + i, snapshot(asset("BTC", str(i))))
            store.close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=window, args=(w,)) for w in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    store = HistoryStore(db)
    assert len(store.balance_rows(wallets=["a"])) == 60
    assert len(store.balance_rows(wallets=["b"])) == 60


def test_two_windows_seeing_the_same_answer_store_it_once(db: Path) -> None:
    one, two = HistoryStore(db), HistoryStore(db)
    one.append_balances(URL, None, T0, snapshot(asset("BTC", "1")))
    two.append_balances(URL, None, T0 + 1, snapshot(asset("BTC", "1")))
    assert len(one.balance_rows()) == 1


def test_prune_keeps_each_assets_latest_row(db: Path) -> None:
    store = HistoryStore(db)
    store.append_balances(URL, None, T0, snapshot(asset("BTC", "1"), asset("ETH", "1")))
    store.append_balances(URL, None, T0 + 10, snapshot(asset("BTC", "2"), asset("ETH", "1")))
    store.append_alert(URL, None, T0, "deposit", "BTC +1", {"kind": "deposit"})
    assert store.prune(T0 + 100) == 1
    assert [(r.asset, r.total) for r in store.balance_rows()] == [
        ("ETH", Decimal(1)),
        ("BTC", Decimal(2)),
    ]
    assert store.alert_rows() == []


def test_alerts_are_recorded(db: Path) -> None:
    store = HistoryStore(db)
    store.append_alert(URL, "w1", T0, "BTC total > 2", "BTC total is 3", {"amount": "3"})
    (row,) = store.alert_rows()
    assert (row.at, row.wallet, row.rule, row.detail) == (
        T0,
        "w1",
        "BTC total > 2",
        {"amount": "3"},
    )


# --- migration --------------------------------------------------------------------------


def make_version_1(path: Path) -> None:
    """A database as wallet-tui wrote it with schema version 1 (no values, no alerts)."""
    raw = sqlite3.connect(path)
    raw.executescript(SCHEMA_V1)
    raw.execute("INSERT INTO sources (base_url, wallet) VALUES (?, '')", (URL,))
    raw.execute(
        "INSERT INTO balances (source, at, asset, amounts, total) VALUES (1, ?, 'BTC', ?, '1.5')",
        (T0, '{"balance": "1.5"}'),
    )
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()


def test_a_version_1_database_is_migrated_and_keeps_its_rows(db: Path) -> None:
    db.parent.mkdir(parents=True)
    make_version_1(db)
    store = HistoryStore(db)
    (row,) = store.balance_rows()
    assert (row.asset, row.total, row.value, row.quote) == ("BTC", Decimal("1.5"), None, None)
    store.append_balances(
        URL, None, T0 + 5, snapshot(asset("BTC", "2")), {"BTC": Decimal(9)}, "USD"
    )
    store.append_alert(URL, None, T0 + 5, "deposit", "BTC +0.5", {})
    assert [r.value for r in store.balance_rows()] == [None, Decimal(9)]
    assert len(store.alert_rows()) == 1
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_database_is_refused_and_left_alone(db: Path) -> None:
    db.parent.mkdir(parents=True)
    raw = sqlite3.connect(db)
    raw.execute("CREATE TABLE future (x)")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    with pytest.raises(HistoryError, match="newer than this wallet-tui"):
        HistoryStore(db)
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


# --- failures: one warning, then the app goes on without history ------------------------


_WRITERS: list[HistoryWriter] = []


@pytest.fixture(autouse=True)
def close_every_writer() -> Iterator[None]:
    """No writer thread may outlive its test (later tests fork, which wants one thread)."""
    yield
    while _WRITERS:
        _WRITERS.pop().close(timeout=5)


def writer_for(db: Path, **options: object) -> tuple[HistoryWriter, list[str]]:
    warnings: list[str] = []
    writer = HistoryWriter(db, on_failure=warnings.append, **options)  # type: ignore[arg-type]
    writer.start()
    _WRITERS.append(writer)
    return writer, warnings


def feed(writer: HistoryWriter, count: int) -> None:
    for i in range(count):
        writer.record_balances(URL, None, T0 + i, snapshot(asset("BTC", str(i))))
    writer.flush()


def test_a_corrupt_file_gives_one_warning_and_nothing_more(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    writer, warnings = writer_for(db)
    feed(writer, 5)
    writer.record_alert(URL, None, T0, "deposit", "x", {})
    assert len(warnings) == 1 and "not a SQLite database" in warnings[0]
    with pytest.raises(HistoryError):
        writer.query(lambda store: store.balance_rows()).result(timeout=5)
    writer.close()
    assert db.read_bytes().startswith(b"this is not a database")  # left as it was


def test_a_full_database_gives_one_warning(db: Path) -> None:
    writer, warnings = writer_for(db)
    feed(writer, 1)
    # SQLite's own limit on the file's size: the same error as a full disk.
    writer.query(lambda store: store._db.execute("PRAGMA max_page_count = 1")).result(5)
    for i in range(50):
        writer.record_balances(
            URL, None, T0 + i, snapshot(*(asset(f"A{j}", str(i)) for j in range(50)))
        )
    writer.flush()
    assert len(warnings) == 1 and "full" in warnings[0]
    writer.close()


def test_a_locked_database_gives_one_warning(db: Path) -> None:
    HistoryStore(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holding the file
    try:
        writer, warnings = writer_for(db, busy_timeout_ms=50)
        feed(writer, 3)
        assert len(warnings) == 1 and "locked" in warnings[0]
        writer.close()
    finally:
        other.execute("ROLLBACK")


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder the process cannot write: chmod, or for root a read-only mount."""
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    # Root writes through any mode bits: mount a read-only file system instead.
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("running as root without permission to mount a read-only file system")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_read_only_folder_gives_one_warning(read_only_folder: Path) -> None:
    writer, warnings = writer_for(read_only_folder / "history.sqlite3")
    feed(writer, 3)
    assert len(warnings) == 1 and "unable to open" in warnings[0]
    writer.close()


def test_the_writer_writes_in_order_and_answers_queries(db: Path) -> None:
    writer, warnings = writer_for(db)
    feed(writer, 3)
    rows = writer.query(lambda store: store.balance_rows()).result(timeout=5)
    assert [r.total for r in rows] == [Decimal(0), Decimal(1), Decimal(2)]
    assert warnings == []
    writer.close()


def test_the_writer_skips_assets_handed_over_unchanged(db: Path) -> None:
    writer, _ = writer_for(db)
    btc, eth = asset("BTC", "1"), asset("ETH", "1")
    writer.record_balances(URL, None, T0, snapshot(btc, eth))
    writer.record_balances(URL, None, T0 + 5, snapshot(btc, asset("ETH", "2")))
    writer.flush()
    rows = writer.query(lambda store: store.balance_rows()).result(timeout=5)
    assert [(r.at, r.asset) for r in rows] == [(T0, "BTC"), (T0, "ETH"), (T0 + 5, "ETH")]
    writer.close()


def test_answers_recorded_before_the_thread_starts_are_written_not_lost(db: Path) -> None:
    """The app starts the writer's thread after its first frame: what came before is
    queued, and written when the thread starts, or when the app closes first."""
    writer = HistoryWriter(db)
    _WRITERS.append(writer)
    writer.record_balances(URL, None, T0, snapshot(asset("BTC", "1")))
    assert not db.exists()  # nothing touched the disk yet
    writer.start()
    writer.record_balances(URL, None, T0 + 5, snapshot(asset("BTC", "2")))
    assert writer.flush()
    rows = writer.query(lambda store: store.balance_rows()).result(timeout=5)
    assert [r.total for r in rows] == [Decimal(1), Decimal(2)]
    writer.close()
    quick = HistoryWriter(db.with_name("quick.sqlite3"))
    quick.record_balances(URL, None, T0, snapshot(asset("ETH", "3")))
    quick.close(timeout=5)  # quit before the thread was started: written all the same
    assert [r.asset for r in HistoryStore(quick.path, create=False).balance_rows()] == ["ETH"]


def test_the_very_same_answer_again_is_not_queued(db: Path) -> None:
    writer, _ = writer_for(db)
    answer = snapshot(asset("BTC", "1"), asset("ETH", "1"))
    writer.record_balances(URL, None, T0, answer)
    assert writer.flush()
    pending = writer._pending
    writer.record_balances(URL, None, T0 + 1, answer)  # the client handed it back unchanged
    assert writer._pending == pending
    writer.record_balances(URL, None, T0 + 2, snapshot(asset("BTC", "1"), asset("ETH", "2")))
    assert writer.flush()
    rows = writer.query(lambda store: store.balance_rows()).result(timeout=5)
    assert [(r.at, r.asset) for r in rows] == [(T0, "BTC"), (T0, "ETH"), (T0 + 2, "ETH")]
    writer.close()


def test_the_writer_prunes_by_history_days(db: Path) -> None:
    store = HistoryStore(db)
    store.append_balances(URL, None, T0 - 100 * 86400, snapshot(asset("BTC", "1")))
    store.append_balances(URL, None, T0 - 99 * 86400, snapshot(asset("BTC", "2")))
    store.close()
    writer, _ = writer_for(db, keep_days=90, clock=lambda: T0)
    writer.record_balances(URL, None, T0, snapshot(asset("ETH", "1")))
    writer.flush()
    rows = writer.query(lambda s: s.balance_rows()).result(timeout=5)
    assert [(r.asset, r.total) for r in rows] == [("BTC", Decimal(2)), ("ETH", Decimal(1))]
    writer.close()


def test_a_row_looks_up_its_own_value_only(db: Path) -> None:
    # The app's values (tui.ui.recorder.AssetValues) are worked out per asset asked for:
    # their length goes through the whole answer. Asking whether there are values at all
    # for each row written made a refresh of 2,000 assets with 100 changed cost 140 ms
    # on the writer's thread (python -m tui.bench, row 4), against 3 ms now.
    class Values(dict[str, Decimal]):
        asked: list[str] = []

        def __len__(self) -> int:
            raise AssertionError("the length of the values was asked for")

        def __iter__(self) -> Iterator[str]:
            raise AssertionError("the values were gone through")

        def get(self, key: str, default: object = None) -> Decimal | None:  # type: ignore[override]
            self.asked.append(key)
            return super().get(key)

    store = HistoryStore(db)
    values = Values({"USDT": Decimal("999.99")})
    moved = snapshot(asset("BTC", "1"), asset("USDT", "999.99"))
    assert store.append_balances(URL, None, T0, moved, values, "USD") == 2
    assert values.asked == ["BTC", "USDT"]
    rows = store.balance_rows()
    assert [(r.asset, r.value) for r in rows] == [("BTC", None), ("USDT", Decimal("999.99"))]


def test_the_apps_values_tell_whether_there_are_any_from_the_first_asset_with_a_rate() -> None:
    from tui.api.rates import Rates
    from tui.ui.recorder import AssetValues

    class CountedRates(Rates):
        def rate(self, asset: str, quote: str) -> Decimal | None:
            looked_up.append(asset)
            return super().rate(asset, quote)

    looked_up: list[str] = []
    wallet = snapshot(*(asset(f"A{n}", "1") for n in range(2000)))
    rates = CountedRates({f"A{n}": {"USD": Decimal("2")} for n in range(2000)}, ("USD",))
    values = AssetValues(wallet, rates, "USD")
    assert values and looked_up == ["A0"]  # not 2,000 lookups to say "yes"
    assert values["A7"] == Decimal("2")
    assert len(values) == 2000
    assert not AssetValues(wallet, CountedRates({}, ("USD",)), "USD")


def test_an_answer_is_compared_and_written_in_a_few_statements(db: Path) -> None:
    # One statement per asset let the writer's thread wait for the interpreter after
    # each while the UI's thread was busy: back-to-back refreshes of 1,000 assets left
    # the history one more answer behind each time (README, Performance, row 5).
    store = HistoryStore(db)
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    count = 300
    first = snapshot(*(asset(f"A{n}", "1") for n in range(count)))
    assert store.append_balances(URL, None, T0, first) == count
    inserts = [s for s in statements if s.startswith("INSERT INTO balances")]
    assert 1 <= len(inserts) <= 3, len(inserts)
    statements.clear()
    moved = snapshot(*(asset(f"A{n}", "2" if n % 50 == 0 else "1") for n in range(count)))
    assert store.append_balances(URL, None, T0 + 5, moved) == 6  # A0, A50 ... A250
    assert len([s for s in statements if s.startswith(("INSERT", "SELECT"))]) <= 4
    latest = {row.asset: row.amounts[0][1] for row in store.balance_rows()}
    assert latest["A50"] == Decimal("2") and latest["A51"] == Decimal("1")
    assert len(store.balance_rows()) == count + 6
