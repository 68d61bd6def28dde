"""The one copy function of the app: every clipboard path there is, and what each did.

Paths, chosen on each copy so that one copy makes one tmux buffer and reaches the
terminal's clipboard wherever a path there is can reach it:

- **system clipboard** (pyperclip: xclip, wl-copy, pbcopy...): the desktop's clipboard
  where there is one. It *ran* when pyperclip returned without error.
- **tmux buffer** (inside tmux, `$TMUX` set): `tmux load-buffer -w -` puts the text in
  tmux's paste buffer and (tmux 3.2+, `-w`) has tmux hand it on to the terminal
  outside, as tmux does with its own copy mode: with `set-clipboard` `on` or
  `external` (the default), when tmux knows that terminal takes a clipboard. It *ran*
  when tmux exited 0. The app then sends no OSC 52 of its own: tmux drops it
  (`external`, `off`) or, with `on`, keeps it as a second buffer of the same text.
  An older tmux refuses `-w`: the buffer is loaded without it, and the text goes to
  the terminal outside as OSC 52 wrapped in tmux's DCS passthrough (which every tmux
  before 3.3 lets through), unless `set-clipboard` is `off`.
- **OSC 52** (outside tmux, or where tmux did not answer): the escape sequence that
  asks the terminal to set the clipboard of the machine the user sits at, over SSH
  too. Inside GNU screen (`$STY` set) it is also sent wrapped in screen's DCS
  passthrough, in chunks short enough for screen's string buffer. No one confirms
  OSC 52: it is only *sent*, and the notification says so.

`copy_text` is what the screens call: text in, a `CopyResult` out that names what ran,
what was only sent and where tmux took it, and gives the notification's words.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from textual.app import App

from tui.api.text import clean_text

SYSTEM_CLIPBOARD = "system clipboard"
TMUX_BUFFER = "tmux buffer"
OSC_52 = "OSC 52"
OSC_52_SCREEN = "OSC 52 through screen"
OSC_52_TMUX = "OSC 52 through tmux"

#: Base64 characters per DCS chunk for GNU screen: its string buffer holds 768 bytes
#: in older releases; 76 is what vim-oscyank and others use and screen 4.x accepts.
SCREEN_CHUNK = 76
#: Seconds to wait for `tmux load-buffer`; a wedged tmux server must not hang a copy.
TMUX_TIMEOUT = 3.0
#: What the tmux server is asked before a copy: its `set-clipboard` option, and the
#: name and features of the terminal its client runs in (tmux 3.2+ lists features).
TMUX_FORMAT = "#{set-clipboard}|#{client_termname}|#{client_termfeatures}"

Run = Callable[..., subprocess.CompletedProcess[bytes]]


@dataclass(frozen=True, slots=True)
class TmuxCopy:
    """What `tmux load-buffer` did, and what the tmux server said of itself.

    `loaded`: the text is in a tmux buffer. `forwards`: tmux accepted `-w` (3.2+) and
    so hands the text on itself. `set_clipboard`: tmux's option ("on", "external",
    "off"; "external", tmux's default, when tmux did not say). `terminal`: the
    terminal tmux's client runs in (`client_termname`, "" unknown). `features`: the
    features tmux knows of that terminal (None: tmux older than 3.2 lists none).
    """

    loaded: bool
    forwards: bool = False
    set_clipboard: str = "external"
    terminal: str = ""
    features: frozenset[str] | None = None

    @property
    def passes_on(self) -> bool:
        """True when tmux itself sends the loaded text to the terminal outside it."""
        if not (self.loaded and self.forwards) or self.set_clipboard == "off":
            return False
        return self.features is None or "clipboard" in self.features

    @property
    def nested(self) -> bool:
        """True when tmux runs inside another tmux (or screen), not in a terminal."""
        return self.terminal.startswith(("tmux", "screen"))

    def note(self) -> str:
        """Where the text went beyond tmux's buffer, for the notification ("" nothing)."""
        if not self.loaded:
            return ""
        if self.set_clipboard == "off":
            return "tmux has set-clipboard off: not passed on to the terminal's clipboard"
        if not self.forwards:
            return ""  # an old tmux: the app's own OSC 52 through tmux, in `sent`
        if not self.passes_on:
            return (
                f"tmux knows no clipboard for its terminal ({self.terminal or 'unknown'}): "
                "not passed on (see tmux's terminal-features)"
            )
        if self.nested:
            return (
                "passed on to the outer tmux, which keeps it only with its set-clipboard on"
                if self.terminal.startswith("tmux")
                else f"passed on to {self.terminal}, which may not pass it on"
            )
        return "tmux passed it on to the terminal's clipboard"


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What one copy did.

    `ran`: paths that confirmed the copy (SYSTEM_CLIPBOARD, TMUX_BUFFER). `sent`: paths
    whose escape sequence went to the terminal with no confirmation (OSC_52,
    OSC_52_SCREEN, OSC_52_TMUX). `text`: what was copied (printable characters only).
    `note`: where tmux took it beyond its buffer, or why not (see `TmuxCopy.note`).
    """

    text: str
    ran: tuple[str, ...] = ()
    sent: tuple[str, ...] = ()
    note: str = ""

    @property
    def confirmed(self) -> bool:
        """True when at least one path confirmed the copy."""
        return bool(self.ran)

    def verb(self) -> str:
        """ "copied", "sent to the terminal" or "not copied", for a notification's title."""
        if self.ran:
            return "copied"
        return "sent to the terminal" if self.sent else "not copied"

    def how(self) -> str:
        """Where the text went, for a notification's last line."""
        if self.ran:
            line = f"copied ({', '.join(self.ran)})"
            if TMUX_BUFFER in self.ran and self.sent:
                line += f"; sent to the terminal's clipboard ({', '.join(self.sent)})"
            return f"{line}; {self.note}" if self.note else line
        if self.sent:
            return (
                f"sent to the terminal's clipboard ({', '.join(self.sent)}): "
                "if nothing pastes, see README, Copying over SSH and tmux"
            )
        return "no clipboard here: no terminal, no tmux and no system clipboard"


