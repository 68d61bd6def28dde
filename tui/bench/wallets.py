"""Synthetic wallets of any size, shaped like a large exchange's `/v2/balance` answer.

Most assets are coins with 8 decimals and one deposit network; some have 18 decimals
(ETH-like) or 6, some several networks, some a memo, some are fiat with no address
at all. `step()` lowers the available balance of a share of the assets, drawn from the
whole list, as withdrawals would: the amounts keep their number of decimals, and
no balance goes up, so that the dashboard raises no "deposit landed" notice (at
thousands of refreshes a minute those would pile up as a 1 s interval never lets them).
"""

from __future__ import annotations

import json
import random
import string
from decimal import Decimal
from typing import Any

#: The share of assets whose amounts change at each refresh.
CHANGED_SHARE = 0.05


def asset_symbol(index: int) -> str:
    """A distinct made-up symbol per index: "ZAAA", "ZAAB"... (no real asset starts with Z here)."""
    letters = []
    for _ in range(3):
        index, digit = divmod(index, 26)
        letters.append(string.ascii_uppercase[digit])
    prefix = "Z" if index == 0 else f"Z{index}"
    return prefix + "".join(reversed(letters))


def _amount(rng: random.Random, decimals: int, whole_digits: int, least: int = 0) -> str:
    whole = rng.randrange(least, 10**whole_digits)
    if decimals == 0:
        return str(whole)
    return f"{whole}.{rng.randrange(10**decimals):0{decimals}d}"


def _address(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=length))


def wallet_items(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` assets as the API sends them (amounts as decimal strings)."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    for index in range(count):
        kind = index % 20
        decimals = 18 if kind in (3, 13) else 6 if kind in (5, 15) else 2 if kind == 7 else 8
        item: dict[str, Any] = {
            "asset": asset_symbol(index),
            # Large enough that thousands of small withdrawals never reach zero.
            "balance": _amount(rng, decimals, 6, least=1000),
            "holdBalance": _amount(rng, decimals, 2) if kind in (1, 11) else "0",
            "lockBalance": "0",
            "referralBalance": f"0.{rng.randrange(10**8):08d}" if kind == 2 else "0",
        }
        if kind != 7:  # fiat has no deposit address
            networks = {"MAIN": {"address": "0x" + _address(rng, 40), "memo": None}}
            if kind in (4, 14):
                networks["TRC20"] = {"address": "T" + _address(rng, 33), "memo": None}
            if kind == 6:
                networks["MAIN"]["memo"] = str(rng.randrange(10**9))
            item["depositAddress"] = networks
        items.append(item)
    return items


def encode(items: list[dict[str, Any]]) -> bytes:
    """The body of a `/v2/balance` answer holding `items`."""
    return json.dumps({"data": items}, separators=(",", ":")).encode()


class Wallet:
    """A synthetic wallet whose balances move a little at each `step()`."""

    def __init__(self, count: int, seed: int = 7, share: float = CHANGED_SHARE) -> None:
        self.items = wallet_items(count, seed)
        self.steps = 0
        self._changed_per_step = max(1, round(count * share)) if count else 0

    def __len__(self) -> int:
        return len(self.items)

    def changed_indices(self, step: int) -> list[int]:
        """The assets changed at `step`: drawn from the whole list, of every kind, a
        different set each step (the same sets in every run)."""
        count = min(self._changed_per_step, len(self.items))
        return sorted(random.Random(step).sample(range(len(self.items)), count))

    def step(self) -> list[str]:
        """Lower the available balance of the next share of assets; their symbols."""
        return [item["asset"] for item in self.step_items()]

    def step_items(self) -> list[dict[str, Any]]:
        """`step`, giving the changed items themselves (their new `balance` in them)."""
        self.steps += 1
        changed = []
        for index in self.changed_indices(self.steps):
            item = self.items[index]
            item["balance"] = lowered(item["balance"])
            changed.append(item)
        return changed

    def body(self) -> bytes:
        """The current `/v2/balance` answer."""
        return encode(self.items)


def lowered(amount: str) -> str:
    """`amount` minus one unit of its last decimal; unchanged when that would reach zero."""
    value = Decimal(amount)
    unit = Decimal(1).scaleb(value.as_tuple().exponent)  # type: ignore[arg-type]
    if value <= unit:
        return amount
    return format((value - unit).quantize(unit), "f")
