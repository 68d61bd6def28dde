"""The history before it opens: the recorder keeps what comes until its writer is made.

The app opens the history half a second after it mounts (tui/ui/app.py), so that none of
the history's modules is loaded before the first frame; the answers, alerts and sparkline
questions of that half second wait in the recorder and must reach the database in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.app_harness import RecordingWalletApp, make_app, wait_until
from tests.history_fixtures import asset, snapshot
from tui.config.settings import Settings
from tui.history.errors import HistoryError
from tui.history.store import HistoryStore
from tui.sandbox.wallet import DEMO_API_KEY
from tui.ui.recorder import Recorder, make_recorder

URL = "https://api.exchange.example"
T0 = datetime(2025, 11, 25, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def recorders() -> Iterator[list[Recorder]]:
    """Each test's recorders, closed after it: no writer thread may outlive its test."""
    made: list[Recorder] = []
    yield made
    for recorder in made:
        recorder.close()


def recorder_for(recorders: list[Recorder], **settings: object) -> Recorder:
    recorder = make_recorder(
        Settings(base_url=URL, **settings),  # type: ignore[arg-type]
        notify=lambda *_: None,
        bell=lambda: None,
        clock=lambda: T0 + timedelta(seconds=10),
    )
    recorders.append(recorder)
    return recorder


def test_what_comes_before_the_history_opens_is_written_in_order_once_it_opens(
    db: Path, recorders: list[Recorder]
) -> None:
    recorder = recorder_for(recorders, history_file=db, alerts=("BTC total > 2",))
    recorder.balances(URL, snapshot(asset("BTC", "1")), T0, masked=False)
    recorder.balances(URL, snapshot(asset("BTC", "3")), T0 + timedelta(seconds=5), masked=False)
    asked = recorder.trend(URL, None, "BTC", 3600.0)
    assert [alert.rule for alert in recorder.fired] == ["BTC total > 2"]
    assert recorder.history_state is None  # recorded, though not yet written
    assert not db.exists() and not asked.done()

    recorder.open_history()
    trend = asked.result(timeout=5)  # asked after the answers: they are in it
    assert recorder.writer is not None and recorder.writer.flush()
    assert trend is not None and (trend.start, trend.end, trend.change) == (1, 3, 2)
    store = HistoryStore(db, create=False)
    rows = store.balance_rows()
    assert [(row.at, row.total) for row in rows] == [
        (T0.timestamp(), Decimal(1)),
        (T0.timestamp() + 5, Decimal(3)),
    ]
    assert [(row.at, row.rule) for row in store.alert_rows()] == [
        (T0.timestamp() + 5, "BTC total > 2")
    ]
    store.close()


def test_closing_before_the_history_opens_still_writes_what_came(
    db: Path, recorders: list[Recorder]
) -> None:
    recorder = recorder_for(recorders, history_file=db)
    recorder.balances(URL, snapshot(asset("ETH", "2")), T0, masked=False)
    given_up = recorder.trend(URL, None, "ETH", 3600.0)
    given_up.cancel()  # the pane asked for another asset before the history opened
    recorder.close()
    assert given_up.cancelled()
    store = HistoryStore(db, create=False)
    assert [(row.asset, row.total) for row in store.balance_rows()] == [("ETH", Decimal(2))]
    store.close()


def test_without_history_nothing_waits_and_the_sparkline_is_told_why(
    db: Path, recorders: list[Recorder]
) -> None:
    recorder = recorder_for(recorders, history=False, history_file=db)
    recorder.balances(URL, snapshot(asset("BTC", "1")), T0, masked=False)
    asked = recorder.trend(URL, None, "BTC", 3600.0)
    recorder.open_history()
    assert recorder.writer is None and not recorder.keeps_history
    with pytest.raises(HistoryError, match="History is off"):
        asked.result(timeout=0)
    assert not db.exists()


class _Watched(RecordingWalletApp):
    """The app, noting when its first frame is drawn and when the history is timed."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.events: list[str] = []
        self._after_first_frame = lambda: self.events.append("first frame")

    def set_timer(self, delay: float, *args: Any, name: str | None = None, **kwargs: Any) -> Any:
        if name == "open history":
            self.events.append("history timed")
        return super().set_timer(delay, *args, name=name, **kwargs)


async def test_the_history_opens_its_delay_after_the_first_frame_not_after_the_start(
    transport: httpx.ASGITransport,
) -> None:
    # On a loaded machine the first frame can come later than the delay: a delay counted
    # from the start then opened the history (SQLite's import) before the balances showed.
    app = make_app(transport, password=None, api_key=DEMO_API_KEY, app_class=_Watched)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "history timed" in app.events)
    assert app.events[:2] == ["first frame", "history timed"]
