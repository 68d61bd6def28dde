"""Every digit on the dashboard readable in every theme, state and with NO_COLOR.

Reads the segments the compositor writes to the terminal (after Textual's filters and
ours) for the balance grid, the detail pane and the status bar, and checks each digit's
WCAG contrast against the background it is drawn on: 4.5:1 in truecolor, and at least
3:1 once a 256-colour terminal has rounded both colours (where the palette allows no
more). States: a rise and a drop flashing (one on the cursor row), the Δ column, zero
amounts, stale (italic, muted), and masked. The rule lives in
the app (tui/ui/legibility.py), not per column, so columns added later are covered.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rich.style import Style
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES

from tests.contrast import Glyph, digits_in
from tui.sandbox.faults import Fault
from tui.ui.app import WalletApp
from tui.ui.scenes import SCENE_SIZE, SCENES, Stage, _dashboard_ready, _settle
from tui.ui.widgets.balance_grid import BalanceGrid
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.status_bar import RefreshState, StatusBar

# Under NO_COLOR no theme colour is drawn at all (asserted below), so a dark and a light
# theme of each kind stand for all of them.
THEMES_UNDER_NO_COLOR = ("textual-dark", "textual-light", "ansi-dark", "ansi-light")
DASHBOARD = next(scene for scene in SCENES if scene.name == "dashboard")


async def _digits(app: WalletApp, pilot: Pilot[None], state: str) -> list[Glyph]:
    found: list[Glyph] = []
    for theme in THEMES_UNDER_NO_COLOR if app.no_color else sorted(app.available_themes):
        app.theme = theme
        await pilot.pause()
        strips = app.screen._compositor.render_strips()  # the screen drawn once a theme
        for widget in (BalanceGrid, DetailPane, StatusBar):
            region = app.screen.query_one(widget).region
            found += digits_in(app, region, f"{theme} {state} {widget.__name__}", strips)
    return found


async def _every_state(pilot: Pilot[None], stage: Stage) -> list[Glyph]:
    app = stage.app
    await _settle(pilot, lambda: _dashboard_ready(stage))
    grid = app.screen.query_one(BalanceGrid)
    exchange = stage.exchange
    exchange.set_amount("BTC", "balance", exchange.amount("BTC") + Decimal("0.25"))
    exchange.set_amount("USDT", "balance", exchange.amount("USDT") - Decimal("7"))
    await pilot.press("r")
    await _settle(pilot, lambda: grid.get_cell("USDT", "delta").plain.strip() == "-7")
    grid.select_asset("USDT")
    await pilot.pause()
    assert grid.get_cell("USDT", "balance").style == "down"
    assert grid.get_cell("BTC", "balance").style == "up"
    glyphs = await _digits(app, pilot, "flashing")

    stage.faults.push(Fault(kind="html", times=None))
    await pilot.press("r")
    status = app.screen.query_one(StatusBar)
    await _settle(pilot, lambda: status.info.state is RefreshState.ERROR)
    grid.select_asset("BTC")
    await pilot.pause()
    assert grid.has_class("-stale")
    glyphs += await _digits(app, pilot, "stale")

    await pilot.press("h")
    await pilot.pause()
    assert grid.masked
    glyphs += await _digits(app, pilot, "masked")
    return glyphs


async def test_every_digit_is_readable_in_every_theme_and_state(long_flash: None) -> None:
    stage = DASHBOARD.stage()
    async with stage.app.run_test(size=SCENE_SIZE) as pilot:
        glyphs = await _every_state(pilot, stage)
    # Every theme the app offers (Textual's built-in ones, in the command palette).
    assert {g.where.split()[0] for g in glyphs} == set(BUILTIN_THEMES)
    assert {g.where.split(maxsplit=1)[1] for g in glyphs} == {
        f"{state} {widget}"
        for state in ("flashing", "stale", "masked")
        for widget in ("BalanceGrid", "DetailPane", "StatusBar")
    } - {"masked BalanceGrid"}  # masked: no digit left in the grid
    faint = [str(g) for g in glyphs if g.truecolor < 4.5 or g.eight_bit < 3.0]
    assert not faint, "\n".join(faint[:20])


async def test_no_color_draws_in_the_terminals_colours_and_marks_changes(
    long_flash: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    stage = DASHBOARD.stage()
    async with stage.app.run_test(size=SCENE_SIZE) as pilot:
        glyphs = await _every_state(pilot, stage)
        # No theme colour reaches the terminal: its own foreground and background.
        colours = {(g.style.color, g.style.bgcolor) for g in glyphs if g.style}
        assert all(c is None or c.is_default for pair in colours for c in pair), colours
        faint = [str(g) for g in glyphs if g.worst < 4.5]
        assert not faint, "\n".join(faint[:20])

        # What colour told is told another way: a rise bold, a drop bold and
        # underlined, the Δ by its sign, the cursor row (USDT) in the terminal's inverse.
        grid_glyphs = [g for g in glyphs if g.where == "textual-dark flashing BalanceGrid"]
        rows = {g.line.split()[0]: g.line for g in grid_glyphs}
        assert rows["BTC"].split()[-1] == "+0.25" and rows["USDT"].split()[-1] == "-7"
        btc_balance = rows["BTC"].split()[1]
        usdt_balance = rows["USDT"].split()[1]

        def styles_of(asset: str) -> list[Style]:
            return [g.style or Style() for g in grid_glyphs if g.line.split()[0] == asset]

        assert all(style.reverse for style in styles_of("USDT"))  # the cursor row
        assert not any(style.reverse for style in styles_of("BTC"))
        risen = [style for style in styles_of("BTC") if style.bold]
        fallen = [style for style in styles_of("USDT") if style.bold and style.underline]
        # The balance and the total changed; the other columns did not.
        assert sum(ch.isdigit() for ch in btc_balance) < len(risen) < len(styles_of("BTC"))
        assert sum(ch.isdigit() for ch in usdt_balance) < len(fallen) < len(styles_of("USDT"))
