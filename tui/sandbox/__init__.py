"""The built-in sandbox exchange: a real HTTP server mimicking Kuna Core, for demos and tests.

Importing this package is cheap: the demo credentials come from the standard-library-only
`wallet` module, and the server stack (Starlette, uvicorn) is imported only when
`start_in_background`, `serve` or `RunningSandbox` is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

#: Where `wallet-tui sandbox` listens unless told otherwise (`--port`).
DEFAULT_PORT = 8765

if TYPE_CHECKING:
    from tui.sandbox.server import RunningSandbox, serve, start_in_background

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


def __getattr__(name: str) -> Any:
    if name in _SERVER_NAMES:
        server = importlib.import_module("tui.sandbox.server")
        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
