"""Start the full-screen app: with the built-in sandbox for --demo, else against settings."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from tui.cli.exit_codes import EXIT_INTERNAL
from tui.config.settings import Secrets, Settings

if TYPE_CHECKING:
    from textual.driver import Driver

#: The demo's sandbox moves a little every few seconds, so the dashboard visibly lives.
DEMO_TICK_SECONDS = 2.0
#: How long a thread may hold the interpreter while another waits for it (Python's
#: default: 5 ms). See `run`.
SWITCH_INTERVAL_SECONDS = 0.001


def run(settings: Settings, secrets: Secrets) -> int:
    """Run the TUI until the user quits; returns the process exit code."""
    # Starting creates a few hundred thousand objects (modules, styles, widgets) and no
    # garbage, yet the collector's automatic passes over them cost about 30 ms before
    # the first frame: it is off until that frame is drawn (`after_first_frame`).
    gc.disable()
    # Textual's writer thread sends each frame to the terminal and needs the interpreter
    # to do so, while the UI thread goes on with what follows the frame (the detail
    # pane's parts, the next message) and keeps it for up to the switch interval. At
    # 1 ms instead of 5 a frame leaves about 5 ms sooner (the first frame: 6 ms after it
    # was queued, now 1 ms; README, Performance). The other threads (input, history,
    # alert hooks) mostly wait on the terminal, pipes or the disk, where they let go of
    # the interpreter anyway: the bench's rows of CPU per refresh and idle are unchanged.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    try:
        return _run(settings, secrets)
    finally:
        sys.setswitchinterval(switch_interval)
        gc.enable()


def _run(settings: Settings, secrets: Secrets) -> int:
    # asyncio first: the UI (Textual) and the prefetch child's request both need it, and
    # the child forked after it has it already instead of importing it again (about 20 ms
    # of CPU while both start side by side on a small machine).
    import asyncio  # noqa: F401

    from tui.startup.prefetch import start_prefetch

    # Before Textual is imported, so that the first request runs alongside the import.
    prefetch = start_prefetch(settings, secrets)
    from tui.ui.app import WalletApp
    from tui.ui.css_cache import CssRuleCache, cache_path

    # What the imports made lives as long as the process: later collections need not look
    # at it (also less work per refresh of the dashboard).
    gc.freeze()
    sandbox = None
    notice = None
    if settings.demo:
        from tui.sandbox.server import start_in_background
        from tui.startup.demo import demo_connection, demo_notice

        notice = demo_notice(settings)
        try:
            sandbox = start_in_background(tick_seconds=DEMO_TICK_SECONDS)
        except (OSError, RuntimeError) as exc:
            # As `--demo balances` says it (exit 4): not a bug, a sandbox that cannot serve.
            from tui.api.errors import NetworkError

            raise NetworkError(f"cannot start the sandbox: {exc}") from None
        settings, secrets = demo_connection(settings, sandbox.url)
    try:
        app = WalletApp(
            settings,
            secrets,
            prefetch=prefetch,
            after_first_frame=gc.enable,
            notice=notice,
            driver_class=_driver_for_this_terminal(),
            css_cache=CssRuleCache(cache_path()),
        )
        app.run()
        crash = getattr(app, "_exception", None)  # Textual keeps the first one it caught
        if crash is not None:
            # After Textual's traceback (the details to report), the command line's own
            # line, as every other internal error ends.
            from tui.api.redact import redact  # an exception's text could quote a secret

            reason = " ".join(redact(f"{type(crash).__name__}: {crash}").split())
            print(f"wallet-tui: internal error: {reason}", file=sys.stderr)
            return EXIT_INTERNAL
        return app.return_code or 0
    finally:
        if sandbox is not None:
            sandbox.stop()


def _driver_for_this_terminal() -> type[Driver] | None:
    """The driver that ends the app when the terminal goes away and writes look-alikes
    for characters the terminal's encoding lacks; None (Textual's choice) off POSIX."""
    from tui.startup.terminal import shows_app_characters, terminal_encoding
    from tui.ui.terminal_text import set_full_glyphs

    encoding = terminal_encoding()
    full = shows_app_characters(encoding)
    set_full_glyphs(full)
    if sys.platform == "win32":
        return None
    from tui.ui.terminal_driver import HangUpAwareDriver

    HangUpAwareDriver.narrow_encoding = None if full else encoding
    return HangUpAwareDriver
