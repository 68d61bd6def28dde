"""The one copy function of the app: OSC 52 through the terminal, plus the system clipboard.

OSC 52 (Textual's `App.copy_to_clipboard`) is what works over SSH and inside tmux,
where the program has no access to the user's own clipboard; pyperclip reaches the
local desktop clipboard where it has a backend (xclip, wl-copy, pbcopy...). Both are
used, so that a copy works wherever the user is.
"""

from __future__ import annotations

from textual.app import App

from tui.api.text import clean_text


def copy_text(app: App[object], text: str, *, system_clipboard: bool = True) -> str:
    """Put `text` (printable characters only) on the clipboard and return what was copied."""
    text = clean_text(text)
    app.copy_to_clipboard(text)
    if system_clipboard:
        # pyperclip runs a helper program (xclip, pbcopy...); keep it off the UI thread.
        app.run_worker(
            lambda: _copy_with_pyperclip(text),
            thread=True,
            group="clipboard",
            exit_on_error=False,
        )
    return text


def _copy_with_pyperclip(text: str) -> bool:
    import pyperclip  # imported on first copy: it probes for backends

    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        return False  # no backend here (a headless or SSH session): OSC 52 did the job
    return True
