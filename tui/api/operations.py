"""Typed models of a wallet's operations (`/v2/operation/find`, `/v2/operation/details`).

An operation is a deposit, withdrawal, transfer or exchange with a type, a status,
source and target assets and amounts, and times. The documented statuses and types
are named here, but a deployment may send others: they are kept as the server's
text, never dropped or mapped to a known one. Every field the server sent is kept,
in its order, so that the full view can show what this model does not name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

# Statuses (documented): an operation moves Created -> Processing -> Completed, or stops
# at OnHold (blocked, e.g. for an AML check) or Declined.
CREATED = "Created"
PROCESSING = "Processing"
ON_HOLD = "OnHold"
DECLINED = "Declined"
COMPLETED = "Completed"
STATUSES = (CREATED, PROCESSING, ON_HOLD, DECLINED, COMPLETED)
#: Statuses in which the funds are not settled yet: what a hold balance is made of.
PENDING_STATUSES = frozenset({CREATED, PROCESSING})
#: Statuses that need the user's attention and stay highlighted.
ALERT_STATUSES = frozenset({ON_HOLD, DECLINED})

# Types (documented).
DEPOSIT = "Deposit"
WITHDRAW = "Withdraw"
TYPES = (
    DEPOSIT,
    WITHDRAW,
    "DepositWithExchange",
    "WithdrawWithExchange",
    "CryptoExchange",
    "Transfer",
    "BuyToSendCrypto",
)
#: Types that bring funds into the wallet (a "new deposit" notification is about these).
DEPOSIT_TYPES = frozenset({DEPOSIT, "DepositWithExchange"})

#: A JSON value as the parser keeps it: str, Decimal (any number), bool, None, or a
#: tuple of values, or a tuple of (key, value) pairs for an object (`JsonObject`).
JsonValue = Any


@dataclass(frozen=True, slots=True)
class JsonObject:
    """A nested JSON object of an operation, its keys in the server's order."""

    items: tuple[tuple[str, JsonValue], ...]


@dataclass(frozen=True)
class Operation:
    """One operation of a wallet, as `/v2/operation/find` or `/details` sent it.

    `type` and `status` are the server's text (cleaned of control characters); None
    when absent. Amounts are exact Decimals (`sourceAmount`, `targetAmount`); times are
    timezone-aware (`createdAt`, `updatedAt`; an ISO 8601 time without a zone is read
    as UTC). `fields` is every field of the answer's object in its order, values
    cleaned, numbers as Decimal: what the full view and `--json` show.
    """

    id: str
    type: str | None
    status: str | None
    wallet_id: str | None = None
    source_asset: str | None = None
    source_amount: Decimal | None = None
    target_asset: str | None = None
    target_amount: Decimal | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    fields: tuple[tuple[str, JsonValue], ...] = ()

    @property
    def sent_id(self) -> str | int:
        """The id as the server sent it: a number stays a number in a request."""
        raw = dict(self.fields).get("id")
        return int(raw) if isinstance(raw, Decimal) else self.id

    @property
    def is_pending(self) -> bool:
        """True while Created or Processing: the funds are on hold."""
        return self.status in PENDING_STATUSES

    @property
    def needs_attention(self) -> bool:
        """True for OnHold and Declined: shown highlighted until it changes."""
        return self.status in ALERT_STATUSES

    @property
    def is_deposit(self) -> bool:
        """True for the types that bring funds in (Deposit, DepositWithExchange)."""
        return self.type in DEPOSIT_TYPES

    @property
    def assets(self) -> tuple[str, ...]:
        """The assets the operation touches (source first, no repeat)."""
        found = [a for a in (self.source_asset, self.target_asset) if a]
        return tuple(dict.fromkeys(found))

    def involves(self, asset: str) -> bool:
        """True when `asset` is the source or the target asset."""
        return asset in (self.source_asset, self.target_asset)

    def amount_of(self, asset: str) -> Decimal | None:
        """The amount of the operation in `asset` (the target's when both are `asset`)."""
        if self.target_asset == asset and self.target_amount is not None:
            return self.target_amount
        if self.source_asset == asset:
            return self.source_amount
        return None

    @property
    def sort_time(self) -> datetime | None:
        """When it was created (else last updated): the order of the list."""
        return self.created_at or self.updated_at


