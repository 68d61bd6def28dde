"""The sandbox over a real loopback socket, and the standalone `serve` entry point."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
import uvicorn

from tui.api.parse import parse_balance_response
from tui.sandbox import server
from tui.sandbox.faults import Fault
from tui.sandbox.server import start_in_background
from tui.sandbox.wallet import DEMO_API_KEY, DEMO_EMAIL, DEMO_MERCHANT_ID, DEMO_PASSWORD


def test_serves_over_loopback_silently(capfd: pytest.CaptureFixture[str]) -> None:
    with start_in_background(moving=False) as sandbox:
        assert sandbox.url.startswith("http://127.0.0.1:")
        assert not sandbox.url.endswith(":0")
        with httpx.Client(base_url=sandbox.url, timeout=5) as client:
            login = client.post(
                "/v2/auth/login",
                headers={"merchant_id": DEMO_MERCHANT_ID},
                json={"token": DEMO_EMAIL, "password": DEMO_PASSWORD},
            )
            token = login.json()["data"]["accessToken"]
            response = client.post("/v2/balance", headers={"Authorization": f"Bearer {token}"})
            assert parse_balance_response(response.content).get("BTC") is not None
            sandbox.faults.push(Fault.parse("500x1"))
            assert client.post("/v2/balance", headers={"api-key": DEMO_API_KEY}).status_code == 500
            assert client.get("/nowhere").status_code == 404
        assert [r.status for r in sandbox.exchange.requests] == [201, 201, 500, 404]
        thread = sandbox._thread
    assert not thread.is_alive()
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_stop_does_not_wait_for_a_slow_request(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(server, "SHUTDOWN_GRACE", 0.1)
    sandbox = start_in_background(moving=False)
    sandbox.faults.push(Fault("slow", delay=60))
    with (
        httpx.Client(base_url=sandbox.url, timeout=0.2) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.post("/v2/balance", headers={"api-key": DEMO_API_KEY})
    sandbox.stop()
    assert not sandbox._thread.is_alive()
    captured = capfd.readouterr()  # cutting the request off is silent too
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com"])
def test_refuses_non_loopback_hosts(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        start_in_background(host=host)


def test_importing_the_package_does_not_load_the_server_stack() -> None:
    code = (
        "import sys, tui.sandbox as s; "
        "assert s.DEMO_API_KEY; "
        "assert 'starlette' not in sys.modules and 'uvicorn' not in sys.modules; "
        "s.start_in_background; "
        "assert 'uvicorn' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


def test_serve_prints_how_to_connect_and_exits_cleanly_on_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(self: uvicorn.Server, sockets: list | None = None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(uvicorn.Server, "run", interrupted)
    assert server.serve(port=0, faults=["500x3"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:" in out
    for text in (DEMO_MERCHANT_ID, DEMO_EMAIL, DEMO_PASSWORD, DEMO_API_KEY):
        assert text in out
    assert f"WALLET_TUI_API_KEY={DEMO_API_KEY} wallet-tui balances --base-url http://" in out


@pytest.mark.parametrize(
    ("options", "complaint"),
    [({"host": "0.0.0.0"}, "loopback"), ({"faults": ["nope"]}, "unknown fault")],
)
def test_serve_refuses_bad_options(
    options: dict, complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert server.serve(port=0, **options) == 2
    assert complaint in capsys.readouterr().err
