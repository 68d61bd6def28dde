"""7. Start-up as a user sees it: until a terminal emulator's screen shows the balances.

Both wallet-tui and a bare Textual app run in a tmux pane of 140 x 42 (a real terminal
emulator: it parses the programs' output and keeps the screen a user would see). The
clock starts just before tmux is told to start the program in the pane, and stops at
the first look at the screen (one every 10 ms, `capture-pane`) that finds the text:
an asset of the sandbox's wallet ("BTC", so data from the exchange) for wallet-tui,
the text of its only widget for the bare app. wallet-tui gets its API key from the
environment (straight to the dashboard) and talks to `wallet-tui sandbox --still` in
its own process. 7b is the same with every feed on.

The dashboard draws the balances first and mounts its detail pane just after that
frame: beside the verdict's figure, each row gives how much later the pane was whole
on screen too (the selected asset's deposit address in its network card, from the same
answer), so that what the first frame leaves out is measured, not hidden.

Runs alternate between the two programs after one unmeasured run of each (bytecode
cached, as for an installed program). The figures are medians, with the fastest and
slowest run beside them; the verdict compares the medians.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from tui.bench import tmux
from tui.bench.feeds import every_feed_flags, feed_names
from tui.bench.report import Row, median, ms, ratio, verdict
from tui.bench.startup import BARE_APP, BARE_TEXT, standalone_sandbox

BUDGET_RATIO = 1.3
BUDGET = "≤ 1.3x bare Textual"
COLUMNS, ROWS = 140, 42
#: An asset of the sandbox's demo wallet: on screen only once balances arrived.
DATA_TEXT = "BTC"
#: The start of BTC's deposit address in the sandbox's demo wallet: on screen once the
#: detail pane (selected: BTC, the first row) has drawn its network card.
PANE_TEXT = "bc1qml80"


def spread(values: list[float]) -> str:
    """ "min 190–max 230 ms" for a list of seconds."""
    return f"min {ms(min(values))}, max {ms(max(values))}"


def _first_frame(
    screen: tmux.TmuxTerminal, argv: list[str], text: str, then: str | None = None
) -> tuple[float, float | None]:
    """Seconds until `text` was on screen, and until `then` was too (None: not asked)."""
    started = screen.run(argv)
    seconds = screen.wait_for(text, started)
    if seconds is None:
        raise RuntimeError(f"{argv[1:3]} never showed {text!r}: {screen.screen()[-300:]!r}")
    later = None
    if then is not None:
        later = screen.wait_for(then, started)
        if later is None:
            raise RuntimeError(f"{argv[1:3]} never showed {then!r}: {screen.screen()[-300:]!r}")
    screen.stop()
    return seconds, later


class Measured(NamedTuple):
    """Seconds per run: wallet-tui's first frame with data, its detail pane whole, and
    the bare app's first frame."""

    app: list[float]
    pane: list[float]
    bare: list[float]


def measure(runs: int, warm_up: bool, extra_flags: list[str]) -> Measured:
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
            measured = Measured([], [], [])
            for _ in range(runs):
                measured.bare.append(_first_frame(screen, bare_argv, BARE_TEXT)[0])
                data, pane = _first_frame(screen, app_argv, DATA_TEXT, PANE_TEXT)
                measured.app.append(data)
                measured.pane.append(pane if pane is not None else data)
    return measured


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
        app, pane, bare = measure(runs, warm_up, flags)
        slower = median(app) / median(bare)
        pane_later = median([whole - first for whole, first in zip(pane, app, strict=True)])
        rows.append(
            Row(
                key=key,
                measure=what,
                figure=(
                    f"{ms(median(app))} (median of {len(app)}; {spread(app)}); "
                    f"detail pane whole {ms(pane_later)} later"
                ),
                compared=(
                    f"{ratio(slower)} a bare Textual app ({ms(median(bare))}; {spread(bare)})"
                ),
                budget=BUDGET,
                result=verdict(slower <= BUDGET_RATIO),
            )
        )
    return rows
