"""1. Parse: validate and parse `/v2/balance` answers of growing size."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from string import ascii_lowercase

from tui.api.parse import parse_balance_response
from tui.bench.report import Row, median, ms, ratio, verdict
from tui.bench.wallets import Wallet

#: At most this long per 1,000 assets.
BUDGET_PER_1000 = 0.005
BUDGET = "≤ 5 ms per 1,000 assets"


def _timed(func: Callable[[bytes], object], body: bytes, repeats: int) -> float:
    """The median wall time of `func(body)` over `repeats` calls (after one warm-up)."""
    func(body)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func(body)
        times.append(time.perf_counter() - start)
    return median(times)


def bench_parse(sizes: Sequence[int], repeats: int) -> list[Row]:
    """One row per wallet size: the parse time, against `json.loads` of the same body."""
    rows = []
    for index, count in enumerate(sizes):
        body = Wallet(count).body()
        if len(parse_balance_response(body)) != count:
            raise RuntimeError("the synthetic wallet did not parse whole")
        # As many rounds for small bodies as it takes to be steady; fewer for big ones.
        rounds = max(10, repeats * 1000 // count)
        parsed = _timed(parse_balance_response, body, rounds)
        decoded = _timed(json.loads, body, rounds)
        per_1000 = parsed * 1000 / count
        rows.append(
            Row(
                key=f"1{ascii_lowercase[index]}",
                measure=f"parse {count:,} assets ({len(body) / 1024:,.0f} KiB)",
                figure=f"{ms(parsed)} ({ms(per_1000)} per 1,000)",
                compared=f"{ratio(parsed / decoded)} plain json.loads ({ms(decoded)})",
                budget=BUDGET,
                result=verdict(per_1000 <= BUDGET_PER_1000),
            )
        )
    return rows