@dataclass(frozen=True)
class OperationPage:
    """One page of `/v2/operation/find`: the operations in the server's order, and the
    total count of matches when the server said (`total`/`count`), else None."""

    operations: tuple[Operation, ...]
    total: int | None = None

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)


@dataclass(frozen=True)
class OperationFilter:
    """The body filters of `/v2/operation/find`, all optional (None: not sent).

    `date_from`/`date_to` filter on `createdAt` and are sent as ISO 8601 text.
    """

    type: str | None = None
    status: str | None = None
    wallet_id: str | None = None
    external_id: str | None = None
    source_asset: str | None = None
    target_asset: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None

    def body(self) -> dict[str, str]:
        """The request body: the API's field names, only the filters that are set."""
        names = (
            ("type", self.type),
            ("status", self.status),
            ("walletId", self.wallet_id),
            ("externalId", self.external_id),
            ("sourceAsset", self.source_asset),
            ("targetAsset", self.target_asset),
            ("dateFrom", self.date_from.isoformat() if self.date_from else None),
            ("dateTo", self.date_to.isoformat() if self.date_to else None),
        )
        return {name: value for name, value in names if value is not None}


@dataclass(frozen=True)
class OperationList:
    """A wallet's recent operations, newest first, with no id twice.

    `index` maps an id to its operation; built once, read by the view and the feed.
    """

    operations: tuple[Operation, ...]
    wallet_id: str | None = None
    index: dict[str, Operation] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {op.id: op for op in self.operations})

    @classmethod
    def of(cls, operations: Iterable[Operation], wallet_id: str | None = None) -> OperationList:
        """`operations` de-duplicated by id (the first kept) and sorted newest first.

        Operations without a time keep their place after the dated ones.
        """
        first: dict[str, Operation] = {}
        for op in operations:
            first.setdefault(op.id, op)
        unique = list(first.values())
        dated = [op for op in unique if op.sort_time is not None]
        undated = [op for op in unique if op.sort_time is None]
        dated.sort(key=lambda op: op.sort_time, reverse=True)  # type: ignore[arg-type, return-value]
        return cls((*dated, *undated), wallet_id)

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    def get(self, operation_id: str) -> Operation | None:
        """The operation with this id, or None."""
        return self.index.get(operation_id)

    def pending_of(self, asset: str) -> tuple[Operation, ...]:
        """The operations of `asset` not settled yet (Created, Processing, OnHold), newest first."""
        return tuple(
            op
            for op in self.operations
            if op.involves(asset) and (op.is_pending or op.status == ON_HOLD)
        )


@dataclass(frozen=True)
class OperationChange:
    """What happened to one operation between two lists: it is new (`before` None), or
    its status moved from `before.status` to `after.status`."""

    after: Operation
    before: Operation | None = None

    @property
    def is_new(self) -> bool:
        """True when the operation was not in the earlier list."""
        return self.before is None

    @property
    def old_status(self) -> str | None:
        """The status before (None for a new operation)."""
        return None if self.before is None else self.before.status

    @property
    def new_status(self) -> str | None:
        """The status now."""
        return self.after.status


def changes(before: OperationList, after: OperationList) -> list[OperationChange]:
    """The operations of `after` that are new or changed status since `before`, oldest
    first (the order they happened in). An operation that left the list (it fell off
    the page) is no change."""
    found = []
    for operation in reversed(after.operations):
        old = before.get(operation.id)
        if old is None or old.status != operation.status:
            found.append(OperationChange(operation, old))
    return found


@dataclass(frozen=True)
class PendingSummary:
    """How many operations are waiting: pending (Created/Processing), on hold, declined."""

    pending: int = 0
    on_hold: int = 0
    declined: int = 0

    @classmethod
    def of(cls, operations: Iterable[Operation]) -> PendingSummary:
        """Count `operations` by status."""
        pending = on_hold = declined = 0
        for op in operations:
            pending += op.is_pending
            on_hold += op.status == ON_HOLD
            declined += op.status == DECLINED
        return cls(pending, on_hold, declined)

    def text(self) -> str:
        """"2 pending · 1 on hold" ("no pending operations" when nothing waits); declined
        operations are history and are not counted here."""
        parts = []
        if self.pending:
            parts.append(f"{self.pending} pending")
        if self.on_hold:
            parts.append(f"{self.on_hold} on hold")
        return " · ".join(parts) if parts else "no pending operations"
