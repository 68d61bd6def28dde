"""The one copy function of the app: every clipboard path there is, and what each did.

Paths, all tried on each copy:

- **system clipboard** (pyperclip: xclip, wl-copy, pbcopy...): the desktop's clipboard
  where there is one. It *ran* when pyperclip returned without error.
- **tmux buffer** (inside tmux, `$TMUX` set): `tmux load-buffer -w -` puts the text in
  tmux's paste buffer and (tmux 3.2+, `-w`) asks tmux to pass it on to the outer
  terminal's clipboard; an older tmux refuses `-w`, so it is tried again without. It
  *ran* when tmux exited 0. This is the path that works with tmux's default
  `set-clipboard external`, which drops an application's own OSC 52.
- **OSC 52** (always, unless there is no terminal): the escape sequence that asks the
  terminal to set the clipboard of the machine the user sits at, over SSH too. Inside
  GNU screen (`$STY` set) it is also sent wrapped in screen's DCS passthrough, in
  chunks short enough for screen's string buffer. No one confirms OSC 52: it is only
  *sent*, and the notification says so.

`copy_text` is what the screens call: text in, a `CopyResult` out that names what ran
and what was only sent, and gives the notification's words.
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

#: Base64 characters per DCS chunk for GNU screen: its string buffer holds 768 bytes
#: in older releases; 76 is what vim-oscyank and others use and screen 4.x accepts.
SCREEN_CHUNK = 76
#: Seconds to wait for `tmux load-buffer`; a wedged tmux server must not hang a copy.
TMUX_TIMEOUT = 3.0


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What one copy did.

    `ran`: paths that confirmed the copy (SYSTEM_CLIPBOARD, TMUX_BUFFER). `sent`: paths
    whose escape sequence went to the terminal with no confirmation (OSC_52,
    OSC_52_SCREEN). `text`: what was copied (printable characters only).
    """

    text: str
    ran: tuple[str, ...] = ()
    sent: tuple[str, ...] = ()

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
            return f"copied ({', '.join(self.ran)})"
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


def tmux_load_buffer(
    text: str, run: Callable[..., subprocess.CompletedProcess[bytes]] = subprocess.run
) -> bool:
    """Load `text` into tmux's paste buffer (and, tmux 3.2+, the outer clipboard).

    Returns True when tmux accepted it. `-w` first; an older tmux rejects the flag, so
    once more without it. Never raises: no tmux binary, a timeout or an error is False.
    """
    tmux = shutil.which("tmux")
    if tmux is None:
        return False
    data = text.encode("utf-8")
    for args in ([tmux, "load-buffer", "-w", "-"], [tmux, "load-buffer", "-"]):
        try:
            done = run(args, input=data, capture_output=True, timeout=TMUX_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError):
            return False
        if done.returncode == 0:
            return True
    return False


def pyperclip_copy(text: str) -> bool:
    """Copy with pyperclip; True when it had a backend and it did not fail."""
    import pyperclip  # imported on first copy: it probes for backends

    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        return False  # no backend here (a headless or SSH session)
    return True


def copy_outside(
    text: str,
    *,
    environ: Mapping[str, str],
    system: Callable[[str], bool] = pyperclip_copy,
    tmux: Callable[[str], bool] = tmux_load_buffer,
) -> tuple[str, ...]:
    """The paths outside the terminal (blocking: run it off the UI thread); what ran."""
    ran: list[str] = []
    if system(text):
        ran.append(SYSTEM_CLIPBOARD)
    if environ.get("TMUX") and tmux(text):
        ran.append(TMUX_BUFFER)
    return tuple(ran)


def send_to_terminal(
    text: str, write: Callable[[str], None] | None, environ: Mapping[str, str]
) -> tuple[str, ...]:
    """Write OSC 52 (and inside GNU screen its wrapped form) with `write`; what was sent.

    The plain sequence is always written: it is what a terminal or a nested tmux with
    `set-clipboard on` reads, and screen drops it harmlessly.
    """
    if write is None:
        return ()
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
    """Copy `text` (control characters removed) by every path there is; say what each did.

    OSC 52 goes out at once from the UI thread; pyperclip and tmux (when
    `system_clipboard`; tests and screenshots turn them off) run in a thread, as they
    start helper programs. `app.clipboard` holds the text afterwards either way.
    """
    env = os.environ if environ is None else environ
    text = clean_text(text)
    app._clipboard = text  # what Textual's own copy_to_clipboard keeps: app.clipboard
    driver = app._driver
    write = None if driver is None else driver.write
    sent = send_to_terminal(text, write, env)
    ran: tuple[str, ...] = ()
    if system_clipboard:
        ran = await asyncio.to_thread(copy_outside, text, environ=env)
    return CopyResult(text, ran, sent)
