"""The dashboard's deposit networks: methods per asset, and new addresses with `g`.

The dashboard routes the deposit messages here; this helper keeps what it needs between
them (the methods cache, the addresses being generated) and tells the detail pane what
to show. It never blocks the UI: methods come from the deposit methods feed, a new
address from a one-shot worker whose answer comes back as a typed message.

Its feed, methods cache and generations are made at first use, after the dashboard's
first frame: their modules (`tui.ui.deposit_networks`, `tui.ui.feeds.deposit_methods`,
`tui.api.deposits`) are not loaded at start-up.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message

from tui.api.errors import KunaError
from tui.api.models import AssetBalance, DepositAddress
from tui.api.text import shorten_middle
from tui.ui.screens.dashboard_notices import brief, tell
from tui.ui.widgets.detail_pane import DetailPane

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui.api.deposits import DepositMethods
    from tui.ui.deposit_networks import (
        Generations,
        GenKey,
        Key,
        MethodsCache,
        NetworkEntry,
        NetworkView,
    )
    from tui.ui.feeds.deposit_methods import (
        DepositMethodsFailed,
        DepositMethodsFeed,
        DepositMethodsLoaded,
    )
    from tui.ui.screens.dashboard import DashboardScreen

#: How long the cursor rests on an asset before its deposit methods are asked for.
FETCH_DELAY_SECONDS = 0.4


class DepositAddressGenerated(Message):
    """`POST /v2/deposit/address` answered `address` for (wallet, asset, source) `key`."""

    def __init__(self, key: GenKey, address: DepositAddress) -> None:
        super().__init__()
        self.key = key
        self.address = address


class DepositAddressFailed(Message):
    """`POST /v2/deposit/address` for `key` failed or was refused: `error`, server's words."""

    def __init__(self, key: GenKey, error: KunaError) -> None:
        super().__init__()
        self.key = key
        self.error = error


