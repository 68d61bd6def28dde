"""Typed messages of the login flow. The feeds' messages are in `tui.ui.feeds`."""

from __future__ import annotations

from textual.message import Message

from tui.api.client import KunaClient
from tui.api.errors import KunaError
from tui.api.models import BalanceSnapshot


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
