"""Properties: whatever strings the server sends, the widgets draw no control character.

Two paths are checked with arbitrary text: the real one (a JSON answer through the
parser, which accepts or rejects it whole, then the widgets), and the widgets alone,
fed models built directly, so that each widget holds the line by itself too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.screen_text import assert_no_control_characters, rendered_lines
from tui.api.errors import BadResponseError
from tui.api.models import AssetBalance, DepositAddress
from tui.api.parse import parse_balance_payload
from tui.ui.widgets.detail_pane import render_amounts, render_card, render_heading, render_title
from tui.ui.widgets.grid_cells import MAX_ASSET_CELLS, asset_text
from tui.ui.widgets.status_bar import RefreshState, StatusBar, StatusInfo

# The characters that do harm in a terminal, mixed into otherwise arbitrary text so that
# the examples hit them often: C0 and C1 controls, ESC sequences' parts, bidi and
# zero-width formatting, a lone surrogate, and markup's brackets.
NASTY = [
    "\x1b", "\x07", "\x00", "\x08", "\r", "\n", "\t", "\x7f", "\x9b", "\x9d", "\x90",
    "\u202e", "\u202d", "\u2066", "\u200b", "\u200d", "\ufeff", "\u2028", "\ud800",
    "[", "]", "/", "@", "=", ";", "\\", "]52;c;", "[31m", "[bold]", "[/]", "[@click=app.quit]",
]  # fmt: skip
hostile_text = st.lists(
    st.one_of(st.sampled_from(NASTY), st.characters(), st.text(max_size=8)), max_size=30
).map("".join)
COMMON = settings(max_examples=150, deadline=None)


def render_all(balance: AssetBalance, error: str, width: int) -> list[str]:
    """Every line the grid cell, detail pane and status bar would draw for these values."""
    lines: list[str] = []
    lines += rendered_lines(asset_text(balance.asset), width)
    lines += rendered_lines(render_heading(balance), width)
    lines += rendered_lines(render_amounts(balance), width)
    for address in balance.deposit_addresses:
        lines += rendered_lines(render_title(address), width)
        lines += rendered_lines(render_card(address), width)
    bar = StatusBar()
    bar.info = StatusInfo(state=RefreshState.ERROR, error=error, wallet=balance.asset)
    lines += rendered_lines(bar.render_status(), width)
    return lines


@COMMON
@given(
    asset=hostile_text,
    network=hostile_text,
    address=hostile_text,
    memo=st.none() | hostile_text,
    error=hostile_text,
    width=st.integers(min_value=8, max_value=120),
)
def test_parsed_server_text_renders_without_control_characters(
    asset: str, network: str, address: str, memo: str | None, error: str, width: int
) -> None:
    payload: dict[str, Any] = {
        "data": [
            {
                "asset": asset,
                "balance": "1.5",
                "depositAddress": {network: {"address": address, "memo": memo}},
            }
        ]
    }
    try:
        snapshot = parse_balance_payload(payload)
    except BadResponseError:
        return  # refusing the whole answer is a valid outcome
    (balance,) = snapshot
    assert_no_control_characters(render_all(balance, error, width))


@COMMON
@given(
    asset=hostile_text,
    network=hostile_text,
    address=hostile_text,
    memo=st.none() | hostile_text,
    field=hostile_text.map(lambda name: name + "Balance"),
    error=hostile_text,
    width=st.integers(min_value=8, max_value=120),
)
def test_widgets_clean_even_text_that_skipped_the_parser(
    asset: str,
    network: str,
    address: str,
    memo: str | None,
    field: str,
    error: str,
    width: int,
) -> None:
    balance = AssetBalance(
        asset=asset,
        amounts=(("balance", Decimal("1")), (field, Decimal("0.5"))),
        deposit_addresses=(DepositAddress(network, address, memo),),
    )
    assert_no_control_characters(render_all(balance, error, width))


@COMMON
@given(asset=hostile_text.filter(bool))
def test_the_grid_cuts_any_symbol_to_its_column(asset: str) -> None:
    text = asset_text(asset)
    assert text.cell_len <= MAX_ASSET_CELLS
    assert_no_control_characters([text.plain])
