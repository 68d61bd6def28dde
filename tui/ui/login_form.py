"""What the login screen starts from and what it hands back: plain data, no widgets.

Apart from the screen, so that the app can open the dashboard straight away (an API
key in the environment) without importing the login screen's widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.api.auth import Secret

if TYPE_CHECKING:
    from tui.api.client import KunaClient
    from tui.api.models import BalanceSnapshot


@dataclass(frozen=True)
class LoginForm:
    """What the login screen starts with (from settings and the environment)."""

    base_url: str = ""
    merchant_id: str = ""
    email: str = ""
    password: Secret | None = None
    api_key: Secret | None = None
    use_api_key: bool = False
    remember_key: bool = False
    """Tick "remember" from the start: the key in use came from the keyring."""


@dataclass(frozen=True)
class LoginResult:
    """A client whose credentials were accepted, with its first balances if it fetched them."""

    client: KunaClient
    snapshot: BalanceSnapshot | None = None
