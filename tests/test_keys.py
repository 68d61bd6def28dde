"""One list of keys (tui/ui/keys.py): the bindings, the palette, the help screen and the
README's table all come from it; ctrl+c and ctrl+q quit from every screen."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from textual.command import CommandPalette

from tests.app_harness import SIZE, api_key_app, dashboard_of, make_app, wait_until
from tests.screen_text import screen_lines
from tui.ui.keys import KEY_ACTIONS, help_rows, markdown_table
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.login import LoginScreen
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.status_bar import StatusBar

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_keys_table_is_the_list() -> None:
    readme = README.read_text(encoding="utf-8")
    assert markdown_table() in readme, "paste `python -m tui.ui.keys` into README's Keys"


def test_every_binding_of_the_app_and_the_dashboard_comes_from_the_list() -> None:
    from tui.ui.app import WalletApp

    listed = {(entry.keys, entry.action) for entry in KEY_ACTIONS}
    for cls in (WalletApp, DashboardScreen):
        for binding in cls.BINDINGS:
            assert (binding.key, binding.action) in listed, binding  # type: ignore[union-attr]


def test_the_grids_own_keys_are_in_the_list() -> None:
    from tui.ui.widgets.grid_canvas import GridCanvas

    listed = {
        key for entry in KEY_ACTIONS if entry.scope == "grid" for key in entry.keys.split(",")
    }
    for binding in GridCanvas.BINDINGS:
        for key in binding.key.split(","):  # type: ignore[union-attr]
            assert key in listed, key


async def test_the_palette_offers_every_bound_action_with_its_key(
    transport: httpx.ASGITransport,
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        commands = {c.title: c for c in app.get_system_commands(screen)}
        for entry in KEY_ACTIONS:
            if entry.palette and entry.scope in ("app", "dashboard"):
                assert entry.title in commands, entry.title
                assert f"({entry.shown})" in commands[entry.title].help
        # The operations view's own keys, on the operations view.
        await pilot.press("o")
        view = app.screen
        in_view = {c.title: c for c in app.get_system_commands(view)}
        for entry in KEY_ACTIONS:
            if entry.palette and entry.scope == "operations":
                assert f"({entry.shown})" in in_view[entry.title].help, entry.title
        await pilot.press("escape")
        assert app.screen is screen
        # Those the issue found missing, typed into the palette as a newcomer would.
        for typed in ("export", "sort", "zero", "wallet", "network", "often", "hide"):
            assert any(typed in title.lower() for title in commands), typed

        # A palette command runs its action, parameters included ("interval(1)").
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Refresh less often")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: screen.query_one(StatusBar).info.interval == 10)

        app.call_later(commands["Sort"].callback)
        await pilot.pause()
        await wait_until(pilot, lambda: screen.query_one(BalanceGrid).sort_description != "")


async def test_the_help_screen_shows_every_row_of_the_list(
    transport: httpx.ASGITransport,
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=(120, 70)) as pilot:  # room for every row at once
        await dashboard_of(app, pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        for shown, what in help_rows():
            assert f"{shown}   {what}" in text or (shown in text and what in text), shown


@pytest.mark.parametrize("key", ["ctrl+c", "ctrl+q"])
@pytest.mark.parametrize("where", ["dashboard", "help", "palette", "filter"])
async def test_ctrl_c_and_ctrl_q_quit_from_every_dashboard_screen(
    transport: httpx.ASGITransport, key: str, where: str
) -> None:
    app = api_key_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dashboard_of(app, pilot)
        if where == "help":
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        elif where == "palette":
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        elif where == "filter":
            await pilot.press("slash", "b")
            assert screen.focused is not None and screen.focused.id == "filter"
        await pilot.press(key)
        await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 0


@pytest.mark.parametrize("key", ["ctrl+c", "ctrl+q"])
async def test_the_login_screen_quits_with_ctrl_c_and_its_key_bar_says_so(
    transport: httpx.ASGITransport, key: str
) -> None:
    app = make_app(transport)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await pilot.pause()
        bar = screen_lines(app)[-1]
        assert "^c Quit" in bar or "ctrl+c Quit" in bar
        await pilot.press("q")  # types into the field: not a way out there
        assert app.is_running
        await pilot.press(key)
        await wait_until(pilot, lambda: not app.is_running)
