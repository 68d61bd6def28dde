"""Settings: defaults < TOML config file < `WALLET_TUI_*` environment < command-line flags.

Secrets (API key, password) are never part of Settings: they come from the
environment only, through `load_secrets`, wrapped in `Secret`. A config file that
holds one is refused, so that no password ends up in a plaintext file.

Light to import (the standard library and platformdirs only): `wallet-tui --help`
must not pay for Textual or httpx.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import platformdirs

from tui.api.proxy import is_loopback as is_loopback_host
from tui.config import values as v
from tui.config.values import ConfigError, Parser

if TYPE_CHECKING:
    # Imported lazily at run time: the `tui.api` package pulls in httpx, which
    # `wallet-tui --help` and the sandbox command do not need.
    from tui.api.auth import Secret

APP_NAME = "wallet-tui"
ENV_PREFIX = "WALLET_TUI_"
CONFIG_ENV = "WALLET_TUI_CONFIG"
API_KEY_ENV = "WALLET_TUI_API_KEY"
PASSWORD_ENV = "WALLET_TUI_PASSWORD"
INSECURE_ENV = "WALLET_TUI_INSECURE"

# Keys that would put a credential into a plaintext file (compared lower-case, "-" as "_").
_SECRET_KEYS = frozenset(
    {
        "password",
        "passwd",
        "api_key",
        "apikey",
        "token",
        "access_token",
        "refresh_token",
        "secret",
        "api_secret",
    }
)


@dataclass(frozen=True)
class Settings:
    """Everything wallet-tui needs to know except the credentials."""

    base_url: str | None = None
    """The exchange's API root, e.g. "https://api.example.com" (no trailing slash)."""
    wallet_ids: tuple[str, ...] = ()
    """The wallets to show; empty means the account's main wallet."""
    wallet_names: dict[str, str] = field(default_factory=dict)
    """Names for wallet ids, from `[[wallets]]` tables in the config file."""
    assets: tuple[str, ...] = ()
    """Upper-case asset symbols to ask for; empty means every asset."""
    interval: float = 5.0
    """Seconds between two refreshes of the dashboard (at least 1)."""
    merchant_id: str | None = None
    """The operator's merchant ID, sent with the email/password login."""
    email: str | None = None
    """The account's email address for the email/password login."""
    connect_timeout: float = 5.0
    """Seconds to wait for a connection to the exchange."""
    read_timeout: float = 15.0
    """Seconds to wait for the exchange's answer once connected."""
    demo: bool = False
    """Run against the built-in sandbox exchange instead of a real one."""
    insecure: bool = False
    """Allow a plain http:// base URL to a host other than this computer."""
    log_file: Path | None = None
    """Write a debug log of the requests here, with secrets masked (--log FILE)."""
    hide_amounts: bool = False
    """Start with every amount masked, for screen sharing (`h` toggles)."""
    quote: str = "USD"
    """The quote currency values and totals are shown in ("USD", "UAH", "BTC"...; `v` cycles)."""
    config_path: Path | None = None
    """The config file that was actually read, or None when there was none."""
    history: bool = True
    """Record balances and alerts in the history database (`--no-history` turns it off)."""
    history_days: int = 90
    """Days of history kept; older rows are pruned (each asset's latest row stays)."""
    history_file: Path | None = None
    """The history database; None: `history.sqlite3` in the platform's data folder."""
    alerts: tuple[str, ...] = ()
    """Alert rules as written (`USDT available < 1000`), each checked by `parse_rule`."""
    on_alert: str | None = None
    """A shell command run for each alert, with the alert as JSON on its standard input."""
    desktop_alerts: bool = True
    """Also show alerts as desktop notifications where there is a notifier (never over SSH)."""

    @property
    def history_path(self) -> Path:
        """Where the history database is (the configured file, else the default)."""
        return self.history_file or default_history_path()


@dataclass(frozen=True)
class Secrets:
    """Credentials from the environment; never from a file or a flag."""

    api_key: Secret | None = None
    """From WALLET_TUI_API_KEY; when set it wins over the password login."""
    password: Secret | None = None
    """From WALLET_TUI_PASSWORD, for the email/password login."""


