"""Row 10: balance history on disk — its cost per refresh, and how fast the database grows.

10a: a wallet of `count` assets, 5 % of them changed at each answer (new objects, as the
client hands over; unchanged assets keep theirs), recorded through `Recorder.balances`
exactly as the app does, into a real SQLite file in a temporary folder. The figure is the
CPU time of the process (both the UI's thread, which only queues, and the writer's) per
answer, waiting for the writer after each; beside it the UI thread's own share.
10b: the file's size after an hour of answers at the default 5 s interval (720) for 100
assets, 5 % changing at each, extrapolated to a day; and if every asset changed every time.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from statistics import median

from tui.api.models import AVAILABLE, HOLD, AssetBalance, BalanceSnapshot
from tui.bench.report import Row, ms, verdict
from tui.config.settings import Settings

#: The refresh budget (row 2: 8 ms per 1,000 assets): history must fit well inside it.
BUDGET_PER_1000 = 8.0e-3
#: A day of history for a 100-asset wallet at 5 s with 5 % moving should stay small.
GROWTH_BUDGET = 50 * 1024 * 1024
URL = "https://api.exchange.example"
START = datetime(2026, 11, 25, tzinfo=UTC)


def _wallet(count: int) -> list[AssetBalance]:
    return [
        AssetBalance(
            f"A{i:04d}",
            ((AVAILABLE, Decimal(f"{1000 + i}.123456789012345678")), (HOLD, Decimal("0.5"))),
        )
        for i in range(count)
    ]


def _next(assets: list[AssetBalance], round_: int, share: float) -> list[AssetBalance]:
    """`assets` with `share` of them moved (new objects), the rest the very same objects."""
    moved = max(1, int(len(assets) * share))
    out = list(assets)
    for k in range(moved):
        i = (round_ * moved + k) % len(assets)
        old = out[i]
        out[i] = AssetBalance(
            old.asset, ((AVAILABLE, old.available + Decimal("0.00000001")), (HOLD, Decimal("0.5")))
        )
    return out


def _recorder(path: Path):  # type: ignore[no-untyped-def]
    from tui.ui.recorder import make_recorder

    settings = Settings(base_url=URL, history_file=path)
    return make_recorder(settings, notify=lambda *_: None, bell=lambda: None, clock=lambda: START)


def _run(path: Path, count: int, answers: int, share: float) -> tuple[float, float]:
    """Median process CPU per answer and median UI-thread CPU per answer, in seconds."""
    import asyncio

    recorder = _recorder(path)
    per_answer: list[float] = []
    ui_share: list[float] = []

    async def drive() -> None:
        recorder.start()
        assets = _wallet(count)
        for round_ in range(answers):
            assets = _next(assets, round_, share) if round_ else assets
            snapshot = BalanceSnapshot(tuple(assets))
            at = START + timedelta(seconds=5 * round_)
            cpu = time.process_time()
            ui = time.thread_time()
            recorder.balances(URL, snapshot, at, masked=False)
            ui_share.append(time.thread_time() - ui)
            assert recorder.writer is not None and recorder.writer.flush(30)
            per_answer.append(time.process_time() - cpu)
        recorder.close()

    asyncio.run(drive())
    failure = recorder.writer.failure if recorder.writer else None
    if failure:
        raise RuntimeError(failure)
    return median(per_answer[1:]), median(ui_share[1:])


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def bench_history(count: int, answers: int, hour_answers: int) -> list[Row]:
    """Rows 10a (cost per refresh) and 10b (growth per day)."""
    with tempfile.TemporaryDirectory(prefix="wallet-tui-bench-") as folder:
        cost, ui = _run(Path(folder) / "cost.sqlite3", count, answers, 0.05)
        typical = Path(folder) / "typical.sqlite3"
        _run(typical, 100, hour_answers, 0.05)
        worst = Path(folder) / "worst.sqlite3"
        _run(worst, 100, hour_answers, 1.0)
        scale = 17280 / hour_answers
        day, worst_day = _size(typical) * scale, _size(worst) * scale
    budget = BUDGET_PER_1000 * count / 1000
    return [
        Row(
            key="10a",
            measure=f"history on: cost per answer, {count:,} assets, 5 % changed",
            figure=f"{ms(cost)} CPU",
            compared=f"the UI thread's share {ms(ui)} (it only queues; the writer's thread does the rest)",
            budget=f"≤ {ms(budget)} (row 2's budget for {count:,} assets)",
            result=verdict(cost <= budget),
        ),
        Row(
            key="10b",
            measure="history database growth per day, 100 assets, 5 s interval",
            figure=f"{day / 1024 / 1024:,.1f} MB a day with 5 % of the assets changing",
            compared=f"every asset changing every 5 s: {worst_day / 1024 / 1024:,.0f} MB a day",
            budget=f"≤ {GROWTH_BUDGET // 1024 // 1024} MB a day (5 % changing)",
            result=verdict(day <= GROWTH_BUDGET),
        ),
    ]


if __name__ == "__main__":
    for row in bench_history(1000, 40, 720):
        print(" | ".join(row.cells))
