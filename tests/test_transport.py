"""Transport: TLS verified, plain http:// only to this computer or with --insecure."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from tui.api.auth import ApiKeyAuth, Secret
from tui.api.client import KunaClient
from tui.api.tls import trust_store, uses_tls, verify_for
from tui.cli import main as cli
from tui.config import settings as config
from tui.config.settings import (
    ConfigError,
    Settings,
    check_base_url,
    load_settings,
    plain_http_refusal,
)
from tui.startup.connect import make_client


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "default_config_path", lambda: tmp_path / "none.toml")


@pytest.mark.parametrize(
    "url",
    [
        "https://api.exchange.example",
        "http://127.0.0.1:8000",
        "http://127.45.6.7",
        "http://localhost:8000/api",
        "http://LOCALHOST",
        "http://[::1]:8000",
        "http://sandbox.localhost",
    ],
)
def test_https_and_loopback_are_allowed(url: str) -> None:
    assert plain_http_refusal(url, insecure=False) is None
    assert load_settings({"base_url": url}, environ={}).base_url == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://api.exchange.example",
        "http://10.0.0.5:8080",
        "http://192.168.1.2",
        "http://[2001:db8::1]",
        "http://128.0.0.1",
        "http://localhost.evil.example",
    ],
)
def test_plain_http_elsewhere_is_refused_with_the_reason(url: str) -> None:
    refusal = plain_http_refusal(url, insecure=False)
    assert refusal is not None
    assert "clear text" in refusal and "--insecure" in refusal and "https://" in refusal
    with pytest.raises(ConfigError, match="--base-url: plain http://"):
        load_settings({"base_url": url}, environ={})
    with pytest.raises(ConfigError, match="WALLET_TUI_BASE_URL: plain http://"):
        load_settings({}, environ={"WALLET_TUI_BASE_URL": url})
    assert plain_http_refusal(url, insecure=True) is None


def test_insecure_from_flag_environment_or_file(tmp_path: Path) -> None:
    url = "http://10.0.0.5:8080"
    assert load_settings({"base_url": url, "insecure": True}, environ={}).insecure
    environ = {"WALLET_TUI_BASE_URL": url, "WALLET_TUI_INSECURE": "1"}
    assert load_settings({}, environ=environ).insecure
    path = tmp_path / "c.toml"
    path.write_text(f'base_url = "{url}"\ninsecure = true\n', encoding="utf-8")
    assert load_settings({"config": str(path)}, environ={}).base_url == url
    path.write_text(f'base_url = "{url}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"c\.toml: base_url: plain http://"):
        load_settings({"config": str(path)}, environ={})
    path.write_text('insecure = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="insecure: must be true or false"):
        load_settings({"config": str(path)}, environ={})
    with pytest.raises(ConfigError, match="WALLET_TUI_INSECURE"):
        load_settings({}, environ={"WALLET_TUI_INSECURE": "maybe"})
    assert not load_settings({}, environ={"WALLET_TUI_INSECURE": "0"}).insecure


def test_demo_does_not_check_the_url_it_replaces() -> None:
    settings = load_settings({"base_url": "http://far.example", "demo": True}, environ={})
    assert settings.demo


def test_the_client_factory_refuses_plain_http_too() -> None:
    auth = ApiKeyAuth(Secret("key-for-transport-test"))
    with pytest.raises(ConfigError, match="clear text"):
        make_client(Settings(base_url="http://far.example"), auth)
    make_client(Settings(base_url="http://far.example", insecure=True), auth)
    make_client(Settings(base_url="https://far.example"), auth)


def test_cli_refuses_plain_http_with_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WALLET_TUI_CONFIG")
    code = cli.main(["balances", "--base-url", "http://far.example"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("wallet-tui: --base-url: plain http://") and "clear text" in err


def test_tls_certificates_and_host_names_are_verified() -> None:
    client = KunaClient("https://x.example", ApiKeyAuth(Secret("key-for-transport-test")))
    context: ssl.SSLContext = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    assert client._http.follow_redirects is False  # a redirect could lead to plain http


def test_plain_http_loads_no_certificates_and_never_accepts_tls_unchecked() -> None:
    # A sandbox on this computer: no TLS, so no certificate authority is loaded; should a
    # connection use TLS after all, its verification fails (nothing is trusted).
    client = KunaClient("http://127.0.0.1:8800", ApiKeyAuth(Secret("key-for-transport-test")))
    context: ssl.SSLContext = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
    # Wherever TLS may be used, the trust store: an https:// exchange, or an https:// proxy.
    assert uses_tls("https://x.example") and uses_tls("HTTPS://x.example")
    assert uses_tls("http://127.0.0.1:8800", "https://proxy.example:3128")
    assert not uses_tls("http://127.0.0.1:8800", "http://proxy.example:3128")
    assert not uses_tls("http://127.0.0.1:8800")
    assert verify_for("https://x.example") is trust_store()
    assert verify_for("http://far.example", "https://proxy.example:3128") is trust_store()


def test_check_base_url_normalises() -> None:
    assert check_base_url(" https://x.example/api/ ", insecure=False) == "https://x.example/api"