def default_config_path() -> Path:
    """`config.toml` in the platform's config folder (XDG on Linux, ~/Library, %APPDATA%)."""
    # appauthor=False: on Windows, "wallet-tui" once rather than "wallet-tui\wallet-tui".
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_history_path() -> Path:
    """`history.sqlite3` in the platform's data folder (`~/.local/share/wallet-tui` on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "history.sqlite3"


def load_secrets(environ: Mapping[str, str] = os.environ) -> Secrets:
    """The API key and password from the environment; an empty variable counts as unset."""
    from tui.api.auth import Secret

    api_key = environ.get(API_KEY_ENV, "").strip()  # a stray newline is never part of a key
    password = environ.get(PASSWORD_ENV, "")  # passwords may start or end with a space
    return Secrets(
        api_key=Secret(api_key) if api_key else None,
        password=Secret(password) if password else None,
    )


def load_settings(
    flags: Mapping[str, Any] | argparse.Namespace,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """Merge the defaults, the config file, the environment and the flags, in that order.

    `flags` holds the parsed command line under the Settings field names (plus
    `config`); a missing key or a None value means the flag was not given. Raises
    ConfigError for anything that cannot be used.
    """
    given = vars(flags) if isinstance(flags, argparse.Namespace) else dict(flags)
    path, explicit = _config_location(given, environ)
    file_values = _read_file(path, explicit)
    values: dict[str, Any] = dict(file_values or {})
    env_values = _from_environ(environ)
    flag_values = _from_flags(given)
    values.update(env_values)
    values.update(flag_values)
    settings = Settings(
        **values,
        demo=bool(given.get("demo")),
        config_path=path if file_values is not None else None,
    )
    if settings.base_url and not settings.demo:
        # --demo replaces the base URL with its own loopback sandbox: nothing to check.
        where = (
            _FLAGS["base_url"][0]
            if "base_url" in flag_values
            else _ENV_VARS["base_url"][0]
            if "base_url" in env_values
            else f"{path}: base_url"
        )
        refusal = plain_http_refusal(settings.base_url, insecure=settings.insecure)
        if refusal:
            raise ConfigError(f"{where}: {refusal}")
    return settings


# --- transport security ------------------------------------------------------------------


def plain_http_refusal(base_url: str, *, insecure: bool) -> str | None:
    """Why `base_url` may not be used, or None when it may.

    Plain http:// would send the password, the API key and the tokens in clear text
    to anyone on the way, so it is allowed only to this computer (the sandbox, an SSH
    tunnel) or when the user says so with --insecure.
    """
    parts = urlsplit(base_url)
    if parts.scheme != "http" or insecure or is_loopback_host(parts.hostname or ""):
        return None
    return (
        f"plain http:// to {parts.hostname} would send your password or API key in clear "
        "text; use https://, or pass --insecure (or set "
        f"{INSECURE_ENV}=1, or insecure = true in the config file) if you accept that. "
        "Plain http:// is allowed without it only to this computer (localhost, 127.0.0.1, ::1)."
    )


def check_base_url(text: str, *, insecure: bool, where: str = "base URL") -> str:
    """`text` as a usable base URL (no trailing slash), or ConfigError saying why not.

    The same rules as for the configured URL: http(s) with a host, no credentials,
    query or control characters, and plain http:// only as `plain_http_refusal` allows.
    """
    url = v.base_url(text, where)
    if url is None:
        raise ConfigError(f"{where}: enter the exchange's base URL (https://…)")
    refusal = plain_http_refusal(url, insecure=insecure)
    if refusal:
        raise ConfigError(f"{where}: {refusal}")
    return url


# --- where each setting comes from ------------------------------------------------------


def _config_location(given: Mapping[str, Any], environ: Mapping[str, str]) -> tuple[Path, bool]:
    """The config file to read, and whether the user named it (then it must exist)."""
    flag = given.get("config")
    if flag:
        return Path(os.fspath(flag)).expanduser(), True
    env = environ.get(CONFIG_ENV, "").strip()
    if env:
        return Path(env).expanduser(), True
    return default_config_path(), False


def _read_file(path: Path, explicit: bool) -> dict[str, Any] | None:
    """The settings in the TOML file, or None when the default file does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"config file {path} does not exist") from None
        return None
    except IsADirectoryError:
        raise ConfigError(f"config file {path} is a directory") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    _refuse_secrets(data, path, prefix="")
    values: dict[str, Any] = {}
    for key, raw in data.items():
        parse = _FILE_KEYS.get(key)
        if parse is None:
            known = ", ".join(_FILE_KEYS)
            raise ConfigError(f"{path}: unknown key {key!r} (known keys: {known})")
        values[key] = parse(raw, f"{path}: {key}")
    if "wallets" in values:
        # [[wallets]] tables add named wallets after any plain wallet_ids.
        named: dict[str, str] = values.pop("wallets")
        values["wallet_ids"] = v.unique([*values.get("wallet_ids", ()), *named])
        values["wallet_names"] = {wallet: name for wallet, name in named.items() if name}
    return values


