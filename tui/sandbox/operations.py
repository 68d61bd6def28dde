"""The demo account's operations, kept in step with its moving balances.

The exchange (`tui.sandbox.wallet`) tells the book what happens to the money; the
book keeps the operations that explain it, as `/v2/operation/find` and
`/v2/operation/details` serve them:

- a deposit lands in `holdBalance` as a `Deposit` `Created`, is `Processing` from the
  next tick, and `Completed` when the hold clears into `balance`;
- the first deposit of the main wallet landing from tick ONHOLD_FROM_TICK on goes
  `OnHold` instead: its amount moves from `holdBalance` to `lockBalance` (AML) and stays;
- a withdrawal moves its amount from `balance` to `holdBalance` and stays `Processing`
  for WITHDRAW_TICKS, then `Completed` (the hold leaves the wallet); the first one of
  the main wallet from tick DECLINE_FROM_TICK on is `Declined` and its amount returns;
- the seed data's holds are deposits in processing, the USDT `lockBalance` a deposit
  `OnHold`, and a short history of settled operations (one `Declined`) comes before.

Times are the exchange's start (Unix time) plus its ticks: the same seed and start give
the same operations, ids included.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tui.api.amounts import format_amount
from tui.sandbox.demo_data import MAIN_WALLET_ID, SAVINGS_WALLET_ID

#: From this tick on, the main wallet's next deposit goes OnHold instead of completing.
ONHOLD_FROM_TICK = 5
#: From this tick on, the main wallet's next withdrawal is Declined.
DECLINE_FROM_TICK = 8
#: A withdrawal stays Processing this many ticks (inclusive range).
WITHDRAW_TICKS = (4, 6)


@dataclass
class SandboxOperation:
    """One operation as the sandbox keeps it; `extra` holds the fields beyond the model's."""

    id: str
    wallet_id: str
    type: str
    status: str
    asset: str
    amount: Decimal
    created_at: float
    updated_at: float
    target_asset: str | None = None
    target_amount: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: The tick from which a Created operation shows as Processing.
    processing_from: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The operation as one item of the API's answers."""
        target_asset = self.target_asset or self.asset
        target_amount = self.target_amount if self.target_amount is not None else self.amount
        return {
            "id": self.id,
            "walletId": self.wallet_id,
            "type": self.type,
            "status": self.status,
            "sourceAsset": self.asset,
            "sourceAmount": format_amount(self.amount),
            "targetAsset": target_asset,
            "targetAmount": format_amount(target_amount),
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            **self.extra,
        }


