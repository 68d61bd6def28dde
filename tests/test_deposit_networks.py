"""The networks the detail pane lists: merging addresses and methods, the cache's timing."""

from __future__ import annotations

from decimal import Decimal

from tui.api.deposits import DepositMethod, DepositMethods
from tui.api.models import DepositAddress
from tui.ui.deposit_networks import (
    FRESH_SECONDS,
    RETRY_SECONDS,
    Generations,
    MethodsCache,
    MethodsState,
    merge_networks,
    network_view,
)

TRX = DepositAddress("TRX", "T1")
ETH = DepositAddress("ETH", "0x1")
OLD = DepositAddress("OMNI", "1abc")
METHODS = DepositMethods(
    "USDT",
    (
        DepositMethod("trx", min_amount=Decimal(20)),
        DepositMethod("BSC", min_amount=Decimal(10)),
        DepositMethod("ETH", min_amount=Decimal(50)),
    ),
)


def test_methods_order_then_addresses_the_methods_do_not_list() -> None:
    entries = merge_networks([TRX, ETH, OLD], METHODS)
    assert [(e.source, e.address, e.method and e.method.min_amount) for e in entries] == [
        ("trx", TRX, Decimal(20)),  # matched case-insensitively
        ("BSC", None, Decimal(10)),
        ("ETH", ETH, Decimal(50)),
        ("OMNI", OLD, None),  # never dropped: a deposit there may still arrive
    ]
    assert [e.source for e in merge_networks([TRX], None)] == ["TRX"]


def test_memo_networks() -> None:
    (xrp,) = merge_networks([], DepositMethods("XRP", (DepositMethod("XRP"),)))
    assert xrp.uses_memo
    (tagged,) = merge_networks([DepositAddress("XYZ", "a", "5")], None)
    assert tagged.uses_memo and not merge_networks([TRX], None)[0].uses_memo


def test_the_cache_asks_rarely_and_retries_after_a_failure() -> None:
    cache, key = MethodsCache(), ("w", "USDT")
    assert cache.due(key, 0)
    cache.loaded(key, METHODS, 0)
    assert not cache.due(key, FRESH_SECONDS - 1) and cache.due(key, FRESH_SECONDS)
    cache.failed(key, "502", 700)
    assert cache.get(key).methods is METHODS  # the last good answer stays
    assert not cache.due(key, 700 + RETRY_SECONDS - 1) and cache.due(key, 700 + RETRY_SECONDS)
    assert cache.get(("other wallet", "USDT")) == MethodsState()


def test_the_view_says_what_is_known_of_the_limits() -> None:
    generations = Generations()
    loading = network_view("USDT", [TRX], MethodsState(), generations, None)
    assert loading.note is not None and loading.note.startswith("Loading")
    unknown = network_view("USDT", [TRX], MethodsState(error="502"), generations, None)
    assert "unknown: 502" in (unknown.note or "") and [e.source for e in unknown.entries] == ["TRX"]
    assert "addresses below are usable" in (unknown.note or "")
    nothing = network_view("TRX", [], MethodsState(error="502"), generations, None)
    assert (nothing.note or "").endswith("unknown: 502. Asked again within a minute.")
    stale = network_view("USDT", [TRX], MethodsState(METHODS, 0, "502", 1), generations, None)
    assert "refresh failed: 502" in (stale.note or "")
    fiat = network_view("UAH", [], MethodsState(DepositMethods("UAH", ()), 0), generations, None)
    assert "UAH has no deposit method" in (fiat.note or "")


def test_generations_one_at_a_time_and_shown_until_balance_lists_them() -> None:
    generations, key = Generations(), (None, "USDT", "BSC")
    state = MethodsState(METHODS, 0)
    assert generations.start(key) and not generations.start(key)
    view = network_view("USDT", [TRX, ETH], state, generations, None)
    assert view.status("BSC") == "Generating the address…"
    generations.failed(key, "declined")
    view = network_view("USDT", [TRX, ETH], state, generations, None)
    assert view.status("BSC") == "Not generated: declined. Press g to try again."
    assert generations.start(key)
    made = DepositAddress("BSC", "0xnew")
    generations.succeeded(key, made)
    view = network_view("USDT", [TRX, ETH], state, generations, None)
    assert [e.address for e in view.entries] == [TRX, made, ETH] and view.statuses == ()
    # Once /v2/balance lists it, that one is shown (the same address, no double card).
    listed = network_view("USDT", [TRX, ETH, made], state, generations, None)
    assert [e.address for e in listed.entries] == [TRX, made, ETH]
    # Another wallet's generation does not show here.
    assert network_view("USDT", [], state, generations, "w2").entries[1].address is None
