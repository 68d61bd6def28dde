"""What the app said and what the server answered, kept whole for the messages view (`l`).

One-line bars cut their text with "…" and toasts go after a few seconds; the messages
view (tui/ui/screens/messages.py) shows it all again, whole. This is its memory: the
last failures of each feed in the server's own words (a run of the same failure is one
entry with a count), when a feed answered again, and the recent notifications with
their whole text (the toast may have cut a server name short).

In memory only, bounded (`MAX_ENTRIES` of each kind): nothing reaches the disk. Kept
free of Textual, so that the app's start-up pays only for this small module.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime

#: How many errors, and how many notifications, are remembered (the oldest go first).
MAX_ENTRIES = 100


@dataclass(frozen=True)
class ErrorEntry:
    """A failure of `source` (a feed's name: "balances", "rates"...), or its end.

    `message` is the server's words as the client reported them (`KunaError.message`),
    not yet cleaned for the screen; "" with `recovered` for "answered again". A run of
    the same failure is one entry: `first_at` is when it began, `at` the latest,
    `count` how many times it came.
    """

    at: datetime
    source: str
    message: str
    first_at: datetime
    count: int = 1
    recovered: bool = False


@dataclass(frozen=True)
class NoticeEntry:
    """A notification as it was raised: when, its title, severity ("information",
    "warning", "error") and its whole text (with nothing cut: `whole` of `notify`).
    `amounts`: the text holds amounts, hidden in the view while amounts are (`h`)."""

    at: datetime
    title: str
    message: str
    severity: str = "information"
    amounts: bool = False


class MessageLog:
    """The app's recent errors and notifications, newest last, at most `MAX_ENTRIES` each."""

    def __init__(self, limit: int = MAX_ENTRIES) -> None:
        self.errors: deque[ErrorEntry] = deque(maxlen=limit)
        self.notices: deque[NoticeEntry] = deque(maxlen=limit)
        #: Sources whose last call failed (an answer then is logged as a recovery).
        self._failing: set[str] = set()

    def failed(self, source: str, message: str, at: datetime) -> None:
        """`source` failed with `message` at `at`; the same failure again counts."""
        self._failing.add(source)
        last = next((entry for entry in reversed(self.errors) if entry.source == source), None)
        if last is not None and not last.recovered and last.message == message:
            self.errors.remove(last)
            self.errors.append(replace(last, at=at, count=last.count + 1))
            return
        self.errors.append(ErrorEntry(at, source, message, first_at=at))

    def answered(self, source: str, at: datetime) -> None:
        """`source` answered at `at`: logged only after a failure (cheap otherwise)."""
        if source not in self._failing:
            return
        self._failing.discard(source)
        self.errors.append(ErrorEntry(at, source, "", first_at=at, recovered=True))

    def notified(
        self,
        message: str,
        at: datetime,
        *,
        title: str = "",
        severity: str = "information",
        amounts: bool = False,
    ) -> None:
        """A notification was raised (`message` whole, nothing cut)."""
        self.notices.append(NoticeEntry(at, title, message, severity, amounts))
