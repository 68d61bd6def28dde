"""The refresh cycle's state: one request at a time, the next scheduled when it ends.

Pure logic (no Textual), driven by the dashboard: it says when to start a fetch and
is told how the fetch ended. Kept apart so that the rules that matter most for an
all-day dashboard (never two requests in flight, never a request before Retry-After,
pause, a hold while the login screen is open) are small and tested on their own.
"""

from __future__ import annotations

from collections.abc import Callable

from tui.api.errors import KunaError
from tui.ui.refresh import Cancellable, RefreshPolicy, Scheduler


class RefreshLoop:
    """Decides when `start_fetch` runs. The caller reports each end with `succeeded`/`failed`."""

    def __init__(
        self,
        policy: RefreshPolicy,
        scheduler: Scheduler,
        start_fetch: Callable[[], None],
        *,
        name: str = "balances",
    ) -> None:
        self.policy = policy
        #: The feed this loop times, named to the scheduler (tests tell feeds apart by it).
        self.name = name
        self._scheduler = scheduler
        self._start_fetch = start_fetch
        self._timer: Cancellable | None = None
        self.in_flight = False
        self.paused = False
        #: Held while the login screen is open over the dashboard: no automatic fetch.
        self.held = False
        self._again = False

    def refresh_now(self) -> None:
        """Fetch now; if a request is in flight, once more right after it (never two)."""
        if self.in_flight:
            self._again = True
            return
        self._cancel_timer()
        self.in_flight = True
        self._start_fetch()

    def schedule(self, delay: float) -> None:
        """Fetch `delay` seconds from now (a first fetch that may wait); nothing while a
        fetch is in flight, paused or held."""
        if not self.in_flight:
            self._next(delay)

    def succeeded(self) -> None:
        """The fetch ended well: next one after the interval."""
        self.in_flight = False
        self._next(self.policy.after_success())

    def failed(self, error: KunaError) -> float:
        """The fetch failed: next one after the backoff (or Retry-After); returns the delay."""
        self.in_flight = False
        delay = self.policy.after_failure(error)
        self._next(delay)
        return delay

    def ended_without_schedule(self) -> None:
        """The fetch ended and the caller decides what follows (the login screen opens)."""
        self.in_flight = False

    def pause(self) -> None:
        """Stop the automatic refresh; `refresh_now` still fetches once."""
        self.paused = True
        self._cancel_timer()

    def resume(self) -> None:
        """Restart the automatic refresh, with a fetch now."""
        self.paused = False
        self.refresh_now()

    def hold(self) -> None:
        """No automatic fetch until `release` (the credentials are being asked for again)."""
        self.held = True
        self._cancel_timer()

    def release(self) -> None:
        """End the hold; the caller then says what comes next (`refresh_now`, `succeeded`...)."""
        self.held = False

    def step_interval(self, steps: int) -> float:
        """Lengthen or shorten the interval; a normal wait restarts with the new one."""
        before = self.policy.interval
        interval = self.policy.step_interval(steps)
        if interval != before and self._timer is not None and self.policy.failures == 0:
            self._cancel_timer()
            self._next(interval)
        return interval

    def _next(self, delay: float) -> None:
        if self._again:
            self._again = False
            self.refresh_now()
            return
        if self.paused or self.held:
            return
        self._cancel_timer()
        self._timer = self._scheduler.call_later(delay, self.refresh_now, feed=self.name)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
