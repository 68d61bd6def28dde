"""Point settings at a sandbox exchange as the demo merchant (for --demo)."""

from __future__ import annotations

from dataclasses import replace

from tui.config.settings import Secrets, Settings


def demo_notice(settings: Settings) -> str | None:
    """What to tell the user when --demo meets a base URL: the demo wins, the URL is unused."""
    if not settings.demo or not settings.base_url:
        return None
    return (
        f"--demo wins: the built-in sandbox is used, not the base URL {settings.base_url} "
        "(drop --demo to use it)"
    )


def demo_connection(settings: Settings, sandbox_url: str) -> tuple[Settings, Secrets]:
    """`settings` aimed at the sandbox at `sandbox_url`, with the demo's public credentials.

    A real API key or password from the environment is dropped, so that it is never sent
    to the sandbox.
    """
    from tui.api.auth import Secret
    from tui.sandbox.wallet import DEMO_EMAIL, DEMO_MERCHANT_ID, DEMO_PASSWORD

    demo = replace(settings, base_url=sandbox_url, merchant_id=DEMO_MERCHANT_ID, email=DEMO_EMAIL)
    return demo, Secrets(api_key=None, password=Secret(DEMO_PASSWORD))