def iso(when: float) -> str:
    """Unix time as the ISO 8601 text the API sends: UTC, milliseconds, a `Z`."""
    moment = datetime.fromtimestamp(when, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class OperationBook:
    """Every operation of the demo account, oldest first. Not locked: the exchange's lock covers it."""

    def __init__(self, seed: int, started_at: float, tick_seconds: float) -> None:
        # A generator of its own: ids must not shift the balances' dice.
        self._ids = random.Random(seed * 7919 + 1)
        self.started_at = started_at
        self.tick_seconds = tick_seconds
        self.operations: list[SandboxOperation] = []
        self._by_id: dict[str, SandboxOperation] = {}
        self.onhold_done = False
        self.decline_done = False

    def time_of(self, tick: int) -> float:
        """The Unix time of a tick."""
        return self.started_at + tick * self.tick_seconds

    def new_id(self) -> str:
        """A fresh UUID, the same for the same seed and history."""
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def add(self, operation: SandboxOperation) -> SandboxOperation:
        """Record an operation (kept in creation order)."""
        self.operations.append(operation)
        self._by_id[operation.id] = operation
        return operation

    def get(self, operation_id: str) -> SandboxOperation | None:
        """The operation with this id, or None."""
        return self._by_id.get(operation_id)

    def remove(self, operation_id: str) -> None:
        """Forget an operation (KeyError if unknown): no answer names it any more."""
        operation = self._by_id.pop(operation_id)
        self.operations.remove(operation)

    def open(
        self, wallet_id: str, kind: str, asset: str, amount: Decimal, tick: int, **extra: Any
    ) -> SandboxOperation:
        """A new operation at `tick`: Created now, Processing from the next tick."""
        when = self.time_of(tick)
        return self.add(
            SandboxOperation(
                self.new_id(),
                wallet_id,
                kind,
                "Created",
                asset,
                amount,
                when,
                when,
                extra=dict(extra),
                processing_from=tick + 1,
            )
        )

    def set_status(self, operation_id: str | None, status: str, tick: int, **extra: Any) -> None:
        """Move an operation to `status` at `tick` (extra fields are added, e.g. a reason)."""
        operation = self._by_id.get(operation_id or "")
        if operation is None:
            return
        operation.status = status
        operation.updated_at = self.time_of(tick)
        operation.processing_from = None
        operation.extra.update(extra)

    def tick(self, tick: int) -> None:
        """What a tick does by itself: Created operations start Processing."""
        for operation in self.operations:
            if operation.processing_from is not None and operation.processing_from <= tick:
                operation.processing_from = None
                if operation.status == "Created":
                    operation.status = "Processing"
                    operation.updated_at = self.time_of(tick)

    def find(
        self,
        wallet_id: str,
        *,
        type: str | None = None,
        status: str | None = None,
        external_id: str | None = None,
        source_asset: str | None = None,
        target_asset: str | None = None,
        date_from: float | None = None,
        date_to: float | None = None,
    ) -> list[dict[str, Any]]:
        """The wallet's operations matching every filter given, newest first, as JSON."""
        found = []
        for operation in reversed(self.operations):
            item = operation.to_json()
            if (
                operation.wallet_id != wallet_id
                or (type is not None and operation.type != type)
                or (status is not None and operation.status != status)
                or (external_id is not None and item.get("externalId") != external_id)
                or (source_asset is not None and item["sourceAsset"] != source_asset)
                or (target_asset is not None and item["targetAsset"] != target_asset)
                or (date_from is not None and operation.created_at < date_from)
                or (date_to is not None and operation.created_at > date_to)
            ):
                continue
            found.append(item)
        found.sort(key=lambda item: item["createdAt"], reverse=True)
        return found


def seed_history(
    book: OperationBook, holds: dict[tuple[str, str], Decimal]
) -> dict[tuple[str, str], str]:
    """The operations behind the seed data, and the id of the deposit behind each hold.

    `holds` maps (wallet, asset) to the seeded `holdBalance`; the main wallet's USDT
    `lockBalance` of 150 is a deposit OnHold for an AML check.
    """
    minutes = 60.0
    start = book.started_at

    def past(
        wallet: str, kind: str, status: str, asset: str, amount: str, ago: float, **extra: Any
    ) -> SandboxOperation:
        created = start - ago * minutes
        updated = created + (0 if status == "Created" else 4 * minutes)
        target_asset = extra.pop("target_asset", None)
        target_amount = extra.pop("target_amount", None)
        return book.add(
            SandboxOperation(
                book.new_id(),
                wallet,
                kind,
                status,
                asset,
                Decimal(amount),
                created,
                min(updated, start),
                target_asset,
                None if target_amount is None else Decimal(target_amount),
                dict(extra),
            )
        )

    past(
        MAIN_WALLET_ID,
        "Deposit",
        "Completed",
        "BTC",
        "0.12",
        2 * 24 * 60,
        paymentMethodCode="BTC",
        txId="4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
    )
    past(
        MAIN_WALLET_ID,
        "Withdraw",
        "Completed",
        "USDT",
        "500",
        26 * 60,
        paymentMethodCode="USDT_TRX",
        fee="1",
        address="TJRabPrwbZy45sbavfcjinPJC18kjpRTv8",
    )
    past(
        MAIN_WALLET_ID,
        "CryptoExchange",
        "Completed",
        "USDT",
        "1000",
        20 * 60,
        target_asset="BTC",
        target_amount="0.01512345",
        rate="0.00001512345",
    )
    past(
        MAIN_WALLET_ID,
        "Withdraw",
        "Declined",
        "XRP",
        "250",
        6 * 60,
        paymentMethodCode="XRP",
        address="rPVMhWBsfF9iMXYj3aAzJVkPDTFNSyWdKy",
        reason="Destination tag is required for this address",
    )
    past(MAIN_WALLET_ID, "Transfer", "Completed", "UAH", "2500", 5 * 60, comment="Rent share")
    past(
        MAIN_WALLET_ID,
        "Deposit",
        "OnHold",
        "USDT",
        "150",
        3 * 60,
        paymentMethodCode="USDT_ETH",
        reason="AML check: source of funds requested",
    )
    past(
        SAVINGS_WALLET_ID,
        "Deposit",
        "Completed",
        "BTC",
        "0.25",
        3 * 24 * 60,
        paymentMethodCode="BTC",
    )
    ids: dict[tuple[str, str], str] = {}
    for (wallet, asset), amount in holds.items():
        ids[(wallet, asset)] = past(
            wallet,
            "Deposit",
            "Processing",
            asset,
            format_amount(amount),
            12,
            paymentMethodCode=asset,
        ).id
    return ids