class DashboardDeposits:
    """Deposit methods and address generation for one dashboard screen.

    Light until used: its feed, cache and generations are made when first needed, after
    the dashboard's first frame (the detail pane's parts, the first fetch, `g`).
    """

    def __init__(self, screen: DashboardScreen) -> None:
        self.screen = screen
        # Made at first use (see `feed`, `cache`, `generations`), after the first frame.
        self._feed: DepositMethodsFeed | None = None
        self._cache: MethodsCache | None = None
        self._generations: Generations | None = None
        #: The (wallet, asset) shown: what the feed's next call asks about (None: none
        #: yet). Kept here too, for the feed is made only once it is to be asked.
        self._wanted: Key | None = None
        self._timer: Timer | None = None
        #: The keys asked for whose answer has not been handled yet.
        self._asking: set[Key] = set()

    @property
    def feed(self) -> DepositMethodsFeed:
        """The deposit methods feed (made at first use, asking about the asset shown)."""
        if self._feed is None:
            self._feed = self._make_feed()
        return self._feed

    def _make_feed(self) -> DepositMethodsFeed:
        # Imported here: the feed's first call comes after the dashboard's first frame.
        from tui.ui.feeds.deposit_methods import DepositMethodsFeed

        screen = self.screen
        feed = DepositMethodsFeed(
            screen,
            lambda: screen.client,
            clock=screen.services.now,
            scheduler=screen.services.scheduler,
        )
        # Never on a timer of its own: it asks when an asset is looked at and what is
        # known of it is older than FRESH_SECONDS (the balance refresh looks every few
        # seconds), so an idle dashboard polls only the asset shown, and only rarely.
        feed.pause()
        if self._wanted is not None:
            feed.ask(*self._wanted)
        return feed

    @property
    def cache(self) -> MethodsCache:
        """The deposit methods per (wallet, asset) (made at first use)."""
        if self._cache is None:
            # Imported here: nothing is known of any asset before the first frame.
            from tui.ui.deposit_networks import MethodsCache

            self._cache = MethodsCache()
        return self._cache

    @property
    def generations(self) -> Generations:
        """The addresses asked for with `g` (made at first use)."""
        if self._generations is None:
            from tui.ui.deposit_networks import Generations  # (as `cache`)

            self._generations = Generations()
        return self._generations

    def _now(self) -> float:
        return self.screen.services.now().timestamp()

    def _due(self, key: Key) -> bool:
        """True when `key`'s methods should be fetched (`MethodsCache.due`); always
        before the first answer (no cache yet, and its module is not loaded for this)."""
        return self._cache is None or self._cache.due(key, self._now())

    def _methods(self, wallet: str | None, asset: str) -> DepositMethods | None:
        """The last good methods known of this wallet's asset (None: none yet)."""
        if self._cache is None:
            return None  # nothing answered yet (and no module loaded to say so)
        return self._cache.get((wallet, asset)).methods

    # The networks of the asset shown ------------------------------------------------

    def view(self, balance: AssetBalance) -> NetworkView:
        """The networks of `balance` as the pane shows them now."""
        from tui.ui.deposit_networks import network_view  # (after the first frame)

        wallet = self.screen.wallet_id
        state = self.cache.get((wallet, balance.asset))
        return network_view(
            balance.asset, balance.deposit_addresses, state, self.generations, wallet
        )

    def want(self, balance: AssetBalance | None, fetch: bool = True) -> None:
        """The asset shown: fetch its methods if nothing fresh is known of them (not yet
        when not `fetch`: the opening answer is drawn before anything else is asked)."""
        if balance is None:
            return
        key = (self.screen.wallet_id, balance.asset)
        if self._wanted != key:
            self._wanted = key
            if self._feed is not None:  # (else it asks about `_wanted` once made)
                self._feed.ask(*key)
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            # Only the call really in flight is still being answered.
            asked = self._feed.asked if self._feed is not None else None
            self._asking = {k for k in self._asking if k == asked}
        if not fetch or self._timer is not None or key in self._asking:
            return
        if self._due(key):
            # Once the cursor rests: holding an arrow key down asks for no asset it
            # passes, and a frame never waits on this request.
            self._timer = self.screen.set_timer(FETCH_DELAY_SECONDS, self._fetch_wanted)

    def refresh_shown(self) -> Key | None:
        """`r`: ask for the methods of the asset shown now, past the cache, unless they
        are being asked for already. The (wallet, asset) asked about; None: no asset."""
        balance = self.screen.query_one(DetailPane).balance
        if balance is None:
            return None
        self.want(balance, fetch=False)  # (the asset the next call asks about)
        if self._timer is not None:  # asked now instead of once the cursor rests
            self._timer.stop()
            self._timer = None
        key = (self.screen.wallet_id, balance.asset)
        if key not in self._asking:
            self._ask(key)
        return key

    def _fetch_wanted(self) -> None:
        self._timer = None
        wanted = self._wanted
        if wanted is not None and wanted not in self._asking and self._due(wanted):
            self._ask(wanted)

    def _ask(self, key: Key) -> None:
        self._asking.add(key)
        self.feed.refresh_now()  # one call in flight at most: else right after it

    def loaded(self, message: DepositMethodsLoaded) -> bool:
        """Keep an answer; True when it is about the asset shown."""
        value = message.value
        self._asking.discard(value.key)
        self.cache.loaded(value.key, value.methods, message.received_at.timestamp())
        return self._is_shown(value.key)

    def failed(self, message: DepositMethodsFailed) -> bool:
        """Note a failure (the addresses stay usable); True when about the asset shown."""
        if message.key is None:
            return False
        self._asking.discard(message.key)
        self.cache.failed(message.key, message.error.message, message.failed_at.timestamp())
        return self._is_shown(message.key)

    def _is_shown(self, key: Key) -> bool:
        balance = self.screen.query_one(DetailPane).balance
        return balance is not None and key == (self.screen.wallet_id, balance.asset)

    # g: a new address ------------------------------------------------------------------

    def ask_to_generate(self) -> None:
        """`g`: confirm, then generate the selected network's address (if it has none)."""
        from tui.ui.screens.confirm_address import ConfirmAddressScreen

        screen = self.screen
        detail = screen.query_one(DetailPane)
        balance, entry = detail.balance, detail.selected_entry
        if balance is None:
            screen.notify("No asset selected.", severity="warning", timeout=3)
            return
        asset = balance.asset
        if entry is None:
            known = self._methods(screen.wallet_id, asset) is not None
            tell(
                screen,
                lambda name: (
                    f"{name(asset)} has no deposit method with an address on this exchange."
                    if known
                    else f"The networks of {name(asset)} are not known yet: try again in a moment."
                ),
                severity="warning",
                markup=False,
                timeout=4,
            )
            return
        if entry.address is not None:
            tell(
                screen,
                lambda name: (
                    f"{name(asset)} on {name(entry.source)} has an address already: c copies it."
                ),
                markup=False,
                timeout=4,
            )
            return
        key = (screen.wallet_id, asset, entry.source)
        if key in self.generations.in_flight:
            tell(
                screen,
                lambda name: (
                    f"The {name(asset)} address on {name(entry.source)} is being generated: "
                    "wait for the exchange's answer."
                ),
                markup=False,
                timeout=4,
            )
            return

        def answered(generate: bool | None) -> None:
            if generate:
                self._generate(key, entry)

        screen.app.push_screen(ConfirmAddressScreen(asset, entry), callback=answered)

    def _generate(self, key: GenKey, entry: NetworkEntry) -> None:
        if not self.generations.start(key):
            return  # confirmed twice: one request per address at a time
        self.screen.run_worker(
            partial(self._request, key), group="deposit-address", exit_on_error=False
        )
        self.screen.show_selected()

    async def _request(self, key: GenKey) -> None:
        wallet, asset, source = key
        try:
            address = await self.screen.client.deposit_address(asset, source, wallet)
        except KunaError as error:
            self.screen.post_message(DepositAddressFailed(key, error))
            return
        except Exception as error:  # a bug must not leave "Generating…" up for good
            self.screen.post_message(
                DepositAddressFailed(key, KunaError(f"Unexpected error: {error!r}"))
            )
            return
        self.screen.post_message(DepositAddressGenerated(key, address))

    def generated(self, message: DepositAddressGenerated) -> None:
        """Show the new address (selected, with its QR codes) and say so with the minimum."""
        screen, key, address = self.screen, message.key, message.address
        self.generations.succeeded(key, address)
        wallet, asset, source = key
        screen.show_selected()
        detail = screen.query_one(DetailPane)
        if detail.balance is not None and (wallet, detail.balance.asset) == (
            screen.wallet_id,
            asset,
        ):
            detail.select_source(source)
        minimum = self._minimum(wallet, asset, source)
        tell(
            screen,
            lambda name: (
                f"{name(asset)} on {name(source)}: {shorten_middle(address.address)}"
                + (f" · memo {address.memo}" if address.memo else "")
                + (f"\n{minimum}" if minimum else "")
            ),
            title="Deposit address generated",
            markup=False,
            timeout=8,
        )
        screen.balances.refresh_now()  # /v2/balance lists it from now on

    def failed_to_generate(self, message: DepositAddressFailed) -> None:
        """Say why, in the server's words; the card offers `g` again."""
        self.generations.failed(message.key, message.error.message)
        _, asset, source = message.key
        self.screen.show_selected()
        self.screen.app.notify(  # type: ignore[call-arg]
            message.error.message,
            # The title cuts the names: the messages view (`l`) has them whole.
            whole_title=f"{asset} address on {source} not generated",
            title=f"{brief(asset)} address on {brief(source)} not generated",
            severity="error",
            markup=False,
            timeout=10,
        )

    # c and m ---------------------------------------------------------------------------

    def minimum_line(self, asset: str, source: str) -> str:
        """The network's minimum, for the copy notification ("" when unknown)."""
        sentence = self._minimum(self.screen.wallet_id, asset, source)
        return f"\n{sentence}" if sentence else ""

    def _minimum(self, wallet: str | None, asset: str, source: str) -> str | None:
        """ "Minimum deposit ..." for the wallet's asset on `source` (None: unknown)."""
        methods = self._methods(wallet, asset)
        method = methods.get(source) if methods is not None else None
        if method is None:
            return None
        from tui.api.deposits import minimum_sentence  # (methods known: loaded already)

        return minimum_sentence(asset, method)
