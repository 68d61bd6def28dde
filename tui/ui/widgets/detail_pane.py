"""The detail pane: the selected asset at full precision, and every network it can be
deposited on, with its address (or "no address yet"), memo, minimum, maximum and fee.

Server text is shown as Rich `Text` (never markup) and passed through `clean_text`
once more here, so that no model, however it was built, can put a control
character on the screen. Long addresses and memos wrap; nothing is cut. The pane
fetches nothing: the dashboard hands it the balance and a `NetworkView`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from tui.api.amounts import exact_product, format_aligned, format_amount, split_amount, trim_zeros
from tui.api.deposits import MEMO_WARNING, DepositMethod, limits_line, minimum_sentence
from tui.api.models import KNOWN_AMOUNT_FIELDS, AssetBalance, DepositAddress, amount_label
from tui.api.operations import ON_HOLD, Operation
from tui.api.text import clean_text
from tui.history.series import Trend
from tui.ui.deposit_networks import NetworkEntry, NetworkView
from tui.ui.terminal_text import full_glyphs
from tui.ui.widgets.qr_code import QRCode
from tui.ui.widgets.quiet_update import show_text
from tui.ui.widgets.trend_view import TrendView

#: Below this terminal width the QR codes are not drawn (they would squeeze the addresses).
QR_MIN_WIDTH = 110
#: How long after a new selection its QR codes are drawn (see `DetailPane._show_qr`).
QR_DELAY_SECONDS = 0.1

#: Said where the server sent the memo inside the address (`r...?dt=1049372`).
TAG_INSIDE_NOTE = "the memo/tag came inside the address; shown and copied apart"


MASK = "•••••"


@dataclass(frozen=True)
class AssetRate:
    """The market rate the pane values an asset at: one unit in `quote` (None: no rate),
    from the answer received `as_of`; `stale` when that answer is old or a later
    request failed."""

    quote: str
    rate: Decimal | None
    as_of: datetime | None = None
    stale: bool = False


def rate_age(as_of: datetime, now: datetime) -> str:
    """How old a rate is, to the minute: "<1 min", "4 min", "2 h 5 min", "26 h".

    To the minute, not the second: the exact time is beside it ("as of 12:00:05"), rates
    are fetched every 30 s and marked stale past 5 min, and a text that moved every second
    would repaint the pane every second for nothing a user acts on.
    """
    minutes = max(0, int((now - as_of).total_seconds())) // 60
    if minutes < 1:
        return "<1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def render_rate(asset: str, rate: AssetRate, now: datetime | None, *, masked: bool) -> Text:
    """ "1 BTC = 67,250.40 USD", then "as of 12:00:05 (<1 min)", marked when stale."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if rate.rate is None:
        text.append(f"No {rate.quote} rate for {clean_text(asset)}: no value", style="dim")
        return text
    if masked:
        text.append(f"Value in {rate.quote}", style="bold")
    else:
        shown = format_amount(rate.rate, grouping=True)
        text.append(f"1 {clean_text(asset)} = {shown} {rate.quote}", style="bold")
    if rate.as_of is not None and not masked:
        text.append(f"\nas of {rate.as_of:%H:%M:%S}", style="dim")
        if now is not None:
            text.append(f" ({rate_age(rate.as_of, now)})", style="dim")
    if rate.stale:
        text.append(" · stale", style="bold yellow")
    return text


def _block(
    text: Text, rows: list[tuple[str, Decimal]], cells: list[str], label_width: int, *, italic: bool
) -> None:
    """Labelled cells aligned on the decimal point, a rule, then the total in bold."""
    value_width = max(len(cell) for cell in cells)
    for index, ((label, value), cell) in enumerate(zip(rows, cells, strict=True)):
        is_total = index == len(rows) - 1
        if is_total:
            text.append("─" * (label_width + value_width) + "\n", style="dim")
        text.append(label.ljust(label_width), style="bold" if is_total else "")
        style = "bold" if is_total else ("dim" if value.is_zero() else "")
        text.append(cell.rjust(value_width), style=style + (" italic" if italic else ""))
        if not is_total:
            text.append("\n")


