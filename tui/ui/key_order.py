"""Keys from the terminal, handed on one at a time, each to the focus its forerunners left.

Textual sends a key to the widget focused when the app takes the key off its queue, and
acts on Tab, on a screen's bindings (ctrl+l, ctrl+t) and on Enter only once the key has
travelled from that widget up to the app. Keys typed at full speed (a password manager's
auto-type, xdotool, a burst of keystrokes) all reach the app's queue before the first is
acted on, so each went to the widget focused before the burst: the user name, Tab and the
password all into the first field; the keys typed after ctrl+l into the dashboard, or into
the field the login screen focused for a moment before it placed its own focus.

`OrderedKeys` holds the terminal's keys in a queue and hands on the next one only when

- every handler of the one before has run, and every message its handling sent: a
  `KeyHandled` marker is posted to the widget right after the key and bubbles up the same
  way, so it reaches the app after the key; it then goes round once more, behind what
  the key made the widget send (an Input's Submitted, whose handler moves the focus; the
  grid's AssetSelected, which `c` must find handled before it copies an address);
- the screen in front says it is ready for keys (`ready_for_keys()`, a method a screen may
  define: the login screen is not while it mounts or switches tabs, as its focus is not
  placed yet). A screen without the method is ready once it is mounted.

A widget that handles some keys itself, where they land, without moving the focus or
changing the screen (the grid's arrows, a held-down Down), names them in `KEYS_IN_PLACE`:
a run of them goes on together, to the same widget, one behind the other; the key after
the run waits for the run as for any key (`c` after three Downs copies the address of
the row the cursor reached). Waiting for each Down drew a frame per key: 30 Downs in a
burst on a wallet of 2,000 assets took 330-720 ms to show, against about 100 ms handed
on together.

No key waits longer than `HOLD_LIMIT`: a marker lost with its widget (a screen closed by
the key) or a screen that never says it is ready cannot swallow the keyboard.
"""

from __future__ import annotations

from collections import deque
from time import monotonic
from typing import TypeVar

from textual import events
from textual.app import App, ScreenStackError
from textual.dom import DOMNode
from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer

ReturnType = TypeVar("ReturnType")

#: Seconds a key waits at most for the one before it or for the screen (then it goes on).
#: Generous: a loaded machine may take most of a second to put up the login screen, and
#: a key let go too early lands in the wrong field again.
HOLD_LIMIT = 3.0
#: Seconds between two looks at a screen that is not ready for keys yet.
READY_POLL = 0.01
#: Times a key's marker goes round its widget: after the key, then after what the key's
#: handling sent (see the module).
MARKER_ROUNDS = 2


def _in_place(key: events.Key | events.Paste | None, target: MessagePump) -> bool:
    """True for a key that `target` handles itself, moving neither focus nor screen."""
    return isinstance(key, events.Key) and key.key in getattr(target, "KEYS_IN_PLACE", ())


class KeyHandled(Message):
    """Follows a key from the widget it was sent to up to the app: the key is handled.

    `target` is that widget; `rounds` how many times more the marker goes round
    (posted to it again, behind the messages the key's handling sent it)."""

    def __init__(self, target: MessagePump, rounds: int) -> None:
        super().__init__()
        self.target = target
        self.rounds = rounds


class OrderedKeys(App[ReturnType]):
    """An app that hands the terminal's keys on in order, each to the focus of its time."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._keys_waiting: deque[events.Key | events.Paste] = deque()
        # The marker of the key being handled, and since when (monotonic seconds).
        self._key_in_hand: KeyHandled | None = None
        # Since when the next key has been held (monotonic seconds), None: not held.
        self._held_since: float | None = None
        self._key_poll: Timer | None = None
        #: How many keys and pastes have come from the terminal (tests wait on it).
        self.keys_taken = 0

    @property
    def keys_pending(self) -> int:
        """How many keys from the terminal are not handled yet (waiting, or in hand)."""
        return len(self._keys_waiting) + (self._key_in_hand is not None)

    async def on_event(self, event: events.Event) -> None:
        # A key or a paste from the terminal (a forwarded one is on its way up from a
        # widget). A paste waits its turn too: it belongs in the field Tab moved to.
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self.keys_taken += 1
            self._keys_waiting.append(event)
            await self._hand_on_keys()
            return
        await super().on_event(event)

    def _on_key_handled(self, message: KeyHandled) -> None:
        if message is not self._key_in_hand:
            return
        target = message.target
        if message.rounds > 1 and isinstance(target, DOMNode) and target.is_attached:
            self._send_marker(target, message.rounds - 1)
            return
        self._key_in_hand = None
        self.call_later(self._hand_on_keys)

    def _send_marker(self, target: MessagePump, rounds: int) -> None:
        marker = KeyHandled(target, rounds)
        self._key_in_hand = marker
        target.post_message(marker)

    def _ready_for_keys(self) -> bool:
        try:
            screen = self.screen
        except ScreenStackError:
            return False  # no screen yet
        ready = getattr(screen, "ready_for_keys", None)
        return bool(ready()) if callable(ready) else screen.is_mounted

    async def _hand_on_keys(self) -> None:
        """Hand on the waiting keys for as long as nothing holds them."""
        while self._keys_waiting:
            if self._key_in_hand is not None or not self._ready_for_keys():
                now = monotonic()
                if self._held_since is None:
                    self._held_since = now
                if now - self._held_since < HOLD_LIMIT:
                    self._look_again()
                    return
                self._key_in_hand = None  # held too long: on with the keys
            self._held_since = None
            key = self._keys_waiting.popleft()
            # Priority bindings (quit), else sent to the focused widget or the screen.
            await super().on_event(key)
            if key.is_forwarded:
                target = self.focused or self.screen  # where it was sent: nothing ran since
                following = self._keys_waiting[0] if self._keys_waiting else None
                if _in_place(key, target) and _in_place(following, target):
                    continue  # the focus stays: the next key goes to the same widget
                self._send_marker(target, MARKER_ROUNDS)

    def _look_again(self) -> None:
        """Try the waiting keys again soon (a marker's arrival also does, sooner)."""
        if self._key_poll is None:

            def poll() -> None:
                self._key_poll = None
                self.call_later(self._hand_on_keys)

            self._key_poll = self.set_timer(READY_POLL, poll, name="key order")
