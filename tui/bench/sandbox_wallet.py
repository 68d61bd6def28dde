"""A sandbox exchange's main wallet grown to a benchmark's size, its balances moving.

Rows 4, 5, 8 and 9 run the app against the sandbox (`tui.sandbox`), which speaks the
documented API for every path the app asks for (balances, rates, operations, deposit
methods); its main wallet is filled up with the synthetic assets of `Wallet`, each with
a market rate, and `step` lowers 5 % of their balances as `Wallet.step` does.
"""

from __future__ import annotations

from tui.api.models import KNOWN_AMOUNT_FIELDS
from tui.bench.wallets import Wallet
from tui.sandbox.wallet import DemoExchange


def fill(exchange: DemoExchange, count: int) -> Wallet:
    """Add synthetic assets to the sandbox's main wallet until it holds `count` assets."""
    present = len(exchange.balance_payload()["data"])
    wallet = Wallet(max(0, count - present))
    for item in wallet.items:
        addresses = item.get("depositAddress")
        exchange.add_asset(
            item["asset"],
            {name: item[name] for name in KNOWN_AMOUNT_FIELDS},
            None
            if addresses is None
            else {net: (entry["address"], entry["memo"]) for net, entry in addresses.items()},
        )
        # A market rate too: the dashboard's rates feed values every asset.
        exchange.list_asset(item["asset"], f"{1 + len(item['asset'])}.25")
    return wallet


def step(exchange: DemoExchange, wallet: Wallet) -> None:
    """Lower the available balance of the next 5 % of the synthetic assets (withdrawals)."""
    for item in wallet.step_items():
        exchange.set_amount(item["asset"], "balance", item["balance"])
