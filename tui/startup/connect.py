"""From Settings and Secrets to credentials and a ready `KunaClient`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.api.auth import ApiKeyAuth, Auth, PasswordAuth
from tui.api.client import KunaClient, Timeouts
from tui.config.settings import ConfigError, Secrets, Settings, plain_http_refusal

if TYPE_CHECKING:
    import httpx


def auth_from(settings: Settings, secrets: Secrets) -> Auth | None:
    """The credentials to use: the API key if set, else email and password, else None.

    The key wins because it needs no login round trip and cannot be locked out by
    repeated wrong passwords.
    """
    if secrets.api_key:
        return ApiKeyAuth(secrets.api_key)
    if settings.merchant_id and settings.email and secrets.password:
        return PasswordAuth(settings.merchant_id, settings.email, secrets.password)
    return None


def make_client(
    settings: Settings,
    auth: Auth,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> KunaClient:
    """A client for `settings.base_url` with the configured timeouts.

    Raises ConfigError when no base URL is configured, or when it is plain http:// to
    another computer without `settings.insecure` (checked here too, as the last door
    before credentials are sent, whatever path the URL came by).
    """
    base_url = require_base_url(settings)
    refusal = plain_http_refusal(base_url, insecure=settings.insecure)
    if refusal:
        raise ConfigError(refusal)
    timeouts = Timeouts(connect=settings.connect_timeout, read=settings.read_timeout)
    return KunaClient(base_url, auth, timeouts=timeouts, transport=transport)


def require_base_url(settings: Settings) -> str:
    """The configured base URL; ConfigError saying how to set it when there is none."""
    if not settings.base_url:
        raise ConfigError(
            "no exchange URL: use --base-url, WALLET_TUI_BASE_URL or base_url in the config "
            "file (or --demo for the built-in sandbox)"
        )
    return settings.base_url
