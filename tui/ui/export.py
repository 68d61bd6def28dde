"""`e`: write a CSV snapshot of the wallet shown, with exact amounts, addresses and memos."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from tui.api.models import BalanceSnapshot
from tui.cli.output import Valuation, render_csv


def export_path(snapshot: BalanceSnapshot, when: datetime, folder: Path | None = None) -> Path:
    """Where the export goes: the current folder, named after the wallet and the time."""
    # The wallet id comes from the user's settings; keep only what is safe in a file name.
    wallet = re.sub(r"[^A-Za-z0-9-]", "", snapshot.wallet_id or "main")[:8] or "wallet"
    stamp = when.strftime("%Y%m%d-%H%M%S")
    return (folder or Path.cwd()) / f"wallet-tui-{wallet}-{stamp}.csv"


def export_csv(
    snapshot: BalanceSnapshot,
    when: datetime,
    folder: Path | None = None,
    valuation: Valuation | None = None,
) -> Path:
    """Write `snapshot` as CSV and return the file's absolute path (never overwrites).

    With a `valuation` (the rates on screen and the quote currency), each asset's exact
    value and the wallet's total are written too.
    """
    path = export_path(snapshot, when, folder)
    counter = 1
    while path.exists():
        counter += 1
        path = path.with_name(f"{path.stem.rsplit('~', 1)[0]}~{counter}{path.suffix}")
    with path.open("x", encoding="utf-8", newline="") as file:
        file.write(render_csv(snapshot, valuation=valuation))
    return path.resolve()
