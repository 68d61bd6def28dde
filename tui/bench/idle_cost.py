"""4. Cost per refresh: the app's CPU per refresh at a 1 s interval, against `curl | jq`.

wallet-tui runs under a pseudo-terminal (120 x 40) against a sandbox exchange served
from this process, whose main wallet is filled up to the wanted number of assets and
whose balances change by 5 % of the assets every second. Once the dashboard shows
data and has settled, the app's CPU time (user + system, from /proc) is read over a
window and divided by the balance requests the sandbox answered in it: the figure is
what one refresh costs, drawing and the idle time in between included.

The shell loop a user could run instead is timed for the same request and the same
number of times: `curl -s -X POST ... | jq .`, both processes' CPU counted.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tui.bench import sandbox_wallet, terminal
from tui.bench.report import Row, ratio, verdict
from tui.bench.startup import DATA_TEXT, child_environment
from tui.bench.wallets import Wallet
from tui.sandbox.wallet import DEMO_API_KEY, DemoExchange

BUDGET = "< curl | jq per refresh"
BALANCE_PATH = "/v2/balance"
#: How to get the comparison's tools where they are missing.
TOOLS_HINT = "install curl and jq (apt-get install curl jq, brew install jq)"


def _keep_changing(exchange: DemoExchange, wallet: Wallet, stop: threading.Event) -> None:
    """Every second, lower 5 % of the synthetic balances (withdrawals), until `stop`."""
    while not stop.wait(1.0):
        sandbox_wallet.step(exchange, wallet)


def _balance_requests(exchange: DemoExchange) -> int:
    """How many balance requests the sandbox has answered with success (any 2xx) so far."""
    return sum(
        1
        for record in list(exchange.requests)
        if record.path == BALANCE_PATH and 200 <= record.status < 300
    )


def _app_cpu_per_refresh(
    url: str, exchange: DemoExchange, settle: float, window: float
) -> tuple[float, int]:
    """CPU seconds per refresh of wallet-tui at a 1 s interval, and the refreshes counted."""
    with tempfile.TemporaryDirectory(prefix="wallet-tui-bench-") as scratch:
        config = Path(scratch) / "config.toml"
        config.write_text("", encoding="utf-8")
        env = child_environment(
            {"WALLET_TUI_API_KEY": DEMO_API_KEY, "WALLET_TUI_CONFIG": str(config)}
        )
        argv = [sys.executable, "-m", "tui", "--base-url", url, "--interval", "1"]
        with terminal.PtyProcess(argv, env) as app:
            if app.wait_for(DATA_TEXT, timeout=60) is None:
                raise RuntimeError("wallet-tui never showed the balances")
            time.sleep(settle)
            cpu_before, requests_before = app.cpu_seconds(), _balance_requests(exchange)
            time.sleep(window)
            cpu_after, requests_after = app.cpu_seconds(), _balance_requests(exchange)
    refreshes = requests_after - requests_before
    if cpu_before is None or cpu_after is None or refreshes <= 0:
        raise RuntimeError("could not read the app's CPU time or no refresh happened")
    return (cpu_after - cpu_before) / refreshes, refreshes


def _curl_jq_cpu_per_request(url: str, times: int) -> float:
    """CPU seconds of `curl -s -X POST ... | jq .` for the balance request, per request."""
    import resource  # POSIX only, as is this whole row

    curl = [
        "curl", "-s", "-X", "POST",
        "-H", f"api-key: {DEMO_API_KEY}",
        "-H", "accept: application/json",
        "-H", "content-type: application/json",
        "-d", "{}",
        url + BALANCE_PATH,
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(times):
        fetch = subprocess.Popen(curl, stdout=subprocess.PIPE)
        show = subprocess.Popen(["jq", "."], stdin=fetch.stdout, stdout=subprocess.DEVNULL)
        assert fetch.stdout is not None
        fetch.stdout.close()  # jq holds the pipe now
        if show.wait() != 0 or fetch.wait() != 0:
            raise RuntimeError("curl | jq failed")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used / times


def bench_refresh_cost(assets: int, window: float, settle: float = 2.0) -> Row:
    """Row 4: CPU per refresh of the dashboard against the curl | jq pair."""
    measure = f"CPU per refresh, {assets:,} assets, 1 s interval"
    reason = terminal.available()
    if reason is None and not Path("/proc/self/stat").exists():
        reason = "needs /proc (Linux) to read the app's CPU time"
    if reason is None:
        missing = [tool for tool in ("curl", "jq") if shutil.which(tool) is None]
        if missing:
            reason = f"{' and '.join(missing)} not found: {TOOLS_HINT}"
    if reason:
        return Row.unavailable("4", measure, BUDGET, reason)

    from tui.sandbox.server import start_in_background

    with start_in_background(seed=7, moving=False) as sandbox:
        wallet = sandbox_wallet.fill(sandbox.exchange, assets)
        stop = threading.Event()
        changer = threading.Thread(
            target=_keep_changing, args=(sandbox.exchange, wallet, stop), daemon=True
        )
        changer.start()
        try:
            app, refreshes = _app_cpu_per_refresh(sandbox.url, sandbox.exchange, settle, window)
        finally:
            stop.set()
            changer.join()
        pair = _curl_jq_cpu_per_request(sandbox.url, max(3, refreshes))
    return Row(
        key="4",
        measure=measure,
        figure=f"{app * 1000:.1f} ms CPU ({refreshes} refresh{'es' if refreshes != 1 else ''})",
        compared=f"{ratio(app / pair)} curl | jq ({pair * 1000:.1f} ms CPU)",
        budget=BUDGET,
        result=verdict(app < pair),
    )
