"""The demo account behind the sandbox: seeded wallets whose balances move like a live account's.

Movement is deterministic. The exchange keeps one `random.Random(seed)` and moves in
whole ticks of `tick_seconds`, catching up lazily with its clock whenever it is read.
Two exchanges with the same seed that have run the same number of ticks are in the
same state, which is what tests and screenshots rely on; pass a fake clock to control
time, or `moving=False` and `advance()` to step by hand.

Each tick, every wallet may see:
- a deposit, which lands in `holdBalance` and clears into `balance` two or three ticks later;
- a small withdrawal from `balance` (never more than is there), held in `holdBalance`
  while it is processed;
- now and then a referral credit.

Deposits and withdrawals are recorded as operations (`tui.sandbox.operations`), whose
statuses follow the money: `/v2/operation/find` explains every move of the balances.
"""

from __future__ import annotations

import decimal
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from tui.api.amounts import format_amount
from tui.api.models import KNOWN_AMOUNT_FIELDS, is_amount_field
from tui.sandbox import operations as ops
from tui.sandbox.demo_data import (
    DEFAULT_PRECISION,
    DEMO_WALLETS,
    MAIN_WALLET_ID,
    PRECISION,
    SAVINGS_WALLET_ID,
    SEED_WALLETS,
    SeedAsset,
)
from tui.sandbox.rates import DemoRates

__all__ = [
    "DEMO_API_KEY",
    "DEMO_EMAIL",
    "DEMO_MERCHANT_ID",
    "DEMO_PASSWORD",
    "DEMO_WALLETS",
    "MAIN_WALLET_ID",
    "SAVINGS_WALLET_ID",
    "AssetState",
    "DemoExchange",
    "RequestRecord",
    "UnknownAssetError",
    "UnknownWalletError",
]

DEMO_MERCHANT_ID = "demo-merchant"
DEMO_EMAIL = "demo@wallet-tui.dev"
DEMO_PASSWORD = "demo-password"
DEMO_API_KEY = "demo-api-key-0123456789"

#: At most this many ticks are simulated per read; a longer clock jump (a laptop that
#: slept all night) skips the rest of the history instead of replaying it.
MAX_CATCH_UP_TICKS = 1000

# Chances per wallet per tick. Deposits outnumber withdrawals so the demo account grows
# slowly rather than draining to zero over a long session.
DEPOSIT_CHANCE = 0.35
WITHDRAWAL_CHANCE = 0.25
REFERRAL_CHANCE = 0.08
#: A deposit stays on hold for this many ticks (inclusive range).
HOLD_TICKS = (2, 3)
#: The tick at which the holds present in the seed data clear.
SEEDED_HOLD_CLEARS_AT = 2

# Sums of 18-decimal amounts must never round: far more digits than any balance needs.
_EXACT = decimal.Context(prec=200, traps=[decimal.InvalidOperation, decimal.Overflow])


class UnknownWalletError(KeyError):
    """The exchange has no wallet with this id (the app answers 404 WALLET_NOT_FOUND)."""

    def __init__(self, wallet_id: str) -> None:
        super().__init__(wallet_id)
        self.wallet_id = wallet_id

    def __str__(self) -> str:
        return f"unknown wallet {self.wallet_id!r}"


