"""One live feed: a client call on a schedule, the state of its data, typed messages.

A `Feed` owns a `RefreshLoop` (when to call: the interval, backoff, Retry-After, pause,
never two calls in flight), runs each call in a Textual worker on its host (the screen
that shows the data), keeps a `FeedState` (the last good value, when it came, the last
error, when the next attempt is due) and posts the feed's own `Loaded` or `Failed`
message to the host. The host only routes those messages to widgets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Generic, NamedTuple, TypeVar

from textual.message import Message

from tui.api.errors import AuthenticationError, KeyRejectedError, KunaError
from tui.ui.refresh import RefreshPolicy, Scheduler, TimerScheduler
from tui.ui.refresh_loop import RefreshLoop

if TYPE_CHECKING:
    from textual.dom import DOMNode

T = TypeVar("T")


class FeedState(NamedTuple, Generic[T]):
    """What a feed knows about its data; replaced whole at each change.

    `value` is the last good answer (None before the first one) and `received_at` when
    it came. `error` is the last failure's, None once an answer came after it; while it
    is set the value is stale. `retry_at` is when the next attempt after a failure is
    due (None while the feed waits for its owner, e.g. for a login). `asked_at` is
    when the call now in flight began (None: no call in flight).
    """

    value: T | None = None
    received_at: datetime | None = None
    error: KunaError | None = None
    failed_at: datetime | None = None
    retry_at: datetime | None = None
    asked_at: datetime | None = None

    def overdue(self, now: datetime, interval: float) -> float | None:
        """Seconds the call in flight has been waiting, once that is longer than
        `interval` (the data is then older than "live" promises); None otherwise.

        A status must not say "live" while this is set: the server has not answered
        for longer than the refresh interval, whatever the last answer said.
        """
        if self.asked_at is None:
            return None
        waited = max(0.0, (now - self.asked_at).total_seconds())
        return waited if waited > interval else None

    def age(self, now: datetime) -> float | None:
        """Seconds since the value came (None: no value yet); never negative."""
        if self.received_at is None:
            return None
        return max(0.0, (now - self.received_at).total_seconds())

    def is_stale(self, now: datetime, max_age: float | None = None) -> bool:
        """True when the value cannot be trusted as current: the last call failed, or
        the value is older than `max_age` seconds (None: no age limit)."""
        if self.value is None:
            return False
        if self.error is not None:
            return True
        age = self.age(now)
        return max_age is not None and age is not None and age > max_age


class FeedLoaded(Message, Generic[T]):
    """A call of `feed` answered: `value` as of `received_at`. Subclassed once per feed,
    so that each feed's answers have their own handler (`on_balances_loaded`...)."""

    def __init__(self, feed: Feed[T], value: T, received_at: datetime) -> None:
        super().__init__()
        self.feed = feed
        self.value = value
        self.received_at = received_at

    @property
    def about(self) -> str | None:
        """What the call asked about, for a feed whose question changes (the asset, for
        the deposit methods feed); None for a feed that always asks the same."""
        return None


class FeedFailed(Message):
    """A call of `feed` failed with `error` at `failed_at`; its last good value stays.

    `retry_at` is when the feed tries again by itself; None when it does not (the
    credentials were refused: `needs_login`, and the owner decides what follows).
    """

    def __init__(
        self,
        feed: Feed[object],
        error: KunaError,
        failed_at: datetime,
        retry_at: datetime | None,
    ) -> None:
        super().__init__()
        self.feed = feed
        self.error = error
        self.failed_at = failed_at
        self.retry_at = retry_at

    @property
    def needs_login(self) -> bool:
        """True when the credentials were refused: the feed waits for a new login.

        A rejected API key is not such a refusal: the feed retries it at the backoff's
        pace (see `waits_for_login`)."""
        return waits_for_login(self.error)

    @property
    def about(self) -> str | None:
        """What the failed call asked about, as `FeedLoaded.about` (None: the same as
        every call of the feed)."""
        return None


def waits_for_login(error: KunaError) -> bool:
    """True for an error after which a feed stops until the user logs in again: refused
    email and password. A rejected API key (`KeyRejectedError`) may be a gateway's
    hiccup or a key the operator re-enables: the feed keeps trying and recovers."""
    return isinstance(error, AuthenticationError) and not isinstance(error, KeyRejectedError)


