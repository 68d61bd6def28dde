"""The detail pane: the selected asset at full precision, and every network it can be
deposited on, with its address (or "no address yet"), memo, minimum, maximum and fee.

Server text is shown as Rich `Text` (never markup) and passed through `clean_text`
once more here, so that no model, however it was built, can put a control
character on the screen. Long addresses and memos wrap; nothing is cut. The pane
fetches nothing: the dashboard hands it the balance and a `NetworkView` (or the
function that works it out).

The pane's parts have modules of their own: the amounts, values and pending
operations (detail_amounts.py), the network cards (network_cards.py), the sparkline
(trend_view.py) and the QR codes (qr_pair.py, qr_code.py). They, and the networks'
modules (`tui.ui.deposit_networks`, `tui.api.deposits`), are imported when the parts are
mounted, just after the dashboard's first frame, not at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from tui.api.models import AssetBalance, DepositAddress
from tui.api.text import clean_text
from tui.ui.terminal_text import full_glyphs
from tui.ui.widgets.quiet_update import show_text

if TYPE_CHECKING:
    from tui.api.deposits import MEMO_WARNING
    from tui.api.operations import Operation
    from tui.history.series import Trend
    from tui.ui.deposit_networks import NetworkEntry, NetworkView
    from tui.ui.widgets.detail_amounts import (
        MASK,
        AssetRate,
        render_amounts,
        render_pending,
        render_rate,
        render_values,
    )
    from tui.ui.widgets.network_cards import (
        TAG_INSIDE_NOTE,
        NetworkCard,
        render_card,
        render_heading,
        render_limits,
        render_title,
    )

# The parts' names stay importable from here, where they were first defined (those of
# `_LATER` at first use, see `__getattr__`).
__all__ = [
    "MASK",
    "MEMO_WARNING",
    "QR_DELAY_SECONDS",
    "QR_MIN_WIDTH",
    "TAG_INSIDE_NOTE",
    "AssetRate",
    "DetailPane",
    "NetworkCard",
    "render_amounts",
    "render_card",
    "render_heading",
    "render_limits",
    "render_pending",
    "render_rate",
    "render_title",
    "render_values",
]

#: Names exported from the modules of the pane's parts, imported at first use: the
#: dashboard's first frame draws none of them (name -> module).
_LATER = {
    "MASK": "tui.ui.widgets.detail_amounts",
    "AssetRate": "tui.ui.widgets.detail_amounts",
    "render_amounts": "tui.ui.widgets.detail_amounts",
    "render_pending": "tui.ui.widgets.detail_amounts",
    "render_rate": "tui.ui.widgets.detail_amounts",
    "render_values": "tui.ui.widgets.detail_amounts",
    "MEMO_WARNING": "tui.api.deposits",
    "TAG_INSIDE_NOTE": "tui.ui.widgets.network_cards",
    "NetworkCard": "tui.ui.widgets.network_cards",
    "render_card": "tui.ui.widgets.network_cards",
    "render_heading": "tui.ui.widgets.network_cards",
    "render_limits": "tui.ui.widgets.network_cards",
    "render_title": "tui.ui.widgets.network_cards",
}


def __getattr__(name: str) -> object:
    """A name of `_LATER`, from its module (PEP 562: only names not defined here)."""
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def _addresses_view(balance: AssetBalance | None) -> NetworkView:
    """The networks `/v2/balance` lists for `balance`: its addresses, limits unknown."""
    from tui.ui.deposit_networks import NetworkEntry, NetworkView  # (see `DetailPane.view`)

    addresses = balance.deposit_addresses if balance else ()
    return NetworkView(tuple(NetworkEntry(a.network, a, None) for a in addresses))


#: Below this terminal width the QR codes are not drawn (they would squeeze the addresses).
QR_MIN_WIDTH = 110
#: Lines the amounts' column leaves to the cards under it (wide layout), when short.
CARDS_KEPT_LINES = 8
#: The sparkline's state between another asset's selection and its trend's arrival.
LOADING = object()
#: How long after the pane's first layout its parts are mounted (`DetailPane.on_show`).
PARTS_DELAY_SECONDS = 0.02
#: How long after a new selection its QR codes are drawn (see `DetailPane._show_qr`).
QR_DELAY_SECONDS = 0.1


#: The styles of the pane's parts (tui/ui/widgets/detail_parts.tcss).
PARTS_CSS = Path(__file__).with_name("detail_parts.tcss").read_text(encoding="utf-8")


class DetailBody(Horizontal):
    """The pane's columns under its title: amounts, network cards, QR codes (stacked
    when the dashboard's body is `-wide`).

    Its default CSS, unscoped, styles every part of the pane: Textual parses a widget's
    default CSS when the widget is first mounted, here just after the dashboard's first
    frame instead of before it (about 2 ms, and fewer rules to match in that frame)."""

    SCOPED_CSS = False
    DEFAULT_CSS = PARTS_CSS


class DetailPane(Vertical):
    """Follows the grid's cursor and shows one asset in full, with every deposit network."""

    # The address cards keep a readable width: a long address from the server makes a
    # huge QR code (or a long "enlarge the terminal" note) beside them, which must not
    # squeeze the address itself, the thing to read and copy, into a sliver.
    DEFAULT_CSS = """
    DetailPane { height: auto; }
    DetailPane #detail-networks { min-width: 28; }
    DetailPane .networks-note { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.balance: AssetBalance | None = None
        #: The networks shown (`view`), or the function that works them out.
        self._view: NetworkView | Callable[[], NetworkView] = partial(_addresses_view, None)
        self.selected_network: str | None = None
        self.masked = False
        #: The rate the asset shown is valued at (None: no values shown), and the time.
        self.rate: AssetRate | None = None
        self._now: datetime | None = None
        self._qr_timer: Timer | None = None
        #: The asset's operations not settled yet (what its hold balance is made of).
        self.pending: tuple[Operation, ...] = ()
        self._zone: tzinfo | None = None
        self._trend: tuple[Trend | None, str] | None = None
        #: What the sparkline shows while there is no trend (`_draw_trend`): nothing (no
        #: asset), LOADING, or the reason it is unavailable.
        self._no_trend: str | object | None = None
        #: What the pane says where it shows no QR codes at all: when the dashboard is
        #: narrower than QR_MIN_WIDTH, or the terminal cannot show the code's blocks (a
        #: code of look-alikes would not scan).
        self.qr_hint = (
            f"QR codes: widen the terminal to {QR_MIN_WIDTH} columns."
            if full_glyphs()
            else "QR codes need a UTF-8 terminal: set LANG to a UTF-8 locale (e.g. C.UTF-8)."
        )
        #: True once the pane's parts are mounted (`on_show`); until then the methods
        #: below only keep what to show.
        self.built = False
        self._building = False

    def compose(self) -> ComposeResult:
        # Nothing yet: the parts (some fifteen widgets) are mounted just after the
        # dashboard's first frame (`on_show`), so that the balances reach the screen
        # without waiting for their styles, layout and drawing.
        yield from ()

    def on_show(self) -> None:
        """The first time the pane is laid out (the frame is on its way out): mount the
        parts a moment later and draw what the pane was given so far."""
        if self.built or self._building:
            return
        self._building = True
        # Textual's writer thread sends the frame to the terminal, and it needs the
        # interpreter to do so: mounting right away held it, and on a busy machine the
        # frame with the balances reached the terminal tens of milliseconds late.
        self.set_timer(PARTS_DELAY_SECONDS, self._build, name="detail pane parts")

    async def _build(self) -> None:
        await self.mount_all(self._parts())
        if not self.query("#detail-pending"):
            # The screen or the app closed meanwhile (quit the moment the balances
            # showed): Textual mounted nothing, and there is nothing to draw on.
            return
        self.built = True
        self._redraw()

    def _parts(self) -> list[Widget]:
        # The parts' modules are loaded here, just after the first frame (not at start).
        from tui.ui.widgets.qr_pair import QRPair
        from tui.ui.widgets.room_scroll import RoomScroll
        from tui.ui.widgets.trend_view import TrendView

        # The amounts' column and the network cards scroll where the pane has fewer
        # lines than they need (RoomScroll), never cut at its bottom edge unmarked.
        left = RoomScroll(
            Static(id="detail-amounts"),
            # Right under the amounts, before the values: what the hold balance is
            # made of must not be the part a short terminal cuts off.
            Static(id="detail-pending"),
            Static(id="detail-values"),
            TrendView(id="detail-trend"),
            # In the wide layout the cards stand under it: a card's worth of lines
            # stays theirs (an address and its minimum, and a line of the next).
            leave=CARDS_KEPT_LINES,
            id="detail-left",
        )
        return [
            Static(Text("No asset selected", style="dim"), id="detail-title"),
            # Under the title, where a tall pane cannot push it out of sight.
            Static(Text(self.qr_hint, style="dim"), id="qr-hint"),
            DetailBody(
                left, RoomScroll(id="detail-networks"), QRPair(id="detail-qr"), id="detail-body"
            ),
        ]

    def _redraw(self) -> None:
        """Draw everything kept so far (once the parts are mounted)."""
        self._draw_title()
        self._draw_pending()
        self._render_amounts(trend=False)
        self._draw_trend()
        self._rebuild_networks()
        self._show_qr()

    @property
    def view(self) -> NetworkView:
        """The networks of the asset shown: entries, a note about their limits, statuses.

        Worked out at first use when `show_asset` was given a function: before the
        parts are mounted nothing needs it, and its modules stay off the first frame's
        path."""
        if callable(self._view):
            self._view = self._view()
        return self._view

    @property
    def entries(self) -> tuple[NetworkEntry, ...]:
        """Every network of the asset shown: with an address or not yet."""
        return self.view.entries if self.balance else ()

    @property
    def addresses(self) -> tuple[DepositAddress, ...]:
        """The deposit addresses of the asset shown, in the order of the cards."""
        return tuple(e.address for e in self.entries if e.address is not None)

    @property
    def selected_entry(self) -> NetworkEntry | None:
        """The network `c`, `m` and `g` act on: the selected one, else the first."""
        entries = self.entries
        for entry in entries:
            if entry.source == self.selected_network:
                return entry
        return entries[0] if entries else None

    @property
    def selected_address(self) -> DepositAddress | None:
        """The selected network's address (None: none generated yet)."""
        entry = self.selected_entry
        return entry.address if entry else None

    def show_asset(
        self,
        balance: AssetBalance | None,
        view: NetworkView | Callable[[], NetworkView] | None = None,
    ) -> None:
        """Show `balance` and its networks (default: its addresses from `/v2/balance`).

        `view` may be a function that works the networks out: it is called when they
        are first needed (`view`). Does nothing when both are what is already shown.
        """
        previous = self.balance
        if view is None:
            view = partial(_addresses_view, balance)
        if not self.built:
            self._keep(previous, balance, view)
            return
        previous_view = self.view
        if callable(view):
            view = view()
        if balance == previous and balance is not None and view == previous_view:
            return
        self.balance, self._view = balance, view
        if balance is None:
            self._draw_title()
            self._render_amounts()
            self._trend, self._no_trend = None, None
            self._draw_trend()
            self._rebuild_networks()
            self._show_qr()
            return
        if previous is None or previous.asset != balance.asset:
            self.selected_network = None
            self._trend, self._no_trend = None, LOADING
            self._draw_trend()
        self._draw_title()
        self._render_amounts()
        if previous is None or previous.asset != balance.asset or view != previous_view:
            before = previous_view.entries if previous is not None else ()
            self._rebuild_networks()
            # The QR codes follow the selected address; keep them when it did not change.
            if previous is None or previous.asset != balance.asset or before != view.entries:
                self._show_qr()

    def _keep(
        self,
        previous: AssetBalance | None,
        balance: AssetBalance | None,
        view: NetworkView | Callable[[], NetworkView],
    ) -> None:
        """`show_asset` before the parts are mounted: keep what to show (`_redraw` draws
        it), and follow the asset as `show_asset` does (selection, sparkline)."""
        self.balance, self._view = balance, view
        if balance is None:
            self._trend, self._no_trend = None, None
        elif previous is None or previous.asset != balance.asset:
            self.selected_network = None
            self._trend, self._no_trend = None, LOADING

    def show_pending(self, operations: tuple[Operation, ...], zone: tzinfo | None) -> None:
        """Show the asset's pending and on-hold operations under its amounts."""
        if operations == self.pending and zone == self._zone:
            return
        self.pending, self._zone = operations, zone
        self._draw_pending()

    def _draw_title(self) -> None:
        if not self.built:
            return
        from tui.ui.widgets.network_cards import render_heading  # (with the parts)

        balance = self.balance
        show_text(
            self.query_one("#detail-title", Static),
            Text("No asset selected", style="dim")
            if balance is None
            else render_heading(balance, len(self.view.entries)),
        )

    def _draw_pending(self) -> None:
        if not self.built:
            return
        from tui.ui.widgets.detail_amounts import render_pending  # (with the parts)

        pending = self.query_one("#detail-pending", Static)
        pending.display = bool(self.pending)
        pending.update(render_pending(self.pending, self._zone, masked=self.masked))

    def set_masked(self, masked: bool) -> None:
        """Mask the amounts (for screen sharing); addresses stay readable."""
        self.masked = masked
        self._draw_pending()
        self._render_amounts()

    def set_rate(self, rate: AssetRate | None, now: datetime | None = None) -> None:
        """Value the asset shown at `rate` (None: show no values); `now` for its age."""
        if rate == self.rate and (rate is None or now == self._now or self._same_age(rate, now)):
            return  # nothing that is drawn moved (the age is shown to the minute)
        self.rate, self._now = rate, now
        self._render_amounts(trend=False)  # the rate's age ticks: the sparkline stays

    def _same_age(self, rate: AssetRate, now: datetime | None) -> bool:
        """True when `rate`'s age, as shown, is the same at `now` as when last drawn."""
        if rate.as_of is None or now is None or self._now is None:
            return False
        from tui.ui.widgets.detail_amounts import rate_age  # (there is a rate: not at start)

        return rate_age(rate.as_of, now) == rate_age(rate.as_of, self._now)

    def _render_amounts(self, *, trend: bool = True) -> None:
        """The amounts, and under the pending operations the rate and values (if any)."""
        if not self.built:
            return
        from tui.ui.widgets.detail_amounts import render_amounts, render_values  # (with the parts)

        amounts = self.query_one("#detail-amounts", Static)
        values = self.query_one("#detail-values", Static)
        balance, rate = self.balance, self.rate
        # The same text is not drawn again; another amount of the same width (the usual
        # refresh) repaints without a layout (show_text).
        show_text(
            amounts, Text() if balance is None else render_amounts(balance, masked=self.masked)
        )
        shown = balance is not None and rate is not None
        if values.display != shown:
            values.display = shown
        if balance is not None and rate is not None:
            text = render_values(balance, rate, self._now, masked=self.masked)
            # The rate's age moves once a minute ("3 min", "4 min"): in between the same
            # text is not drawn again.
            show_text(values, text)
        if trend and self._trend is not None:
            self._draw_trend()

    def show_trend(self, trend: Trend | None, span: str) -> None:
        """The selected asset's total over `span` ("24 h"): exact change and sparkline."""
        self._trend = (trend, span)
        self._draw_trend()

    def trend_unavailable(self, reason: str | None) -> None:
        """No sparkline: `reason` says why (None: history is off, show nothing at all)."""
        self._trend, self._no_trend = None, reason
        self._draw_trend()

    def _draw_trend(self) -> None:
        if not self.built:
            return
        from tui.ui.widgets.trend_view import TrendView  # (with the parts)

        view = self.query_one(TrendView)
        if self._trend is not None:
            view.show(*self._trend, masked=self.masked)
        elif self._no_trend is None:
            view.clear()
        elif isinstance(self._no_trend, str):
            view.unavailable(self._no_trend)
        else:
            view.loading()

    def select_network(self, step: int) -> NetworkEntry | None:
        """Move the selection `step` networks on (wrapping) and return the new one."""
        entries = self.entries
        if not entries:
            return None
        current = self.selected_entry
        index = entries.index(current) if current in entries else 0
        return self.select_index((index + step) % len(entries))

    def select_source(self, source: str) -> NetworkEntry | None:
        """Select the network named `source` (case-insensitively), if the asset has it."""
        for index, entry in enumerate(self.entries):
            if entry.source.upper() == source.upper():
                return self.select_index(index)
        return None

    def select_index(self, index: int) -> NetworkEntry | None:
        """Select the network at `index` in the order of the cards."""
        entries = self.entries
        if not 0 <= index < len(entries):
            return None
        from tui.ui.widgets.network_cards import NetworkCard  # (with the networks)

        changed = entries[index] != self.selected_entry
        self.selected_network = entries[index].source
        for card in self.query(NetworkCard):
            card.set_selected(card.index == index)
            if card.index == index:
                card.scroll_visible()
        if changed:
            self._show_qr()
        return entries[index]

    def _show_qr(self) -> None:
        """QR codes of the selected network, drawn a moment after the rest.

        The codes of the previous selection are hidden at once (keeping their room, so
        that nothing moves): a code must never stand next to another address than its
        own. The new ones follow after QR_DELAY_SECONDS, so that the frame showing new
        balances never waits for the QR encoder (its import and the encoding), and
        holding a key down does not encode a code for every row the cursor passes.
        """
        if not self.built:
            return  # drawn with the rest of the parts (`_redraw`)
        from tui.ui.widgets.qr_code import QRCode  # (with the parts)

        for qr in self.query(QRCode):
            qr.visible = False
        if self._qr_timer is not None:
            self._qr_timer.stop()
        self._qr_timer = self.set_timer(QR_DELAY_SECONDS, self._draw_qr, name="qr codes")

    @property
    def qr_pending(self) -> bool:
        """True while the QR codes of the selection are still to be drawn (also before
        the pane's parts are mounted)."""
        return not self.built or self._qr_timer is not None

    def _draw_qr(self) -> None:
        """QR codes of the selected network: the address, and the memo on its own.

        The memo gets a code of its own because many wallet apps drop a memo carried
        inside an address QR, and a deposit without it can be lost.
        """
        from tui.ui.widgets.qr_code import QRCode  # (with the parts)
        from tui.ui.widgets.qr_pair import QRPair

        self._qr_timer = None
        selected = self.selected_address
        asset = self.balance.asset if self.balance else ""
        pair = self.query_one(QRPair)
        for qr in self.query(QRCode):
            qr.visible = True
        if selected is None:
            pair.show(None)
            return
        pair.show(
            selected.address,
            f"{asset} on {selected.network}: address",
            selected.memo,
            "Memo/Tag" if selected.memo else "",
        )

    def switch_qr(self) -> str | None:
        """Show the other QR code (address / memo) where only one fits at a time.

        Returns None when it did, else why there is nothing to switch (to tell the user).
        """
        if self.balance is None:
            return "No asset selected: no QR code to switch."
        if not self.built:
            return "The QR codes are still being drawn."
        from tui.ui.widgets.qr_pair import QRPair  # (with the parts)

        pair = self.query_one(QRPair)
        if not pair.display:
            return self.qr_hint
        if pair.switch():
            return None
        address = self.selected_address
        if address is None or address.memo is None:
            return "No memo/tag here: one QR code only."
        return "Both QR codes are on screen."

    def on_network_card_clicked(self, message: NetworkCard.Clicked) -> None:
        self.select_index(message.index)

    def _rebuild_networks(self) -> None:
        if not self.built:
            return
        from tui.ui.widgets.network_cards import NetworkCard  # (with the parts)

        container = self.query_one("#detail-networks", VerticalScroll)
        container.remove_children()
        balance = self.balance
        if balance is None:
            return
        view = self.view
        widgets: list[Static] = []
        if view.note is not None:
            widgets.append(Static(Text(clean_text(view.note)), classes="networks-note"))
        if not view.entries:
            if view.note is None:
                widgets.append(
                    Static(
                        Text(
                            f"No deposit address for {clean_text(balance.asset)}: none has "
                            "been generated (or it is a fiat asset).",
                            style="dim",
                        ),
                        classes="no-address",
                    )
                )
            container.mount_all(widgets)
            return
        selected = self.selected_entry
        widgets += [
            NetworkCard(balance.asset, entry, index, entry == selected, view.status(entry.source))
            for index, entry in enumerate(view.entries)
        ]
        container.mount_all(widgets)
