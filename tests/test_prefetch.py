"""The first balance request made by a forked child while the UI starts (`tui.startup.prefetch`).

The sandbox runs in its own process here (`wallet-tui sandbox`), as the exchange does
for a user: a server thread in the test process would rightly stop the prefetch from
forking.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.app_harness import wait_until
from tests.screen_text import screen_lines
from tui.api.auth import ApiKeyAuth, Secret
from tui.api.errors import AuthenticationError, BadResponseError, KunaError, ServerError
from tui.api.models import BalanceSnapshot
from tui.bench.startup import standalone_sandbox
from tui.config.settings import Secrets, Settings
from tui.sandbox.wallet import DEMO_API_KEY
from tui.startup.connect import make_client
from tui.startup.prefetch import Prefetch, start_prefetch
from tui.ui.app import WalletApp
from tui.ui.screens.dashboard import DashboardScreen
from tui.ui.widgets.balance_grid import BalanceGrid

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or os.uname().sysname == "Darwin", reason="no prefetch here"
)


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    with standalone_sandbox() as url:
        yield url


@pytest.fixture(autouse=True)
def alone_in_the_process() -> None:
    """The prefetch forks only while no other thread runs (a lock one held would stay
    held in the child): let a thread an earlier test of this worker left end first (a
    full suite on a loaded machine saw four tests here find one still running)."""
    deadline = time.monotonic() + 20
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not others, f"threads left running by an earlier test: {others}"


@pytest.fixture(autouse=True)
def no_faults(sandbox_url: str) -> Iterator[None]:
    yield
    httpx.delete(f"{sandbox_url}/sandbox/faults")


def key_secrets(key: str = DEMO_API_KEY) -> Secrets:
    return Secrets(api_key=Secret(key))


def exact(snapshot: BalanceSnapshot) -> list[Any]:
    return [
        (b.asset, [(name, str(value)) for name, value in b.amounts], b.deposit_addresses)
        for b in snapshot
    ]


def direct_fetch(url: str) -> BalanceSnapshot:
    async def fetch() -> BalanceSnapshot:
        async with make_client(Settings(base_url=url), ApiKeyAuth(Secret(DEMO_API_KEY))) as c:
            return await c.fetch_balances()

    return asyncio.run(fetch())


def child_gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True  # reaped already
    return False


def test_the_child_fetches_exactly_what_the_app_would(sandbox_url: str) -> None:
    prefetch = start_prefetch(Settings(base_url=sandbox_url), key_secrets())
    assert isinstance(prefetch, Prefetch)
    snapshot = asyncio.run(prefetch.result())
    assert snapshot is not None
    assert exact(snapshot) == exact(direct_fetch(sandbox_url))
    assert child_gone(prefetch.pid)
    assert asyncio.run(prefetch.result()) is None  # the answer is given once


def test_poll_gives_the_answer_once_it_has_arrived_whole(sandbox_url: str) -> None:
    prefetch = start_prefetch(Settings(base_url=sandbox_url), key_secrets())
    assert prefetch is not None
    # Only a guard against a hang: the answer's speed is not under test.
    deadline = time.monotonic() + 120
    # poll() gives None until the whole answer is in, then the whole answer once. (The
    # answer may complete between a `done` check and the poll, so poll() decides.)
    snapshot = prefetch.poll()
    while snapshot is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
        snapshot = prefetch.poll()
    assert prefetch.done
    assert snapshot.get("BTC") is not None and snapshot.get("SOL") is not None
    assert prefetch.poll() is None
    assert child_gone(prefetch.pid)


@pytest.mark.parametrize(
    ("fault", "error"),
    [("500", ServerError), ("html", ServerError), ("bad_amount", BadResponseError)],
)
def test_the_error_the_childs_request_met_is_raised_to_the_app(
    sandbox_url: str, fault: str, error: type[KunaError]
) -> None:
    httpx.post(f"{sandbox_url}/sandbox/faults", json={"spec": fault}).raise_for_status()
    prefetch = start_prefetch(Settings(base_url=sandbox_url), key_secrets())
    assert prefetch is not None
    with pytest.raises(error) as raised:
        asyncio.run(prefetch.result())

    # The same error, message and all, as the app's own request would have met.
    httpx.post(f"{sandbox_url}/sandbox/faults", json={"spec": fault}).raise_for_status()
    with pytest.raises(KunaError) as direct:
        direct_fetch(sandbox_url)
    assert repr(raised.value) == repr(direct.value)
    assert vars(raised.value) == vars(direct.value)
    assert child_gone(prefetch.pid)


def test_a_refused_key_is_reported_as_such(sandbox_url: str) -> None:
    prefetch = start_prefetch(Settings(base_url=sandbox_url), key_secrets("not-the-key"))
    assert prefetch is not None
    assert prefetch.poll() is None  # (while it runs, and after: an error is no balance)
    with pytest.raises(AuthenticationError, match="API key was rejected"):
        asyncio.run(prefetch.result())


def test_a_child_that_dies_leaves_the_request_to_the_app(
    sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def crash(*args: object) -> BalanceSnapshot:
        raise RuntimeError("a bug")

    monkeypatch.setattr(
        "tui.startup.prefetch._fetch", crash
    )  # (the child is a copy of this process)
    prefetch = start_prefetch(Settings(base_url=sandbox_url), key_secrets())
    assert prefetch is not None
    assert asyncio.run(prefetch.result()) is None
    assert child_gone(prefetch.pid)


def test_cancel_stops_a_child_still_at_work(sandbox_url: str) -> None:
    # The answer would take a minute: cancel must not wait for it (half of that is a
    # margin no loaded machine needs to stop and reap one child).
    httpx.post(f"{sandbox_url}/sandbox/faults", json={"spec": "slow:60"}).raise_for_status()
    prefetch = start_prefetch(Settings(base_url=sandbox_url), key_secrets())
    assert prefetch is not None
    started = time.monotonic()
    prefetch.cancel()
    assert child_gone(prefetch.pid)
    assert time.monotonic() - started < 30
    assert prefetch.poll() is None and asyncio.run(prefetch.result()) is None


def test_no_prefetch_where_it_cannot_or_should_not_run(sandbox_url: str) -> None:
    settings = Settings(base_url=sandbox_url)
    assert start_prefetch(settings, Secrets()) is None  # the login screen comes first
    assert start_prefetch(Settings(base_url=sandbox_url, demo=True), key_secrets()) is None
    assert start_prefetch(Settings(), key_secrets()) is None  # no exchange to ask
    # Plain http to another computer is refused by the client: the app says why.
    assert start_prefetch(Settings(base_url="http://example.com"), key_secrets()) is None
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_prefetch(settings, key_secrets()) is None  # forking with threads: no
    finally:
        stop.set()
        other.join()


def test_the_dashboard_opens_with_the_prefetched_answer(
    sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.api.client import KunaClient

    balance_requests = 0
    fetch = KunaClient.fetch_balances

    async def counted(self: KunaClient, *args: Any, **kwargs: Any) -> BalanceSnapshot:
        nonlocal balance_requests
        balance_requests += 1
        return await fetch(self, *args, **kwargs)

    monkeypatch.setattr(KunaClient, "fetch_balances", counted)
    settings = Settings(base_url=sandbox_url)
    prefetch = start_prefetch(settings, key_secrets())
    assert prefetch is not None

    async def run() -> None:
        app = WalletApp(settings, key_secrets(), system_clipboard=False, prefetch=prefetch)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, DashboardScreen) and app.screen.snapshot is not None,
                timeout=20,
            )
            grid = app.screen.query_one(BalanceGrid)
            assert "BTC" in grid.snapshot.assets  # type: ignore[union-attr]
            # The app's own client has not asked for balances: the answer came from the
            # child. (The rates and operations feeds may have made their first requests.)
            assert app.client is not None and balance_requests == 0

    asyncio.run(run())
    assert child_gone(prefetch.pid)


def test_the_app_reports_the_error_the_child_met_as_its_own(sandbox_url: str) -> None:
    settings = Settings(base_url=sandbox_url)
    prefetch = start_prefetch(settings, key_secrets("not-the-key"))
    assert prefetch is not None
    clients = []

    async def run() -> None:
        app = WalletApp(
            settings, key_secrets("not-the-key"), system_clipboard=False, prefetch=prefetch
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_until(pilot, lambda: app.client is not None)
            clients.append(app.client)
            # The key was refused: the login screen comes back, saying so.
            await wait_until(
                pilot,
                lambda: "API key was rejected" in "\n".join(screen_lines(app)),
                timeout=20,
            )

    asyncio.run(run())
    # Told by the child: the app did not ask again with the same refused key.
    assert clients[0]._http_client is None


def test_an_alert_on_the_prefetched_answer_is_shown_on_the_dashboard(sandbox_url: str) -> None:
    # The prefetched answer is recorded while the dashboard is made, before any screen
    # is up: the alert it makes true must wait for the dashboard, not stop the app.
    settings = Settings(
        base_url=sandbox_url, history=False, alerts=("BTC total > 0",), desktop_alerts=False
    )
    prefetch = start_prefetch(settings, key_secrets())
    assert prefetch is not None
    deadline = time.monotonic() + 120  # only a guard against a hang
    while not prefetch.done:
        assert time.monotonic() < deadline
        time.sleep(0.005)

    async def run() -> None:
        app = WalletApp(settings, key_secrets(), system_clipboard=False, prefetch=prefetch)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            assert isinstance(app.screen, DashboardScreen)  # made with the answer
            assert [alert.rule for alert in app.recorder.fired] == ["BTC total > 0"]
            await wait_until(pilot, lambda: "BTC total is" in "\n".join(screen_lines(app)))
            assert app.messages.notices[-1].title == "Alert: BTC total above 0"

    asyncio.run(run())
