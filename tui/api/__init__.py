"""The Kuna Core API: client, models, errors. Imports httpx and the standard library only."""

from tui.api.amounts import format_amount, parse_amount
from tui.api.auth import ApiKeyAuth, Auth, PasswordAuth, Secret
from tui.api.client import KunaClient, Timeouts
from tui.api.errors import (
    AuthenticationError,
    BadResponseError,
    KunaError,
    NetworkError,
    RateLimitedError,
    ServerError,
)
from tui.api.models import AssetBalance, BalanceSnapshot, DepositAddress

__all__ = [
    "ApiKeyAuth",
    "AssetBalance",
    "Auth",
    "AuthenticationError",
    "BadResponseError",
    "BalanceSnapshot",
    "DepositAddress",
    "KunaClient",
    "KunaError",
    "NetworkError",
    "PasswordAuth",
    "RateLimitedError",
    "Secret",
    "ServerError",
    "Timeouts",
    "format_amount",
    "parse_amount",
]