def render_amounts(
    balance: AssetBalance,
    *,
    masked: bool = False,
    rate: AssetRate | None = None,
    now: datetime | None = None,
) -> Text:
    """Every amount field of `balance`, exact and aligned on the decimal point; with a
    `rate`, under them (after a blank line) what `render_values` shows.

    A field without a column of its own in the grid is marked as counted in its "Other"
    column ("Settlement (in Other)"), so that the grid's row can be read against it.
    """
    rows = _amount_rows(balance)
    fraction_width = max(len(split_amount(value)[1]) for _, value in rows)
    cells = [MASK if masked else format_aligned(value, fraction_width) for _, value in rows]
    text = Text(no_wrap=True, overflow="ellipsis")
    _block(text, rows, cells, _label_width(rows), italic=False)
    if rate is not None:
        text.append("\n\n")
        text.append_text(render_values(balance, rate, now, masked=masked))
    return text


def render_values(
    balance: AssetBalance, rate: AssetRate, now: datetime | None = None, *, masked: bool = False
) -> Text:
    """The rate `balance`'s asset is valued at, its age, and the exact value of every
    amount field in the quote currency (every digit of amount x rate; masked with the
    amounts), labelled and aligned as `render_amounts` shows the amounts."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append_text(render_rate(balance.asset, rate, now, masked=masked))
    if rate.rate is not None:
        rows = _amount_rows(balance)
        text.append("\n")
        values = [(label, exact_product(value, rate.rate)) for label, value in rows]
        _block(text, values, _value_cells(values, masked), _label_width(rows), italic=rate.stale)
    return text


def _amount_rows(balance: AssetBalance) -> list[tuple[str, Decimal]]:
    """(label, amount) for every field of `balance` in the server's order, then the total."""
    rows = [
        (
            clean_text(amount_label(name))
            + (" (in Other)" if name not in KNOWN_AMOUNT_FIELDS else ""),
            value,
        )
        for name, value in balance.amounts
    ]
    rows.append(("Total", balance.total))
    return rows


def _label_width(rows: list[tuple[str, Decimal]]) -> int:
    return max(len(label) for label, _ in rows) + 2


def render_pending(
    operations: tuple[Operation, ...], zone: tzinfo | None, *, masked: bool = False
) -> Text:
    """The operations that explain the asset's hold and lock balances, one per line:
    "Hold  withdrawal 0.042 BTC Processing since 14:10"."""
    text = Text(overflow="fold")
    for index, op in enumerate(operations):
        if index:
            text.append("\n")
        where = "Locked" if op.status == ON_HOLD else "Hold"
        asset = op.target_asset if op.is_deposit else op.source_asset
        asset = asset or op.source_asset or op.target_asset or ""
        amount = op.amount_of(asset)
        shown = MASK if masked else ("" if amount is None else format_amount(amount, grouping=True))
        text.append(f"{where:<8}", style="bold")
        text.append(f"{clean_text((op.type or 'operation').lower())} {shown} {clean_text(asset)} ")
        text.append(clean_text(op.status or "—"), style="bold magenta" if op.status == ON_HOLD else "yellow")
        if op.sort_time is not None:
            text.append(f" since {op.sort_time.astimezone(zone):%H:%M}", style="dim")
    return text


def _value_cells(values: list[tuple[str, Decimal]], masked: bool) -> list[str]:
    """Each exact value for its column, aligned on the decimal point. Computed trailing
    zeros say nothing: trimmed."""
    if masked:
        return [MASK] * len(values)
    exact = [trim_zeros(value) for _, value in values]
    width = max(len(split_amount(value)[1]) for value in exact)
    return [format_aligned(value, width) for value in exact]


def render_heading(balance: AssetBalance, networks: int | None = None) -> Text:
    """The asset's symbol and the keys that act on its networks; a long symbol wraps.

    `networks` is how many networks the pane lists (default: the addresses' count).
    """
    heading = Text(overflow="fold")
    heading.append(clean_text(balance.asset), style="bold")
    count = len(balance.deposit_addresses) if networks is None else networks
    if count > 1:
        heading.append(
            f"  {count} networks · [ ] to switch, c copy address, m copy memo", style="dim"
        )
    elif count == 1:
        heading.append("  c copy address, m copy memo", style="dim")
    return heading


def render_title(address: DepositAddress | NetworkEntry) -> Text:
    """A network card's title: the network's name as plain text (never markup)."""
    name = address.network if isinstance(address, DepositAddress) else address.source
    return Text(clean_text(name))


def render_limits(asset: str, method: DepositMethod | None) -> Text:
    """The network's minimum (a warning: smaller deposits may be lost), then maximum and fee."""
    text = Text(overflow="fold")
    if method is None:
        return text
    asset = clean_text(asset)
    minimum = minimum_sentence(asset, method)
    if minimum is not None:
        text.append(minimum, style="bold yellow")
    extra = limits_line(asset, method)
    if extra:
        text.append(("\n" if text else "") + extra, style="dim")
    return text


