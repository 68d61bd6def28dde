"""8 and 9. CPU as a user's terminal sees it: per refresh with visible rows changing, and idle.

wallet-tui runs in a tmux pane of 140 x 42 (a real terminal emulator that parses and
keeps every frame) with `--interval 1`, against a sandbox exchange served from this
process whose main wallet holds 2,000 assets. For row 8, before each balance answer
the sandbox lowers the balance of one of the first 20 assets of the wallet (the rows on
screen, in turn): every refresh repaints a visible row, its highlight, the detail pane
when it is the selected asset, and the status line. For row 9 nothing changes.

The app's CPU time (user + system of all its threads, from /proc, in nanoseconds where
the kernel keeps them) is read over windows of a few seconds once it has settled; each
window gives CPU per refresh (the balance requests answered meanwhile) and CPU per
second. The figures are medians over the windows, with the least and the most.

Beside them, in the same run and for the same answer body: `curl -s -X POST ... | jq .`
(the shell loop a user could run instead, both processes' CPU counted), and the least
any client must do, `json.loads` of the body, in this process.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.bench import sandbox_wallet, tmux
from tui.bench.feeds import BALANCES, every_feed_flags, feed_names
from tui.bench.idle_cost import TOOLS_HINT, _curl_jq_cpu_per_request
from tui.bench.report import Row, median, ms, ratio, verdict
from tui.bench.wallets import lowered

COLUMNS, ROWS = 140, 42
#: The rows on screen at 140 x 42 (the grid's height less its header), one of which
#: changes before each answer.
VISIBLE_ROWS = 20
BUDGET_RATIO = 0.5
BUDGET = "≤ 0.5x curl | jq"
IDLE_BUDGET_SHARE = 0.01
IDLE_BUDGET = "≤ 1 % of a core"


@dataclass(frozen=True)
class ScreenCostProfile:
    """How long each part runs."""

    assets: int
    settle: float
    windows: int
    window: float
    pair_batches: int


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of every live thread of `pid`, to the nanosecond where
    /proc/PID/task/*/schedstat is kept (else /proc/PID/stat, in clock ticks)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat", "rb") as stat:
                total += int(stat.read().split()[0])
    except (OSError, ValueError, IndexError):
        return tmux.cpu_seconds(pid)
    return total / 1e9


def _visible_changes(exchange: Any, first: list[str]) -> Callable[[], None]:
    """Make the sandbox lower one of the `first` assets' balance before each answer."""
    answer = exchange.balance_payload
    turn = iter(range(1 << 62))

    def changed_then_answer(*args: Any, **kwargs: Any) -> dict[str, Any]:
        asset = first[next(turn) % len(first)]
        # One unit of its last decimal less: a withdrawal, so no "deposit landed" notice.
        amount = format(exchange.amount(asset), "f")
        exchange.set_amount(asset, "balance", lowered(amount))
        return answer(*args, **kwargs)

    exchange.balance_payload = changed_then_answer
    return lambda: setattr(exchange, "balance_payload", answer)


@dataclass(frozen=True)
class Windows:
    """What the app used in each window: CPU seconds, refreshes, wall seconds."""

    cpu: list[float]
    refreshes: list[int]
    seconds: list[float]
    #: Requests answered during the windows, by path.
    paths: Counter[str]

    def per_refresh(self) -> list[float]:
        return [cpu / max(1, n) for cpu, n in zip(self.cpu, self.refreshes, strict=True)]

    def per_second(self) -> list[float]:
        return [cpu / s for cpu, s in zip(self.cpu, self.seconds, strict=True)]


def _requests(exchange: Any) -> list[Any]:
    return [record for record in list(exchange.requests) if 200 <= record.status < 300]


def _watch_app(url: str, exchange: Any, flags: list[str], profile: ScreenCostProfile) -> Windows:

    with tempfile.TemporaryDirectory(prefix="wallet-tui-bench-") as scratch:
        env = tmux.app_environment(scratch)
        argv = [sys.executable, "-m", "tui", "--base-url", url, "--interval", "1", *flags]
        with tmux.TmuxTerminal(env, columns=COLUMNS, rows=ROWS) as screen:
            started = screen.run(argv)
            if screen.wait_for("BTC", started) is None:
                raise RuntimeError(f"wallet-tui never showed the balances: {screen.screen()!r}")
            pid = screen.pane_pid()
            time.sleep(profile.settle)
            cpu, refreshes, seconds = [], [], []
            paths: Counter[str] = Counter()
            for _ in range(profile.windows):
                seen = len(_requests(exchange))
                cpu_before, wall_before = _process_cpu(pid), time.perf_counter()
                time.sleep(profile.window)
                # At least one balance refresh per window, however slow the machine is now
                # (another feed's request alone is no refresh: the row would count none).
                deadline = wall_before + 60
                while (
                    not any(r.path == BALANCES.path for r in _requests(exchange)[seen:])
                    and time.perf_counter() < deadline
                ):
                    time.sleep(0.05)
                cpu_after, wall_after = _process_cpu(pid), time.perf_counter()
                answered = _requests(exchange)[seen:]
                if cpu_before is None or cpu_after is None:
                    raise RuntimeError("could not read the app's CPU time")
                cpu.append(cpu_after - cpu_before)
                seconds.append(wall_after - wall_before)
                refreshes.append(sum(1 for r in answered if r.path == BALANCES.path))
                paths.update(r.path for r in answered)
            screen.stop()
    if not sum(refreshes):
        raise RuntimeError("no refresh happened while the app was watched")
    return Windows(cpu, refreshes, seconds, paths)


