"""The parsed stylesheets kept between runs (tui/ui/css_cache.py).

A start with the file an earlier run kept parses none of the stylesheets it holds and
gets the very rules a parse makes; a file from elsewhere (another Textual, other theme
variables, damaged, someone else's) is left alone and the start parses as before.
"""

from __future__ import annotations

import io
import os
import pickle
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import textual.css.stylesheet as textual_stylesheet
from textual.app import App
from textual.css.stylesheet import Stylesheet

from tests.app_harness import SIZE, RecordingWalletApp, dashboard_of, demo_settings, wait_until
from tui.api.auth import Secret
from tui.config.settings import Secrets
from tui.sandbox.wallet import DEMO_API_KEY
from tui.ui import css_cache
from tui.ui.css_cache import CssRuleCache, cache_path
from tui.ui.ui_state import remember


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The stylesheets Textual parses (by where they were read from), as it parses them."""
    seen: list[str] = []
    parse = textual_stylesheet.parse

    def counting(scope: str, css: str, read_from: tuple[str, str], **kwargs: Any) -> Any:
        seen.append(read_from[1] or Path(read_from[0]).name)
        return parse(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    yield seen


async def run_dashboard(
    transport: httpx.AsyncBaseTransport, cache: CssRuleCache | None
) -> list[tuple[object, ...]]:
    """Start the app with `cache`, wait for the dashboard whole, quit; its parsed rules."""
    app = RecordingWalletApp(
        demo_settings(),
        Secrets(api_key=Secret(DEMO_API_KEY)),
        transport=transport,
        system_clipboard=False,
        css_cache=cache,
    )
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_of(app, pilot)
        rules = [
            (
                rule.selectors,
                rule.is_default_rules,
                rule.tie_breaker,
                sorted((name, plain(value)) for name, value in rule.styles.get_rules().items()),
            )
            for rule in app.stylesheet.rules
        ]
    return rules


def plain(value: object) -> str:
    """A style's value, comparable between two parses: its repr (colours, scalars,
    spacing, transitions), but a layout, which has no value of its own, by its class."""
    if type(value).__name__.endswith("Layout"):
        return type(value).__name__
    return repr(value)


def test_the_cache_lives_in_the_platforms_cache_folder(tmp_path: Path) -> None:
    # (conftest points XDG_CACHE_HOME at a temporary folder for every test)
    assert cache_path() == Path(os.environ["XDG_CACHE_HOME"]) / "wallet-tui" / "css-rules.pickle"


async def test_a_second_start_parses_nothing_the_first_kept_and_gets_the_same_rules(
    transport: httpx.ASGITransport, tmp_path: Path, parsed: list[str]
) -> None:
    path = tmp_path / "cache" / "css-rules.pickle"
    cold = await run_dashboard(transport, CssRuleCache(path))
    assert "BalanceGrid.DEFAULT_CSS" in parsed and "wallet.tcss" in parsed
    assert path.exists()  # kept when the app ended
    assert (path.stat().st_mode & 0o777, path.parent.stat().st_mode & 0o777) == (0o600, 0o700)

    parsed.clear()
    long_ago = path.stat().st_mtime_ns - 60 * 10**9
    os.utime(path, ns=(long_ago, long_ago))
    warm = await run_dashboard(transport, CssRuleCache(path))
    assert parsed == []
    assert warm == cold
    # Nothing new was parsed: the file is not written again.
    assert path.stat().st_mtime_ns == long_ago


async def test_without_a_cache_every_start_parses(
    transport: httpx.ASGITransport, parsed: list[str]
) -> None:
    await run_dashboard(transport, None)
    first = list(parsed)
    parsed.clear()
    await run_dashboard(transport, None)
    assert parsed == first and "BalanceGrid.DEFAULT_CSS" in first


def read_kept(path: Path) -> tuple[tuple[object, ...], dict[tuple[object, ...], object]]:
    """What the kept file holds: what made it, and the rules by Textual's key."""
    data = io.BytesIO(path.read_bytes())
    return pickle.load(data), pickle.load(data)


def write_kept(path: Path, made_by: object, rules: object) -> None:
    path.write_bytes(pickle.dumps(made_by) + pickle.dumps(rules))


def made_by_with(path: Path, index: int, value: object) -> None:
    """Rewrite the kept file with one part of what made it changed."""
    made_by, rules = read_kept(path)
    changed = list(made_by)
    changed[index] = value
    write_kept(path, tuple(changed), rules)


def parsed_bare_stylesheet() -> Stylesheet:
    """The stylesheet of Textual's bare app, its default CSS parsed (as at its start)."""
    app = App()
    for read_from, css, tie_breaker, scope in app._get_default_css():
        app.stylesheet.add_source(
            css, read_from=read_from, is_default_css=True, tie_breaker=tie_breaker, scope=scope
        )
    app.stylesheet.parse()
    return app.stylesheet


