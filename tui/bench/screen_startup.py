"""7. Start-up as a user sees it: until a terminal emulator's screen shows the balances.

Both wallet-tui and a bare Textual app run in a tmux pane of 140 x 42 (a real terminal
emulator: it parses the programs' output and keeps the screen a user would see). The
clock starts just before tmux is told to start the program in the pane, and stops at
the first look at the screen (one every 10 ms, `capture-pane`) that finds the text:
an asset of the sandbox's wallet ("BTC", so data from the exchange) for wallet-tui,
the text of its only widget for the bare app. wallet-tui gets its API key from the
environment (straight to the dashboard) and talks to `wallet-tui sandbox --still` in
its own process. 7b is the same with every feed on.

Runs alternate between the two programs after one unmeasured run of each (bytecode
cached, as for an installed program). The figures are medians, with the fastest and
slowest run beside them; the verdict compares the medians.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tui.bench import tmux
from tui.bench.feeds import every_feed_flags, feed_names
from tui.bench.report import Row, median, ms, ratio, verdict
from tui.bench.startup import BARE_APP, BARE_TEXT, standalone_sandbox

BUDGET_RATIO = 1.3
BUDGET = "≤ 1.3x bare Textual"
COLUMNS, ROWS = 140, 42
#: An asset of the sandbox's demo wallet: on screen only once balances arrived.
DATA_TEXT = "BTC"


def spread(values: list[float]) -> str:
    """ "min 190–max 230 ms" for a list of seconds."""
    return f"min {ms(min(values))}, max {ms(max(values))}"


def _first_frame(screen: tmux.TmuxTerminal, argv: list[str], text: str) -> float:
    started = screen.run(argv)
    seconds = screen.wait_for(text, started)
    if seconds is None:
        raise RuntimeError(f"{argv[1:3]} never showed {text!r}: {screen.screen()[-300:]!r}")
    screen.stop()
    return seconds


def measure(runs: int, warm_up: bool, extra_flags: list[str]) -> tuple[list[float], list[float]]:
    """Seconds to the first frame with data: wallet-tui's runs and the bare app's."""

    with tempfile.TemporaryDirectory(prefix="wallet-tui-bench-") as scratch:
        env = tmux.app_environment(scratch)
        with (
            standalone_sandbox() as url,
            tmux.TmuxTerminal(env, columns=COLUMNS, rows=ROWS) as screen,
        ):
            app_argv = [sys.executable, "-m", "tui", "--base-url", url, *extra_flags]
            # (A file, not `-c`: a pane's command is one line.)
            bare_file = Path(scratch) / "bare_app.py"
            bare_file.write_text(BARE_APP, encoding="utf-8")
            bare_argv = [sys.executable, str(bare_file)]
            if warm_up:
                _first_frame(screen, app_argv, DATA_TEXT)
                _first_frame(screen, bare_argv, BARE_TEXT)
            app, bare = [], []
            for _ in range(runs):
                bare.append(_first_frame(screen, bare_argv, BARE_TEXT))
                app.append(_first_frame(screen, app_argv, DATA_TEXT))
    return app, bare


def bench_screen_startup(runs: int, warm_up: bool = True) -> list[Row]:
    """Rows 7a (balances only) and 7b (every feed on): start-up read off tmux's screen."""
    rows = []
    for key, flags, what in (
        ("7a", [], "start-up seen in tmux, 140 × 42"),
        ("7b", every_feed_flags(), f"start-up seen in tmux, every feed on ({feed_names()})"),
    ):
        reason = tmux.available()
        if reason:
            rows.append(Row.unavailable(key, what, BUDGET, reason))
            continue
        app, bare = measure(runs, warm_up, flags)
        slower = median(app) / median(bare)
        rows.append(
            Row(
                key=key,
                measure=what,
                figure=f"{ms(median(app))} (median of {len(app)}; {spread(app)})",
                compared=(
                    f"{ratio(slower)} a bare Textual app ({ms(median(bare))}; {spread(bare)})"
                ),
                budget=BUDGET,
                result=verdict(slower <= BUDGET_RATIO),
            )
        )
    return rows
