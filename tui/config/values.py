"""Checking and normalising setting values, wherever they come from.

Each checker takes the raw value and where it came from (file and key, variable or
flag) and returns the normalised value, or raises ConfigError naming that place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tui.api.text import seconds_text

#: The refresh interval's range, in seconds, for the flag, the variable, the config file
#: and the `+`/`-` keys alike.
MIN_INTERVAL = 1.0
MAX_INTERVAL = 300.0
#: The longest timeout worth waiting: beyond it a request is as good as lost.
MAX_TIMEOUT = 600.0

# Asset symbols are short codes ("BTC", "USDT", "1INCH"); anything else is a typo
# such as "BTC;USDT" that would otherwise reach the server as one strange symbol.
ASSET_RE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,31}")
QUOTE_RE = re.compile(r"[A-Z0-9]{2,16}")


class ConfigError(ValueError):
    """A setting that cannot be used: bad file, unknown key, wrong type or bad value.

    The message names where the value came from (file and key, variable or flag)
    and never contains a secret.
    """


def type_name(value: object) -> str:
    names = {bool: "boolean", str: "string", int: "integer", float: "number", list: "list"}
    return names.get(type(value), "table" if isinstance(value, dict) else type(value).__name__)


def require_str(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: must be a string, got {type_name(value)}")
    return value


def require_str_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: must be a list of strings, got {type_name(value)}")
    return list(value)


def split_list(value: object, where: str) -> list[str]:
    """A comma-separated string, or a list of them (a repeated flag)."""
    parts = [value] if isinstance(value, str) else require_str_list(value, where)
    return [item for part in parts for item in part.split(",")]


def plain_text(value: object, where: str) -> str | None:
    text = require_str(value, where).strip()
    if any(not ch.isprintable() for ch in text):
        raise ConfigError(f"{where}: contains control characters")
    return text or None


def base_url(value: object, where: str) -> str | None:
    text = require_str(value, where).strip()
    if not text:
        return None
    # Never echo the URL: user:password@host would put a credential in the message.
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{where}: the base URL must start with https:// (or http://) and name a host"
        )
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise ConfigError(f"{where}: the base URL contains spaces or control characters")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{where}: the base URL must not contain a user name or password")
    if parts.query or parts.fragment:
        raise ConfigError(f"{where}: the base URL must not have a query (?) or fragment (#)")
    try:
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number in range
    except ValueError:
        raise ConfigError(f"{where}: the base URL has an invalid port") from None
    return text.rstrip("/")


def yes_no(value: object, where: str) -> bool:
    """A yes/no setting: a TOML boolean, a set flag, or 1/0, true/false, yes/no, on/off."""
    if isinstance(value, bool):
        return value
    text = require_str(value, where).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{where}: {value!r} is not a yes/no value (1/0, true/false)")


def file_yes_no(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: must be true or false, got {type_name(value)}")
    return value


def file_path(value: object, where: str) -> Path | None:
    text = require_str(value, where).strip()
    if any(not ch.isprintable() for ch in text):
        raise ConfigError(f"{where}: contains control characters")
    return Path(text).expanduser() if text else None


def unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def wallet_ids(items: list[str], where: str) -> tuple[str, ...]:
    ids = [item.strip() for item in items]
    for wallet_id in ids:
        if any(ch.isspace() or not ch.isprintable() for ch in wallet_id):
            raise ConfigError(
                f"{where}: wallet ID {wallet_id!r} contains spaces or control characters"
            )
    return unique(ids)


def assets(items: list[str], where: str) -> tuple[str, ...]:
    symbols = [item.strip().upper() for item in items]
    for symbol in symbols:
        if symbol and not ASSET_RE.fullmatch(symbol):
            raise ConfigError(f"{where}: {symbol!r} is not an asset symbol")
    return unique(symbols)


def quote(value: object, where: str) -> str:
    """A quote currency code: "usd" -> "USD"; letters and digits, 2 to 16 of them."""
    code = require_str(value, where).strip().upper()
    if not QUOTE_RE.fullmatch(code):
        raise ConfigError(f"{where}: {code!r} is not a currency code (like USD, UAH, BTC)")
    return code


def seconds(minimum: float, maximum: float, *, inclusive: bool) -> Callable[[float, str], float]:
    """A checker of a number of seconds in `minimum`..`maximum` (`minimum` itself if inclusive)."""

    def check(value: float, where: str) -> float:
        if not math.isfinite(value):
            raise ConfigError(f"{where}: must be a finite number of seconds")
        low, high = seconds_text(minimum), seconds_text(maximum)
        if value < minimum or (not inclusive and value == minimum) or value > maximum:
            bound = f"from {low} to {high}" if inclusive else f"more than {low} and at most {high}"
            raise ConfigError(f"{where}: must be {bound} s, got {seconds_text(value)}")
        return float(value)

    return check


interval = seconds(MIN_INTERVAL, MAX_INTERVAL, inclusive=True)
timeout = seconds(0.0, MAX_TIMEOUT, inclusive=False)


def number_from_file(check: Callable[[float, str], float]) -> Callable[[object, str], float]:
    def parse(value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: must be a number of seconds, got {type_name(value)}")
        return check(float(value), where)

    return parse


def number_from_text(check: Callable[[float, str], float]) -> Callable[[object, str], float]:
    def parse(value: object, where: str) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return check(float(value), where)  # argparse already converted it
        try:
            number = float(require_str(value, where).strip())
        except ValueError:
            raise ConfigError(f"{where}: {value!r} is not a number of seconds") from None
        return check(number, where)

    return parse


def wallet_tables(value: object, where: str) -> dict[str, str]:
    """`[[wallets]]` tables: `id` (required) and `name` (optional), in order."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f"{where}: must be [[wallets]] tables with id and name")
    wallets: dict[str, str] = {}
    for index, table in enumerate(value, start=1):
        at = f"{where} #{index}"
        unknown = set(table) - {"id", "name"}
        if unknown:
            raise ConfigError(f"{at}: unknown key {sorted(unknown)[0]!r} (known: id, name)")
        if "id" not in table:
            raise ConfigError(f"{at}: needs an id")
        (wallet_id,) = wallet_ids([require_str(table["id"], f"{at}.id")], f"{at}.id") or ("",)
        if not wallet_id:
            raise ConfigError(f"{at}: id is empty")
        wallets[wallet_id] = (plain_text(table.get("name", ""), f"{at}.name") or "")[:40]
    return wallets


