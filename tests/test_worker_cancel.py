"""A worker cancelled before it ran leaves no coroutine behind that was never awaited.

The feeds, copies and requests hand Textual a function to call, not a coroutine made in
advance: a screen closed (or a refresh cancelled) between the hand-over and the worker's
first step would otherwise leave a coroutine that is never awaited, and Python warns
about it when the garbage collector finds it, in the middle of whatever runs then.
"""

from __future__ import annotations

import ast
import gc
import warnings
from pathlib import Path

import httpx

import tui
from tests.app_harness import dashboard


async def test_a_feed_call_cancelled_before_it_ran_leaves_no_coroutine(
    transport: httpx.ASGITransport,
) -> None:
    async with dashboard(transport) as on:
        screen = on.screen
        for feed in (screen.balances, screen.rates, screen.operations):
            feed._start()
            # Cancelled in the same step: its task never got to run.
            on.app.workers.cancel_group(feed._host, f"feed-{feed.name}")
        await on.pilot.pause()  # the cancelled workers are let go
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gc.collect()
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []


def test_no_worker_is_handed_a_coroutine_made_in_advance() -> None:
    # The copies and the deposit address request go the same way as the feeds: each
    # `run_worker` gets a function (or a partial of one), never `self._work(...)` called.
    made_in_advance = []
    for path in sorted(Path(tui.__file__).parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "run_worker"
                and node.args
                and isinstance(node.args[0], ast.Call)
                and not (
                    isinstance(node.args[0].func, ast.Name) and node.args[0].func.id == "partial"
                )
            ):
                made_in_advance.append(f"{path.name}:{node.lineno}")
    assert made_in_advance == []
