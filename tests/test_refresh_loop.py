"""The refresh cycle's rules, without a UI: one request at a time, pause, hold, interval."""

from __future__ import annotations

import random

from tests.app_harness import ManualScheduler
from tui.api.errors import RateLimitedError, ServerError
from tui.ui.refresh import RefreshPolicy
from tui.ui.refresh_loop import RefreshLoop


def make_loop(interval: float = 5.0) -> tuple[RefreshLoop, ManualScheduler, list[float]]:
    scheduler = ManualScheduler()
    started: list[float] = []
    loop = RefreshLoop(
        RefreshPolicy(interval=interval, rng=random.Random(3)),
        scheduler,
        lambda: started.append(scheduler.now),
    )
    return loop, scheduler, started


def test_the_next_fetch_is_scheduled_only_when_the_last_one_ended() -> None:
    loop, scheduler, started = make_loop()
    loop.refresh_now()
    assert started == [0.0] and loop.in_flight
    scheduler.advance(100)  # a slow answer: nothing else starts meanwhile
    assert started == [0.0]
    loop.succeeded()
    assert scheduler.next_delay == 5
    scheduler.advance(5)
    assert started == [0.0, 105.0]


def test_refresh_now_during_a_request_queues_exactly_one_more() -> None:
    loop, scheduler, started = make_loop()
    loop.refresh_now()
    loop.refresh_now()
    loop.refresh_now()
    assert len(started) == 1
    loop.succeeded()
    assert len(started) == 2 and loop.in_flight
    loop.succeeded()
    assert len(started) == 2 and scheduler.next_delay == 5


def test_retry_after_and_backoff() -> None:
    loop, scheduler, started = make_loop()
    loop.refresh_now()
    assert loop.failed(RateLimitedError("slow down", retry_after=30)) == 30
    scheduler.advance(29.99)
    assert len(started) == 1
    scheduler.advance(0.01)
    assert len(started) == 2
    delay = loop.failed(ServerError("boom", 500))
    assert 5 <= delay <= 10  # second failure in a row: backoff


def test_pause_stops_the_timer_and_resume_fetches_at_once() -> None:
    loop, scheduler, started = make_loop()
    loop.refresh_now()
    loop.succeeded()
    loop.pause()
    scheduler.advance(60)
    assert len(started) == 1
    loop.refresh_now()  # r while paused: one fetch, no schedule after it
    loop.succeeded()
    assert len(started) == 2 and scheduler.next_delay is None
    loop.resume()
    assert len(started) == 3


def test_hold_while_logging_in_again() -> None:
    loop, scheduler, started = make_loop()
    loop.refresh_now()
    loop.ended_without_schedule()
    loop.hold()
    scheduler.advance(600)
    assert len(started) == 1
    loop.release()
    loop.refresh_now()
    assert len(started) == 2


def test_a_new_interval_restarts_a_normal_wait_but_not_a_backoff() -> None:
    loop, scheduler, _ = make_loop()
    loop.refresh_now()
    loop.succeeded()
    assert loop.step_interval(1) == 10 and scheduler.next_delay == 10
    loop.refresh_now()
    loop.failed(RateLimitedError("slow down", retry_after=45))
    loop.step_interval(-1)
    assert scheduler.next_delay == 45  # Retry-After is not shortened by a key press
