"""The built-in sandbox exchange: a real HTTP server mimicking Kuna Core, for demos and tests.

Importing this package costs nothing: `wallet-tui` imports it at start-up for
DEFAULT_PORT. The demo exchange (`wallet`, with its seeded data and operations) and the
server stack (Starlette, uvicorn) are imported when one of their names is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Where `wallet-tui sandbox` listens unless told otherwise (`--port`).
DEFAULT_PORT = 8765

if TYPE_CHECKING:
    from tui.sandbox.server import RunningSandbox, serve, start_in_background
    from tui.sandbox.wallet import (
        DEMO_API_KEY,
        DEMO_EMAIL,
        DEMO_MERCHANT_ID,
        DEMO_PASSWORD,
        DEMO_WALLETS,
        MAIN_WALLET_ID,
        SAVINGS_WALLET_ID,
        DemoExchange,
    )

__all__ = [
    "DEFAULT_PORT",
    "DEMO_API_KEY",
    "DEMO_EMAIL",
    "DEMO_MERCHANT_ID",
    "DEMO_PASSWORD",
    "DEMO_WALLETS",
    "MAIN_WALLET_ID",
    "SAVINGS_WALLET_ID",
    "DemoExchange",
    "RunningSandbox",
    "serve",
    "start_in_background",
]

_SERVER_NAMES = frozenset({"RunningSandbox", "serve", "start_in_background"})
_WALLET_NAMES = frozenset(set(__all__) - _SERVER_NAMES - {"DEFAULT_PORT"})


def __getattr__(name: str) -> Any:
    if name in _SERVER_NAMES:
        return getattr(importlib.import_module("tui.sandbox.server"), name)
    if name in _WALLET_NAMES:
        return getattr(importlib.import_module("tui.sandbox.wallet"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