def _refuse_secrets(data: Mapping[str, Any], path: Path, prefix: str) -> None:
    """Reject a credential anywhere in the file, nested tables included."""
    for key, value in data.items():
        if key.lower().replace("-", "_") in _SECRET_KEYS:
            raise ConfigError(
                f"{path}: key {prefix + key!r} is not allowed: secrets are never read from files. "
                f"Set {API_KEY_ENV} or {PASSWORD_ENV} in the environment, or log in on the "
                "login screen."
            )
        tables = value if isinstance(value, list) else [value]
        for table in tables:
            if isinstance(table, dict):
                _refuse_secrets(table, path, prefix=f"{prefix}{key}.")


def _from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Settings from `WALLET_TUI_*` variables; an empty variable counts as unset."""
    values: dict[str, Any] = {}
    for name, (env, parse) in _ENV_VARS.items():
        raw = environ.get(env, "")
        if raw.strip():
            values[name] = parse(raw, env)
    return values


def _from_flags(given: Mapping[str, Any]) -> dict[str, Any]:
    """Settings from the parsed command line; None means the flag was not given."""
    values: dict[str, Any] = {}
    for name, (flag, parse) in _FLAGS.items():
        raw = given.get(name)
        if raw is not None:
            values[name] = parse(raw, flag)
    return values


# One parser per source: a file must hold real lists and numbers, while the
# environment and flags hold text (comma-separated lists, numbers as strings).
_FILE_KEYS: dict[str, Parser] = {
    "base_url": v.base_url,
    "wallet_ids": lambda value, where: v.wallet_ids(v.require_str_list(value, where), where),
    "assets": lambda value, where: v.assets(v.require_str_list(value, where), where),
    "interval": v.number_from_file(v.interval),
    "merchant_id": v.plain_text,
    "email": v.plain_text,
    "connect_timeout": v.number_from_file(v.timeout),
    "read_timeout": v.number_from_file(v.timeout),
    "insecure": v.file_yes_no,
    "log_file": v.file_path,
    "hide_amounts": v.file_yes_no,
    "quote": v.quote,
    "wallets": v.wallet_tables,
    "history": v.file_yes_no,
    "history_days": v.days_from_file,
    "history_file": v.file_path,
    "alerts": v.alert_tables,
    "on_alert": v.command,
    "desktop_alerts": v.file_yes_no,
}
_TEXT_PARSERS: dict[str, Parser] = {
    "base_url": v.base_url,
    "wallet_ids": lambda value, where: v.wallet_ids(v.split_list(value, where), where),
    "assets": lambda value, where: v.assets(v.split_list(value, where), where),
    "interval": v.number_from_text(v.interval),
    "merchant_id": v.plain_text,
    "email": v.plain_text,
    "connect_timeout": v.number_from_text(v.timeout),
    "read_timeout": v.number_from_text(v.timeout),
    "insecure": v.yes_no,
    "log_file": v.file_path,
    "hide_amounts": v.yes_no,
    "quote": v.quote,
    "history": v.yes_no,
    "history_days": v.days_from_text,
    "history_file": v.file_path,
    "alerts": v.alert_list,
    "on_alert": v.command,
    "desktop_alerts": v.yes_no,
}
_ENV_NAMES = {
    "base_url": "BASE_URL",
    "wallet_ids": "WALLET_ID",
    "assets": "ASSETS",
    "interval": "INTERVAL",
    "merchant_id": "MERCHANT_ID",
    "email": "EMAIL",
    "connect_timeout": "CONNECT_TIMEOUT",
    "read_timeout": "READ_TIMEOUT",
    "insecure": "INSECURE",
    "log_file": "LOG",
    "hide_amounts": "HIDE_AMOUNTS",
    "quote": "QUOTE",
    "history": "HISTORY",
    "history_days": "HISTORY_DAYS",
    "history_file": "HISTORY_FILE",
    "on_alert": "ON_ALERT",
    "desktop_alerts": "DESKTOP_ALERTS",
}
_ENV_VARS = {
    name: (ENV_PREFIX + suffix, _TEXT_PARSERS[name]) for name, suffix in _ENV_NAMES.items()
}
_FLAG_NAMES = {
    "wallet_ids": "--wallet-id",
    "log_file": "--log",
    "history": "--no-history",
    "alerts": "--alert",
}
_FLAGS = {
    name: (_FLAG_NAMES.get(name, "--" + name.replace("_", "-")), parse)
    for name, parse in _TEXT_PARSERS.items()
}
