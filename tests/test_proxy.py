"""Proxies: loopback never goes through one; a proxy used is named in connection errors."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from tui.api.auth import ApiKeyAuth, Secret
from tui.api.client import KunaClient, Timeouts
from tui.api.errors import NetworkError
from tui.api.proxy import ProxyChoice, is_loopback, proxy_for
from tui.sandbox.server import start_in_background
from tui.sandbox.wallet import DEMO_API_KEY

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


class RecordingProxy:
    """A loopback "proxy" that notes every request line and answers a fake balance."""

    ANSWER = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n"
        b'content-length: 46\r\n\r\n{"data": [{"asset": "PROXY", "balance": "1"}]}'
    )

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
                conn.sendall(self.ANSWER)

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def recording_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingProxy]:
    proxy = RecordingProxy()
    for name in PROXY_VARIABLES[:3]:
        monkeypatch.setenv(name, proxy.url)
        monkeypatch.setenv(name.lower(), proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    yield proxy
    proxy.close()


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


async def test_loopback_never_goes_through_the_proxy(recording_proxy: RecordingProxy) -> None:
    with start_in_background(moving=False) as sandbox:
        port = sandbox.url.rsplit(":", 1)[1]
        for url in (sandbox.url, f"http://localhost:{port}"):
            async with KunaClient(url, ApiKeyAuth(Secret(DEMO_API_KEY))) as client:
                snapshot = await client.fetch_balances()
            assert "PROXY" not in snapshot.assets and "BTC" in snapshot.assets
    assert recording_proxy.requests == []


async def test_a_remote_exchange_goes_through_the_proxy(recording_proxy: RecordingProxy) -> None:
    async with KunaClient("http://exchange.example", ApiKeyAuth(Secret("key-xyz"))) as client:
        assert client.proxy == ProxyChoice(recording_proxy.url, "http_proxy")
        snapshot = await client.fetch_balances()
    assert snapshot.assets == ("PROXY",)
    assert recording_proxy.requests == ["POST http://exchange.example/v2/balance HTTP/1.1"]


@pytest.mark.usefixtures("no_proxy_env")
async def test_a_proxy_that_cannot_be_reached_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    monkeypatch.setenv("HTTPS_PROXY", f"http://corp-user:pr0xy-pw@127.0.0.1:{port}")
    auth = ApiKeyAuth(Secret("key-xyz"))
    async with KunaClient("https://exchange.example", auth, timeouts=Timeouts(2, 2)) as client:
        with pytest.raises(NetworkError) as caught:
            await client.fetch_balances()
    message = caught.value.message
    assert f"through the proxy http://127.0.0.1:{port} (from HTTPS_PROXY)" in message
    assert "exchange.example" in message
    assert "pr0xy-pw" not in message and "corp-user" not in message


@pytest.mark.usefixtures("no_proxy_env")
@pytest.mark.parametrize("proxy", ["http://proxy.corp:bad", "ftp://proxy.corp:21", "http://"])
async def test_an_invalid_proxy_url_is_named_as_such(
    monkeypatch: pytest.MonkeyPatch, proxy: str
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    async with KunaClient("https://exchange.example", ApiKeyAuth(Secret("key-xyz"))) as client:
        with pytest.raises(NetworkError) as caught:
            await client.fetch_balances()
    assert caught.value.message.startswith("Invalid proxy URL in HTTPS_PROXY")
    assert "base URL" not in caught.value.message


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST", "sandbox.localhost", "127.0.0.1", "127.9.8.7", "::1", "[::1]",
     "localhost."],
)  # fmt: skip
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host", ["exchange.example", "10.0.0.1", "128.0.0.1", "localhost.evil.example", "::2", ""]
)
def test_other_hosts(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize(
    ("url", "environ", "expected"),
    [
        ("https://x.example", {}, None),
        ("https://x.example", {"HTTPS_PROXY": "http://p:3128"}, ("http://p:3128", "HTTPS_PROXY")),
        ("https://x.example", {"https_proxy": "http://a:1", "HTTPS_PROXY": "http://b:2"},
         ("http://a:1", "https_proxy")),
        ("https://x.example", {"HTTP_PROXY": "http://p:3128"}, None),
        ("http://x.example", {"HTTP_PROXY": "http://p:3128"}, ("http://p:3128", "HTTP_PROXY")),
        ("https://x.example", {"ALL_PROXY": "socks5://p:1080"}, ("socks5://p:1080", "ALL_PROXY")),
        ("https://x.example", {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "x.example"}, None),
        ("https://api.x.example", {"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".x.example"}, None),
        ("https://x.example", {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}, None),
        ("https://x.example", {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "y.example"},
         ("http://p:1", "HTTPS_PROXY")),
        ("http://localhost:8810", {"HTTP_PROXY": "http://p:1", "ALL_PROXY": "http://p:1"}, None),
        ("http://127.0.0.1:8810", {"HTTP_PROXY": "http://p:1"}, None),
        ("http://[::1]:8810", {"HTTP_PROXY": "http://p:1"}, None),
    ],
)  # fmt: skip
def test_proxy_choice(url: str, environ: dict[str, str], expected: tuple[str, str] | None) -> None:
    choice = proxy_for(url, environ)
    assert (None if choice is None else (choice.url, choice.source)) == expected


def test_a_proxy_is_shown_without_its_credentials() -> None:
    choice = ProxyChoice("http://me:secret@proxy.corp:3128", "HTTPS_PROXY")
    assert choice.describe() == "the proxy http://proxy.corp:3128 (from HTTPS_PROXY)"
    assert ProxyChoice("proxy.corp:8080", "HTTP_PROXY").shown == "http://proxy.corp:8080"
