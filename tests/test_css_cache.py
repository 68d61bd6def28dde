"""The parsed stylesheets kept between runs (tui/ui/css_cache.py).

A start with the file an earlier run kept parses none of the stylesheets it holds and
gets the very rules a parse makes; a file from elsewhere (another Textual, other theme
variables, damaged, someone else's) is left alone and the start parses as before.
"""

from __future__ import annotations

import os
import pickle
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
                {name: plain(value) for name, value in rule.styles.get_rules().items()},
            )
            for rule in app.stylesheet.rules
        ]
    return rules


def plain(value: object) -> object:
    """A style's value, comparable between two parses: values (colours, scalars, spacing
    are tuples) as they are, objects without a value of their own (a layout) by class."""
    if isinstance(value, (str, int, float, tuple, frozenset, type(None))):
        return value
    return type(value).__name__


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


def kept(path: Path, **payload_changes: object) -> None:
    """Rewrite the kept file with parts of its payload changed."""
    payload = pickle.loads(path.read_bytes())
    payload.update(payload_changes)
    path.write_bytes(pickle.dumps(payload))


def made_by_with(index: int, value: object, path: Path) -> tuple[object, ...]:
    made_by = list(pickle.loads(path.read_bytes())["made_by"])
    made_by[index] = value
    return tuple(made_by)


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
        "writable by others",
        "a folder writable by others",
        "a symlink",
    ],
)
def test_a_file_from_elsewhere_is_not_used(kept_file: Path, damage: str, tmp_path: Path) -> None:
    stylesheet = App().stylesheet
    made_by = pickle.loads(kept_file.read_bytes())["made_by"]
    if damage == "other theme variables":
        kept(kept_file, made_by=made_by_with(3, {**made_by[3], "primary": "#FF0000"}, kept_file))
    elif damage == "another Textual":
        files = (("css/parse.py", 1, 2, 3), *made_by[2][1:])
        kept(kept_file, made_by=made_by_with(2, files, kept_file))
    elif damage == "another Python":
        kept(kept_file, made_by=made_by_with(1, "2.7.18", kept_file))
    elif damage == "another format":
        kept(kept_file, made_by=made_by_with(0, css_cache.FORMAT + 1, kept_file))
    elif damage == "not a payload":
        kept_file.write_bytes(pickle.dumps(["rules"]))
    elif damage == "rules not a mapping":
        kept(kept_file, rules=["App.DEFAULT_CSS"])
    elif damage == "rules of another shape":
        kept(kept_file, rules={"App.DEFAULT_CSS": "App { color: red; }"})
    elif damage == "truncated":
        kept_file.write_bytes(kept_file.read_bytes()[:100])
    elif damage == "not a pickle":
        kept_file.write_text("App { color: red; }", encoding="utf-8")
    elif damage == "too large":
        with kept_file.open("ab") as file:
            file.truncate(css_cache.MAX_BYTES + 1)
    elif damage == "writable by others":
        kept_file.chmod(0o622)
    elif damage == "a folder writable by others":
        kept_file.parent.chmod(0o777)
    elif damage == "a symlink":
        target = tmp_path / "elsewhere.pickle"
        target.write_bytes(kept_file.read_bytes())
        kept_file.unlink()
        kept_file.symlink_to(target)
    assert CssRuleCache(kept_file).fill(stylesheet) == 0
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
    kept_file.touch()
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
