"""Settings: defaults < config file < environment < flags, and the errors for bad input."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pytest

from tui.config import settings as config
from tui.config.settings import ConfigError, Secrets, Settings, load_secrets, load_settings


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default config file into tmp_path, so the real user's file is never read."""
    default = tmp_path / "default" / "config.toml"
    monkeypatch.setattr(config, "default_config_path", lambda: default)
    return default


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


FILE = """\
base_url = "https://file.example/"
wallet_ids = ["wallet-from-file"]
assets = ["btc", "eth"]
interval = 30
merchant_id = "merchant-file"
email = "file@example.com"
connect_timeout = 3
read_timeout = 20.5
"""


def test_defaults_without_any_file() -> None:
    assert load_settings({}, environ={}) == Settings()
    assert Settings().interval == 5.0 and Settings().config_path is None


def test_the_default_file_is_read_when_present(no_user_config: Path) -> None:
    write(no_user_config, 'email = "me@example.com"\n')
    settings = load_settings({}, environ={})
    assert settings.email == "me@example.com"
    assert settings.config_path == no_user_config


@pytest.mark.skipif(sys.platform != "linux", reason="XDG paths are the Linux convention")
def test_default_path_is_in_the_platform_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the real default_config_path, but with XDG_CONFIG_HOME in tmp_path
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config.default_config_path() == tmp_path / "wallet-tui" / "config.toml"


def test_file_values(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", FILE)
    settings = load_settings({"config": str(path)}, environ={})
    assert settings == Settings(
        base_url="https://file.example",
        wallet_ids=("wallet-from-file",),
        assets=("BTC", "ETH"),
        interval=30.0,
        merchant_id="merchant-file",
        email="file@example.com",
        connect_timeout=3.0,
        read_timeout=20.5,
        config_path=path,
    )


@pytest.mark.parametrize(
    ("field", "env_name", "env_value", "flag_value", "from_env", "from_flag"),
    [
        ("base_url", "BASE_URL", "https://env.example", "https://flag.example/", "https://env.example", "https://flag.example"),
        ("interval", "INTERVAL", "7.5", 9.0, 7.5, 9.0),
        ("assets", "ASSETS", "usdt", "xrp,ton", ("USDT",), ("XRP", "TON")),
        ("wallet_ids", "WALLET_ID", "w-env", ["w-flag-1", "w-flag-2"], ("w-env",), ("w-flag-1", "w-flag-2")),
        ("email", "EMAIL", "env@example.com", "flag@example.com", "env@example.com", "flag@example.com"),
        ("merchant_id", "MERCHANT_ID", "m-env", "m-flag", "m-env", "m-flag"),
        ("read_timeout", "READ_TIMEOUT", "40", 50.0, 40.0, 50.0),
        ("connect_timeout", "CONNECT_TIMEOUT", "1.5", 2.5, 1.5, 2.5),
    ],
)  # fmt: skip
def test_precedence_file_then_env_then_flags(
    tmp_path: Path,
    field: str,
    env_name: str,
    env_value: str,
    flag_value: object,
    from_env: object,
    from_flag: object,
) -> None:
    path = write(tmp_path / "c.toml", FILE)
    environ = {"WALLET_TUI_CONFIG": str(path)}
    from_file = getattr(load_settings({}, environ), field)
    assert from_file != getattr(Settings(), field)  # the file beats the default

    environ["WALLET_TUI_" + env_name] = env_value
    assert getattr(load_settings({}, environ), field) == from_env

    flags = {"email": None, field: flag_value}  # None means "not given"
    settings = load_settings(flags, environ)
    assert getattr(settings, field) == from_flag
    if field != "email":
        assert settings.email == "file@example.com"


def test_layers_mix_field_by_field(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", FILE)
    environ = {"WALLET_TUI_CONFIG": str(path), "WALLET_TUI_INTERVAL": "12"}
    settings = load_settings({"assets": "sol"}, environ)
    assert settings.base_url == "https://file.example"  # file
    assert settings.interval == 12.0  # environment
    assert settings.assets == ("SOL",)  # flag


def test_accepts_an_argparse_namespace(tmp_path: Path) -> None:
    flags = argparse.Namespace(base_url="http://127.0.0.1:8000/", demo=True, command="balances")
    settings = load_settings(flags, environ={})
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.demo is True


def test_config_flag_beats_the_config_variable(tmp_path: Path) -> None:
    by_flag = write(tmp_path / "flag.toml", 'email = "flag@example.com"\n')
    by_env = write(tmp_path / "env.toml", 'email = "env@example.com"\n')
    environ = {"WALLET_TUI_CONFIG": str(by_env)}
    assert load_settings({}, environ).config_path == by_env
    settings = load_settings({"config": str(by_flag)}, environ)
    assert settings.email == "flag@example.com"
    assert settings.config_path == by_flag


def test_missing_named_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match=r"nope\.toml"):
        load_settings({"config": str(missing)}, environ={})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings({}, environ={"WALLET_TUI_CONFIG": str(missing)})


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.toml", "interval = = 5\n")
    with pytest.raises(ConfigError, match=r"broken\.toml is not valid TOML"):
        load_settings({"config": str(path)}, environ={})


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", 'colour = "blue"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings({"config": str(path)}, environ={})
    assert str(path) in str(caught.value)
    assert "'colour'" in str(caught.value)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("interval = '5'", "interval"),
        ("interval = true", "interval"),
        ("assets = 'BTC'", "assets"),
        ("wallet_ids = [1, 2]", "wallet_ids"),
        ("email = 3", "email"),
        ("base_url = ['https://x.example']", "base_url"),
    ],
)
def test_wrong_types_name_file_and_key(tmp_path: Path, line: str, key: str) -> None:
    path = write(tmp_path / "c.toml", line + "\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}: {key}: must be")):
        load_settings({"config": str(path)}, environ={})


