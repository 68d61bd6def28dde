"""Balance snapshots built by hand for the history and alert tests."""

from __future__ import annotations

from decimal import Decimal

from tui.api.models import AVAILABLE, HOLD, AssetBalance, BalanceSnapshot


def asset(symbol: str, available: str, hold: str = "0", **extra: str) -> AssetBalance:
    """An asset with `balance` and `holdBalance` (and any extra `*Balance` field), exact."""
    amounts = [(AVAILABLE, Decimal(available)), (HOLD, Decimal(hold))]
    amounts += [(name, Decimal(value)) for name, value in extra.items()]
    return AssetBalance(symbol, tuple(amounts))


def snapshot(*assets: AssetBalance, wallet: str | None = None) -> BalanceSnapshot:
    return BalanceSnapshot(tuple(assets), wallet_id=wallet)