def render_card(
    address: DepositAddress | None,
    method: DepositMethod | None = None,
    asset: str = "",
    *,
    status: str | None = None,
    uses_memo: bool = False,
) -> Text:
    """A network's address and memo as plain text, then its limits; long values wrap.

    Without an address: "No address yet", or `status` (generating, or why it failed).
    """
    text = Text(overflow="fold")
    if address is not None:
        text.append("Address   ", style="bold")
        text.append(clean_text(address.address), style="bold cyan")
        if address.memo is not None:
            text.append("\nMemo/Tag  ", style="bold")
            text.append(clean_text(address.memo), style="bold yellow")
            text.append(f"\n⚠ {MEMO_WARNING}", style="yellow")
        if address.memo_in_address:
            text.append(f"\nⓘ {TAG_INSIDE_NOTE[0].upper()}{TAG_INSIDE_NOTE[1:]}.", style="dim")
    elif status is not None:
        text.append(clean_text(status), style="italic")
    else:
        text.append("No address yet: press ", style="dim")
        text.append("g", style="bold")
        text.append(" to generate one", style="dim")
        if uses_memo:
            text.append(" (with its memo/tag)", style="dim")
        text.append(".", style="dim")
    limits = render_limits(asset, method)
    if limits:
        text.append("\n")
        text.append_text(limits)
    return text


