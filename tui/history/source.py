"""Under which base URL the history of a session is recorded."""

from __future__ import annotations

#: The base URL recorded for --demo, whose sandbox listens on a new port at each start.
DEMO_SOURCE = "sandbox:demo"


def history_source(base_url: str, *, demo: bool) -> str:
    """The base URL under which history is recorded (the demo's sandbox: one fixed name)."""
    return DEMO_SOURCE if demo else base_url
