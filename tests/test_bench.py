"""The benchmark runs and prints every row (`python -m tui.bench --quick`).

No timing is asserted here: benchmarks are not timed tests. The figures and their
budgets are for `python -m tui.bench` on a quiet machine (see README, Performance).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tui.bench import idle_cost
from tui.bench.report import (
    NOT_AVAILABLE,
    NOT_JUDGED,
    QUICK_NOTE,
    Row,
    render_markdown,
    render_text,
)

ROOT = Path(__file__).resolve().parent.parent
#: One row per figure the issues ask for: parse at four sizes; refresh at three sizes
#: and with nothing changed; start-up and its imports; cost per refresh; memory; a
#: refresh of the rates; as seen through a terminal emulator (tmux): start-up, CPU
#: per refresh with a visible row changing, idle CPU, each also with every feed on; an
#: operations refresh of 500 operations (status changes, new arrivals).
ROWS = (
    *("1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d", "3a", "3b", "4", "5", "6"),
    *("7a", "7b", "8a", "8b", "9a", "9b", "10a", "10b", "11a", "11b"),
)
#: A quick run judges nothing: its figures come from tiny sizes with parts side by side.
RESULTS = (NOT_JUDGED, NOT_AVAILABLE)
#: Under `pytest -n`, the module's tests share one worker, so the quick run runs once.
pytestmark = pytest.mark.xdist_group("bench")


@pytest.fixture(scope="module")
def quick_run() -> subprocess.CompletedProcess[str]:
    """`python -m tui.bench --quick`, run once for the tests of this module."""
    return subprocess.run(
        [sys.executable, "-m", "tui.bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def table_rows(output: str) -> dict[str, str]:
    """The table's lines by row key."""
    rows = {}
    for line in output.splitlines():
        match = re.match(r"(\d+[a-z]?)\s{2,}", line)
        if match:
            rows[match.group(1)] = line
    return rows


def test_quick_run_prints_every_row_with_a_result(
    quick_run: subprocess.CompletedProcess[str],
) -> None:
    assert quick_run.returncode == 0, quick_run.stderr[-2000:]
    rows = table_rows(quick_run.stdout)
    assert sorted(rows) == sorted(ROWS), quick_run.stdout
    for key, line in rows.items():
        assert line.rstrip().endswith(RESULTS), f"row {key} has no result: {line!r}"


def test_quick_run_gives_no_verdict_and_says_why(
    quick_run: subprocess.CompletedProcess[str],
) -> None:
    assert "PASS" not in quick_run.stdout and "FAIL" not in quick_run.stdout
    assert "budgets missed" not in quick_run.stderr
    assert QUICK_NOTE in quick_run.stdout


def test_quick_run_names_the_machine(quick_run: subprocess.CompletedProcess[str]) -> None:
    for name in ("CPU:", "cores:", "Python:", "Textual:"):
        assert re.search(rf"^{name}\s+\S", quick_run.stdout, re.MULTILINE), quick_run.stdout


def test_missing_curl_or_jq_gives_a_row_saying_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idle_cost.shutil, "which", lambda tool: None)
    row = idle_cost.bench_refresh_cost(assets=10, window=1.0)
    assert row.key == "4"
    assert row.result == NOT_AVAILABLE
    assert row.figure == NOT_AVAILABLE
    assert "curl and jq not found" in row.compared or "needs" in row.compared


def test_tables_line_up_and_escape_markdown() -> None:
    rows = [
        Row("1a", "parse", "1 ms", "2x a|b", "≤ 5 ms", "PASS"),
        Row("5", "memory", "+0.1 MB", "", "≤ 5 MB", "FAIL"),
    ]
    text = render_text(rows).splitlines()
    assert text[0].startswith("#") and set(text[1]) <= {"-", " "}
    assert text[2].index("parse") == text[3].index("memory")
    markdown = render_markdown(rows)
    assert "2x a\\|b" in markdown
    assert markdown.count("\n") == 4


def test_the_refresh_count_takes_every_2xx_as_a_success() -> None:
    from tui.bench.idle_cost import _balance_requests
    from tui.sandbox.wallet import DemoExchange

    exchange = DemoExchange(moving=False)
    for status in (200, 201, 204, 401, 500):
        exchange.record("/v2/balance", "api-key", status)
    exchange.record("/v2/auth/login", None, 201)
    assert _balance_requests(exchange) == 3


def test_the_outside_rows_keep_the_history_out_of_the_user_s_data(tmp_path: Path) -> None:
    from tui.bench.tmux import app_environment
    from tui.config.settings import default_history_path
    from tui.ui.ui_state import state_path

    env = app_environment(str(tmp_path))
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        assert default_history_path().is_relative_to(tmp_path)
        # Nor the theme chosen last time (restoring one costs the start a restyle).
        assert state_path().is_relative_to(tmp_path)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_the_module_probe_gives_up_and_says_why_when_no_balances_come(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio
    import socket

    from tui.bench import startup
    from tui.sandbox.wallet import DEMO_API_KEY

    with socket.socket() as closed:  # a port with nothing listening: every request fails
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    monkeypatch.setattr(startup, "PROBE_TIMEOUT_SECONDS", 0.5)
    with pytest.raises(RuntimeError, match=r"no balances on the dashboard after 0\.5 s"):
        asyncio.run(startup._probe(url))