@pytest.mark.parametrize(
    "text",
    [
        'password = "hunter2-secret"\n',
        'api_key = "hunter2-secret"\n',
        'token = "hunter2-secret"\n',
        'API-KEY = "hunter2-secret"\n',
        '[auth]\npassword = "hunter2-secret"\n',
    ],
)
def test_secrets_in_the_file_are_refused(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "c.toml", 'email = "me@example.com"\n' + text)
    with pytest.raises(ConfigError, match="secrets are never read from files") as caught:
        load_settings({"config": str(path)}, environ={})
    message = str(caught.value)
    assert "hunter2" not in message
    assert "WALLET_TUI_PASSWORD" in message and "WALLET_TUI_API_KEY" in message


@pytest.mark.parametrize("where", ["file", "env", "flag"])
@pytest.mark.parametrize("value", [0.5, 0, -3])
def test_interval_below_one_second_is_refused(tmp_path: Path, where: str, value: float) -> None:
    path = write(tmp_path / "c.toml", f"interval = {value}\n" if where == "file" else "")
    environ = {"WALLET_TUI_CONFIG": str(path)}
    flags: dict[str, object] = {}
    if where == "env":
        environ["WALLET_TUI_INTERVAL"] = str(value)
    if where == "flag":
        flags["interval"] = value
    with pytest.raises(ConfigError, match="from 1 to 300"):
        load_settings(flags, environ)


def test_interval_of_exactly_one_second_is_fine() -> None:
    assert load_settings({"interval": 1.0}, environ={}).interval == 1.0


@pytest.mark.parametrize("value", ["soon", "nan", "inf"])
def test_non_numbers_from_the_environment(value: str) -> None:
    with pytest.raises(ConfigError, match="WALLET_TUI_READ_TIMEOUT"):
        load_settings({}, environ={"WALLET_TUI_READ_TIMEOUT": value})


def test_timeouts_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="--connect-timeout: must be more than 0"):
        load_settings({"connect_timeout": 0.0}, environ={})


def test_lists_from_the_environment() -> None:
    environ = {
        "WALLET_TUI_ASSETS": " btc, usdt ,BTC,,eth ",
        "WALLET_TUI_WALLET_ID": "w-1, w-2,w-1",
    }
    settings = load_settings({}, environ)
    assert settings.assets == ("BTC", "USDT", "ETH")
    assert settings.wallet_ids == ("w-1", "w-2")


def test_assets_from_flags_are_upper_cased_and_deduplicated() -> None:
    assert load_settings({"assets": "usdt,Usdt,btc"}, environ={}).assets == ("USDT", "BTC")
    assert load_settings({"assets": ["xrp", "ton,XRP"]}, environ={}).assets == ("XRP", "TON")


def test_bad_asset_symbol() -> None:
    with pytest.raises(ConfigError, match="WALLET_TUI_ASSETS: 'BTC;USDT' is not an asset symbol"):
        load_settings({}, environ={"WALLET_TUI_ASSETS": "BTC;USDT"})


def test_empty_variables_count_as_unset(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", FILE)
    environ = {
        "WALLET_TUI_CONFIG": str(path),
        "WALLET_TUI_BASE_URL": "",
        "WALLET_TUI_INTERVAL": " ",
        "WALLET_TUI_ASSETS": "",
    }
    settings = load_settings({}, environ)
    assert settings.base_url == "https://file.example"
    assert settings.interval == 30.0
    assert settings.assets == ("BTC", "ETH")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://x.example",
        "https://",
        "x.example",
        "https://x.example/?a=1",
        "https://x.example:99999",
    ],
)
def test_bad_base_urls(url: str) -> None:
    with pytest.raises(ConfigError, match="--base-url"):
        load_settings({"base_url": url}, environ={})


def test_base_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ConfigError, match="user name or password") as caught:
        load_settings({}, environ={"WALLET_TUI_BASE_URL": "https://me:s3cret@x.example"})
    assert "s3cret" not in str(caught.value)


def test_base_url_keeps_a_path_prefix_and_plain_http() -> None:
    flags = {"base_url": "http://10.0.0.5:8080/exchange/api//", "insecure": True}
    settings = load_settings(flags, environ={})
    assert settings.base_url == "http://10.0.0.5:8080/exchange/api"


def test_secrets_come_from_the_environment_only() -> None:
    secrets = load_secrets({"WALLET_TUI_API_KEY": " key-123\n", "WALLET_TUI_PASSWORD": " pw "})
    assert secrets.api_key is not None and secrets.api_key.reveal() == "key-123"
    assert secrets.password is not None and secrets.password.reveal() == " pw "
    assert "key-123" not in repr(secrets) and "pw" not in repr(secrets)
    assert load_secrets({"WALLET_TUI_API_KEY": "", "WALLET_TUI_PASSWORD": ""}) == Secrets()


def test_settings_have_no_secret_fields() -> None:
    names = set(Settings.__dataclass_fields__)
    assert not names & {"password", "api_key", "token"}


def test_the_quote_currency_from_file_environment_and_flag(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('quote = "uah"\n', encoding="utf-8")
    assert load_settings({"config": str(path)}, {}).quote == "UAH"
    env = {"WALLET_TUI_QUOTE": "eur"}
    assert load_settings({"config": str(path)}, env).quote == "EUR"
    assert load_settings({"config": str(path), "quote": "btc"}, env).quote == "BTC"
    assert load_settings({}, {}).quote == "USD"
    with pytest.raises(ConfigError, match="not a currency code"):
        load_settings({"quote": "US D"}, {})
