"""The one-shot `deposit-address` command and the deposit limits of `balances --with-limits`.

`wallet-tui deposit-address ASSET [--network SOURCE] [--json]` asks the exchange for the
asset's deposit methods (`/v2/deposit/pre-request`), picks the network, then gets (or
generates, once) its address (`/v2/deposit/address`) and prints it with its memo and
the network's minimum. Exit codes are those of `balances`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.api.deposits import (
    MEMO_WARNING,
    DepositMethod,
    DepositMethods,
    limits_line,
    method_json,
    minimum_sentence,
)
from tui.api.errors import AuthenticationError, KunaError
from tui.api.models import DepositAddress

if TYPE_CHECKING:
    from tui.api.client import KunaClient


class NetworkChoiceError(ValueError):
    """The network to use is ambiguous or not one of the asset's, or the asset has none
    (a usage error, exit 2)."""


@dataclass(frozen=True)
class DepositAnswer:
    """What `deposit-address` found: the address, and its method when the limits are known.

    `limits_error` is the reason the methods could not be fetched (the address was
    still asked for on the network the user named).
    """

    asset: str
    address: DepositAddress
    method: DepositMethod | None
    limits_error: str | None = None


async def find_deposit_address(
    client: KunaClient, asset: str, network: str | None, wallet_id: str | None
) -> DepositAnswer:
    """Choose the network of `asset` and get (or generate) its address there.

    Without `network` the asset must have exactly one deposit method. Raises
    NetworkChoiceError (usage), or KunaError for what the exchange said.
    """
    limits_error: str | None = None
    try:
        methods: DepositMethods | None = await client.fetch_deposit_methods(asset)
    except AuthenticationError:
        raise
    except KunaError as error:
        if network is None:
            raise
        # The address can still be had on the network named; the limits are unknown.
        methods, limits_error = None, error.message
    method = None
    if methods is not None:
        method = choose_method(methods, network)
        network = method.source
    assert network is not None
    address = await client.deposit_address(asset, network, wallet_id)
    return DepositAnswer(asset, address, method, limits_error)


def choose_method(methods: DepositMethods, network: str | None) -> DepositMethod:
    """The method for `network`, or the only one; NetworkChoiceError otherwise."""
    asset = methods.asset
    if not methods.methods:
        # Usage too: the exchange answered, and this asset cannot be deposited there.
        raise NetworkChoiceError(f"{asset} has no deposit method with an address on this exchange")
    choices = ", ".join(methods.sources)
    if network is None:
        if len(methods) == 1:
            return methods.methods[0]
        raise NetworkChoiceError(
            f"{asset} can be deposited on {choices}: choose one with --network"
        )
    method = methods.get(network)
    if method is None:
        raise NetworkChoiceError(
            f"{asset} cannot be deposited on {network}; its networks: {choices}"
        )
    return method


def render_answer_text(answer: DepositAnswer) -> str:
    """The address, memo and limits as labelled lines, for people."""
    address = answer.address
    lines = [f"{answer.asset} on {address.network}", f"Address   {address.address}"]
    if address.memo is not None:
        lines += [f"Memo/Tag  {address.memo}", MEMO_WARNING]
    if answer.method is not None:
        minimum = minimum_sentence(answer.asset, answer.method)
        extra = limits_line(answer.asset, answer.method)
        lines += [line for line in (minimum, extra) if line]
    elif answer.limits_error is not None:
        lines.append(f"Deposit limits unknown: {answer.limits_error}")
    return "\n".join(lines) + "\n"


def render_answer_json(answer: DepositAnswer) -> str:
    """One JSON object: asset, source, address, memo, and the method (null when unknown)."""
    record: dict[str, Any] = {
        "asset": answer.asset,
        "source": answer.address.network,
        "address": answer.address.address,
        "memo": answer.address.memo,
        "depositMethod": None if answer.method is None else method_json(answer.method),
    }
    if answer.limits_error is not None:
        record["depositMethodError"] = answer.limits_error
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


async def fetch_limits(
    client: KunaClient, assets: Iterable[str]
) -> dict[str, DepositMethods | str]:
    """The deposit methods of each asset, one request at a time; a failure gives its reason.

    An authentication failure ends it all (AuthenticationError): every request would fail.
    """
    limits: dict[str, DepositMethods | str] = {}
    for asset in assets:
        if asset in limits:
            continue
        try:
            limits[asset] = await client.fetch_deposit_methods(asset)
        except AuthenticationError:
            raise
        except KunaError as error:
            limits[asset] = error.message
    return limits
