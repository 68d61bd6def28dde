"""Each copy path, with fakes of tmux (an executable on PATH) and of pyperclip.

Inside tmux one copy must leave one tmux buffer: what the real tmux 3.3a does was
tried by hand (see README, Copying over SSH and tmux): `load-buffer -w` makes one
buffer and hands the text on; an application's plain OSC 52 is dropped with
`set-clipboard external` and `off`, and kept as a second buffer with `on`.

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
    OSC_52_TMUX,
    SYSTEM_CLIPBOARD,
    TMUX_BUFFER,
    TMUX_FORMAT,
    CopyResult,
    Outside,
    TmuxCopy,
    copy_outside,
    copy_text,
    osc52,
    screen_osc52,
    send_to_terminal,
    tmux_load_buffer,
    tmux_osc52,
)

ADDRESS = "bc1qml80wt4gjpulzndtxwtz6fsdnsl8jgnluxaad4"
XTERM = "xterm-256color|256,clipboard,focus,title"
IN_TMUX = {"TMUX": "/tmp/tmux-0/default,1,0"}


def fake_tmux(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    set_clipboard: str = "external",
    client: str = XTERM,
    knows_w: bool = True,
    server: bool = True,
) -> Path:
    """A `tmux` on PATH that logs what it is asked and answers `display-message` with
    the `set-clipboard` option and the client's terminal (name|features); an old one
    (before 3.2) refuses `-w` and lists no features; without a server it fails."""
    log = tmp_path / "tmux.log"
    script = tmp_path / "bin" / "tmux"
    script.parent.mkdir()
    if not knows_w:
        client = client.split("|")[0] + "|"
    script.write_text(
        "#!/bin/sh\n"
        + ("" if server else "echo 'no server running' >&2; exit 1\n")
        + f'echo "ARGS $*" >> {log}\n'
        + 'case "$1" in\n'
        + f"  display-message) echo '{set_clipboard}|{client}' ;;\n"
        + "  load-buffer) "
        + ("" if knows_w else 'case "$*" in *-w*) echo "unknown flag -w" >&2; exit 1;; esac; ')
        + f"cat >> {log}; echo >> {log} ;;\n"
        + "esac\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{script.parent}:/usr/bin:/bin")  # (cat, for the fake)
    return log


def test_tmux_load_buffer_with_w(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = fake_tmux(tmp_path, monkeypatch, knows_w=True)
    assert tmux_load_buffer(ADDRESS) == TmuxCopy(
        True, True, "external", "xterm-256color", frozenset({"256", "clipboard", "focus", "title"})
    )
    assert log.read_text().splitlines() == [
        "ARGS load-buffer -w -",
        ADDRESS,
        f"ARGS display-message -p {TMUX_FORMAT}",
    ]


def test_an_old_tmux_gets_the_buffer_without_w(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_tmux(tmp_path, monkeypatch, knows_w=False)
    assert tmux_load_buffer(ADDRESS) == TmuxCopy(True, False, "external", "xterm-256color")
    assert [line for line in log.read_text().splitlines() if "display" not in line] == [
        "ARGS load-buffer -w -",
        "ARGS load-buffer -",
        ADDRESS,
    ]


def test_no_tmux_binary_or_a_failing_one_is_not_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing there
    assert tmux_load_buffer(ADDRESS).loaded is False
    broken = tmp_path / "tmux"
    broken.write_text("#!/bin/sh\necho 'no server running' >&2\nexit 1\n")
    broken.chmod(0o755)
    assert tmux_load_buffer(ADDRESS) == TmuxCopy(False)


def test_tmux_is_used_only_inside_tmux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = fake_tmux(tmp_path, monkeypatch, knows_w=True)
    assert copy_outside(ADDRESS, environ={}, system=lambda _: False) == Outside()
    assert not log.exists()
    done = copy_outside(
        ADDRESS, environ={"TMUX": "/tmp/tmux-0/default,1,0"}, system=lambda _: False
    )
    assert done.ran == (TMUX_BUFFER,) and done.tmux is not None and done.tmux.loaded
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
    assert copy_outside(ADDRESS, environ={}).ran == (SYSTEM_CLIPBOARD,)
    assert copied == [ADDRESS]
    fake_pyperclip(monkeypatch, works=False)
    assert copy_outside(ADDRESS, environ={}) == Outside()


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
            CopyResult("a", (SYSTEM_CLIPBOARD, TMUX_BUFFER), (), "tmux passed it on"),
            "copied",
            "copied (system clipboard, tmux buffer); tmux passed it on",
        ),
        (CopyResult("a", (SYSTEM_CLIPBOARD,), (OSC_52,)), "copied", "copied (system clipboard)"),
        (
            CopyResult("a", (TMUX_BUFFER,), (OSC_52_TMUX,)),
            "copied",
            "copied (tmux buffer); sent to the terminal's clipboard (OSC 52 through tmux)",
        ),
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
    env = {"STY": "1.x"}
    result = await copy_text(app, "ad\x1b]52;c;eA==\x07dr", environ=env)  # type: ignore[arg-type]
    assert result == CopyResult("ad]52;c;eA==dr", (SYSTEM_CLIPBOARD,), (OSC_52, OSC_52_SCREEN))
    assert app._clipboard == copied[0] == result.text
    assert [decoded_osc52(w) for w in driver.written[:1]] == [result.text]
    assert not log.exists()  # not inside tmux

    # Inside tmux: the buffer (tmux hands it on itself), no OSC 52 besides.
    driver.written.clear()
    env = {"TMUX": "/tmp/tmux-0/default,1,0", "STY": "1.x"}
    result = await copy_text(app, "ad\x1b]52;c;eA==\x07dr", environ=env)  # type: ignore[arg-type]
    assert result.ran == (SYSTEM_CLIPBOARD, TMUX_BUFFER) and result.sent == ()
    assert result.text in log.read_text()
    assert driver.written == []


async def test_copy_text_without_system_paths_only_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "copy_outside", pytest.fail)
    app = FakeApp(FakeDriver())
    result = await copy_text(app, ADDRESS, system_clipboard=False, environ={"TMUX": "x"})  # type: ignore[arg-type]
    assert result == CopyResult(ADDRESS, (), (OSC_52,))
    no_terminal = await copy_text(FakeApp(None), ADDRESS, system_clipboard=False, environ={})  # type: ignore[arg-type]
    assert no_terminal.verb() == "not copied"


# Inside tmux: one buffer per copy, whatever tmux, and truthful words -------------


def no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    """No system clipboard (a headless or SSH session): pyperclip finds no backend."""
    import pyperclip

    def refuse(_text: str) -> None:
        raise pyperclip.PyperclipException("could not find a copy/paste mechanism")

    monkeypatch.setattr(pyperclip, "copy", refuse)


async def copy(env: dict[str, str]) -> tuple[CopyResult, list[str]]:
    terminal = FakeDriver()
    result = await copy_text(FakeApp(terminal), ADDRESS, environ=env)  # type: ignore[arg-type]
    return result, terminal.written


def loads(log: Path) -> list[str]:
    """The `load-buffer` calls tmux accepted or refused, with what each was given."""
    return [line for line in log.read_text().splitlines() if "load-buffer" in line]


@pytest.mark.parametrize("set_clipboard", ["external", "on"])
async def test_tmux_hands_the_text_on_and_the_app_sends_no_second_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, set_clipboard: str
) -> None:
    # With `on`, a plain OSC 52 besides `load-buffer -w` was a second, identical buffer.
    no_desktop(monkeypatch)
    log = fake_tmux(tmp_path, monkeypatch, set_clipboard=set_clipboard)
    result, written = await copy(IN_TMUX)
    assert loads(log) == ["ARGS load-buffer -w -"]
    assert f"\n{ADDRESS}\n" in log.read_text()
    assert written == []
    assert result == CopyResult(
        ADDRESS, (TMUX_BUFFER,), (), "tmux passed it on to the terminal's clipboard"
    )
    assert result.how() == "copied (tmux buffer); tmux passed it on to the terminal's clipboard"


async def test_set_clipboard_off_gets_the_buffer_only_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_desktop(monkeypatch)
    fake_tmux(tmp_path, monkeypatch, set_clipboard="off")
    result, written = await copy(IN_TMUX)
    assert written == []  # tmux would drop it: the user has told tmux not to
    assert result.ran == (TMUX_BUFFER,) and result.verb() == "copied"
    assert result.how() == (
        "copied (tmux buffer); tmux has set-clipboard off: "
        "not passed on to the terminal's clipboard"
    )


@pytest.mark.parametrize("set_clipboard", ["external", "on"])
async def test_a_tmux_before_3_2_gets_the_buffer_and_osc52_through_its_passthrough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, set_clipboard: str
) -> None:
    # No `-w`: the buffer alone does not reach the terminal. A plain OSC 52 would be
    # dropped (`external`) or kept as a second buffer (`on`); the passthrough is neither.
    no_desktop(monkeypatch)
    log = fake_tmux(tmp_path, monkeypatch, set_clipboard=set_clipboard, knows_w=False)
    result, written = await copy(IN_TMUX)
    assert loads(log) == ["ARGS load-buffer -w -", "ARGS load-buffer -"]
    assert written == [tmux_osc52(ADDRESS)]
    assert result == CopyResult(ADDRESS, (TMUX_BUFFER,), (OSC_52_TMUX,))
    assert result.how() == (
        "copied (tmux buffer); sent to the terminal's clipboard (OSC 52 through tmux)"
    )


async def test_a_tmux_before_3_2_with_set_clipboard_off_gets_the_buffer_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_desktop(monkeypatch)
    fake_tmux(tmp_path, monkeypatch, set_clipboard="off", knows_w=False)
    result, written = await copy(IN_TMUX)
    assert written == []
    assert result.ran == (TMUX_BUFFER,) and result.sent == ()
    assert "set-clipboard off" in result.how()


def test_tmux_passthrough_carries_the_whole_osc52() -> None:
    wrapped = tmux_osc52("addr ü")
    assert wrapped.startswith("\x1bPtmux;") and wrapped.endswith("\x1b\\")
    body = wrapped[len("\x1bPtmux;") : -2]
    assert "\x1b" not in body.replace("\x1b\x1b", "")  # every ESC inside is doubled
    assert decoded_osc52(body.replace("\x1b\x1b", "\x1b")) == "addr ü"


async def test_gnu_screen_inside_tmux_leaves_one_buffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Screen's passthrough reaches tmux as a plain OSC 52: with `on` a second buffer.
    # tmux's own `-w` reaches the terminal outside both (tried by hand: one buffer).
    no_desktop(monkeypatch)
    log = fake_tmux(tmp_path, monkeypatch, set_clipboard="on")
    result, written = await copy({**IN_TMUX, "STY": "4242.pts-3.host"})
    assert loads(log) == ["ARGS load-buffer -w -"]
    assert written == []
    assert result.ran == (TMUX_BUFFER,) and result.sent == ()


@pytest.mark.parametrize(
    ("client", "said"),
    [
        # Nested: the inner tmux's client runs in the outer tmux's pane (tmux 3.3a
        # detects it and lists `clipboard`); `-w` reaches the outer tmux, which keeps
        # it (a buffer, and on to the terminal) with `on` and drops it with `external`
        # (tried by hand with two tmux 3.3a servers).
        (
            "tmux-256color|256,bpaste,clipboard,RGB,title",
            "passed on to the outer tmux, which keeps it only with its set-clipboard on",
        ),
        # tmux inside GNU screen: screen has no clipboard to take it.
        (
            "screen.xterm-256color|256,clipboard",
            "passed on to screen.xterm-256color, which may not pass it on",
        ),
        # A terminal tmux lists no clipboard for: tmux sends nothing on.
        (
            "screen|256,title",
            "tmux knows no clipboard for its terminal (screen): "
            "not passed on (see tmux's terminal-features)",
        ),
    ],
)
async def test_where_tmux_hands_the_text_on_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: str, said: str
) -> None:
    no_desktop(monkeypatch)
    fake_tmux(tmp_path, monkeypatch, client=client)
    result, written = await copy(IN_TMUX)
    assert written == [] and result.ran == (TMUX_BUFFER,)
    assert result.how() == f"copied (tmux buffer); {said}"


@pytest.mark.parametrize("sty", [False, True])
async def test_a_tmux_that_does_not_answer_leaves_osc52_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sty: bool
) -> None:
    # $TMUX names a server that is gone (a shell kept after it): the terminal may still
    # read OSC 52, and screen its wrapped form.
    no_desktop(monkeypatch)
    fake_tmux(tmp_path, monkeypatch, server=False)
    env = {**IN_TMUX, **({"STY": "1.x"} if sty else {})}
    result, written = await copy(env)
    assert result.ran == ()
    assert result.sent == ((OSC_52, OSC_52_SCREEN) if sty else (OSC_52,))
    assert decoded_osc52(written[0]) == ADDRESS
    assert result.verb() == "sent to the terminal"


async def test_over_ssh_without_tmux_only_osc52_goes_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_desktop(monkeypatch)
    log = fake_tmux(tmp_path, monkeypatch)  # on the machine, but this session is not in it
    result, written = await copy({"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"})
    assert not log.exists()
    assert [decoded_osc52(w) for w in written] == [ADDRESS]
    assert result == CopyResult(ADDRESS, (), (OSC_52,))
    assert result.how().startswith("sent to the terminal's clipboard (OSC 52)")


def test_what_tmux_says_of_itself_is_read_whole_or_defaulted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tmux(tmp_path, monkeypatch, set_clipboard="bogus", client="|")
    done = tmux_load_buffer(ADDRESS)
    assert done == TmuxCopy(True, True, "external", "", None)  # tmux's default
    assert done.passes_on  # no feature list (tmux < 3.2 lists none): tmux decides
