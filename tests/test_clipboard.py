"""Each copy path, with fakes of tmux (an executable on PATH) and of pyperclip.

A copy must never claim what it cannot confirm: pyperclip and tmux say whether they
ran; OSC 52 is only sent. The notification's words follow from that.
"""

from __future__ import annotations

import base64
import re
import stat
import sys
import types
from pathlib import Path

import pytest

from tui.ui import clipboard
from tui.ui.clipboard import (
    OSC_52,
    OSC_52_SCREEN,
    SYSTEM_CLIPBOARD,
    TMUX_BUFFER,
    CopyResult,
    copy_outside,
    copy_text,
    osc52,
    screen_osc52,
    send_to_terminal,
    tmux_load_buffer,
)

ADDRESS = "bc1qml80wt4gjpulzndtxwtz6fsdnsl8jgnluxaad4"


def fake_tmux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, knows_w: bool) -> Path:
    """A `tmux` on PATH that logs its arguments and stdin; an old one refuses `-w`."""
    log = tmp_path / "tmux.log"
    script = tmp_path / "bin" / "tmux"
    script.parent.mkdir()
    refuse = "" if knows_w else 'case "$*" in *-w*) echo "unknown flag -w" >&2; exit 1;; esac\n'
    script.write_text(f'#!/bin/sh\n{refuse}echo "ARGS $*" >> {log}\ncat >> {log}\necho >> {log}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{script.parent}:/usr/bin:/bin")  # (cat, for the fake)
    return log


def test_tmux_load_buffer_with_w(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = fake_tmux(tmp_path, monkeypatch, knows_w=True)
    assert tmux_load_buffer(ADDRESS) is True
    assert log.read_text().splitlines() == ["ARGS load-buffer -w -", ADDRESS]


def test_an_old_tmux_gets_the_buffer_without_w(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_tmux(tmp_path, monkeypatch, knows_w=False)
    assert tmux_load_buffer(ADDRESS) is True
    assert log.read_text().splitlines() == ["ARGS load-buffer -", ADDRESS]


def test_no_tmux_binary_or_a_failing_one_is_not_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing there
    assert tmux_load_buffer(ADDRESS) is False
    broken = tmp_path / "tmux"
    broken.write_text("#!/bin/sh\necho 'no server running' >&2\nexit 1\n")
    broken.chmod(0o755)
    assert tmux_load_buffer(ADDRESS) is False


def test_tmux_is_used_only_inside_tmux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = fake_tmux(tmp_path, monkeypatch, knows_w=True)
    assert copy_outside(ADDRESS, environ={}, system=lambda _: False) == ()
    assert not log.exists()
    ran = copy_outside(ADDRESS, environ={"TMUX": "/tmp/tmux-0/default,1,0"}, system=lambda _: False)
    assert ran == (TMUX_BUFFER,)
    assert ADDRESS in log.read_text()


def fake_pyperclip(monkeypatch: pytest.MonkeyPatch, *, works: bool) -> list[str]:
    copied: list[str] = []
    module = types.ModuleType("pyperclip")

    class PyperclipException(RuntimeError):
        pass

    def copy(text: str) -> None:
        if not works:
            raise PyperclipException("could not find a copy/paste mechanism")
        copied.append(text)

    module.PyperclipException = PyperclipException  # type: ignore[attr-defined]
    module.copy = copy  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyperclip", module)
    return copied


def test_pyperclip_ran_or_had_no_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    copied = fake_pyperclip(monkeypatch, works=True)
    assert copy_outside(ADDRESS, environ={}) == (SYSTEM_CLIPBOARD,)
    assert copied == [ADDRESS]
    fake_pyperclip(monkeypatch, works=False)
    assert copy_outside(ADDRESS, environ={}) == ()


def decoded_osc52(written: str) -> str:
    match = re.fullmatch(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", written)
    assert match, repr(written)
    return base64.b64decode(match.group(1)).decode("utf-8")


def test_osc52_is_sent_plain_and_inside_screen_also_wrapped() -> None:
    written: list[str] = []
    assert send_to_terminal("addr ü", written.append, {}) == (OSC_52,)
    assert [decoded_osc52(w) for w in written] == ["addr ü"]

    written.clear()
    long_text = "x" * 500 + "é"
    sent = send_to_terminal(long_text, written.append, {"STY": "1234.pts-0.host"})
    assert sent == (OSC_52, OSC_52_SCREEN)
    plain, wrapped = written
    assert decoded_osc52(plain) == long_text
    # Screen's passthrough: ESC P ... ESC \ pieces, none longer than screen accepts,
    # whose bodies joined are the plain sequence.
    pieces = re.findall(r"\x1bP(.*?)\x1b\\", wrapped, flags=re.S)
    assert "".join(f"\x1bP{p}\x1b\\" for p in pieces) == wrapped
    assert len(pieces) > 5 and all(len(p) <= 90 for p in pieces)
    assert decoded_osc52("".join(pieces)) == long_text


def test_no_terminal_sends_nothing() -> None:
    assert send_to_terminal(ADDRESS, None, {"STY": "1"}) == ()


def test_screen_osc52_of_empty_text_is_well_formed() -> None:
    assert screen_osc52("") == "\x1bP\x1b]52;c;\x07\x1b\\"
    assert osc52("") == "\x1b]52;c;\x07"


@pytest.mark.parametrize(
    ("result", "verb", "how"),
    [
        (
            CopyResult("a", (SYSTEM_CLIPBOARD, TMUX_BUFFER), (OSC_52,)),
            "copied",
            "copied (system clipboard, tmux buffer)",
        ),
        (CopyResult("a", (TMUX_BUFFER,), (OSC_52,)), "copied", "copied (tmux buffer)"),
        (
            CopyResult("a", (), (OSC_52,)),
            "sent to the terminal",
            "sent to the terminal's clipboard (OSC 52): if nothing pastes, see README, "
            "Copying over SSH and tmux",
        ),
        (CopyResult("a"), "not copied", None),
    ],
)
def test_the_notice_says_what_ran_and_what_was_only_sent(
    result: CopyResult, verb: str, how: str | None
) -> None:
    assert result.verb() == verb
    assert result.confirmed is bool(result.ran)
    if how is not None:
        assert result.how() == how


class FakeDriver:
    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)


class FakeApp:
    def __init__(self, driver: FakeDriver | None) -> None:
        self._driver = driver
        self._clipboard = ""


async def test_copy_text_runs_every_path_and_cleans_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_tmux(tmp_path, monkeypatch, knows_w=True)
    copied = fake_pyperclip(monkeypatch, works=True)
    driver = FakeDriver()
    app = FakeApp(driver)
    env = {"TMUX": "/tmp/tmux-0/default,1,0", "STY": "1.x"}
    result = await copy_text(app, "ad\x1b]52;c;eA==\x07dr", environ=env)  # type: ignore[arg-type]
    assert result == CopyResult(
        "ad]52;c;eA==dr", (SYSTEM_CLIPBOARD, TMUX_BUFFER), (OSC_52, OSC_52_SCREEN)
    )
    assert app._clipboard == copied[0] == result.text
    assert result.text in log.read_text()
    assert decoded_osc52(driver.written[0]) == result.text


async def test_copy_text_without_system_paths_only_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "copy_outside", pytest.fail)
    app = FakeApp(FakeDriver())
    result = await copy_text(app, ADDRESS, system_clipboard=False, environ={"TMUX": "x"})  # type: ignore[arg-type]
    assert result == CopyResult(ADDRESS, (), (OSC_52,))
    no_terminal = await copy_text(FakeApp(None), ADDRESS, system_clipboard=False, environ={})  # type: ignore[arg-type]
    assert no_terminal.verb() == "not copied"