Parser = Callable[[object, str], Any]


MAX_HISTORY_DAYS = 36500


def days(value: int, where: str) -> int:
    """Days of history to keep: a whole number from 1 to MAX_HISTORY_DAYS."""
    if not 1 <= value <= MAX_HISTORY_DAYS:
        raise ConfigError(f"{where}: must be from 1 to {MAX_HISTORY_DAYS} days, got {value}")
    return value


def days_from_file(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where}: must be a whole number of days, got {type_name(value)}")
    return days(value, where)


def days_from_text(value: object, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return days(value, where)
    text = require_str(value, where).strip()
    if not text.isdigit():
        raise ConfigError(f"{where}: {value!r} is not a whole number of days")
    return days(int(text), where)


def alert_list(value: object, where: str) -> tuple[str, ...]:
    """Alert rules (a repeated --alert), each parsed now so that a bad one stops the start."""
    from tui.alerts.rules import RuleError, parse_rule

    rules = [value] if isinstance(value, str) else require_str_list(value, where)
    checked = []
    for text in rules:
        try:
            checked.append(parse_rule(text).text)
        except RuleError as error:
            raise ConfigError(f"{where}: alert rule refused: {error}") from None
    return tuple(dict.fromkeys(checked))


def alert_tables(value: object, where: str) -> tuple[str, ...]:
    """`[[alerts]]` tables, each with a `rule` (e.g. rule = "USDT available < 1000")."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f'{where}: must be [[alerts]] tables, each with rule = "..."')
    rules = []
    for index, table in enumerate(value, start=1):
        at = f"{where} #{index}"
        unknown = set(table) - {"rule"}
        if unknown:
            raise ConfigError(f"{at}: unknown key {sorted(unknown)[0]!r} (known: rule)")
        if "rule" not in table:
            raise ConfigError(f"{at}: needs a rule")
        rules.append(require_str(table["rule"], f"{at}.rule"))
    return alert_list(rules, where)


def command(value: object, where: str) -> str | None:
    """A shell command line (for --on-alert): one line, no control characters."""
    text = require_str(value, where).strip()
    if any(not ch.isprintable() for ch in text):
        raise ConfigError(f"{where}: contains control characters or line breaks")
    return text or None