@pytest.fixture
def kept_file(tmp_path: Path) -> Path:
    """A file kept by a start of Textual's bare app."""
    path = tmp_path / "cache" / "css-rules.pickle"
    assert CssRuleCache(path).save(parsed_bare_stylesheet())
    return path


def test_a_file_kept_for_these_variables_fills_the_parse_cache(kept_file: Path) -> None:
    stylesheet = App().stylesheet
    assert CssRuleCache(kept_file).fill(stylesheet) > 0
    assert len(stylesheet._parse_cache) > 0


@pytest.mark.parametrize(
    "damage",
    [
        "other theme variables",
        "another Textual",
        "another Python",
        "another format",
        "not a payload",
        "rules not a mapping",
        "rules of another shape",
        "truncated",
        "not a pickle",
        "too large",
        "writable by its group",
        "writable by others",
        "a folder writable by others",
        "someone else's",
        "a symlink",
        "a FIFO",
    ],
)
def test_a_file_from_elsewhere_is_not_used(
    kept_file: Path, damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stylesheet = App().stylesheet
    made_by = read_kept(kept_file)[0]
    if damage == "other theme variables":
        variables = made_by[3]
        assert isinstance(variables, dict)
        made_by_with(kept_file, 3, {**variables, "primary": "#FF0000"})
    elif damage == "another Textual":
        files = made_by[2]
        assert isinstance(files, tuple)
        made_by_with(kept_file, 2, (("css/parse.py", 1, 2, 3), *files[1:]))
    elif damage == "another Python":
        made_by_with(kept_file, 1, "2.7.18")
    elif damage == "another format":
        made_by_with(kept_file, 0, css_cache.FORMAT + 1)
    elif damage == "not a payload":
        kept_file.write_bytes(pickle.dumps(["rules"]))
    elif damage == "rules not a mapping":
        write_kept(kept_file, made_by, ["App.DEFAULT_CSS"])
    elif damage == "rules of another shape":
        write_kept(kept_file, made_by, {"App.DEFAULT_CSS": "App { color: red; }"})
    elif damage == "truncated":
        kept_file.write_bytes(kept_file.read_bytes()[:100])
    elif damage == "not a pickle":
        kept_file.write_text("App { color: red; }", encoding="utf-8")
    elif damage == "too large":
        with kept_file.open("ab") as file:
            file.truncate(css_cache.MAX_BYTES + 1)
    elif damage == "writable by its group":
        kept_file.chmod(0o620)
    elif damage == "writable by others":
        kept_file.chmod(0o602)
    elif damage == "a folder writable by others":
        kept_file.parent.chmod(0o777)
    elif damage == "someone else's":
        uid = os.getuid()
        monkeypatch.setattr(os, "getuid", lambda: uid + 1)
    elif damage == "a symlink":
        target = tmp_path / "elsewhere.pickle"
        target.write_bytes(kept_file.read_bytes())
        kept_file.unlink()
        kept_file.symlink_to(target)
    elif damage == "a FIFO":
        kept_file.unlink()
        os.mkfifo(kept_file)
    filled: list[int] = []
    # (in a thread: a start that waited for a writer to a FIFO would hang the test)
    reader = threading.Thread(
        target=lambda: filled.append(CssRuleCache(kept_file).fill(stylesheet)), daemon=True
    )
    reader.start()
    reader.join(timeout=10)
    assert filled == [0]
    assert len(stylesheet._parse_cache) == 0


def test_no_file_no_folder_no_rules(tmp_path: Path) -> None:
    stylesheet = App().stylesheet
    assert CssRuleCache(tmp_path / "none" / "css-rules.pickle").fill(stylesheet) == 0


def test_a_folder_that_cannot_be_made_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "a file").write_text("", encoding="utf-8")
    path = tmp_path / "a file" / "css-rules.pickle"
    assert not CssRuleCache(path).save(parsed_bare_stylesheet())


def test_nothing_parsed_nothing_written(tmp_path: Path) -> None:
    path = tmp_path / "css-rules.pickle"
    assert not CssRuleCache(path).save(App().stylesheet)
    assert not path.exists()


def test_rules_already_kept_are_not_written_again(kept_file: Path) -> None:
    cache = CssRuleCache(kept_file)
    stylesheet = App().stylesheet
    assert cache.fill(stylesheet) > 0
    before = kept_file.stat().st_mtime_ns
    os.utime(kept_file, ns=(before - 10**9, before - 10**9))
    assert not cache.save(stylesheet)
    assert kept_file.stat().st_mtime_ns == before - 10**9


