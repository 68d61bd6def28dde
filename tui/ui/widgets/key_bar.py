"""The key bar: the keys of the screen's shown bindings on one line, as Textual's Footer.

Textual's Footer makes a widget per key and builds them again whenever the bindings
change (each time the focus moves), after the screen has been drawn: at start-up that
costs the dashboard a whole extra layout and frame before the balances appear. One line
of text, drawn again when the bindings change, does the same job. A click on a key
presses it, as in the Footer. Where the line is too narrow for every key, the least
useful are left out whole (never cut mid-word), "…" says so, and `?` Help ends the bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from tui.ui.keys import bar_rank

#: Said where keys were left out for want of room (before `?` Help, which lists them).
LEFT_OUT = " … "
#: The action of the help key, which always ends the bar.
HELP_ACTION = "help"


def fit_keys(entries: Sequence[tuple[int, int]], room: int, mark: int) -> list[int]:
    """Which keys of the bar fit in `room` cells, as indexes in the bar's order.

    `entries`: (cells, rank) of each key in the bar's order; a higher rank is less
    useful (see `tui.ui.keys.bar_rank`). When they do not all fit, the least useful
    (the later of equals first) are left out until the rest fit with the `mark` cells
    that say so; then any left out that fits the room still free comes back, the most
    useful first. A key is shown whole or not at all.
    """
    total = sum(cells for cells, _ in entries)
    if total <= room:
        return list(range(len(entries)))
    by_use = sorted(range(len(entries)), key=lambda i: (entries[i][1], i))
    kept = set(by_use)
    for index in reversed(by_use):
        if total + mark <= room:
            break
        kept.discard(index)
        total -= entries[index][0]
    for index in by_use:
        if index not in kept and total + entries[index][0] + mark <= room:
            kept.add(index)
            total += entries[index][0]
    return sorted(kept)


class _Key(NamedTuple):
    """A key shown in the bar, and where (in cells) it is drawn."""

    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget):
    """The current screen's keys and what they do; the command palette's key on the right."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--disabled {
            color: $footer-foreground 50%;
        }
        & > .key-bar--separator {
            color: $foreground 20%;
        }
        & > .key-bar--hover {
            background: $block-hover-background;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
        "key-bar--separator",
        "key-bar--hover",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[_Key] = []
        self._hover: int | None = None  # the column under the mouse

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Text:
        """The keys in the order of the bindings, `?` Help last, the palette's at the right.

        Where the line is too narrow for every key, the least useful ones (see
        `tui.ui.keys.BAR_ORDER`) are left out whole, and "…" before Help says so: a key
        is never cut mid-word, and Help, which lists them all, always stays.
        """
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled_style = self.get_component_rich_style("key-bar--disabled")
        app = self.app
        active = self.screen.active_bindings
        entries: list[tuple[Text, str, bool, str]] = []
        help_entry: tuple[Text, str, bool, str] | None = None
        shown_actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            # One entry per action, as the Footer: "+" and "=" both step the interval.
            if not binding.show or binding.action in shown_actions:
                continue
            if app.ENABLE_COMMAND_PALETTE and binding.key == app.COMMAND_PALETTE_BINDING:
                continue
            shown_actions.add(binding.action)
            label = Text.assemble(
                (f" {app.get_key_display(binding)} ", key_style if enabled else disabled_style),
                (f"{binding.description} ", description_style if enabled else disabled_style),
            )
            entry = (label, binding.key, enabled, binding.action)
            if binding.action == HELP_ACTION:
                help_entry = entry
            else:
                entries.append(entry)
        tail = [help_entry] if help_entry is not None else []
        room = self.size.width - sum(label.cell_len for label, *_ in tail)
        sizes = [(label.cell_len, bar_rank(action)) for label, _, _, action in entries]
        kept = fit_keys(sizes, room, len(LEFT_OUT))
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        keys: list[_Key] = []
        for index in kept:
            label, key, enabled, _ = entries[index]
            keys.append(_Key(text.cell_len, text.cell_len + label.cell_len, key, enabled))
            text.append_text(label)
        if len(kept) < len(entries):
            text.append(LEFT_OUT, self.get_component_rich_style("key-bar--separator"))
        for label, key, enabled, _ in tail:
            keys.append(_Key(text.cell_len, text.cell_len + label.cell_len, key, enabled))
            text.append_text(label)
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if palette is not None and len(kept) == len(entries):
            _node, binding, enabled, _tooltip = palette
            label = Text.assemble(
                ("▏", self.get_component_rich_style("key-bar--separator")),
                (app.get_key_display(binding), key_style),
                (f" {binding.description} ", description_style),
            )
            gap = self.size.width - text.cell_len - label.cell_len
            if gap >= 1:
                text.append(" " * gap)
                keys.append(
                    _Key(text.cell_len, text.cell_len + label.cell_len, binding.key, enabled)
                )
                text.append_text(label)
        self._keys = keys
        hovered = self._key_under(self._hover)
        if hovered is not None and hovered.enabled:
            text.stylize(
                self.get_component_rich_style("key-bar--hover"), hovered.start, hovered.end
            )
        return text

    def _key_under(self, x: int | None) -> _Key | None:
        if x is None:
            return None
        return next((key for key in self._keys if key.start <= x < key.end), None)

    def key_at(self, x: int) -> str | None:
        """The key drawn at column `x`, if any."""
        key = self._key_under(x)
        return key.key if key is not None else None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._key_under(event.x) is not self._key_under(self._hover):
            self.refresh()
        self._hover = event.x

    def on_leave(self, event: events.Leave) -> None:
        self._hover = None
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        key = self._key_under(event.x)
        if key is None:
            return
        if not key.enabled:
            self.app.bell()
            return
        # A binding of several keys ("plus,equals_sign"): press the first one.
        self.app.simulate_key(key.key.split(",")[0])
