"""Notifications never cover a QR code: they go to a corner free of the codes."""

from __future__ import annotations

import httpx
from textual.geometry import Region, Size
from textual.widgets._toast import Toast

from tests.app_harness import api_key_app, dashboard_of, select, wait_until
from tui.ui.toast_place import Placement, toast_placement
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.qr_code import QRCode


def test_toasts_go_bottom_right_else_just_above_the_codes_else_elsewhere() -> None:
    screen = Size(120, 40)
    assert toast_placement(screen, [], 2) == Placement()
    bottom_right_code = Region(90, 25, 28, 14)
    assert toast_placement(screen, [bottom_right_code], 2) == Placement(lift=14)
    tall_code = Region(90, 5, 28, 34)  # no room above it: the left side
    assert toast_placement(screen, [tall_code], 2) == Placement(left=True)
    everywhere = [Region(0, 0, 120, 40)]
    assert toast_placement(screen, everywhere, 2) == Placement()  # least covered: the first


async def test_toasts_keep_off_the_qr_codes_in_the_dashboard(
    transport: httpx.ASGITransport,
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await dashboard_of(app, pilot)
        await select(pilot, screen.query_one(BalanceGrid), "XRP")  # address and memo codes

        def codes() -> list[Region]:
            return [c.region for c in screen.query(QRCode) if c.data is not None and c.fits]

        await wait_until(pilot, lambda: len(codes()) == 2)
        for n in range(3):
            app.notify(f"Balance up {n}", title="Available balance up", timeout=30)
        await pilot.pause()
        await wait_until(pilot, lambda: len(screen.query(Toast)) >= 3)
        await pilot.pause()
        toasts = [toast.region for toast in screen.query(Toast)]
        assert all(toast.area for toast in toasts)
        for toast in toasts:
            for code in codes():
                assert not toast.overlaps(code), (toast, code, screen.classes, codes())


#: The screens that are all text, the key that opens each from the dashboard, and the
#: widget whose text the toasts must leave uncovered (and what the text may not shrink to).
TEXT_SCREENS = (
    ("l", "#messages-box"),
    ("question_mark", "#help-box"),
    ("o", "#ops-table"),
    ("o", "#ops-status"),
)


async def test_toasts_never_cover_a_screen_of_text(transport: httpx.ASGITransport) -> None:
    """The messages view, help and the operations have no corner free of text: the text
    ends above the toasts, gets its lines back when they go, and keeps two thirds of
    the screen whatever the number of toasts (the newest shown)."""
    app = api_key_app(transport)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await dashboard_of(app, pilot)
        for key, text in TEXT_SCREENS:
            await pilot.press(key)
            await wait_until(pilot, lambda: app.screen is not screen)
            view = app.screen.query_one(text)
            await pilot.pause()
            full = view.region
            for n in range(9):
                app.notify(f"Deposit {n} USDT is in the balance", title="Deposit", timeout=60)
                await pilot.pause()
            await wait_until(pilot, lambda: len(app.screen.query(Toast)) == 9)
            await pilot.pause(0.05)
            await pilot.pause()
            toasts = [t for t in app.screen.query(Toast) if t.parent.display]
            shown = [t.region for t in toasts]
            assert shown and all(region.area for region in shown), key
            assert "Deposit 8 USDT" in str(toasts[-1].render()), key  # the newest
            for toast in shown:
                assert not toast.overlaps(view.region), (key, toast, view.region)
            assert view.region.height >= full.height - 40 // 3 - 1, (key, view.region)
            app.clear_notifications()
            await pilot.pause(0.05)
            await pilot.pause()
            assert view.region == full, (key, view.region, full)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen)
