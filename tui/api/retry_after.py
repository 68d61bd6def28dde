"""Retry-After: how long a server asks us to wait, in every form HTTP allows, capped.

RFC 9110 allows delay-seconds or an HTTP date, and a date in any of three forms:
IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
(`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`). All three
are GMT. A wait is never longer than MAX_RETRY_AFTER: a date in 2099 must not stop the
refresh for 72 years; the caller says in the status that the wait was capped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

#: The longest wait honoured, in seconds (10 minutes).
MAX_RETRY_AFTER = 600.0

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)"
_LONG_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_TIME = r"(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})"
_MON = r"(?P<mon>[a-z]{3})"
_FORMS = (
    # IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    re.compile(rf"{_DAY},\s+(?P<d>\d{{1,2}})\s+{_MON}\s+(?P<y>\d{{4}})\s+{_TIME}\s+gmt"),
    # RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
    re.compile(rf"{_LONG_DAY},\s+(?P<d>\d{{1,2}})-{_MON}-(?P<y>\d{{2}})\s+{_TIME}\s+gmt"),
    # asctime: Sun Nov  6 08:49:37 1994
    re.compile(rf"{_DAY}\s+{_MON}\s+(?P<d>\d{{1,2}})\s+{_TIME}\s+(?P<y>\d{{4}})"),
)


@dataclass(frozen=True)
class RetryAfter:
    """A Retry-After header read: the wait in seconds, and whether it was cut to the cap.

    `asked` is what the server asked for (seconds), for the status line.
    """

    seconds: float
    capped: bool = False
    asked: float = 0.0

    def cap_note(self) -> str:
        """What the status says of a capped wait: "the server asked to wait 72 years;
        waiting at most 10 min"."""
        return f"the server asked to wait {_span(self.asked)}; waiting at most 10 min"


def parse_retry_after(value: str | None, now: float) -> RetryAfter | None:
    """The wait a Retry-After header asks for, from `now` (Unix seconds); None if unreadable.

    Delay-seconds (fractions and a leading "+" tolerated) or an HTTP date in any of its
    three forms; a date in the past means now. Waits are capped at MAX_RETRY_AFTER.
    """
    if value is None:
        return None
    text = value.strip()
    seconds = _delay_seconds(text)
    if seconds is None:
        when = http_date(text)
        if when is None:
            return None
        seconds = when - now
    seconds = max(0.0, seconds)
    if seconds > MAX_RETRY_AFTER:
        return RetryAfter(MAX_RETRY_AFTER, capped=True, asked=seconds)
    return RetryAfter(seconds, asked=seconds)


def _delay_seconds(text: str) -> float | None:
    if not re.fullmatch(r"\+?\d+(?:\.\d+)?", text):
        return None
    return float(text)


def http_date(text: str) -> float | None:
    """Unix time of an HTTP date in any of the three forms; None when it is none of them."""
    lowered = text.lower()
    for number, form in enumerate(_FORMS):
        match = form.fullmatch(lowered)
        if match is None:
            continue
        month = _MONTHS.get(match["mon"])
        if month is None:
            return None
        year = int(match["y"])
        if number == 1:
            # A two-digit year (RFC 850): RFC 9110 reads one more than 50 years ahead as
            # the past century; near enough, 00-49 are this century.
            year += 2000 if year < 50 else 1900
        try:
            when = datetime(
                year,
                month,
                int(match["d"]),
                int(match["h"]),
                int(match["m"]),
                min(int(match["s"]), 59),  # a leap second
                tzinfo=UTC,
            )
        except ValueError:
            return None  # the 31st of February, hour 25...
        return when.timestamp()
    return None


def _span(seconds: float) -> str:
    """A long wait in words: "72 years", "3 days", "2 hours", "45 min"."""
    for unit, size in (("years", 365.25 * 86400), ("days", 86400.0), ("hours", 3600.0)):
        if seconds >= 2 * size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds / 60:.0f} min"