def osc52(text: str) -> str:
    """The OSC 52 sequence that sets the clipboard ("c") to `text` (UTF-8, base64)."""
    return f"\x1b]52;c;{base64.b64encode(text.encode('utf-8')).decode('ascii')}\a"


def screen_osc52(text: str, chunk: int = SCREEN_CHUNK) -> str:
    """OSC 52 wrapped in GNU screen's DCS passthrough, cut in chunks screen accepts.

    Screen hands the body of each `ESC P ... ESC \\` to the outer terminal unchanged;
    the pieces arrive back to back and form the one OSC 52 sequence.
    """
    body = base64.b64encode(text.encode("utf-8")).decode("ascii")
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [""]
    return "\x1bP\x1b]52;c;" + "\x1b\\\x1bP".join(pieces) + "\a\x1b\\"


def tmux_osc52(text: str) -> str:
    """OSC 52 wrapped in tmux's DCS passthrough (`ESC P tmux; ... ESC \\`, every ESC
    inside doubled): tmux writes it to the terminal outside as it is, and keeps no
    buffer of it. tmux 3.3+ lets it through only with `allow-passthrough on`."""
    return "\x1bPtmux;" + osc52(text).replace("\x1b", "\x1b\x1b") + "\x1b\\"


def _tmux_says(tmux: str, run: Run) -> tuple[str, str, frozenset[str] | None]:
    """(set-clipboard, client terminal, its features) as the tmux server tells them."""
    try:
        done = run(
            [tmux, "display-message", "-p", TMUX_FORMAT],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TMUX_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "external", "", None
    line = done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else ""
    option, terminal, features = ([*line.split("|", 2), "", "", ""])[:3]
    option = option if option in ("on", "external", "off") else "external"
    return option, terminal, frozenset(features.split(",")) if features else None


def tmux_load_buffer(text: str, run: Run = subprocess.run) -> TmuxCopy:
    """Load `text` into tmux's paste buffer (tmux 3.2+: `-w`, tmux hands it on too).

    `-w` first; an older tmux rejects the flag, so once more without it. Never
    raises: no tmux binary, a timeout or an error is `TmuxCopy(loaded=False)`.
    """
    tmux = shutil.which("tmux")
    if tmux is None:
        return TmuxCopy(False)
    data = text.encode("utf-8")
    for forwards, args in (
        (True, [tmux, "load-buffer", "-w", "-"]),
        (False, [tmux, "load-buffer", "-"]),
    ):
        try:
            done = run(args, input=data, capture_output=True, timeout=TMUX_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError):
            return TmuxCopy(False)
        if done.returncode == 0:
            return TmuxCopy(True, forwards, *_tmux_says(tmux, run))
    return TmuxCopy(False)


def pyperclip_copy(text: str) -> bool:
    """Copy with pyperclip; True when it had a backend and it did not fail."""
    import pyperclip  # imported on first copy: it probes for backends

    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        return False  # no backend here (a headless or SSH session)
    return True


@dataclass(frozen=True, slots=True)
class Outside:
    """What the paths outside the terminal did: `ran` (as in `CopyResult`), and what
    tmux did (None: not inside tmux)."""

    ran: tuple[str, ...] = ()
    tmux: TmuxCopy | None = None


def copy_outside(
    text: str,
    *,
    environ: Mapping[str, str],
    system: Callable[[str], bool] = pyperclip_copy,
    tmux: Callable[[str], TmuxCopy] = tmux_load_buffer,
) -> Outside:
    """The paths outside the terminal (blocking: run it off the UI thread)."""
    ran: list[str] = []
    if system(text):
        ran.append(SYSTEM_CLIPBOARD)
    done = tmux(text) if environ.get("TMUX") else None
    if done is not None and done.loaded:
        ran.append(TMUX_BUFFER)
    return Outside(tuple(ran), done)


def send_to_terminal(
    text: str,
    write: Callable[[str], None] | None,
    environ: Mapping[str, str],
    tmux: TmuxCopy | None = None,
) -> tuple[str, ...]:
    """Write OSC 52 where it is the way to the terminal's clipboard; what was sent.

    `tmux`: what `tmux load-buffer` did. Where it loaded the buffer, nothing more goes
    to tmux but, from a tmux older than 3.2 (no `-w`), OSC 52 in tmux's passthrough
    (not with set-clipboard off): a plain OSC 52 would be dropped by tmux, or with
    `set-clipboard on` be kept as a second buffer of the same text. Otherwise the
    plain sequence, read by a terminal (or by a tmux this process cannot reach,
    across SSH); and inside GNU screen its wrapped form too (screen drops the plain
    one harmlessly).
    """
    if write is None:
        return ()
    if tmux is not None and tmux.loaded:
        if tmux.forwards or tmux.set_clipboard == "off":
            return ()
        write(tmux_osc52(text))
        return (OSC_52_TMUX,)
    write(osc52(text))
    sent = [OSC_52]
    if environ.get("STY"):
        write(screen_osc52(text))
        sent.append(OSC_52_SCREEN)
    return tuple(sent)


async def copy_text(
    app: App[object],
    text: str,
    *,
    system_clipboard: bool = True,
    environ: Mapping[str, str] | None = None,
) -> CopyResult:
    """Copy `text` (control characters removed) by the paths there are; say what each did.

    pyperclip and tmux (when `system_clipboard`; tests and screenshots turn them off)
    run in a thread, as they start helper programs; then OSC 52 goes out from the UI
    thread where it is still the way to the terminal (see `send_to_terminal`).
    `app.clipboard` holds the text afterwards either way.
    """
    env = os.environ if environ is None else environ
    text = clean_text(text)
    app._clipboard = text  # what Textual's own copy_to_clipboard keeps: app.clipboard
    outside = Outside()
    if system_clipboard:
        outside = await asyncio.to_thread(copy_outside, text, environ=env)
    driver = app._driver
    write = None if driver is None else driver.write
    sent = send_to_terminal(text, write, env, outside.tmux)
    note = outside.tmux.note() if outside.tmux is not None else ""
    return CopyResult(text, outside.ran, sent, note)
