"""Alert rules: their grammar, and the parser that turns the user's text into a typed rule.

    ASSET FIELD OP AMOUNT     USDT available < 1000, BTC total > 2, ETH hold >= 0.5
    deposit [ASSET]           any available balance goes up (or that asset's)
    operation STATUS          an operation enters a status: OnHold, Declined, Completed...
    offline > DURATION        no good answer for longer than 90s, 5m, 1h

FIELD is available, hold, locked, referral or total, or an API field name (`balance`,
`holdBalance`, `settlementBalance`...). OP is <, <=, > or >=. AMOUNT is an exact decimal.
Words are case-insensitive; assets are upper-cased; statuses keep the API's spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tui.api.amounts import AmountError, parse_amount
from tui.api.models import AVAILABLE, HOLD, LOCKED, REFERRAL, is_amount_field

#: The documented operation statuses, with the API's spelling (see the API notes).
OPERATION_STATUSES = ("Created", "Processing", "OnHold", "Declined", "Completed")
#: The total of every amount field (not an API field).
TOTAL = "total"

_FIELDS = {
    "available": AVAILABLE,
    "hold": HOLD,
    "locked": LOCKED,
    "lock": LOCKED,
    "aml": LOCKED,
    "referral": REFERRAL,
    "total": TOTAL,
}
_OPS = ("<=", ">=", "<", ">")
_ASSET = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,31}")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|secs|m|min|mins|h|hr|hrs|d)", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_MAX_RULE_CHARS = 200
# Thresholds as people write amounts: no exponent, no NaN, no thousands separators.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


class RuleError(ValueError):
    """A rule that cannot be parsed; the message says why and what would be understood."""


@dataclass(frozen=True)
class BalanceRule:
    """`ASSET FIELD OP AMOUNT`: true while the asset's field compares so with `threshold`.

    `field` is an API amount field name or "total".
    """

    text: str
    asset: str
    field: str
    op: str
    threshold: Decimal

    def holds(self, amount: Decimal) -> bool:
        """Whether `amount` meets the condition."""
        if self.op == "<":
            return amount < self.threshold
        if self.op == "<=":
            return amount <= self.threshold
        if self.op == ">":
            return amount > self.threshold
        return amount >= self.threshold


@dataclass(frozen=True)
class DepositRule:
    """`deposit [ASSET]`: an available balance went up since the previous answer."""

    text: str
    asset: str | None = None


@dataclass(frozen=True)
class OperationRule:
    """`operation STATUS`: an operation of the wallet is in `status` (the API's spelling)."""

    text: str
    status: str


@dataclass(frozen=True)
class OfflineRule:
    """`offline > DURATION`: no good answer from the exchange for more than `seconds`."""

    text: str
    seconds: float


Rule = BalanceRule | DepositRule | OperationRule | OfflineRule


def parse_rule(text: str) -> Rule:
    """The rule `text` describes; RuleError with the reason when it is not one."""
    if not isinstance(text, str):
        raise RuleError(f"a rule must be text, got {type(text).__name__}")
    if len(text) > _MAX_RULE_CHARS:
        raise RuleError(f"rule is longer than {_MAX_RULE_CHARS} characters")
    if any(not ch.isprintable() for ch in text):
        raise RuleError("rule contains control characters")
    clean = " ".join(text.split())
    if not clean:
        raise RuleError("rule is empty")
    # "USDT available<1000": put spaces around the operator so that it splits as words.
    words = re.sub(r"\s*(<=|>=|<|>)\s*", r" \1 ", clean).split()
    head = words[0].lower()
    if head == "deposit":
        return _deposit(clean, words)
    if head == "operation":
        return _operation(clean, words)
    if head == "offline":
        return _offline(clean, words)
    return _balance(clean, words)


def _deposit(text: str, words: list[str]) -> DepositRule:
    if len(words) == 1:
        return DepositRule(text)
    if len(words) == 2:
        return DepositRule(text, _asset(words[1], text))
    raise RuleError(f"{text!r}: write `deposit` or `deposit ASSET`")


def _operation(text: str, words: list[str]) -> OperationRule:
    if len(words) != 2:
        raise RuleError(f"{text!r}: write `operation STATUS`, STATUS one of {_statuses()}")
    for status in OPERATION_STATUSES:
        if words[1].lower() == status.lower():
            return OperationRule(text, status)
    raise RuleError(f"{text!r}: unknown operation status {words[1]!r}; one of {_statuses()}")


def _offline(text: str, words: list[str]) -> OfflineRule:
    if len(words) < 3 or words[1] != ">":
        raise RuleError(f"{text!r}: write `offline > DURATION`, e.g. `offline > 5m`")
    spec = "".join(words[2:])
    match = _DURATION.fullmatch(spec)
    if match is None:
        raise RuleError(f"{text!r}: {spec!r} is not a duration; write e.g. 90s, 5m or 1h")
    seconds = float(match[1]) * _UNIT_SECONDS[match[2][0].lower()]
    if seconds <= 0:
        raise RuleError(f"{text!r}: the duration must be more than zero")
    return OfflineRule(text, seconds)


def _balance(text: str, words: list[str]) -> BalanceRule:
    if len(words) != 4 or words[2] not in _OPS:
        raise RuleError(
            f"{text!r}: not understood; write `ASSET FIELD OP AMOUNT` (e.g. `USDT available < "
            "1000`), `deposit`, `operation STATUS` or `offline > DURATION`"
        )
    asset = _asset(words[0], text)
    name = words[1]
    field = _FIELDS.get(name.lower())
    if field is None:
        if not is_amount_field(name):
            raise RuleError(
                f"{text!r}: unknown field {name!r}; one of available, hold, locked, referral, "
                "total, or an API field such as holdBalance"
            )
        field = name
    if not _PLAIN_NUMBER.fullmatch(words[3]):
        raise RuleError(
            f"{text!r}: {words[3]!r} is not a decimal number; write digits, e.g. 1000 or 0.5"
        )
    try:
        threshold = parse_amount(words[3])
    except AmountError as error:
        raise RuleError(f"{text!r}: {error}") from None
    return BalanceRule(text, asset, field, words[2], threshold)


def _asset(word: str, text: str) -> str:
    asset = word.upper()
    if not _ASSET.fullmatch(asset):
        raise RuleError(f"{text!r}: {word!r} is not an asset symbol")
    return asset


def _statuses() -> str:
    return ", ".join(OPERATION_STATUSES)


def describe(seconds: float) -> str:
    """A duration as the rules write it: 90 -> "1m30s", 300 -> "5m"."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return "".join(parts) or f"{seconds:g}s"
