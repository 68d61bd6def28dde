"""11. An operations refresh of 500 operations: parse the page, diff, redraw the table.

Each round is what the app does when the operations feed answers: parse a
`/v2/operation/find` body of 500 operations (`parse_operations_response`, then
`OperationList.of`), then show it in the `OperationsTable` of a headless app and wait
until the app is idle again (repaint included). Two cases: 11a, a few operations changed
status (cells updated in place); 11b, two new operations arrived at the top (the rows are
drawn again, the cursor kept on its operation). The figure is CPU time, median of the
rounds, less what an idle wait costs by itself; beside it, the parse alone.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tui.api.operations import OperationList, changes
from tui.api.parse_operations import KnownOperations, parse_operations_response
from tui.bench.grid import SIZE, _costs, _Host
from tui.bench.report import Row, median, ms, verdict
from tui.ui.widgets.operations_table import OperationsTable

#: The UI may be busy this long per operations refresh (a few frames at 60 fps).
BUDGET_SECONDS = 0.050
BUDGET = "≤ 50 ms"
_START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
_STATUSES = ("Completed", "Completed", "Completed", "Processing", "Declined", "OnHold")
_TYPES = ("Deposit", "Withdraw", "CryptoExchange", "Transfer")


def _item(number: int, status: str | None = None) -> dict[str, object]:
    created = _START - timedelta(minutes=7 * number)
    return {
        "id": f"{number:08x}-6b1e-4c2a-9d1f-{number:012x}",
        "walletId": "1f44b1c7-9fd4-4d20-b9a4-7aca3646d0d5",
        "type": _TYPES[number % len(_TYPES)],
        "status": status or _STATUSES[number % len(_STATUSES)],
        "sourceAsset": "ETH",
        "sourceAmount": f"{number}.{number:018d}",
        "targetAsset": "ETH",
        "targetAmount": f"{number}.{number:018d}",
        "createdAt": created.isoformat().replace("+00:00", "Z"),
        "updatedAt": created.isoformat().replace("+00:00", "Z"),
        "paymentMethodCode": "ETH",
    }


def bodies(count: int, rounds: int, *, arrivals: bool) -> list[bytes]:
    """The first page, then `rounds` more: three operations change status each time, or
    (`arrivals`) two new ones come at the top, the oldest two falling off the page."""
    items = [_item(n) for n in range(count)]
    pages = [json.dumps({"data": items}).encode()]
    for round_ in range(rounds):
        if arrivals:
            new = [_item(count + 2 * round_ + k, "Created") for k in range(2)]
            for item in new:  # newer than every other
                item["createdAt"] = item["updatedAt"] = (
                    _START + timedelta(minutes=2 * round_ + 1)
                ).isoformat().replace("+00:00", "Z")
            items = [*reversed(new), *items[:-2]]
        else:
            items = list(items)
            for k in range(3):
                index = (round_ * 37 + k * 101) % count
                items[index] = {**items[index], "status": "Processing" if round_ % 2 else "Completed"}
        pages.append(json.dumps({"data": items}).encode())
    return pages


def _parse(body: bytes, known: KnownOperations | None = None) -> OperationList:
    return OperationList.of(parse_operations_response(body, known))


async def _measure(pages: list[bytes]) -> tuple[float, float]:
    table = OperationsTable()
    async with _Host(table).run_test(size=SIZE) as pilot:
        await pilot.pause()
        known = KnownOperations()  # as the client keeps it
        previous = [_parse(pages[0], known)]
        table.show(previous[0].operations)
        await pilot.pause()
        table.move_cursor(row=10)

        def refresh(body: bytes) -> Callable[[], object]:
            def run() -> None:
                operations = _parse(body, known)
                changes(previous[0], operations)  # what the feed diffs for notifications
                previous[0] = operations
                table.show(operations.operations)

            return run

        cost = await _costs(pilot, [refresh(body) for body in pages[1:]])
    parse_times = []
    known = KnownOperations()
    _parse(pages[0], known)
    for body in pages[1:]:
        start = time.process_time()
        _parse(body, known)
        parse_times.append(time.process_time() - start)
    return cost.total, median(parse_times)


def bench_operations(count: int, rounds: int) -> list[Row]:
    """Rows 11a (status changes) and 11b (new operations) for a page of `count` operations."""
    rows = []
    for key, arrivals, what in (("11a", False, "3 changed status"), ("11b", True, "2 new at the top")):
        total, parse = asyncio.run(_measure(bodies(count, rounds, arrivals=arrivals)))
        rows.append(
            Row(
                key=key,
                measure=f"operations refresh, {count:,} operations, {what}",
                figure=f"{ms(total)} CPU (parse, diff, table, repaint)",
                compared=f"parse alone {ms(parse)} (unchanged operations reused)",
                budget=BUDGET,
                result=verdict(total <= BUDGET_SECONDS),
            )
        )
    return rows
