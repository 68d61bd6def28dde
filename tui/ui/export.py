"""`e`: write a CSV snapshot of the wallet shown, with exact amounts, addresses and memos."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from tui.api.models import BalanceSnapshot
from tui.cli.output import Valuation, render_csv


def export_path(
    snapshot: BalanceSnapshot,
    when: datetime,
    folder: Path | None = None,
    wallet_name: str | None = None,
) -> Path:
    """Where the export goes: the current folder, named after the wallet and the time.

    The wallet is named as the config names it (`[[wallets]] name`), else by the first
    characters of its id, else "main" for the account's main wallet.
    """
    wallet = _file_safe(wallet_name or "") or _file_safe(snapshot.wallet_id or "main")[:8]
    stamp = when.strftime("%Y%m%d-%H%M%S")
    return (folder or Path.cwd()) / f"wallet-tui-{wallet or 'wallet'}-{stamp}.csv"


def _file_safe(name: str) -> str:
    """`name` with only letters, digits, "-" and "_" (others become "-"), at most 40 long."""
    # From the user's settings, but still: no "/", "..", spaces or control characters.
    return re.sub(r"[^\w-]+", "-", name).strip("-_")[:40]


def export_csv(
    snapshot: BalanceSnapshot,
    when: datetime,
    folder: Path | None = None,
    wallet_name: str | None = None,
    valuation: Valuation | None = None,
) -> Path:
    """Write `snapshot` as CSV and return the file's absolute path (never overwrites).

    With a `valuation` (the rates on screen and the quote currency), each asset's exact
    value and the wallet's total are written too.
    """
    path = export_path(snapshot, when, folder, wallet_name)
    counter = 1
    while path.exists():
        counter += 1
        path = path.with_name(f"{path.stem.rsplit('~', 1)[0]}~{counter}{path.suffix}")
    with path.open("x", encoding="utf-8", newline="") as file:
        file.write(render_csv(snapshot, valuation=valuation))
    return path.resolve()