class UnknownAssetError(KeyError):
    """The wallet holds no such asset."""

    def __init__(self, asset: str) -> None:
        super().__init__(asset)
        self.asset = asset

    def __str__(self) -> str:
        return f"unknown asset {self.asset!r}"


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the sandbox answered, for tests to inspect.

    `auth` is the mode the request tried ("jwt", "api-key") whether or not it was
    accepted, or None when it sent no credentials (login, control endpoints).
    """

    time: float
    path: str
    auth: str | None
    status: int
    method: str = "POST"


@dataclass
class AssetState:
    """The live state of one asset in one wallet.

    `amounts` keeps the server's field order; `deposit_addresses` maps a network to
    (address, memo) and is None when the asset has no `depositAddress` key (fiat).
    `scale` is the typical deposit size; None means the simulation leaves the asset alone.
    """

    amounts: dict[str, Decimal]
    deposit_addresses: dict[str, tuple[str, str | None]] | None
    precision: int = DEFAULT_PRECISION
    scale: Decimal | None = None

    def to_json(self, asset: str) -> dict[str, Any]:
        """This asset as one item of the `/v2/balance` answer."""
        item: dict[str, Any] = {"asset": asset}
        for name, value in self.amounts.items():
            item[name] = format_amount(value)
        if self.deposit_addresses is not None:
            item["depositAddress"] = {
                network: {"address": address, "memo": memo}
                for network, (address, memo) in self.deposit_addresses.items()
            }
        return item


@dataclass(slots=True)
class _PendingHold:
    """Money in `holdBalance` until `due_tick`: a deposit clearing, or a withdrawal leaving."""

    due_tick: int
    wallet_id: str
    asset: str
    amount: Decimal
    operation_id: str | None = None
    withdrawal: bool = False
    #: The deposit goes OnHold (into lockBalance), or the withdrawal is Declined (back).
    stopped: bool = False


def _seed_state(seed: SeedAsset) -> AssetState:
    addresses = None
    if seed.addresses is not None:
        addresses = {network: (address, memo) for network, address, memo in seed.addresses}
    return AssetState(
        amounts={name: Decimal(value) for name, value in seed.amounts},
        deposit_addresses=addresses,
        precision=PRECISION.get(seed.asset, DEFAULT_PRECISION),
        scale=None if seed.scale is None else Decimal(seed.scale),
    )


def _tidy(value: Decimal, precision: int) -> Decimal:
    """Cut `value` down to `precision` decimals and drop trailing zeros ("0.640" -> "0.64")."""
    cut = value.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_DOWN, context=_EXACT)
    if cut.is_zero():
        return Decimal(0)
    tidy = cut.normalize(_EXACT)
    if tidy.as_tuple().exponent > 0:  # type: ignore[operator]
        tidy = tidy.quantize(Decimal(1), context=_EXACT)  # "1E+2" -> "100"
    return tidy


def _to_decimal(value: Decimal | str | int) -> Decimal:
    if isinstance(value, float):
        raise TypeError("amounts are Decimal or str, never float")
    amount = value if isinstance(value, Decimal) else Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"amount {value!r} is not finite")
    return amount


AddressSpec = str | tuple[str, str | None] | Mapping[str, Any]


def _address_entry(spec: AddressSpec) -> tuple[str, str | None]:
    if isinstance(spec, str):
        return spec, None
    if isinstance(spec, Mapping):
        return str(spec["address"]), spec.get("memo")
    address, memo = spec
    return address, memo


class DemoExchange:
    """The seeded demo account: wallets, their assets, and a log of the requests served.

    Thread-safe: the HTTP server reads it from its own thread while a test mutates it.
    With `moving=False` the clock moves nothing; `advance()` still steps explicitly.
    """

    def __init__(
        self,
        seed: int = 7,
        clock: Callable[[], float] = time.monotonic,
        tick_seconds: float = 3.0,
        moving: bool = True,
        started_at: float | None = None,
    ) -> None:
        """`started_at` (Unix time, default now) dates the operations: tick n is
        `started_at + n * tick_seconds`, so a fixed start gives the same operations."""
        if not tick_seconds > 0:
            raise ValueError("tick_seconds must be positive")
        self.seed = seed
        self.tick_seconds = tick_seconds
        self.moving = moving
        self.requests: list[RequestRecord] = []
        self._clock = clock
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._wallets: dict[str, dict[str, AssetState]] = {
            wallet_id: {seed_asset.asset: _seed_state(seed_asset) for seed_asset in assets}
            for wallet_id, assets in SEED_WALLETS.items()
        }
        # The seeded holds are deposits in processing too: they clear early in the session.
        holds = {
            (wallet_id, asset): state.amounts["holdBalance"]
            for wallet_id, wallet in self._wallets.items()
            for asset, state in wallet.items()
            if state.scale is not None and state.amounts.get("holdBalance", Decimal(0)) > 0
        }
        self.book = ops.OperationBook(
            seed, time.time() if started_at is None else started_at, tick_seconds
        )
        deposit_ids = ops.seed_history(self.book, holds)
        self._pending: list[_PendingHold] = [
            _PendingHold(SEEDED_HOLD_CLEARS_AT, wallet_id, asset, amount, deposit_ids[key])
            for key, amount in holds.items()
            for wallet_id, asset in [key]
        ]
        #: The market rates, moving one step per tick (`GET /v2/rate/equivalent`).
        self._rates = DemoRates(seed)
        self._ticks = 0
        self._start = clock()
        self._clock_ticks = 0  # whole ticks of clock time already accounted for

    # -- reading -----------------------------------------------------------------

    @property
    def ticks(self) -> int:
        """How many ticks have been simulated so far."""
        with self._lock:
            return self._ticks

    @property
    def wallet_ids(self) -> tuple[str, ...]:
        """The ids of the wallets, main wallet first."""
        with self._lock:
            return tuple(self._wallets)

    def now(self) -> float:
        """The exchange's clock (used to time-stamp the request log)."""
        return self._clock()

    def balance_payload(
        self, wallet_id: str | None = None, assets: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """The `/v2/balance` answer for `wallet_id` (None: the main wallet).

        `assets` filters by symbol, case-insensitively; unknown symbols are simply
        absent, and an empty filter means every asset. The wallet's order is kept.
        Raises UnknownWalletError for an unknown wallet id.
        """
        with self._lock:
            self._catch_up()
            wallet = self._wallet(wallet_id)
            wanted = {symbol.upper() for symbol in assets} if assets else None
            return {
                "data": [
                    state.to_json(asset)
                    for asset, state in wallet.items()
                    if wanted is None or asset.upper() in wanted
                ]
            }

    def rates_payload(self) -> dict[str, Any]:
        """The `/v2/rate/equivalent` answer: one unit of every listed asset per quote."""
        with self._lock:
            self._catch_up()
            return self._rates.payload()

    def rate(self, asset: str, quote: str) -> Decimal | None:
        """The current rate of `asset` in `quote` (None: no rate), as the answer gives it."""
        with self._lock:
            self._catch_up()
            return self._rates.rate(asset, quote)

    def list_asset(self, asset: str, usd: Decimal | str) -> None:
        """Quote another asset in the market rates, at `usd` per unit (then moving)."""
        with self._lock:
            self._catch_up()
            self._rates.add_asset(asset, usd)

    def set_rate(self, asset: str, quote: str, rate: Decimal | str | None) -> None:
        """Quote `asset` in `quote` at exactly `rate` from now on; None: no rate at all."""
        with self._lock:
            self._catch_up()
            self._rates.set_rate(asset, quote, rate)

    def amount(self, asset: str, field: str = "balance", wallet_id: str | None = None) -> Decimal:
        """The current value of one amount field (after catching up with the clock)."""
        with self._lock:
            self._catch_up()
            return self._asset(asset, wallet_id).amounts[field]

    def operations_payload(self, wallet_id: str | None = None, **filters: Any) -> dict[str, Any]:
        """The `/v2/operation/find` answer's items for a wallet (None: the main wallet),
        newest first, filtered as `OperationBook.find` says; `{"data": [...]}`.
        Raises UnknownWalletError for an unknown wallet id."""
        with self._lock:
            self._catch_up()
            key = MAIN_WALLET_ID if wallet_id is None else wallet_id
            self._wallet(key)
            return {"data": self.book.find(key, **filters)}

    def operation_json(self, operation_id: str) -> dict[str, Any] | None:
        """One operation as `/v2/operation/details` sends it, or None when unknown."""
        with self._lock:
            self._catch_up()
            operation = self.book.get(operation_id)
            return None if operation is None else operation.to_json()

    def add_operation(
        self,
        kind: str,
        status: str,
        asset: str,
        amount: Decimal | str,
        wallet_id: str | None = None,
        **extra: Any,
    ) -> str:
        """Record an operation now (a test helper; balances are left alone); its id.

        `extra` fields are sent as given, so tests can add unknown ones.
        """
        with self._lock:
            self._catch_up()
            operation = self.book.open(
                wallet_id or MAIN_WALLET_ID, kind, asset, _to_decimal(amount), self._ticks, **extra
            )
            self.book.set_status(operation.id, status, self._ticks)
            return operation.id

    def set_operation_status(self, operation_id: str, status: str) -> None:
        """Move an operation to `status` now (a test helper; balances are left alone)."""
        with self._lock:
            self._catch_up()
            self.book.set_status(operation_id, status, self._ticks)

    def remove_operation(self, operation_id: str) -> None:
        """Forget an operation, as an exchange that purged or archived it (a test helper;
        balances are left alone): `/v2/operation/details` answers 404 for it, and no
        search lists it. KeyError if unknown."""
        with self._lock:
            self._catch_up()
            self.book.remove(operation_id)

    def record(self, path: str, auth: str | None, status: int, method: str = "POST") -> None:
        """Append one entry to `requests` (called by the HTTP app)."""
        with self._lock:
            self.requests.append(RequestRecord(self._clock(), path, auth, status, method))

    # -- test helpers --------------------------------------------------------------

    def advance(self, ticks: int = 1) -> None:
        """Simulate `ticks` more ticks now, whatever the clock says (even when not moving)."""
        if ticks < 0:
            raise ValueError("ticks must not be negative")
        with self._lock:
            self._catch_up()
            for _ in range(ticks):
                self._tick()

    def set_amount(
        self, asset: str, field: str, value: Decimal | str, wallet_id: str | None = None
    ) -> None:
        """Set one amount field exactly as given; a new `*Balance` field is appended."""
        if not is_amount_field(field):
            raise ValueError(f"{field!r} is not an amount field (balance or *Balance)")
        amount = _to_decimal(value)
        with self._lock:
            self._catch_up()
            self._asset(asset, wallet_id).amounts[field] = amount

    def add_asset(
        self,
        asset: str,
        amounts: Mapping[str, Decimal | str],
        deposit_addresses: Mapping[str, AddressSpec] | None = None,
        wallet_id: str | None = None,
    ) -> None:
        """Add an asset (or replace one, keeping its place). It never moves by itself.

        The documented fields missing from `amounts` are filled with zero; extra
        `*Balance` fields follow them in the given order. `deposit_addresses` maps a
        network to an address, an (address, memo) pair or {"address", "memo"}; None
        leaves out the `depositAddress` key altogether, like fiat.
        """
        for field in amounts:
            if not is_amount_field(field):
                raise ValueError(f"{field!r} is not an amount field (balance or *Balance)")
        values = {field: _to_decimal(amounts.get(field, "0")) for field in KNOWN_AMOUNT_FIELDS}
        values.update({field: _to_decimal(value) for field, value in amounts.items()})
        addresses = None
        if deposit_addresses is not None:
            addresses = {
                network: _address_entry(spec) for network, spec in deposit_addresses.items()
            }
        state = AssetState(values, addresses, PRECISION.get(asset, DEFAULT_PRECISION), None)
        with self._lock:
            self._catch_up()
            self._wallet(wallet_id)[asset] = state

    def remove_asset(self, asset: str, wallet_id: str | None = None) -> None:
        """Remove an asset from a wallet (and any deposit of it still on hold)."""
        with self._lock:
            self._catch_up()
            wallet_key = wallet_id or MAIN_WALLET_ID
            wallet = self._wallet(wallet_id)
            if asset not in wallet:
                raise UnknownAssetError(asset)
            del wallet[asset]
            self._pending = [
                p for p in self._pending if (p.wallet_id, p.asset) != (wallet_key, asset)
            ]

    def set_deposit_address(
        self,
        asset: str,
        network: str,
        address: str,
        memo: str | None = None,
        wallet_id: str | None = None,
    ) -> None:
        """Set (or add) the deposit address of `asset` on `network`."""
        with self._lock:
            self._catch_up()
            state = self._asset(asset, wallet_id)
            if state.deposit_addresses is None:
                state.deposit_addresses = {}
            state.deposit_addresses[network] = (address, memo)

    # -- simulation ------------------------------------------------------------------

    def _wallet(self, wallet_id: str | None) -> dict[str, AssetState]:
        key = MAIN_WALLET_ID if wallet_id is None else wallet_id
        try:
            return self._wallets[key]
        except KeyError:
            raise UnknownWalletError(key) from None

    def _asset(self, asset: str, wallet_id: str | None) -> AssetState:
        try:
            return self._wallet(wallet_id)[asset]
        except UnknownWalletError:
            raise
        except KeyError:
            raise UnknownAssetError(asset) from None

    def _catch_up(self) -> None:
        if not self.moving:
            return
        due = int((self._clock() - self._start) // self.tick_seconds)
        behind = due - self._clock_ticks
        if behind <= 0:
            return  # no whole tick yet, or a clock that went backwards
        self._clock_ticks = due
        for _ in range(min(behind, MAX_CATCH_UP_TICKS)):
            self._tick()

    def _tick(self) -> None:
        self._ticks += 1
        self._rates.step()
        self.book.tick(self._ticks)
        self._clear_holds()
        for wallet_id, wallet in self._wallets.items():
            self._wallet_events(wallet_id, wallet)

    def _clear_holds(self) -> None:
        still_pending: list[_PendingHold] = []
        for pending in self._pending:
            if pending.due_tick > self._ticks:
                still_pending.append(pending)
                continue
            state = self._wallets.get(pending.wallet_id, {}).get(pending.asset)
            if state is None:
                continue
            # A test may have lowered the hold meanwhile: never move more than is there.
            hold = state.amounts.get("holdBalance", Decimal(0))
            moved = max(Decimal(0), min(pending.amount, hold))
            state.amounts["holdBalance"] = _tidy(_EXACT.subtract(hold, moved), state.precision)
            if pending.withdrawal and not pending.stopped:
                self.book.set_status(pending.operation_id, "Completed", self._ticks)
                continue  # the funds left the wallet
            # A cleared deposit and a declined withdrawal go to the balance; a deposit
            # stopped by the AML check to lockBalance.
            into = "lockBalance" if pending.stopped and not pending.withdrawal else "balance"
            current = state.amounts.get(into, Decimal(0))
            state.amounts[into] = _tidy(_EXACT.add(current, moved), state.precision)
            if pending.withdrawal:
                reason = "Declined by the compliance check; the funds are back in the balance"
                self.book.set_status(pending.operation_id, "Declined", self._ticks, reason=reason)
            elif pending.stopped:
                reason = "AML check: source of funds requested"
                self.book.set_status(pending.operation_id, "OnHold", self._ticks, reason=reason)
            else:
                self.book.set_status(pending.operation_id, "Completed", self._ticks)
        self._pending = still_pending

    def _wallet_events(self, wallet_id: str, wallet: dict[str, AssetState]) -> None:
        rng = self._rng
        live = [(asset, state) for asset, state in wallet.items() if state.scale is not None]
        if not live:
            return
        # Always three draws per wallet, so one event never shifts the dice of another.
        deposit, withdrawal, referral = rng.random(), rng.random(), rng.random()
        if deposit < DEPOSIT_CHANCE:
            asset, state = rng.choice(live)
            amount = self._fraction(state, state.scale, rng.randint(1, 1000), 1000)
            if amount:
                hold = state.amounts.get("holdBalance", Decimal(0))
                state.amounts["holdBalance"] = _tidy(_EXACT.add(hold, amount), state.precision)
                due = self._ticks + rng.randint(*HOLD_TICKS)
                operation = self.book.open(
                    wallet_id, "Deposit", asset, amount, self._ticks, paymentMethodCode=asset
                )
                stopped = self._first_of_main(wallet_id, ops.ONHOLD_FROM_TICK, "onhold_done")
                self._pending.append(
                    _PendingHold(due, wallet_id, asset, amount, operation.id, stopped=stopped)
                )
        if withdrawal < WITHDRAWAL_CHANCE:
            funded = [(a, s) for a, s in live if s.amounts.get("balance", Decimal(0)) > 0]
            if funded:
                asset, state = rng.choice(funded)
                balance = state.amounts["balance"]
                # At most 15% of what is there, rounded down: the balance cannot go negative.
                amount = self._fraction(state, balance, rng.randint(1, 150), 1000)
                remaining = _EXACT.subtract(balance, amount)
                state.amounts["balance"] = _tidy(max(remaining, Decimal(0)), state.precision)
                if amount:
                    self._hold_withdrawal(wallet_id, asset, state, amount)
        if referral < REFERRAL_CHANCE:
            asset, state = rng.choice(live)
            amount = self._fraction(state, state.scale, rng.randint(1, 1000), 100_000)
            if amount:
                current = state.amounts.get("referralBalance", Decimal(0))
                state.amounts["referralBalance"] = _tidy(
                    _EXACT.add(current, amount), state.precision
                )

    def _first_of_main(self, wallet_id: str, from_tick: int, flag: str) -> bool:
        """True once: for the main wallet's first event from `from_tick` on."""
        if wallet_id != MAIN_WALLET_ID or self._ticks < from_tick or getattr(self.book, flag):
            return False
        setattr(self.book, flag, True)
        return True

    def _hold_withdrawal(
        self, wallet_id: str, asset: str, state: AssetState, amount: Decimal
    ) -> None:
        """A withdrawal in processing: its amount sits in holdBalance until it leaves."""
        hold = state.amounts.get("holdBalance", Decimal(0))
        state.amounts["holdBalance"] = _tidy(_EXACT.add(hold, amount), state.precision)
        low, high = ops.WITHDRAW_TICKS
        # Not the balances' generator: the length of a withdrawal must not shift their dice.
        due = self._ticks + low + len(self.book.operations) % (high - low + 1)
        operation = self.book.open(
            wallet_id, "Withdraw", asset, amount, self._ticks, paymentMethodCode=asset
        )
        declined = self._first_of_main(wallet_id, ops.DECLINE_FROM_TICK, "decline_done")
        self._pending.append(
            _PendingHold(
                due, wallet_id, asset, amount, operation.id, withdrawal=True, stopped=declined
            )
        )

    @staticmethod
    def _fraction(state: AssetState, base: Decimal | None, units: int, per: int) -> Decimal:
        """`base * units / per`, cut to the asset's precision."""
        if base is None:
            return Decimal(0)
        return _tidy(
            _EXACT.divide(_EXACT.multiply(base, Decimal(units)), Decimal(per)), state.precision
        )
