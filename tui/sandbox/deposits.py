"""The sandbox's deposit desk: deposit methods per asset, and addresses made on demand.

Plain data and logic, no web framework: the app (`tui.sandbox.app`) routes
`POST /v2/deposit/pre-request` and `POST /v2/deposit/address` here, with bodies it has
already checked against the app's `DEPOSIT_METHODS_BODY` and `DEPOSIT_ADDRESS_BODY` (the
framework's 400 for anything else), and turns a `DepositRefused` into an error answer in Kuna's shape. The
shapes are our contract's (../shared/api/README.md, "Deposits"): the pre-request's
`{"asset", "walletType"?}` is documented, the address request's `{"asset", "source",
"walletId"?}` and both answers are our assumption.

The catalogue shows what the UI must handle: USDT on three networks with different
minimums and one fee (TRX and ETH have addresses in the seed data, BSC has none yet),
memo coins (XRP, TON) whose address is shared and told apart by a tag, a fiat asset
(UAH) with no crypto method, and an asset (TRX) with no address generated yet.

Generated addresses are derived from (wallet, asset, source) by a hash, so asking again
gives the same address, even from two requests at once; each is stored in the wallet,
so that `/v2/balance` lists it afterwards. Made up, like the seed data's: never send
funds to them.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from tui.sandbox.wallet import DemoExchange, UnknownAssetError, UnknownWalletError

#: `walletType` of the pre-request, as documented (`Customer` when absent).
WALLET_TYPES = ("Customer", "Institution", "Wallet")


@dataclass(frozen=True)
class SandboxMethod:
    """One deposit method as the sandbox serves it (amounts as the API's strings)."""

    source: str
    min_amount: str
    max_amount: str
    fee_fixed: str = "0"
    fee_rate: str = "0"

    def to_json(self, asset: str) -> dict[str, Any]:
        """The method as one item of the pre-request answer."""
        return {
            "source": self.source,
            "paymentMethodCode": f"{asset}_{self.source}",
            "feeFixed": self.fee_fixed,
            "feeRate": self.fee_rate,
            "minAmount": self.min_amount,
            "maxAmount": self.max_amount,
        }


#: Deposit methods per asset, in the order the exchange lists them.
CATALOGUE: dict[str, tuple[SandboxMethod, ...]] = {
    "BTC": (SandboxMethod("BTC", "0.0005", "100"),),
    "ETH": (SandboxMethod("ETH", "0.01", "5000"),),
    "USDT": (
        SandboxMethod("TRX", "20", "1000000"),
        SandboxMethod("ETH", "50", "1000000", fee_fixed="5"),
        SandboxMethod("BSC", "10", "1000000"),
    ),
    "XRP": (SandboxMethod("XRP", "20", "1000000"),),
    "TON": (SandboxMethod("TON", "1", "1000000"),),
    "TRX": (SandboxMethod("TRX", "10", "10000000"),),
    "SOL": (SandboxMethod("SOL", "0.1", "100000"),),
    "UAH": (),  # fiat: deposited by card or bank transfer, never to an address
}

#: Sources whose coins share one exchange address and tell users apart by a memo/tag.
SHARED_ADDRESS = {
    "XRP": "rEv7mqCgHaYd6Zm7T1oEne6kM7BLfX4PmU",
    "TON": "EQliFEgDJyI91iFR_3BMLqVt-0aePfjJEmLTB8AUbnMDhtj2",
}

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


class DepositRefused(Exception):
    """A deposit request the exchange refuses: `status`, a Kuna error `code` and `message`.

    Only what the exchange itself refuses (an asset or source it does not serve, a
    suspended network, an unknown wallet); a body of the wrong shape never gets here,
    the app refuses it first (`tui.sandbox.validation`).
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _digits(seed: bytes, alphabet: str, length: int) -> str:
    number = int.from_bytes(hashlib.sha256(seed).digest() * 2, "big")
    out = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        out.append(alphabet[index])
    return "".join(out)


def generate_address(wallet_id: str, asset: str, source: str) -> tuple[str, str | None]:
    """The (address, memo) the sandbox gives `asset` on `source` in `wallet_id`: always the same."""
    seed = f"{wallet_id}|{asset}|{source}".encode()
    if source in SHARED_ADDRESS:
        tag = str(1_000_000_000 + int.from_bytes(hashlib.sha256(seed).digest()[:4], "big") % 10**9)
        return SHARED_ADDRESS[source], tag
    if source in ("ETH", "BSC"):
        return "0x" + hashlib.sha256(seed).hexdigest()[:40], None
    if source == "TRX":
        return "T" + _digits(seed, _BASE58, 33), None
    if source == "BTC":
        return "bc1q" + _digits(seed, _BECH32, 38), None
    return _digits(seed, _BASE58, 44), None


class DepositDesk:
    """Answers the two deposit endpoints for `exchange`. Thread-safe.

    `refuse(asset, source, message)` makes address requests for that pair fail with
    400 SOURCE_SUSPENDED and `message` (a network in maintenance), until `allow`.
    """

    def __init__(self, exchange: DemoExchange) -> None:
        self.exchange = exchange
        self._lock = threading.Lock()
        self._suspended: dict[tuple[str, str], str] = {}

    def refuse(self, asset: str, source: str, message: str) -> None:
        """Refuse new addresses of `asset` on `source` with `message` (400)."""
        with self._lock:
            self._suspended[(asset.upper(), source.upper())] = message

    def allow(self, asset: str, source: str) -> None:
        """Stop refusing `asset` on `source`."""
        with self._lock:
            self._suspended.pop((asset.upper(), source.upper()), None)

    def methods_payload(self, body: dict[str, Any]) -> dict[str, Any]:
        """`POST /v2/deposit/pre-request` `{"asset", "walletType"?}` -> `{"data": [...]}`.

        `body` fits the app's `DEPOSIT_METHODS_BODY`; every wallet type gets the same
        methods here.
        """
        asset = body["asset"].strip()
        methods = self._methods(asset)
        return {"data": [method.to_json(asset.upper()) for method in methods]}

    def address_payload(self, body: dict[str, Any]) -> dict[str, Any]:
        """`POST /v2/deposit/address` `{"asset", "source", "walletId"?}`: get or generate.

        `body` fits the app's `DEPOSIT_ADDRESS_BODY`.
        """
        asset, source = body["asset"].strip().upper(), body["source"].strip().upper()
        wallet_id = body["walletId"].strip() if body.get("walletId") is not None else None
        if source not in {m.source for m in self._methods(asset)}:
            raise DepositRefused(
                400,
                "SOURCE_NOT_AVAILABLE",
                f"Source {source} is not available for {asset} deposits",
            )
        with self._lock:
            refusal = self._suspended.get((asset, source))
        if refusal is not None:
            raise DepositRefused(400, "SOURCE_SUSPENDED", refusal)
        try:
            address, memo = self._get_or_create(asset, source, wallet_id)
        except UnknownWalletError:
            raise DepositRefused(404, "WALLET_NOT_FOUND", "Wallet not found") from None
        return {"data": {"asset": asset, "source": source, "address": address, "memo": memo}}

    def _methods(self, asset: str) -> tuple[SandboxMethod, ...]:
        try:
            return CATALOGUE[asset.upper()]
        except KeyError:
            raise DepositRefused(
                400, "ASSET_NOT_SUPPORTED", f"Asset {asset} is not supported"
            ) from None

    def _get_or_create(
        self, asset: str, source: str, wallet_id: str | None
    ) -> tuple[str, str | None]:
        exchange = self.exchange
        wallet_key = wallet_id or exchange.wallet_ids[0]
        items = exchange.balance_payload(wallet_id, [asset])["data"]
        if items:
            known = (items[0].get("depositAddress") or {}).get(source)
            if known is not None:
                return known["address"], known["memo"]
        else:
            # The wallet holds none of this asset yet: its row appears, at zero.
            exchange.add_asset(asset, {}, {}, wallet_id=wallet_id)
        address, memo = generate_address(wallet_key, asset, source)
        # An asset removed by a test meanwhile: the address is made again next time.
        with contextlib.suppress(UnknownAssetError):
            exchange.set_deposit_address(asset, source, address, memo, wallet_id=wallet_id)
        return address, memo
