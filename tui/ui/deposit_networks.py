"""What the detail pane lists per asset: every network, with its address and its limits.

Pure logic, no Textual. Two sources are merged: the addresses that `/v2/balance` carries
(only those generated before) and the deposit methods of `/v2/deposit/pre-request`
(every network the asset can be deposited on, with fees and limits), plus the
addresses generated in this session that `/v2/balance` does not list yet.

`MethodsCache` keeps the methods per (wallet, asset): fetched when an asset is first
shown, again after `FRESH_SECONDS` (or `RETRY_SECONDS` after a failure). The feed
makes one request at a time, so holding an arrow key down over a long wallet asks for
the asset the cursor rests on, not for each one it passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tui.api.deposits import DepositMethod, DepositMethods
from tui.api.models import DepositAddress

#: Deposit methods change rarely (a network added, a minimum raised): minutes, not seconds.
FRESH_SECONDS = 600.0
#: After a failed fetch, try again this much later (on the next look at the asset).
RETRY_SECONDS = 60.0
#: Networks whose deposits need a memo/tag besides the address (the API README's list).
MEMO_NETWORKS = frozenset({"XRP", "TON", "XLM", "EOS", "BNB", "ATOM", "HBAR", "ALGO", "XMR"})


@dataclass(frozen=True, slots=True)
class NetworkEntry:
    """One network of an asset: its address (None: not generated yet) and its method
    (None: the limits are unknown, or the exchange no longer lists this network)."""

    source: str
    address: DepositAddress | None
    method: DepositMethod | None

    @property
    def uses_memo(self) -> bool:
        """True when a deposit on this network needs a memo/tag (known or expected)."""
        if self.address is not None and self.address.memo is not None:
            return True
        return self.source.upper() in MEMO_NETWORKS


def merge_networks(
    addresses: Iterable[DepositAddress], methods: DepositMethods | None
) -> tuple[NetworkEntry, ...]:
    """Every network of the asset: the methods' order first, then addresses of networks
    the methods do not list (kept: a deposit there may still arrive). Networks match
    case-insensitively; an address is never dropped."""
    by_source: dict[str, DepositAddress] = {}
    for address in addresses:
        by_source.setdefault(address.network.upper(), address)
    entries: list[NetworkEntry] = []
    if methods is not None:
        for method in methods:
            entries.append(
                NetworkEntry(method.source, by_source.pop(method.source.upper(), None), method)
            )
    entries += [NetworkEntry(a.network, a, None) for a in by_source.values()]
    return tuple(entries)


@dataclass(frozen=True, slots=True)
class MethodsState:
    """What is known of one asset's methods: the last good answer and the last failure.

    `fetched_at` and `failed_at` are on the caller's monotonic clock (seconds).
    """

    methods: DepositMethods | None = None
    fetched_at: float | None = None
    error: str | None = None
    failed_at: float | None = None


Key = tuple[str | None, str]


class MethodsCache:
    """Deposit methods per (wallet, asset): the last good answer and the last failure.

    Times are seconds on the caller's clock. The fetching itself (one call at a time)
    is the deposit methods feed's (`tui.ui.feeds.deposit_methods`).
    """

    def __init__(self) -> None:
        self._states: dict[Key, MethodsState] = {}

    def get(self, key: Key) -> MethodsState:
        """What is known of `key` (an empty state when nothing is)."""
        return self._states.get(key, MethodsState())

    def due(self, key: Key, now: float) -> bool:
        """True when `key` should be fetched: never fetched, older than FRESH_SECONDS, or
        failed last more than RETRY_SECONDS ago."""
        state = self.get(key)
        if state.failed_at is not None and (
            state.fetched_at is None or state.failed_at >= state.fetched_at
        ):
            return now - state.failed_at >= RETRY_SECONDS
        return state.fetched_at is None or now - state.fetched_at >= FRESH_SECONDS

    def loaded(self, key: Key, methods: DepositMethods, now: float) -> None:
        """Store a good answer (it clears the last failure)."""
        self._states[key] = MethodsState(methods, now)

    def failed(self, key: Key, error: str, now: float) -> None:
        """Note a failure; the last good answer stays, to be shown as stale."""
        old = self.get(key)
        self._states[key] = MethodsState(old.methods, old.fetched_at, error, now)


GenKey = tuple[str | None, str, str]


class Generations:
    """The addresses asked for with `g`: one request per (wallet, asset, source) at a time,
    the addresses made (shown until `/v2/balance` lists them), and the last refusals."""

    def __init__(self) -> None:
        self.in_flight: set[GenKey] = set()
        self._made: dict[GenKey, DepositAddress] = {}
        self._failures: dict[GenKey, str] = {}

    def start(self, key: GenKey) -> bool:
        """True when a request for `key` may start now (none is in flight)."""
        if key in self.in_flight:
            return False
        self.in_flight.add(key)
        self._failures.pop(key, None)
        return True

    def succeeded(self, key: GenKey, address: DepositAddress) -> None:
        """The exchange gave `address` for `key`."""
        self.in_flight.discard(key)
        self._made[key] = address

    def failed(self, key: GenKey, reason: str) -> None:
        """The exchange refused, or the request failed: `reason` in the server's words."""
        self.in_flight.discard(key)
        self._failures[key] = reason

    def addresses(self, wallet: str | None, asset: str) -> tuple[DepositAddress, ...]:
        """The addresses made for this wallet's asset in this session."""
        return tuple(a for (w, s, _), a in self._made.items() if (w, s) == (wallet, asset))

    def status(self, key: GenKey) -> str | None:
        """What a card without an address says instead of "no address yet", if anything."""
        if key in self.in_flight:
            return "Generating the address…"
        reason = self._failures.get(key)
        return None if reason is None else f"Not generated: {reason}. Press g to try again."


@dataclass(frozen=True)
class NetworkView:
    """What the detail pane shows of an asset's networks: the entries, a note about the
    limits (loading, unknown, stale), and per source what a card without an address says."""

    entries: tuple[NetworkEntry, ...]
    note: str | None = None
    statuses: tuple[tuple[str, str], ...] = ()

    def status(self, source: str) -> str | None:
        """The status text for `source`'s card, if any."""
        return dict(self.statuses).get(source)


def network_view(
    asset: str,
    addresses: Iterable[DepositAddress],
    state: MethodsState,
    generations: Generations,
    wallet: str | None,
) -> NetworkView:
    """The networks of `asset` as the pane shows them, from all that is known."""
    listed = list(addresses)
    known = {a.network.upper() for a in listed}
    listed += [a for a in generations.addresses(wallet, asset) if a.network.upper() not in known]
    entries = merge_networks(listed, state.methods)
    note: str | None = None
    if state.methods is None and state.error is None:
        note = "Loading the networks and their minimum deposits…"
    elif state.methods is None:
        note = f"Networks and minimum deposits unknown: {state.error}. " + (
            "The addresses below are usable; check the minimum before sending."
            if entries
            else "Asked again within a minute."
        )
    elif state.error is not None:
        note = f"Minimum deposits as fetched before; the refresh failed: {state.error}"
    elif not entries:
        note = f"{asset} has no deposit method with an address on this exchange (a fiat asset?)."
    statuses = tuple(
        (entry.source, text)
        for entry in entries
        if entry.address is None
        and (text := generations.status((wallet, asset, entry.source))) is not None
    )
    return NetworkView(entries, note, statuses)
