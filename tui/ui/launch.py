"""Start the full-screen app: with the built-in sandbox for --demo, else against settings."""

from __future__ import annotations

from tui.config import Secrets, Settings

#: The demo's sandbox moves a little every few seconds, so the dashboard visibly lives.
DEMO_TICK_SECONDS = 2.0


def run(settings: Settings, secrets: Secrets) -> int:
    """Run the TUI until the user quits; returns the process exit code."""
    from tui.ui.app import WalletApp

    sandbox = None
    if settings.demo:
        from tui.demo import demo_connection
        from tui.sandbox.server import start_in_background

        sandbox = start_in_background(tick_seconds=DEMO_TICK_SECONDS)
        settings, secrets = demo_connection(settings, sandbox.url)
    try:
        app = WalletApp(settings, secrets)
        app.run()
        return app.return_code or 0
    finally:
        if sandbox is not None:
            sandbox.stop()
