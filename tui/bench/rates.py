"""6. A rates refresh at 2,000 assets: parse the answer, value every row, repaint.

The rates feed's answer (`GET /v2/rate/equivalent`, five quote currencies per asset)
arrives every 30 s. What it costs the UI thread is the time a balance refresh could be
kept waiting by it. The issue sets no figure for it; the budget is that of a balance
refresh of the same wallet by rows 1 and 2 (parse ≤ 5 ms and grid ≤ 8 ms per 1,000
assets), so that a rates refresh never holds the UI longer than a balance refresh
may. The figure is the CPU time from the answer's bytes to an idle app: the
parse, the new Value column of a `BalanceGrid` showing the 2,000-asset wallet, and the
wallet's total; the median of a few rounds, each with every rate moved, less what an
idle wait costs by itself. Beside it, the parse alone.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from decimal import Decimal

from tui.api.parse import parse_balance_response
from tui.api.rates import Rates, parse_rates_response
from tui.api.values import wallet_value
from tui.bench.grid import SIZE, _costs, _Host
from tui.bench.report import Row, median, ms, verdict
from tui.bench.wallets import Wallet
from tui.ui.widgets.balance_grid import BalanceGrid

QUOTES = ("USD", "UAH", "EUR", "BTC", "USDT")
#: A balance refresh's budgets per 1,000 assets (rows 1 and 2: parse + grid), in seconds.
BUDGET_PER_1000 = 0.005 + 0.008


def rates_body(assets: list[str], round_: int) -> bytes:
    """A `/v2/rate/equivalent` answer for `assets`, every rate moved at each round."""
    rng = random.Random(round_)
    data = []
    for asset in assets:
        usd = Decimal(rng.randrange(1, 10**9)).scaleb(-4)
        equivalent = {
            "USD": f"{usd:f}",
            "UAH": f"{usd * Decimal('41.37'):f}",
            "EUR": f"{usd * Decimal('0.9215'):f}",
            "BTC": f"{(usd / Decimal('67250.4')).quantize(Decimal('1E-12')):f}",
            "USDT": f"{usd * Decimal('0.9998'):f}",
        }
        data.append({"asset": asset, "equivalent": equivalent})
    return json.dumps({"data": data}, separators=(",", ":")).encode()


async def _measure(count: int, rounds: int) -> tuple[float, float, int]:
    wallet = Wallet(count)
    snapshot = parse_balance_response(wallet.body())
    bodies = [rates_body(list(snapshot.assets), n) for n in range(rounds + 1)]
    grid = BalanceGrid()
    async with _Host(grid).run_test(size=SIZE) as pilot:
        await pilot.pause()
        grid.show(snapshot)
        grid.set_rates(parse_rates_response(bodies[0]), "USD")
        await pilot.pause()

        def refresh(body: bytes) -> Rates:
            rates = parse_rates_response(body)
            grid.set_rates(rates, "USD")
            wallet_value(snapshot, rates, "USD")
            return rates

        cost = await _costs(pilot, [lambda b=b: refresh(b) for b in bodies[1:]])
    parse_times = []
    for body in bodies[1:]:
        start = time.process_time()
        parse_rates_response(body)
        parse_times.append(time.process_time() - start)
    return cost.total, median(parse_times), len(bodies[0])


def bench_rates_refresh(count: int, rounds: int) -> Row:
    """The cost of one rates refresh for a wallet of `count` assets."""
    total, parse, size = asyncio.run(_measure(count, rounds))
    return Row(
        key="6",
        measure=f"rates refresh, {count:,} assets × {len(QUOTES)} quotes ({size / 1024:,.0f} KiB)",
        figure=f"{ms(total)} CPU",
        compared=f"of which parse {ms(parse)}; the grid's Value column and the total the rest",
        budget=f"≤ {ms(BUDGET_PER_1000 * count / 1000)} (a balance refresh's, rows 1 + 2)",
        result=verdict(total <= BUDGET_PER_1000 * count / 1000),
    )
