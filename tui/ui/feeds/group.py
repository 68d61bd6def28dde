"""Every feed of a screen at once: what pause, a login and `r` do to all of them."""

from __future__ import annotations

from collections.abc import Iterator

from tui.ui.feeds.feed import Feed


class FeedGroup:
    """The feeds of one screen. `p` pauses them all, a login holds them all, `r` calls
    them all; each keeps its own interval, backoff and call in flight."""

    def __init__(self, *feeds: Feed[object]) -> None:
        self._feeds: list[Feed[object]] = list(feeds)

    def add(self, feed: Feed[object]) -> None:
        """Add a feed (started by its owner)."""
        self._feeds.append(feed)

    def __iter__(self) -> Iterator[Feed[object]]:
        return iter(self._feeds)

    @property
    def paused(self) -> bool:
        """True while the automatic calls are paused."""
        return any(feed.paused for feed in self._feeds)

    def refresh_now(self) -> None:
        """Call every feed now (one in flight each: a busy feed calls again after)."""
        for feed in self._feeds:
            feed.refresh_now()

    def pause(self) -> None:
        """Stop every feed's automatic calls."""
        for feed in self._feeds:
            feed.pause()

    def resume(self) -> None:
        """Restart every feed, each with a call now."""
        for feed in self._feeds:
            feed.resume()

    def hold(self) -> None:
        """No automatic call by any feed until `release` (a login screen is open)."""
        for feed in self._feeds:
            feed.hold()

    def release(self) -> None:
        """End the hold of every feed; the owner then says what each does."""
        for feed in self._feeds:
            feed.release()