class Feed(Generic[T]):
    """A client call made on a schedule, one at a time, whose results are posted to `host`.

    Subclasses name the feed and its two messages; `call` makes one request and returns
    the parsed answer (raising `KunaError` on failure). A bug in `call` (any other
    exception) is reported as a failure too, so that it never stops the feed silently.
    """

    #: A short name, for the worker group and logs ("balances", "rates").
    name: ClassVar[str] = "feed"
    #: The message posted with each answer (a subclass of FeedLoaded).
    Loaded: ClassVar[type[FeedLoaded]] = FeedLoaded  # type: ignore[type-arg]
    #: The message posted with each failure (a subclass of FeedFailed).
    Failed: ClassVar[type[FeedFailed]] = FeedFailed

    def __init__(
        self,
        host: DOMNode,
        call: Callable[[], Awaitable[T]],
        *,
        interval: float,
        clock: Callable[[], datetime],
        scheduler: Scheduler | None = None,
    ) -> None:
        self._host = host
        self._call = call
        self._clock = clock
        self.loop = RefreshLoop(
            RefreshPolicy(interval=interval),
            scheduler or TimerScheduler(host),
            self._start,
            name=self.name,
        )
        self.state: FeedState[T] = FeedState()
        # Bumped by `restart`: an answer to an older question is not shown.
        self._generation = 0

    # What the owner asks ------------------------------------------------------------

    @property
    def interval(self) -> float:
        """Seconds between calls while they succeed."""
        return self.loop.policy.interval

    @property
    def paused(self) -> bool:
        """True while the automatic calls are paused (`refresh_now` still calls)."""
        return self.loop.paused

    def start(self, first: T | None = None, *, delay: float = 0.0) -> None:
        """Begin: with `first`, an answer fetched elsewhere that counts as this call
        (the login's); else with a call now, or `delay` seconds from now."""
        if first is not None:
            self.accept(first)
        elif delay > 0:
            self.loop.schedule(delay)
        else:
            self.refresh_now()

    def accept(self, value: T) -> None:
        """Take `value`, fetched elsewhere, as this feed's answer now (no message posted:
        the owner shows it itself); the next call comes after the interval."""
        self.state = FeedState(value=value, received_at=self._clock())
        self.loop.succeeded()

    def refresh_now(self) -> None:
        """Call now; if a call is in flight, once more right after it (never two)."""
        self.loop.refresh_now()

    def restart(self) -> None:
        """The question changed (another wallet): forget the value, ignore the answer in
        flight, and call again as soon as possible."""
        self._generation += 1
        self.state = FeedState(asked_at=self.state.asked_at)  # a call may still be out
        self.loop.refresh_now()

    def retry_later(self, error: KunaError) -> float:
        """After a failure the owner handled (a login that was cancelled): try again at
        the backoff's pace. Returns the delay in seconds."""
        delay = self.loop.failed(error)
        self.state = self.state._replace(retry_at=self._clock() + timedelta(seconds=delay))
        return delay

    def pause(self) -> None:
        """Stop the automatic calls."""
        self.loop.pause()

    def resume(self) -> None:
        """Restart the automatic calls, with one now."""
        self.loop.resume()

    def hold(self) -> None:
        """No automatic call until `release` (credentials are being asked for)."""
        self.loop.hold()

    def release(self) -> None:
        """End a hold; the owner says what follows (`refresh_now`, `accept`, `retry_later`)."""
        self.loop.release()

    def set_interval(self, seconds: float) -> float:
        """Call every `seconds` from the next call on; returns the interval in force."""
        return self.loop.policy.set_interval(seconds)

    def step_interval(self, steps: int) -> float:
        """Lengthen (steps > 0) or shorten the interval; returns the interval in force."""
        return self.loop.step_interval(steps)

    # One call -------------------------------------------------------------------------

    def _start(self) -> None:
        self.state = self.state._replace(asked_at=self._clock())
        # A function to call, not a coroutine made now: a worker cancelled before its
        # first step would leave that coroutine never awaited (Python warns of it).
        self._host.run_worker(
            partial(self._run, self._generation), group=f"feed-{self.name}", exit_on_error=False
        )

    async def _run(self, generation: int) -> None:
        try:
            value = await self._call()
        except KunaError as error:
            self._failed(generation, error)
            return
        except Exception as error:  # a bug in the call must not stop the feed silently
            self._failed(generation, KunaError(f"Unexpected error: {error!r}"))
            return
        self._loaded(generation, value)

    def _loaded(self, generation: int, value: T) -> None:
        if generation != self._generation:
            self.state = self.state._replace(asked_at=None)  # (the next call sets it again)
            self.loop.succeeded()  # the answer to an older question; `restart` asked again
            return
        now = self._clock()
        self.state = FeedState(value=value, received_at=now)
        self._host.post_message(self.Loaded(self, value, now))
        self.loop.succeeded()

    def _failed(self, generation: int, error: KunaError) -> None:
        now = self._clock()
        if generation != self._generation:
            self.state = self.state._replace(asked_at=None)
            self.loop.failed(error)  # keeps the backoff; `restart` asked again already
            return
        if waits_for_login(error):
            # The owner asks for credentials; nothing is scheduled until it says so.
            self.loop.ended_without_schedule()
            retry_at = None
        else:
            retry_at = now + timedelta(seconds=self.loop.failed(error))
        self.state = self.state._replace(
            error=error, failed_at=now, retry_at=retry_at, asked_at=None
        )
        self._host.post_message(self.Failed(self, error, now, retry_at))
