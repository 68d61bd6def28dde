"""`wallet-tui operations`: a wallet's operations once, for scripts, paging until done.

Kept light to import (argparse only at the top): the parser is built at every start.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.api.client import KunaClient
    from tui.api.operations import Operation
    from tui.config.settings import Secrets, Settings

#: Operations asked for per request while paging.
PAGE_SIZE = 100


def add_operations_parser(
    commands: Any, add_connection_flags: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add `operations [--asset X] [--type T] [--status S] [--since ISO] [--json|--csv]`."""
    parser = commands.add_parser(
        "operations",
        help="print the wallet's operations once and exit",
        description=(
            "List the wallet's operations (deposits, withdrawals, transfers, exchanges), "
            "newest first, reading every page. Amounts are exact; JSON and CSV carry every "
            "field the exchange sent."
        ),
    )
    add_connection_flags(parser)
    parser.add_argument("--asset", metavar="X", help="only operations from or to this asset")
    parser.add_argument("--type", dest="op_type", metavar="T", help="only this type (e.g. Deposit)")
    parser.add_argument(
        "--status", metavar="S", help="only this status (Created, Processing, OnHold, ...)"
    )
    parser.add_argument(
        "--since",
        metavar="ISO",
        type=since_time,
        help="created at or after (ISO 8601; no zone: UTC)",
    )
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON, every field, exact amounts")
    form.add_argument("--csv", action="store_true", help="print CSV, one row per operation")


def since_time(text: str) -> datetime:
    """`--since`'s value: an ISO 8601 date or time; without a zone it is UTC."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 date or time (e.g. 2026-11-25 or 2026-11-25T14:00:00Z)"
        ) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def run_operations(
    args: argparse.Namespace,
    settings: Settings,
    secrets: Secrets,
    connected: Callable[..., Any],
) -> int:
    """Fetch and print; the exit code (0, or 3/4 as `balances` has them)."""
    from tui.api.errors import KunaError
    from tui.cli.main import EXIT_OK, fail_for
    from tui.cli.operations_output import render_csv, render_json, render_table

    async def job(settings: Settings, client: KunaClient) -> list[Operation]:
        return await fetch_all(client, settings, args)

    try:
        operations = connected(settings, secrets, job)
    except KunaError as exc:
        return fail_for(exc)
    text = (
        render_json(operations)
        if args.json
        else render_csv(operations)
        if args.csv
        else render_table(operations)
    )
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_OK


async def fetch_all(
    client: KunaClient, settings: Settings, args: argparse.Namespace
) -> list[Operation]:
    """Every matching operation of each configured wallet, newest first.

    The API filters by `sourceAsset` or `targetAsset`, not by "either": `--asset` asks
    both ways and merges the answers (an exchange into the asset counts too).
    """
    from tui.api.operations import OperationFilter, OperationList

    found: list[Operation] = []
    for wallet_id in settings.wallet_ids or (None,):
        base = OperationFilter(
            type=args.op_type, status=args.status, wallet_id=wallet_id, date_from=args.since
        )
        if args.asset:
            sides = [
                replace(base, source_asset=args.asset),
                replace(base, target_asset=args.asset),
            ]
        else:
            sides = [base]
        for filters in sides:
            found.extend(await client.all_operations(filters, page_size=PAGE_SIZE))
    return list(OperationList.of(found))