def _floor(body: bytes, repeats: int) -> list[float]:
    """CPU seconds of `json.loads(body)`, once per repeat."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        json.loads(body)
        times.append(time.process_time() - started)
    return times


def _spread(values: list[float]) -> str:
    """ "min 1.20 ms, max 1.90 ms" for a list of seconds."""
    return f"min {ms(min(values))}, max {ms(max(values))}"


def _share_spread(values: list[float]) -> str:
    """ "min 0.41 %, max 0.62 %" for a list of shares of a core."""
    return f"min {min(values) * 100:.2f} %, max {max(values) * 100:.2f} %"


def _refreshes(count: int) -> str:
    return f"{count} refresh{'es' if count != 1 else ''}"


def _feeds_seen(paths: Counter[str], refreshes: int) -> str:
    """Requests per balance refresh by the other feeds ("/v2/x 1.0") — proof they ran."""
    others = [
        f"{path} ×{count / max(1, refreshes):.2g}"
        for path, count in sorted(paths.items())
        if path != BALANCES.path
    ]
    return "; other feeds' requests per refresh: " + ", ".join(others) if others else ""


def bench_screen_cost(profile: ScreenCostProfile) -> list[Row]:
    """Rows 8a, 8b (per refresh, visible rows changing) and 9a, 9b (idle)."""
    cases = [
        ("8a", "CPU per refresh, a visible row changing", [], True),
        ("8b", f"same, every feed on ({feed_names()})", every_feed_flags(), True),
        ("9a", "idle CPU, nothing changing, 1 s interval", [], False),
        ("9b", f"same, every feed on ({feed_names()})", every_feed_flags(), False),
    ]
    reason = tmux.available()
    if reason is None:
        missing = [tool for tool in ("curl", "jq") if shutil.which(tool) is None]
        if missing:
            reason = f"{' and '.join(missing)} not found: {TOOLS_HINT}"
    if reason:
        return [
            Row.unavailable(key, what, BUDGET if changing else IDLE_BUDGET, reason)
            for key, what, _, changing in cases
        ]
    import httpx

    from tui.sandbox.server import start_in_background
    from tui.sandbox.wallet import DEMO_API_KEY

    rows = []
    for key, what, flags, changing in cases:
        with start_in_background(seed=7, moving=False) as sandbox:
            exchange = sandbox.exchange
            sandbox_wallet.fill(exchange, profile.assets)
            first = [item["asset"] for item in exchange.balance_payload()["data"][:VISIBLE_ROWS]]
            body = httpx.post(
                sandbox.url + BALANCES.path, headers={"api-key": DEMO_API_KEY}, json={}
            ).content
            undo = _visible_changes(exchange, first) if changing else (lambda: None)
            try:
                windows = _watch_app(sandbox.url, exchange, flags, profile)
            finally:
                undo()
            refreshes = sum(windows.refreshes)
            feeds = _feeds_seen(windows.paths, refreshes)
            size = f"{profile.assets:,} assets, {len(body) // 1024:,} KiB"
            if changing:
                pair = [
                    _curl_jq_cpu_per_request(sandbox.url, 3) for _ in range(profile.pair_batches)
                ]
                floor = _floor(body, 10 * profile.pair_batches)
                app = windows.per_refresh()
                share = median(app) / median(pair)
                rows.append(
                    Row(
                        key=key,
                        measure=f"{what}, {size}",
                        figure=(
                            f"{median(app) * 1000:.1f} ms CPU ({_refreshes(refreshes)}; "
                            f"{_spread(app)}){feeds}"
                        ),
                        compared=(
                            f"{ratio(share)} curl | jq ({median(pair) * 1000:.1f} ms CPU; "
                            f"{_spread(pair)}); floor json.loads {median(floor) * 1000:.2f} ms "
                            f"({_spread(floor)}): app {ratio(median(app) / median(floor))}"
                        ),
                        budget=BUDGET,
                        result=verdict(share <= BUDGET_RATIO),
                    )
                )
            else:
                app = windows.per_second()
                rows.append(
                    Row(
                        key=key,
                        measure=f"{what}, {size}",
                        figure=(
                            f"{median(app) * 100:.2f} % of a core ({_refreshes(refreshes)}; "
                            f"{_share_spread(app)}){feeds}"
                        ),
                        compared=f"{median(windows.per_refresh()) * 1000:.1f} ms CPU per refresh",
                        budget=IDLE_BUDGET,
                        result=verdict(median(app) <= IDLE_BUDGET_SHARE),
                    )
                )
    return rows
