"""`AlertEvaluator`: fires each rule once when its condition becomes true, again only after it
was false. Pure: it is handed answers and times, and returns the alerts to deliver.

A condition is tracked per subject: a balance rule per wallet, `deposit` per wallet and
asset, `operation` per operation id, `offline` once. A condition that cannot be judged
(the asset missing from an answer) keeps its last state rather than flapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from tui.alerts.rules import (
    TOTAL,
    BalanceRule,
    DepositRule,
    OfflineRule,
    OperationRule,
    Rule,
    describe,
)
from tui.api.amounts import exact_difference, format_amount, trim_zeros
from tui.api.models import AssetBalance, BalanceSnapshot, amount_label
from tui.api.text import clean_text

_OP_WORDS = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}


@dataclass(frozen=True)
class Alert:
    """A rule that fired: what to tell the user, and the facts as exact strings.

    `detail` holds the facts for scripts (amounts as exact decimal strings, under the
    API's field names); `to_json` is what `--on-alert` reads on its standard input.
    """

    rule: str
    kind: str
    """"balance", "deposit", "operation" or "offline"."""
    title: str
    message: str
    at: datetime
    wallet: str | None = None
    asset: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self, base_url: str | None = None) -> dict[str, Any]:
        """The alert as a JSON object: no credential, token or header is ever in it."""
        return {
            "rule": self.rule,
            "kind": self.kind,
            "title": self.title,
            "message": self.message,
            "time": self.at.isoformat(),
            "baseUrl": base_url,
            "walletId": self.wallet,
            "asset": self.asset,
            **dict(self.detail),
        }


class AlertEvaluator:
    """Judges `rules` against what the feeds report; each method returns the new alerts."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._active: set[tuple[int, object]] = set()

    def _edge(self, index: int, subject: object, true: bool) -> bool:
        """Record the condition; True when it has just become true."""
        key = (index, subject)
        if not true:
            self._active.discard(key)
            return False
        if key in self._active:
            return False
        self._active.add(key)
        return True

    def balances(
        self,
        snapshot: BalanceSnapshot,
        previous: BalanceSnapshot | None,
        at: datetime,
        *,
        masked: bool = False,
    ) -> list[Alert]:
        """Alerts from a balance answer; `previous` is the wallet's answer before it, if any.

        `masked`: the messages leave out the amounts (the screen is being shared).
        """
        wallet = snapshot.wallet_id
        alerts: list[Alert] = []
        for index, rule in enumerate(self.rules):
            if isinstance(rule, BalanceRule):
                balance = snapshot.get(rule.asset)
                amount = _amount(balance, rule.field) if balance is not None else None
                if amount is None:
                    continue  # not in this answer: cannot judge, keep the last state
                if self._edge(index, (wallet, rule.asset), rule.holds(amount)):
                    alerts.append(_balance_alert(rule, amount, at, wallet, masked))
            elif isinstance(rule, DepositRule) and previous is not None:
                if previous.wallet_id != wallet:
                    continue
                for balance in _matching(snapshot, rule.asset):
                    old = previous.get(balance.asset)
                    rose = old is not None and balance.available > old.available
                    if self._edge(index, (wallet, balance.asset), rose):
                        assert old is not None
                        alerts.append(_deposit_alert(rule, balance, old, at, wallet, masked))
        return alerts

    def connection(self, last_good: datetime, now: datetime) -> list[Alert]:
        """Alerts of `offline` rules: `last_good` is the last good answer (or the start)."""
        alerts: list[Alert] = []
        silent = (now - last_good).total_seconds()
        for index, rule in enumerate(self.rules):
            if isinstance(rule, OfflineRule) and self._edge(index, None, silent > rule.seconds):
                alerts.append(
                    Alert(
                        rule=rule.text,
                        kind="offline",
                        title="Exchange offline",
                        message=f"No good answer from the exchange for {describe(round(silent))} "
                        f"(since {last_good.astimezone():%H:%M:%S}).",
                        at=now,
                        detail={"offlineSeconds": round(silent), "lastGood": last_good.isoformat()},
                    )
                )
        return alerts

    def operation(
        self,
        operation_id: str,
        status: str,
        at: datetime,
        *,
        wallet: str | None = None,
        asset: str | None = None,
        kind: str | None = None,
        amount: Decimal | None = None,
    ) -> list[Alert]:
        """Alerts of `operation` rules for an operation now in `status` (the API's `status`)."""
        alerts: list[Alert] = []
        for index, rule in enumerate(self.rules):
            if not isinstance(rule, OperationRule):
                continue
            if self._edge(index, operation_id, status == rule.status):
                # Ids, types and assets are server text: no control character on screen.
                what = clean_text(" ".join(part for part in (kind, asset) if part))
                alerts.append(
                    Alert(
                        rule=rule.text,
                        kind="operation",
                        title=f"Operation {status}",
                        message=f"Operation {operation_id}"
                        + (f" ({what})" if what else "")
                        + f" is {status}.",
                        at=at,
                        wallet=wallet,
                        asset=asset,
                        detail={
                            "operationId": operation_id,
                            "status": status,
                            "type": kind,
                            "amount": None if amount is None else format_amount(amount),
                        },
                    )
                )
        return alerts

    @property
    def watches_connection(self) -> bool:
        """Whether any rule is an `offline` rule (judged each second)."""
        return any(isinstance(rule, OfflineRule) for rule in self.rules)

    @property
    def watches_operations(self) -> bool:
        """Whether any rule needs the operations feed."""
        return any(isinstance(rule, OperationRule) for rule in self.rules)


def _amount(balance: AssetBalance, name: str) -> Decimal | None:
    return balance.total if name == TOTAL else balance.amount(name)


def _matching(snapshot: BalanceSnapshot, asset: str | None) -> Iterable[AssetBalance]:
    if asset is None:
        return snapshot
    balance = snapshot.get(asset)
    return () if balance is None else (balance,)


def _field_label(name: str) -> str:
    return "total" if name == TOTAL else amount_label(name).lower()


def _balance_alert(
    rule: BalanceRule, amount: Decimal, at: datetime, wallet: str | None, masked: bool
) -> Alert:
    label = _field_label(rule.field)
    threshold = format_amount(rule.threshold, grouping=True)
    shown = "(hidden)" if masked else format_amount(amount, grouping=True)
    return Alert(
        rule=rule.text,
        kind="balance",
        title=f"{rule.asset} {label} {_OP_WORDS[rule.op]} {threshold}",
        message=f"{rule.asset} {label} is {shown} (rule: {rule.text}).",
        at=at,
        wallet=wallet,
        asset=rule.asset,
        detail={
            "field": rule.field,
            "amount": format_amount(amount),
            "op": rule.op,
            "threshold": format_amount(rule.threshold),
        },
    )


def _deposit_alert(
    rule: DepositRule,
    balance: AssetBalance,
    old: AssetBalance,
    at: datetime,
    wallet: str | None,
    masked: bool,
) -> Alert:
    rise = trim_zeros(exact_difference(balance.available, old.available))
    name = clean_text(balance.asset)  # server text: no control character reaches a screen
    message = (
        f"{name} available went up (amounts hidden)."
        if masked
        else f"{name} available +{format_amount(rise, grouping=True)} "
        f"(now {format_amount(balance.available, grouping=True)})."
    )
    return Alert(
        rule=rule.text,
        kind="deposit",
        title=f"Deposit: {name}",
        message=message,
        at=at,
        wallet=wallet,
        asset=balance.asset,
        detail={
            "field": "balance",
            "amount": format_amount(balance.available),
            "previous": format_amount(old.available),
            "change": format_amount(rise),
        },
    )
