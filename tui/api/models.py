"""Typed, immutable models of what the exchange returns. Amounts are Decimal."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from tui.api.amounts import exact_sum

AVAILABLE = "balance"
HOLD = "holdBalance"
LOCKED = "lockBalance"
REFERRAL = "referralBalance"
#: "The balance of funds currently in settlement": spoken of by the reference page, not in
#: its example; some deployments send it.
SETTLEMENT = "settlementBalance"
#: The amount fields the reference page documents, in its order.
KNOWN_AMOUNT_FIELDS = (AVAILABLE, HOLD, LOCKED, REFERRAL)

_LABELS = {
    AVAILABLE: "Available",
    HOLD: "Hold",
    LOCKED: "Locked (AML)",
    REFERRAL: "Referral",
}


def is_amount_field(name: str) -> bool:
    """True for `balance` and every `*Balance` field (settlementBalance, reserveBalance...)."""
    return name == AVAILABLE or (name.endswith("Balance") and len(name) > len("Balance"))


def amount_label(name: str) -> str:
    """A human label for an amount field: "holdBalance" -> "Hold", "settlementBalance" -> "Settlement"."""
    if name in _LABELS:
        return _LABELS[name]
    stem = name.removesuffix("Balance") or name
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", stem).split()
    return " ".join(words).capitalize() if words else name


@dataclass(frozen=True, slots=True)
class DepositAddress:
    """One network's deposit address for an asset. `memo` is None when the coin has none.

    `memo_in_address` is True when the server sent the memo inside the address
    (`rEb8...?dt=1049372`, see `tui.api.address_tag`); `address` is then the address
    alone and `memo` the tag taken out of it.
    """

    network: str
    address: str
    memo: str | None = None
    memo_in_address: bool = False


@dataclass(frozen=True)
class AssetBalance:
    """The balances of one asset, with its deposit addresses.

    `amounts` holds `balance` and every `*Balance` field the server sent, in the
    server's order, so that fields added by a deployment (a settlement balance, say)
    are shown rather than dropped.
    """

    asset: str
    amounts: tuple[tuple[str, Decimal], ...]
    deposit_addresses: tuple[DepositAddress, ...] = ()

    @cached_property
    def _by_field(self) -> Mapping[str, Decimal]:
        return dict(self.amounts)

    def amount(self, name: str) -> Decimal | None:
        """The amount of field `name`, or None when the server did not report it."""
        return self._by_field.get(name)

    @property
    def available(self) -> Decimal:
        """`balance`: what can be spent or withdrawn now."""
        return self._by_field.get(AVAILABLE, Decimal(0))

    @property
    def hold(self) -> Decimal | None:
        """`holdBalance`: funds in processing."""
        return self._by_field.get(HOLD)

    @property
    def locked(self) -> Decimal | None:
        """`lockBalance`: funds blocked under the AML policy."""
        return self._by_field.get(LOCKED)

    @property
    def referral(self) -> Decimal | None:
        """`referralBalance`: the balance from the referral system."""
        return self._by_field.get(REFERRAL)

    @property
    def extra_amounts(self) -> tuple[tuple[str, Decimal], ...]:
        """The amount fields beyond the four documented ones, in the server's order."""
        return tuple((k, v) for k, v in self.amounts if k not in KNOWN_AMOUNT_FIELDS)

    @cached_property
    def total(self) -> Decimal:
        """The exact sum of every amount field: all the funds of this asset in the wallet."""
        return exact_sum(value for _, value in self.amounts)

    @property
    def is_zero(self) -> bool:
        """True when every amount of this asset is zero."""
        return all(value.is_zero() for _, value in self.amounts)


@dataclass(frozen=True)
class BalanceSnapshot:
    """One answer of `/v2/balance`: every asset of the wallet, in the server's order."""

    balances: tuple[AssetBalance, ...]
    wallet_id: str | None = None
    _index: Mapping[str, AssetBalance] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {b.asset: b for b in self.balances})

    def __iter__(self) -> Iterator[AssetBalance]:
        return iter(self.balances)

    def __len__(self) -> int:
        return len(self.balances)

    def get(self, asset: str) -> AssetBalance | None:
        """The balance of `asset`, or None when the wallet has no such asset."""
        return self._index.get(asset)

    @property
    def assets(self) -> tuple[str, ...]:
        """The asset symbols, in the server's order."""
        return tuple(b.asset for b in self.balances)

    def same_assets(self, other: BalanceSnapshot) -> bool:
        """True when `other` holds the same assets (in any order), amounts aside."""
        return self._index.keys() == other._index.keys()

    def missing(self, wanted: Sequence[str]) -> tuple[str, ...]:
        """Those of `wanted` (the `assets` asked for) that the answer does not hold."""
        return tuple(asset for asset in wanted if asset not in self._index)


@dataclass(frozen=True, slots=True)
class LoginTokens:
    """What `/v2/auth/login` returns. Kept in memory only; the repr hides the tokens."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    #: Unix time at which the access token expires, when the server said.
    expires_at: float | None = None
