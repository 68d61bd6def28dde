"""When to ask for balances next: the interval, exponential backoff, and Retry-After.

The policy is pure logic, so that the timing rules are tested exactly; the dashboard
asks a Scheduler to wait, so that tests can stand a hand-moved clock in for real time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tui.api.errors import KunaError, RateLimitedError, ServerError
from tui.config.values import MAX_INTERVAL, MIN_INTERVAL

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

MAX_BACKOFF = 60.0
#: After an error that will not heal by itself (a 404, an unknown wallet: `is_lasting`),
#: ask again this seldom (seconds): the settings must change, so a fast retry only adds load.
LASTING_RETRY = 120.0
#: The intervals `+` and `-` step through, in seconds.
INTERVAL_STEPS = (1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0)


@dataclass
class RefreshPolicy:
    """Decides the delay before the next refresh.

    After a success: the interval. After failures: the interval doubled per failure in
    a row, with jitter so that many clients do not retry in step, capped at
    `max_backoff`. A server's Retry-After is honoured exactly: never earlier.
    """

    interval: float = 5.0
    max_backoff: float = MAX_BACKOFF
    failures: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.interval = min(MAX_INTERVAL, max(MIN_INTERVAL, self.interval))

    def after_success(self) -> float:
        """Delay after a good answer; resets the backoff."""
        self.failures = 0
        return self.interval

    def after_failure(self, error: KunaError) -> float:
        """Delay after a failed refresh."""
        self.failures += 1
        retry_after = retry_after_of(error)
        if retry_after is not None:
            # The server said when: ask again then, not before, and not needlessly later.
            return max(self.interval, retry_after)
        if is_lasting(error):
            return max(self.interval, LASTING_RETRY)
        base = min(self.max_backoff, self.interval * 2 ** min(self.failures - 1, 16))
        # "Equal jitter": between half and all of the backoff, never below the interval.
        return max(self.interval, base / 2 + self.rng.uniform(0, base / 2))

    def step_interval(self, steps: int) -> float:
        """Move the interval `steps` places along INTERVAL_STEPS (longer when positive)."""
        current = self.interval
        if steps > 0:
            longer = [s for s in INTERVAL_STEPS if s > current]
            target = longer[min(steps, len(longer)) - 1] if longer else current
        else:
            shorter = [s for s in INTERVAL_STEPS if s < current]
            target = shorter[-min(-steps, len(shorter))] if shorter else current
        return self.set_interval(target)

    def set_interval(self, seconds: float) -> float:
        """Change the interval (within MIN_INTERVAL..MAX_INTERVAL) and return the value in force."""
        self.interval = min(MAX_INTERVAL, max(MIN_INTERVAL, seconds))
        return self.interval


def is_lasting(error: KunaError) -> bool:
    """True for an error that asking again will not cure: the settings must change (a
    wrong base URL's 404, an unknown wallet, a request the server finds invalid)."""
    return isinstance(error, ServerError) and error.lasting


def retry_after_of(error: KunaError) -> float | None:
    """The Retry-After delay an error carries, if any (429, or 503 with the header)."""
    if isinstance(error, RateLimitedError | ServerError):
        return error.retry_after
    return None


class Cancellable(Protocol):
    """A scheduled call that can be called off."""

    def stop(self) -> None:
        """Call it off (nothing happens if it already ran)."""


class Scheduler(Protocol):
    """Runs a callback after a delay. The dashboard's only source of refresh timing,

    so that tests replace real time with a clock they move by hand.
    """

    def call_later(
        self, delay: float, callback: Callable[[], object], *, feed: str = "balances"
    ) -> Cancellable:
        """Run `callback` once, `delay` seconds from now, for the feed named `feed`."""
        ...


class TimerScheduler:
    """The real scheduler: Textual timers on `node` (stopped when the node goes away)."""

    def __init__(self, node: MessagePump) -> None:
        self._node = node

    def call_later(
        self, delay: float, callback: Callable[[], object], *, feed: str = "balances"
    ) -> Cancellable:
        """Run `callback` after `delay` seconds."""
        return self._node.set_timer(delay, callback, name=f"next-{feed}")
