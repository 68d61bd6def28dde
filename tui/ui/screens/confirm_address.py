"""The `g` dialog: confirm generating a deposit address, saying the minimum and the memo rule."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.api.deposits import minimum_sentence
from tui.api.text import clean_text
from tui.ui.deposit_networks import NetworkEntry
from tui.ui.widgets.network_cards import render_limits


def render_question(asset: str, entry: NetworkEntry) -> Text:
    """What the dialog asks: asset, network, the minimum, the memo warning where it applies."""
    asset, source = clean_text(asset), clean_text(entry.source)
    text = Text()
    text.append("Asset     ", style="bold")
    text.append(asset + "\n")
    text.append("Network   ", style="bold")
    text.append(source + "\n\n")
    if entry.method is not None and minimum_sentence(asset, entry.method) is not None:
        text.append_text(render_limits(asset, entry.method))
    else:
        text.append(
            "The minimum deposit on this network is unknown: check it on the exchange's site "
            "before sending.",
            style="bold yellow",
        )
    if entry.uses_memo:
        text.append(
            f"\n\n⚠ {source} deposits need a memo/tag as well as the address: a deposit "
            "without it can be lost.",
            style="yellow",
        )
    text.append(
        "\n\nThe exchange keeps this address for good: asking again gives the same one.",
        style="dim",
    )
    return text


class ConfirmAddressScreen(ModalScreen[bool]):
    """Asks before `POST /v2/deposit/address`; dismissed with True to generate."""

    DEFAULT_CSS = """
    ConfirmAddressScreen { align: center middle; }
    ConfirmAddressScreen > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: round $accent; padding: 1 2; background: $surface;
    }
    ConfirmAddressScreen #confirm-title { text-style: bold; margin-bottom: 1; }
    ConfirmAddressScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    ConfirmAddressScreen Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Generate", priority=True),
        Binding("n,escape", "answer(False)", "Cancel", priority=True),
    ]

    def __init__(self, asset: str, entry: NetworkEntry) -> None:
        super().__init__()
        self.asset = asset
        self.entry = entry

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Generate a deposit address?"), id="confirm-title")
            yield Static(render_question(self.asset, self.entry), id="confirm-question")
            with Horizontal():
                yield Button("Cancel (n)", id="cancel")
                yield Button("Generate (y)", id="generate", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#generate", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "generate")

    def action_answer(self, generate: bool) -> None:
        """Close the dialog: True generates, False cancels."""
        self.dismiss(generate)
