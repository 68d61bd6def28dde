"""Typed messages that carry results from workers to widgets. Data flows one way."""

from __future__ import annotations

from datetime import datetime

from textual.message import Message

from tui.api.client import KunaClient
from tui.api.errors import KunaError
from tui.api.models import BalanceSnapshot


class BalancesLoaded(Message):
    """A refresh succeeded: `snapshot` is the wallet as of `received_at`."""

    def __init__(self, snapshot: BalanceSnapshot, received_at: datetime) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.received_at = received_at


class RefreshFailed(Message):
    """A refresh failed; the last good data stays on screen."""

    def __init__(self, error: KunaError, failed_at: datetime) -> None:
        super().__init__()
        self.error = error
        self.failed_at = failed_at


class LoginSucceeded(Message):
    """The credentials were accepted; `client` is ready, `snapshot` is a first answer if any."""

    def __init__(self, client: KunaClient, snapshot: BalanceSnapshot | None) -> None:
        super().__init__()
        self.client = client
        self.snapshot = snapshot


class LoginFailed(Message):
    """The credentials were refused or the server could not be reached."""

    def __init__(self, error: KunaError) -> None:
        super().__init__()
        self.error = error
