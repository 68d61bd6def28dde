"""Which live feeds the benchmark's "every feed on" rows turn on, and how.

Each feed the dashboard can run beside the balances is listed with the command-line
flags (and settings) that turn it on. The rows with every feed on start wallet-tui with
all of them, and count the requests each feed made during the measure, so that a feed
that did not run shows up in the table instead of flattering the figure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeedSwitch:
    """One feed: its name in the table, the API path it polls, and the flags it needs."""

    name: str
    path: str
    flags: tuple[str, ...] = ()


#: The balances: always on.
BALANCES = FeedSwitch("balances", "/v2/balance")
#: Every feed beside the balances, as the issues that add them land. (The operations
#: feed has no switch: it runs in every row. The balance history is no feed of its own,
#: it records each balance answer; it is on by default, so in every row, its database in
#: the benchmark's scratch folder: `tmux.app_environment`.)
EXTRA_FEEDS: tuple[FeedSwitch, ...] = (
    # The rates for the Value column and the wallet's total: on with a quote currency.
    FeedSwitch("rates", "/v2/rate/equivalent", ("--quote", "USD")),
    # The operations (pending summary, hold explanations): always on, no flag, so the
    # rows without "every feed" count its requests too (shown beside their figure).
    FeedSwitch("operations", "/v2/operation/find"),
)


def every_feed_flags() -> list[str]:
    """The flags that turn on every feed."""
    return [flag for feed in EXTRA_FEEDS for flag in feed.flags]


def feed_names() -> str:
    """The feeds of the "every feed on" rows, for the table ("balances, rates...")."""
    return ", ".join(feed.name for feed in (BALANCES, *EXTRA_FEEDS))
