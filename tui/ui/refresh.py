"""When to ask for balances next: the interval, exponential backoff, and Retry-After.

Pure logic with no Textual import, so that the timing rules are tested exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tui.api.errors import KunaError, RateLimitedError, ServerError

MIN_INTERVAL = 1.0
MAX_BACKOFF = 60.0


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
        self.interval = max(MIN_INTERVAL, self.interval)

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
        base = min(self.max_backoff, self.interval * 2 ** min(self.failures - 1, 16))
        # "Equal jitter": between half and all of the backoff, never below the interval.
        return max(self.interval, base / 2 + self.rng.uniform(0, base / 2))

    def set_interval(self, seconds: float) -> float:
        """Change the interval (1 s at least) and return the value in force."""
        self.interval = max(MIN_INTERVAL, seconds)
        return self.interval


def retry_after_of(error: KunaError) -> float | None:
    """The Retry-After delay an error carries, if any (429, or 503 with the header)."""
    if isinstance(error, RateLimitedError | ServerError):
        return error.retry_after
    return None