async def test_the_app_keeps_its_rules_a_while_after_its_first_frame(
    transport: httpx.ASGITransport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not only when it ends: a run killed later (a closed SSH session) kept them already.
    monkeypatch.setattr("tui.ui.app.CSS_KEEP_DELAY", 0.05)
    path = tmp_path / "cache" / "css-rules.pickle"
    app = RecordingWalletApp(
        demo_settings(),
        Secrets(api_key=Secret(DEMO_API_KEY)),
        transport=transport,
        system_clipboard=False,
        css_cache=CssRuleCache(path),
    )
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_of(app, pilot)
        await wait_until(pilot, path.exists)
        assert CssRuleCache(path).fill(App().stylesheet) > 0


def test_the_rules_of_a_changed_stylesheet_replace_the_old_ones(kept_file: Path) -> None:
    # An upgrade (or an edited file) changed a stylesheet's text: its new rules are kept,
    # and the old ones dropped, not carried from file to file.
    cache = CssRuleCache(kept_file)
    stylesheet = App().stylesheet
    assert cache.fill(stylesheet) > 0
    before = {key[1]: key[0] for key in read_kept(kept_file)[1]}
    app_css = ("app.py", "App.DEFAULT_CSS")
    (read_from,) = [where for where in before if where[1] == app_css[1]]
    changed = before[read_from] + "\nApp { color: red; }"
    stylesheet.add_source(changed, read_from=read_from, is_default_css=True)
    stylesheet.parse()
    assert cache.save(stylesheet)
    after = [key for key in read_kept(kept_file)[1] if key[1] == read_from]
    assert [key[0] for key in after] == [changed]


def test_rules_with_a_grid_layout_are_not_kept(tmp_path: Path) -> None:
    # A grid (or stream) layout object keeps what it last laid out: parsed afresh each time.
    path = tmp_path / "css-rules.pickle"
    stylesheet = parsed_bare_stylesheet()
    stylesheet.add_source("Grid { layout: grid; }", read_from=("grid.tcss", ""))
    stylesheet.add_source("Row { layout: horizontal; }", read_from=("row.tcss", ""))
    stylesheet.parse()
    assert CssRuleCache(path).save(stylesheet)
    kept_from = {key[1] for key in read_kept(path)[1]}
    assert ("row.tcss", "") in kept_from and ("grid.tcss", "") not in kept_from


def test_nothing_is_kept_for_a_theme_chosen_since_the_start(kept_file: Path) -> None:
    # The next start begins with the variables this one began with: rules for the theme
    # chosen since (or restored at start) would only replace those it can use.
    cache = CssRuleCache(kept_file)
    app = App()
    assert cache.fill(app.stylesheet) > 0
    app.stylesheet.set_variables({**app.get_css_variables(), "primary": "#FF0000"})
    app.stylesheet.add_source("Row { color: $primary; }", read_from=("row.tcss", ""))
    app.stylesheet.parse()
    assert not cache.save(app.stylesheet)
    assert ("row.tcss", "") not in {key[1] for key in read_kept(kept_file)[1]}


def test_a_folder_others_can_write_to_gets_no_file(tmp_path: Path) -> None:
    # Someone else could put a link there for the app to write through.
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    assert not CssRuleCache(folder / "css-rules.pickle").save(parsed_bare_stylesheet())
    assert list(folder.iterdir()) == []


def test_a_parse_cache_of_another_shape_is_no_error(kept_file: Path) -> None:
    class Odd:
        def set(self, key: object, value: object) -> None:
            raise TypeError("not this way")

        def keys(self) -> list[object]:
            return ["not a key"]

        def get(self, key: object) -> object:
            raise KeyError(key)

    stylesheet = App().stylesheet
    stylesheet._parse_cache = Odd()  # type: ignore[assignment]
    cache = CssRuleCache(kept_file)
    assert cache.fill(stylesheet) == 0
    assert not cache.save(stylesheet)


async def test_a_start_with_a_chosen_theme_styles_as_without_the_file_and_keeps_it(
    transport: httpx.ASGITransport, tmp_path: Path, parsed: list[str]
) -> None:
    # The theme chosen last time comes back at start (tui/ui/app.py, _restore_theme):
    # Textual parses every stylesheet again for its variables, as without a file.
    path = tmp_path / "cache" / "css-rules.pickle"
    await run_dashboard(transport, CssRuleCache(path))  # the default theme's rules
    kept_before = path.read_bytes()
    remember("theme", "nord")
    without = await run_dashboard(transport, None)
    assert await run_dashboard(transport, CssRuleCache(path)) == without
    assert path.read_bytes() == kept_before  # still the default theme's, for the next start
