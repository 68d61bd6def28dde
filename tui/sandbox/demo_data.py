"""The seeded content of the demo account: its wallets, assets, amounts and addresses.

Every address here is made up. They have each chain's prefix, alphabet and length so
that the UI shows what a real account shows, but they were drawn at random and their
checksums (where the chain has one) are not computed: do not send funds to them.
"""

from __future__ import annotations

from dataclasses import dataclass

MAIN_WALLET_ID = "1f44b1c7-9fd4-4d20-b9a4-7aca3646d0d5"
SAVINGS_WALLET_ID = "6d0f2a8e-3c4b-4e71-9a55-0b8d2f6c1e93"
#: Human names of the demo wallets, in display order (the API itself has no names).
DEMO_WALLETS: dict[str, str] = {MAIN_WALLET_ID: "Main", SAVINGS_WALLET_ID: "Savings"}

#: Decimal places the simulation keeps per asset; assets not listed keep 8.
PRECISION: dict[str, int] = {
    "BTC": 8,
    "ETH": 18,
    "USDT": 6,
    "XRP": 6,
    "TON": 9,
    "UAH": 2,
    "SOL": 9,
    "TRX": 6,
}
DEFAULT_PRECISION = 8

#: A network's deposit address: (network, address, memo or None).
Address = tuple[str, str, str | None]


@dataclass(frozen=True)
class SeedAsset:
    """One asset of a demo wallet as it stands before the first tick.

    `addresses` None means the asset has no `depositAddress` key at all (fiat).
    `scale` is the typical size of a deposit; None keeps the asset still forever,
    so that rows such as the all-zero one stay as they are for tests and screenshots.
    """

    asset: str
    amounts: tuple[tuple[str, str], ...]
    addresses: tuple[Address, ...] | None
    scale: str | None


def _amounts(
    balance: str, hold: str = "0", lock: str = "0", referral: str = "0", **extra: str
) -> tuple[tuple[str, str], ...]:
    """The four documented fields in the reference page's order, then any extras."""
    fields = [
        ("balance", balance),
        ("holdBalance", hold),
        ("lockBalance", lock),
        ("referralBalance", referral),
    ]
    return (*fields, *extra.items())


MAIN_WALLET: tuple[SeedAsset, ...] = (
    SeedAsset(
        "BTC",
        _amounts("0.51234567", referral="0.0000125"),
        (("BTC", "bc1qml80wt4gjpulzndtxwtz6fsdnsl8jgnluxaad4", None),),
        scale="0.05",
    ),
    SeedAsset(
        "ETH",
        # 18 decimals and a one-wei referral: the two amounts floats would mangle.
        _amounts("1.234567890123456789", hold="0.05", referral="0.000000000000000001"),
        (("ETH", "0xb6e26052fcfe094890c1a3d257a45dcf3608450a", None),),
        scale="0.5",
    ),
    SeedAsset(
        "USDT",
        _amounts("2450.123456", lock="150", referral="3.5", settlementBalance="75.25"),
        (
            ("TRX", "TKAMJAKoLRhGaUVMzbe9uZTL26YXZrKGPB", None),
            ("ETH", "0x7e6f469453ac639a7e155c7e47b30278fe48ddcb", None),
        ),
        scale="500",
    ),
    SeedAsset(
        "XRP",
        _amounts("1820.5"),
        # Exchanges share one XRP address between users; the destination tag tells them apart.
        (("XRP", "rEv7mqCgHaYd6Zm7T1oEne6kM7BLfX4PmU", "1499017317"),),
        scale="300",
    ),
    SeedAsset(
        "TON",
        _amounts("96.123456789"),
        (("TON", "EQliFEgDJyI91iFR_3BMLqVt-0aePfjJEmLTB8AUbnMDhtj2", "167921024"),),
        scale="20",
    ),
    SeedAsset(
        "TRX",
        _amounts("5000"),
        # Bought on the exchange, never deposited: no address generated yet (`g` makes one).
        (),
        scale="1000",
    ),
    SeedAsset(
        "UAH",
        _amounts("15250.75", settlementBalance="1200"),
        None,
        scale="5000",
    ),
    SeedAsset(
        "SOL",
        _amounts("0"),
        (("SOL", "gzBQzcy1UvUvV3ap6NhtbA93oSbjLXabnXJThwDWm2Fr", None),),
        scale=None,
    ),
)

SAVINGS_WALLET: tuple[SeedAsset, ...] = (
    SeedAsset(
        "BTC",
        _amounts("0.25"),
        (("BTC", "bc1q5uu007cc7lcz44qavyykpd7cds0rdct27sa7ws", None),),
        scale="0.01",
    ),
    SeedAsset(
        "ETH",
        _amounts("3.5"),
        (("ETH", "0xd4c81fa9368fa0a01d70255f4616bbe32d3850dd", None),),
        scale="0.2",
    ),
    SeedAsset(
        "USDT",
        _amounts("10000", hold="250"),
        (("TRX", "TXt6cauu9oGJHPMmS5u6JoaKEU33YTP6h5", None),),
        scale="1000",
    ),
    SeedAsset("UAH", _amounts("50000"), None, scale="10000"),
)

SEED_WALLETS: dict[str, tuple[SeedAsset, ...]] = {
    MAIN_WALLET_ID: MAIN_WALLET,
    SAVINGS_WALLET_ID: SAVINGS_WALLET,
}
