"""The generic feed: a call on a schedule, its state, and the messages it posts.

A tiny Textual app hosts one feed whose call answers from a queue the test fills, so
each case says exactly what the server did; a hand-moved scheduler stands in for time.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from textual.app import App

from tests.app_harness import FROZEN_NOW, ManualScheduler, MovingClock, wait_until
from tui.api.errors import AuthenticationError, KunaError, RateLimitedError
from tui.ui.feeds import Feed, FeedFailed, FeedGroup, FeedLoaded, FeedState


class NumbersLoaded(FeedLoaded[int]):
    """A test feed's answer."""


class NumbersFailed(FeedFailed):
    """A test feed's failure."""


class NumbersFeed(Feed[int]):
    name = "numbers"
    Loaded = NumbersLoaded
    Failed = NumbersFailed


class Host(App[None]):
    """Hosts one feed whose call takes the next answer from `answers`."""

    def __init__(self, scheduler: ManualScheduler, clock: MovingClock) -> None:
        super().__init__()
        self.answers: asyncio.Queue[int | Exception] = asyncio.Queue()
        self.calls = 0
        self.seen: list[FeedLoaded[int] | FeedFailed] = []
        self.feed = NumbersFeed(self, self._call, interval=5.0, clock=clock, scheduler=scheduler)

    async def _call(self) -> int:
        self.calls += 1
        answer = await self.answers.get()
        if isinstance(answer, Exception):
            raise answer
        return answer

    def on_numbers_loaded(self, message: NumbersLoaded) -> None:
        self.seen.append(message)

    def on_numbers_failed(self, message: NumbersFailed) -> None:
        self.seen.append(message)


async def test_answers_and_failures_become_typed_messages_and_state() -> None:
    scheduler, clock = ManualScheduler(), MovingClock()
    app = Host(scheduler, clock)
    async with app.run_test() as pilot:
        app.feed.start()
        await app.answers.put(7)
        await wait_until(pilot, lambda: len(app.seen) == 1)
        loaded = app.seen[0]
        assert isinstance(loaded, NumbersLoaded) and loaded.value == 7
        assert app.feed.state == FeedState(value=7, received_at=FROZEN_NOW)
        assert scheduler.next_delay_of("numbers") == 5

        clock.advance(5)
        scheduler.advance(5)
        await app.answers.put(RateLimitedError("slow down", retry_after=40))
        await wait_until(pilot, lambda: len(app.seen) == 2)
        failed = app.seen[1]
        assert isinstance(failed, NumbersFailed) and not failed.needs_login
        assert failed.retry_at == FROZEN_NOW + timedelta(seconds=45)
        state = app.feed.state
        # The last good value stays, with its age, and is stale while calls fail.
        assert state.value == 7 and state.age(clock.now) == 5
        assert state.is_stale(clock.now) and scheduler.next_delay_of("numbers") == 40

        clock.advance(40)
        scheduler.advance(40)
        await app.answers.put(8)
        await wait_until(pilot, lambda: len(app.seen) == 3)
        assert app.feed.state.error is None and not app.feed.state.is_stale(clock.now)
        assert app.feed.state.is_stale(clock.now + timedelta(seconds=301), max_age=300)


async def test_never_two_calls_in_flight_and_a_bug_is_reported_not_swallowed() -> None:
    scheduler, clock = ManualScheduler(), MovingClock()
    app = Host(scheduler, clock)
    async with app.run_test() as pilot:
        app.feed.start()
        app.feed.refresh_now()
        app.feed.refresh_now()
        await pilot.pause()
        assert app.calls == 1
        await app.answers.put(ZeroDivisionError("a bug"))
        await wait_until(pilot, lambda: app.calls == 2)  # the queued refresh, right after
        failed = app.seen[0]
        assert isinstance(failed, NumbersFailed)
        assert "Unexpected error: ZeroDivisionError('a bug')" in failed.error.message
        await app.answers.put(1)
        await wait_until(pilot, lambda: len(app.seen) == 2)
        assert app.calls == 2


async def test_restart_drops_the_answer_to_the_old_question() -> None:
    scheduler, clock = ManualScheduler(), MovingClock()
    app = Host(scheduler, clock)
    async with app.run_test() as pilot:
        app.feed.start()
        await pilot.pause()
        app.feed.restart()  # e.g. `w`: another wallet while the first answer is on its way
        await app.answers.put(1)
        await wait_until(pilot, lambda: app.calls == 2)
        assert app.seen == [] and app.feed.state.value is None
        await app.answers.put(2)
        await wait_until(pilot, lambda: len(app.seen) == 1)
        assert app.seen[0].value == 2  # type: ignore[union-attr]


async def test_refused_credentials_wait_for_the_owner_and_a_group_holds_every_feed() -> None:
    scheduler, clock = ManualScheduler(), MovingClock()
    app = Host(scheduler, clock)
    async with app.run_test() as pilot:
        group = FeedGroup(app.feed)
        app.feed.start()
        await app.answers.put(AuthenticationError("The API key was rejected"))
        await wait_until(pilot, lambda: len(app.seen) == 1)
        failed = app.seen[0]
        assert isinstance(failed, NumbersFailed) and failed.needs_login
        assert failed.retry_at is None and scheduler.next_delay_of("numbers") is None
        group.hold()
        group.release()
        assert app.feed.retry_later(KunaError("not logged in")) >= 5
        group.pause()
        assert group.paused and scheduler.next_delay_of("numbers") is None
        group.resume()
        await pilot.pause()
        assert app.calls == 2 and not group.paused


def test_age_is_never_negative_and_no_value_is_never_stale() -> None:
    now = datetime(2026, 11, 25, 12, 0, 0)
    state: FeedState[int] = FeedState()
    assert state.age(now) is None and not state.is_stale(now, max_age=0)
    later = FeedState(value=1, received_at=now + timedelta(seconds=3))
    assert later.age(now) == 0.0
