"""What the app gives the screens it makes: settings, the clock, the scheduler, calls.

A screen is handed these when it is made (`DashboardScreen(services, client, ...)`) and
never reaches back into the app module for them, so `tui.ui.app` imports the screens
and no screen imports the app. `WalletApp` is the one implementation; tests may give
their own.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tui.api.client import KunaClient
    from tui.api.models import BalanceSnapshot
    from tui.config.settings import Settings
    from tui.ui.login_form import LoginForm
    from tui.ui.recorder import Recorder
    from tui.ui.refresh import Scheduler


class AppServices(Protocol):
    """The app's services, as the screens use them."""

    settings: Settings
    #: Also copy with pyperclip (tests switch it off to leave the desktop alone).
    system_clipboard: bool
    #: What times the feeds; None: Textual timers (tests pass a hand-moved clock).
    scheduler: Scheduler | None
    #: Balance history and alerts (the detail pane's sparkline reads through it).
    recorder: Recorder

    def now(self) -> datetime:
        """The time as the app sees it (frozen in snapshot tests)."""
        ...

    @property
    def wallets(self) -> tuple[str | None, ...]:
        """The wallets `w` cycles through; None is the account's main wallet."""
        ...

    def wallet_label(self, wallet_id: str | None = None) -> str:
        """How to name a wallet to the user."""
        ...

    async def fetch_balances(
        self, client: KunaClient, wallet_id: str | None = None
    ) -> BalanceSnapshot:
        """One `/v2/balance` call for a wallet (the start-up prefetch's answer if it fits)."""
        ...

    def login_form(self, client: KunaClient | None = None) -> LoginForm:
        """The login form prefilled from settings, the environment, or `client`."""
        ...

    def use_client(self, client: KunaClient) -> None:
        """A new login replaced the client: the app closes this one when it ends."""
        ...