class NetworkCard(Static, can_focus=False):
    """One network of the asset: address and memo (or none yet), minimum, maximum, fee.

    Click to select it for copying and generating.
    """

    class Clicked(Message):
        """The user clicked this network."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(
        self,
        asset: str,
        entry: NetworkEntry,
        index: int,
        selected: bool,
        status: str | None = None,
    ) -> None:
        classes = "network-card" + (" -selected" if selected else "")
        if entry.address is None:
            classes += " -no-address"
        super().__init__(classes=classes)
        self.asset = asset
        self.entry = entry
        self.address = entry.address
        self.index = index
        self.status = status
        self.border_title = render_title(entry)
        self.update(self.render_card())

    def render_card(self) -> Text:
        """Address and memo (or none yet) and the limits, as plain text."""
        entry = self.entry
        return render_card(
            entry.address, entry.method, self.asset, status=self.status, uses_memo=entry.uses_memo
        )

    def set_selected(self, selected: bool) -> None:
        """Highlight this card as the one `c`, `m` and `g` act on."""
        self.set_class(selected, "-selected")

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.index))


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
        self.view = NetworkView(())
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
        #: What #detail-amounts and #detail-values show (see `_render_amounts`).
        self._amounts_text: Text | None = None
        self._values_text: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("No asset selected", style="dim"), id="detail-title")
        with Horizontal(id="detail-body"):
            with Vertical(id="detail-left"):
                yield Static(id="detail-amounts")
                # Right under the amounts, before the values: what the hold balance is
                # made of must not be the part a short terminal cuts off.
                yield Static(id="detail-pending")
                yield Static(id="detail-values")
                yield TrendView(id="detail-trend")
            yield VerticalScroll(id="detail-networks")
            with Horizontal(id="detail-qr"):
                yield QRCode(id="qr-address")
                yield QRCode(id="qr-memo")
        # Shown instead of the codes when the dashboard is narrower than QR_MIN_WIDTH, or
        # when the terminal cannot show the code's blocks (a code of look-alikes would
        # not scan).
        hint = (
            f"QR codes: widen the terminal to {QR_MIN_WIDTH} columns."
            if full_glyphs()
            else "QR codes need a UTF-8 terminal: set LANG to a UTF-8 locale (e.g. C.UTF-8)."
        )
        yield Static(Text(hint, style="dim"), id="qr-hint")

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

    def show_asset(self, balance: AssetBalance | None, view: NetworkView | None = None) -> None:
        """Show `balance` and its networks (default: its addresses from `/v2/balance`).

        Does nothing when both are what is already shown.
        """
        previous, previous_view = self.balance, self.view
        if view is None:
            view = NetworkView(
                tuple(NetworkEntry(a.network, a, None) for a in balance.deposit_addresses)
                if balance
                else ()
            )
        if balance == previous and balance is not None and view == previous_view:
            return
        self.balance, self.view = balance, view
        title = self.query_one("#detail-title", Static)
        if balance is None:
            show_text(title, Text("No asset selected", style="dim"))
            self._render_amounts()
            self._trend = None
            self.query_one(TrendView).clear()
            self._rebuild_networks()
            self._show_qr()
            return
        if previous is None or previous.asset != balance.asset:
            self.selected_network = None
            self._trend = None
            self.query_one(TrendView).loading()
        show_text(title, render_heading(balance, len(view.entries)))
        self._render_amounts()
        if previous is None or previous.asset != balance.asset or view != previous_view:
            before = previous_view.entries if previous is not None else ()
            self._rebuild_networks()
            # The QR codes follow the selected address; keep them when it did not change.
            if previous is None or previous.asset != balance.asset or before != view.entries:
                self._show_qr()

    def show_pending(self, operations: tuple[Operation, ...], zone: tzinfo | None) -> None:
        """Show the asset's pending and on-hold operations under its amounts."""
        if operations == self.pending and zone == self._zone:
            return
        self.pending, self._zone = operations, zone
        self._draw_pending()

    def _draw_pending(self) -> None:
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
        if rate == self.rate and (
            rate is None
            or now == self._now
            or (
                rate.as_of is not None
                and now is not None
                and self._now is not None
                and rate_age(rate.as_of, now) == rate_age(rate.as_of, self._now)
            )
        ):
            return  # nothing that is drawn moved (the age is shown to the minute)
        self.rate, self._now = rate, now
        self._render_amounts(trend=False)  # the rate's age ticks: the sparkline stays

    def _render_amounts(self, *, trend: bool = True) -> None:
        """The amounts, and under the pending operations the rate and values (if any)."""
        amounts = self.query_one("#detail-amounts", Static)
        values = self.query_one("#detail-values", Static)
        balance, rate = self.balance, self.rate
        text = None if balance is None else render_amounts(balance, masked=self.masked)
        if text != self._amounts_text:
            # (Another amount of the same width, the usual refresh: no layout.)
            show_text(amounts, Text() if text is None else text)
            self._amounts_text = text
        shown = balance is not None and rate is not None
        if values.display != shown:
            values.display = shown
        if balance is not None and rate is not None:
            text = render_values(balance, rate, self._now, masked=self.masked)
            # The rate's age moves once a minute ("3 min", "4 min"): the same text
            # is not drawn again, and a text with the same line widths keeps the size
            # of this auto-sized widget, so it repaints without a layout of the screen.
            if text != self._values_text:
                show_text(values, text)
                self._values_text = text
        else:
            self._values_text = None
        if trend and self._trend is not None:
            self.show_trend(*self._trend)

    def show_trend(self, trend: Trend | None, span: str) -> None:
        """The selected asset's total over `span` ("24 h"): exact change and sparkline."""
        self._trend = (trend, span)
        self.query_one(TrendView).show(trend, span, masked=self.masked)

    def trend_unavailable(self, reason: str | None) -> None:
        """No sparkline: `reason` says why (None: history is off, show nothing at all)."""
        self._trend = None
        view = self.query_one(TrendView)
        if reason is None:
            view.clear()
        else:
            view.unavailable(reason)

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
        for qr in self.query(QRCode):
            qr.visible = False
        if self._qr_timer is not None:
            self._qr_timer.stop()
        self._qr_timer = self.set_timer(QR_DELAY_SECONDS, self._draw_qr, name="qr codes")

    @property
    def qr_pending(self) -> bool:
        """True while the QR codes of the selection are still to be drawn."""
        return self._qr_timer is not None

    def _draw_qr(self) -> None:
        """QR codes of the selected network: the address, and the memo on its own.

        The memo gets a code of its own because many wallet apps drop a memo carried
        inside an address QR, and a deposit without it can be lost.
        """
        self._qr_timer = None
        selected = self.selected_address
        asset = self.balance.asset if self.balance else ""
        address_qr = self.query_one("#qr-address", QRCode)
        memo_qr = self.query_one("#qr-memo", QRCode)
        address_qr.visible = memo_qr.visible = True
        if selected is None:
            address_qr.set_data(None)
            memo_qr.set_data(None)
            return
        address_qr.set_data(selected.address, f"{asset} on {selected.network}: address")
        memo_qr.set_data(selected.memo, "Memo/Tag" if selected.memo else "")

    def on_network_card_clicked(self, message: NetworkCard.Clicked) -> None:
        self.select_index(message.index)

    def _rebuild_networks(self) -> None:
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
