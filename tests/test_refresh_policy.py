"""When the next refresh happens: interval, capped exponential backoff with jitter, Retry-After."""

from __future__ import annotations

import random

from tui.api.errors import NetworkError, RateLimitedError, ServerError
from tui.ui.refresh import RefreshPolicy


def test_success_waits_the_interval() -> None:
    assert RefreshPolicy(interval=5).after_success() == 5


def test_interval_has_a_one_second_floor() -> None:
    policy = RefreshPolicy(interval=0.1)
    assert policy.interval == 1
    assert policy.set_interval(0) == 1
    assert policy.set_interval(7) == 7


def test_failures_back_off_exponentially_with_jitter_up_to_the_cap() -> None:
    policy = RefreshPolicy(interval=2, rng=random.Random(1))
    delays = [policy.after_failure(NetworkError("down")) for _ in range(10)]
    for failures, delay in enumerate(delays, start=1):
        base = min(60, 2 * 2 ** (failures - 1))
        assert max(2, base / 2) <= delay <= base
    assert max(delays) <= 60
    assert delays[-1] >= 30  # reached the cap's range


def test_success_resets_the_backoff() -> None:
    policy = RefreshPolicy(interval=2, rng=random.Random(1))
    for _ in range(6):
        policy.after_failure(NetworkError("down"))
    assert policy.after_success() == 2
    assert policy.after_failure(NetworkError("down")) == 2  # first failure: back to the interval


def test_retry_after_is_honoured_exactly() -> None:
    policy = RefreshPolicy(interval=5)
    assert policy.after_failure(RateLimitedError("slow down", retry_after=30)) == 30
    assert policy.after_failure(ServerError("busy", 503, retry_after=120)) == 120
    # Never sooner than the interval, even if the server allows it.
    assert policy.after_failure(RateLimitedError("slow down", retry_after=1)) == 5
