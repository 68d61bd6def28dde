"""Server text in one-line bars, the login error line and notifications: whole, or cut
with "…" (by display cells, a wide character never split), and the whole one glance away.
"""

from __future__ import annotations

import httpx
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.app_harness import (
    SIZE,
    api_key_app,
    dashboard_of,
    make_app,
    resize_for_layout,
    wait_until,
)
from tests.screen_text import screen_lines
from tui.api.models import DepositAddress
from tui.api.operations import OperationChange
from tui.api.parse_operations import parse_operation
from tui.ui.cell_fit import ELLIPSIS
from tui.ui.deposit_networks import NetworkEntry
from tui.ui.operation_notices import NOTICE_CHARS, notice_for
from tui.ui.screens.login import LoginScreen
from tui.ui.screens.operations import OperationsScreen
from tui.ui.widgets.network_cards import NetworkCard
from tui.ui.widgets.status_bar import RefreshState, StatusBar

#: An error in the server's words with wide characters all along, and a wide wallet name.
ERROR = "余额不足：请求的金额超过了可用余额 🙅 insufficient funds for 提现 to 地址 " * 3
WALLET = "钱包-储蓄-🏦-" + "x" * 20
NETWORK = "TRC20-波场网络-" + "x" * 30


class BarAlone(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar()


async def test_the_status_bar_cuts_with_a_mark_and_keeps_the_whole_line_in_its_tooltip() -> None:
    app = BarAlone()
    async with app.run_test(size=(200, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.set_info(wallet=WALLET, state=RefreshState.ERROR, error=ERROR)
        whole = bar.render_status().plain
        for width in range(30, 401, 3):
            # The line is worked out from the layout (the bar's own resize): no frame
            # painted nor idle CPU awaited per width (that was 9 s of 124 widths).
            await resize_for_layout(pilot, bar, width, 3)
            line = screen_lines(app)[0]
            assert cell_len(line) == width
            shown = line.strip()
            if shown == whole:
                assert bar.tooltip is None, f"{width}: nothing cut, no tooltip"
                continue
            assert shown.endswith(ELLIPSIS), f"{width}: cut without a mark: {shown[-12:]!r}"
            assert whole.startswith(shown[:-1].rstrip()), f"{width}: not a prefix"
            assert bar.tooltip is not None and bar.tooltip.plain == whole, f"{width}: whole value"


async def test_the_login_error_line_shows_a_long_error_whole_at_any_width(
    transport: httpx.ASGITransport,
) -> None:
    app = make_app(transport)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        screen._show_error(ERROR)
        for width in (50, 61, 70, 87, 120, 160, 200):
            await pilot.resize_terminal(width, 40)
            await pilot.pause()
            status = screen.query_one("#login-status", Static)
            region = status.content_region
            strips = app.screen._compositor.render_strips()[region.y : region.y + region.height]
            shown = "".join(
                segment.text
                for strip in strips
                for segment in strip.crop(region.x, region.x + region.width)
            )
            shown = "".join(shown.split())
            # (A wide character at a wrap may leave a blank cell: compare without blanks.)
            assert "".join(f"✖ {ERROR}".split()) in shown, f"{width}: the error is cut"


def test_notifications_cut_wide_server_text_by_cells_with_a_mark() -> None:
    item = {
        "id": "1",
        "type": "入金入金入金入金入金入金入金入金入金入金",
        "status": "OnHold",
        "sourceAsset": "币安币🙂币安币🙂币安币🙂币安币🙂",
        "sourceAmount": "0.123456789012345678",
        "targetAsset": "币安币🙂币安币🙂币安币🙂币安币🙂",
        "targetAmount": "0.123456789012345678",
        "reason": "需要进行反洗钱检查，请联系客服并提供资金来源证明文件",
    }
    notice = notice_for(OperationChange(parse_operation(item)))
    assert notice is not None
    assert "0.123456789012345678" in notice.message, "amounts whole"
    for word in notice.message.replace(":", " ").split():
        if word.endswith(ELLIPSIS):
            assert cell_len(word) <= NOTICE_CHARS
            assert any(value.startswith(word[:-1]) for value in item.values())
    assert notice.message.count(ELLIPSIS) == 3, notice.message  # type, asset, reason
    # The messages view (`l`) has the same sentence with every name whole.
    assert ELLIPSIS not in notice.whole and notice.amounts
    assert all(item[key] in notice.whole for key in ("type", "sourceAsset", "reason"))
    assert notice_for(OperationChange(parse_operation(item)), masked=True).amounts is False  # type: ignore[union-attr]


async def test_the_operations_views_one_line_bars_cut_with_a_mark(
    transport: httpx.ASGITransport,
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_of(app, pilot)
        await pilot.press("o")
        view = app.screen
        assert isinstance(view, OperationsScreen)
        await wait_until(pilot, lambda: view.all_operations is not None)
        view.error = ERROR
        view.asset_filter = "币安币🙂" * 10
        view._show_status()
        view._show_filters()
        for width in (60, 70, 97, 120, 160):
            await pilot.resize_terminal(width, SIZE[1])
            await pilot.pause()
            for name in ("#ops-status", "#ops-filters"):
                bar = view.query_one(name, Static)
                region = bar.content_region
                strip = app.screen._compositor.render_strips()[region.y]
                shown = "".join(s.text for s in strip.crop(region.x, region.right)).rstrip()
                whole = name == "#ops-filters" and shown.endswith(" shown")  # it all fits
                assert whole or shown.endswith(ELLIPSIS), f"{width} {name}: cut unmarked: {shown[-9:]!r}"
            tooltip = view.query_one("#ops-status", Static).tooltip
            assert tooltip is not None and tooltip.plain == ERROR  # the whole error, on hover


class CardAlone(App[None]):
    CSS = ".network-card { height: auto; border: round white; padding: 0 1; }"

    def compose(self) -> ComposeResult:
        entry = NetworkEntry(NETWORK, DepositAddress(NETWORK, "T" + "9" * 33), None)
        yield NetworkCard("USDT", entry, 0, selected=True)


async def test_a_network_cards_title_is_whole_or_marked_cut_and_whole_in_its_tooltip() -> None:
    app = CardAlone()
    async with app.run_test(size=(120, 12)) as pilot:
        card = app.query_one(NetworkCard)
        for width in range(12, 121):
            # The title and its tooltip follow the card's own resize (see the status bar's
            # test above): no frame painted nor idle CPU awaited per width.
            await resize_for_layout(pilot, card, width, 12)
            top = screen_lines(app)[0]
            title = top.strip().strip("╭╮").strip("─").strip()
            if title == NETWORK:
                assert card.tooltip is None, f"{width}: whole, no tooltip"
                continue
            assert title.endswith(ELLIPSIS), f"{width}: title cut without a mark: {top!r}"
            assert NETWORK.startswith(title[:-1].rstrip()), f"{width}: {title!r}"
            assert card.tooltip is not None and NETWORK in card.tooltip.plain, f"{width}"
