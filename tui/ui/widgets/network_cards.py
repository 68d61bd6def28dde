"""The detail pane's network cards: one card per network an asset can be deposited on,
with its address (or "no address yet"), memo/tag, minimum, maximum and fee, and the
pane's heading naming the keys that act on them.

Server text is shown as Rich `Text` (never markup), passed through `clean_text`;
long addresses and memos wrap, nothing is cut.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from tui.api.deposits import MEMO_WARNING, DepositMethod, limits_line, minimum_sentence
from tui.api.models import AssetBalance, DepositAddress
from tui.api.text import clean_text
from tui.ui.deposit_networks import NetworkEntry

#: Said where the server sent the memo inside the address (`r...?dt=1049372`).
TAG_INSIDE_NOTE = "the memo/tag came inside the address; shown and copied apart"


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

    def on_resize(self) -> None:
        # Textual cuts a title wider than the border with "…": the network's whole name
        # is then under the mouse (and in `wallet-tui deposit-address`).
        title = render_title(self.entry)
        room = self.region.width - 6  # "╭─ " and " ─╮" around the title
        self.tooltip = Text(f"Network {title.plain}") if title.cell_len > room else None

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
