"""5. Memory: resident memory after many refreshes against what it was after the first ones.

The whole app runs headless in a fresh process (`python -m tui.bench.memory`): the real
dashboard, client, parser, grid, detail pane and status bar, and every feed, against
the sandbox exchange served in-process (httpx's ASGI transport: no socket), whose main
wallet is filled up with synthetic assets, 5 % of them changed before every balance
request. Every path answers as the documented API does (before, a transport answered
the balances to every path, so the rates, operations and deposit-method feeds got
errors at each refresh: not a user's workload). Refreshes are asked for back to back
through the dashboard's refresh action, each after the previous one has been shown.
Resident memory (RSS) is read after a garbage collection at both points.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tui.bench.report import Row, verdict

if TYPE_CHECKING:
    from textual.app import App

#: At most this much growth between the two readings.
BUDGET_BYTES = 5 * 1024 * 1024
BUDGET = "≤ 5 MB growth"
BALANCE_PATH = "/v2/balance"
#: Where the worker's result line starts.
_RESULT = "bench-memory-result "


def resident_bytes() -> int | None:
    """This process's resident set size now (Linux /proc); None where unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


async def _refresh_many(assets: int, first: int, total: int) -> dict[str, object]:
    """Run the app headless through `total` refreshes; RSS after `first` and after all."""
    import httpx

    from tui.bench import sandbox_wallet
    from tui.config.settings import Settings, load_secrets
    from tui.sandbox.app import create_app
    from tui.sandbox.faults import FaultPlan
    from tui.sandbox.wallet import DEMO_API_KEY, DemoExchange
    from tui.ui.app import WalletApp
    from tui.ui.feeds import BalancesLoaded

    # The sandbox exchange answers every path as the documented API does (balances,
    # rates, operations, deposit methods), in this process, with no socket.
    exchange = DemoExchange(seed=7, moving=False)
    wallet = sandbox_wallet.fill(exchange, assets)

    class Moving(httpx.ASGITransport):
        """5 % of the balances move before each balance request is answered."""

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == BALANCE_PATH:
                sandbox_wallet.step(exchange, wallet)
                # The sandbox's log of the requests it served: its memory, not the app's.
                exchange.requests.clear()
            response = await super().handle_async_request(request)
            answered[f"{request.url.path} {response.status_code}"] += 1
            return response

    answered: Counter[str] = Counter()

    loaded = 0
    last: object = None

    def hook(message: object) -> None:
        # Called at each pump a message reaches: an answer bubbling from its feed to the
        # screen is one answer (counted twice before, so "5,000 refreshes" were 2,500).
        nonlocal loaded, last
        if isinstance(message, BalancesLoaded) and message is not last:
            loaded += 1
            last = message

    # Loopback: the app allows plain http there. No connection is made: the sandbox answers.
    settings = Settings(base_url="http://127.0.0.1:9", interval=3600.0)
    secrets = load_secrets({"WALLET_TUI_API_KEY": DEMO_API_KEY})
    transport = Moving(app=create_app(exchange, FaultPlan()))
    app = WalletApp(settings, secrets, transport=transport, system_clipboard=False)
    readings: dict[str, object] = {}
    trace: list[tuple[int, int | None]] = []
    checkpoints = [total * step // 10 for step in range(1, 11)] + [total + 1]
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await _until(app, lambda: loaded >= 1, "the first answer")
        await pilot.pause()
        start = time.perf_counter()
        while loaded < total:
            target = loaded + 1
            # A refresh asked for while one is in flight runs right after it: none is lost.
            await app.screen.run_action("refresh")
            await _until(app, lambda target=target: loaded >= target, f"refresh {target}")
            if loaded >= first and "rss_first" not in readings:
                await pilot.pause()
                gc.collect()
                readings["rss_first"] = resident_bytes()
            if loaded >= checkpoints[0]:
                # RSS along the way (no collection: it would distort the timing), to
                # tell a plateau (caches filling up) from steady growth (a leak).
                trace.append((checkpoints.pop(0), resident_bytes()))
        await pilot.pause()
        gc.collect()
        readings["rss_last"] = resident_bytes()
        readings["seconds"] = time.perf_counter() - start
        readings["refreshes"] = loaded
        readings["trace"] = trace
        readings["answered"] = dict(answered)
    return readings


async def _until(
    app: App[object], condition: Callable[[], bool], what: str, timeout: float = 60.0
) -> None:
    """Let the app run until `condition()` holds; an error if it stops or takes too long."""
    deadline = time.monotonic() + timeout
    while not condition():
        if not app.is_running:
            raise RuntimeError(f"the app stopped before {what}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0)


def _worker(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench.memory")
    parser.add_argument("--assets", type=int, required=True)
    parser.add_argument("--first", type=int, required=True)
    parser.add_argument("--total", type=int, required=True)
    args = parser.parse_args(argv)
    readings = asyncio.run(_refresh_many(args.assets, args.first, args.total))
    print(_RESULT + json.dumps(readings), flush=True)
    return 0


def bench_memory(assets: int, first: int, total: int, timeout: float = 600.0) -> Row:
    """Run the worker in a fresh process and judge the growth of its resident memory."""
    measure = f"RSS after {total:,} refreshes of {assets:,} assets"
    if resident_bytes() is None:
        return Row.unavailable("5", measure, BUDGET, "needs /proc (Linux) to read RSS")
    argv = [sys.executable, "-m", "tui.bench.memory"]
    argv += ["--assets", str(assets), "--first", str(first), "--total", str(total)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_TUI_")}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.startswith(_RESULT)]
    if done.returncode != 0 or not lines:
        reason = (done.stderr.strip().splitlines() or ["no result"])[-1]
        return Row("5", measure, "error", reason[:100], BUDGET, verdict(False))
    readings = json.loads(lines[-1][len(_RESULT) :])
    growth = readings["rss_last"] - readings["rss_first"]
    mib = 1024 * 1024
    return Row(
        key="5",
        measure=measure,
        figure=f"{growth / mib:+.1f} MB",
        compared=(
            f"after {first:,}: {readings['rss_first'] / mib:.1f} MB, after {total:,}: "
            f"{readings['rss_last'] / mib:.1f} MB ({readings['seconds']:.0f} s); "
            + _answers(readings["answered"])
        ),
        budget=BUDGET,
        result=verdict(growth <= BUDGET_BYTES),
    )


def _answers(answered: dict[str, int]) -> str:
    """The sandbox's answers by path ("/v2/rate/equivalent ×5,000"), and the failed ones."""
    by_path: Counter[str] = Counter()
    failed = 0
    for key, count in answered.items():
        path, _, status = key.rpartition(" ")
        by_path[path] += count
        failed += count if not status.startswith("2") else 0
    paths = ", ".join(f"{path} ×{count:,}" for path, count in sorted(by_path.items()))
    return f"answers: {paths}; failed: {failed:,}"


if __name__ == "__main__":
    raise SystemExit(_worker(sys.argv[1:]))
