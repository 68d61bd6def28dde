"""`wallet-tui config`: where the config file is, the settings in force, and a template."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from tui.api.text import seconds_text
from tui.config.settings import API_KEY_ENV, PASSWORD_ENV, Secrets, Settings, default_config_path

TEMPLATE = """\
# wallet-tui configuration. Every key is optional; flags and WALLET_TUI_* environment
# variables override what is here. Secrets are never read from this file: set
# WALLET_TUI_API_KEY (or WALLET_TUI_PASSWORD) in the environment, or use the login screen.

# The exchange's API root (ask your operator). Plain http:// is refused except to
# this computer, unless `insecure = true`.
# base_url = "https://api.exchange.example"

# For the email + password login.
# merchant_id = "my-merchant"
# email = "me@example.com"

# Seconds between refreshes, 1 to 300 (+ and - change it while running).
# interval = 5

# Only these assets (default: every asset of the wallet).
# assets = ["BTC", "USDT"]

# The quote currency of values and totals (`v` cycles through those the exchange offers).
# quote = "USD"

# Start with every amount masked, for screen sharing (`h` toggles).
# hide_amounts = false

# Seconds to wait for a connection, and for an answer once connected.
# connect_timeout = 5
# read_timeout = 15

# Append a debug log of the requests here (secrets are masked).
# log_file = "~/wallet-tui.log"

# Balance history: every change is recorded in history.sqlite3 in the data folder
# (~/.local/share/wallet-tui on Linux) for the sparklines and `wallet-tui history`.
# history = true
# history_days = 90
# history_file = "~/wallet-history.sqlite3"

# A command run for each alert, with the alert as JSON on its standard input.
# on_alert = "curl -s -X POST -H 'Content-Type: application/json' -d @- https://chat.example/hook"
# Desktop notifications for alerts (never over SSH).
# desktop_alerts = true

# Wallets to show; `w` switches between them. Without any, the account's main wallet.
# Keep these tables last: in TOML, every key after a [[wallets]] line belongs to it.
# [[wallets]]
# id = "1f44b1c7-9fd4-4d20-b9a4-7aca3646d0d5"
# name = "Main"
#
# [[wallets]]
# id = "6d0f2a8e-3c4b-4e71-9a55-0b8d2f6c1e93"
# name = "Savings"

# Alerts: each fires once when its rule becomes true (again after it was false).
# [[alerts]]
# rule = "USDT available < 1000"
#
# [[alerts]]
# rule = "offline > 5m"
"""


def write_template(path: Path) -> None:
    """Write the commented template to `path`; FileExistsError if a file is there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:
        file.write(TEMPLATE)


def describe_settings(settings: Settings, secrets: Secrets) -> str:
    """The config file's path and every setting in force, secrets shown only as set/unset."""
    path = settings.config_path or default_config_path()
    state = "read" if settings.config_path else "not found; `wallet-tui config --init` writes one"
    lines = [f"config file: {path} ({state})", ""]
    width = max(len(f.name) for f in fields(Settings))
    for item in fields(Settings):
        if item.name in ("config_path", "demo"):
            continue
        value = getattr(settings, item.name)
        lines.append(f"{item.name.ljust(width)}  {_show(value)}")
    lines.append("")
    lines.append(f"{'api key'.ljust(width)}  {_secret(secrets.api_key is not None, API_KEY_ENV)}")
    lines.append(
        f"{'password'.ljust(width)}  {_secret(secrets.password is not None, PASSWORD_ENV)}"
    )
    return "\n".join(lines) + "\n"


def _show(value: object) -> str:
    if value is None or value == () or value == {}:
        return "-"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{key} = {name}" for key, name in value.items())
    if isinstance(value, float):
        return seconds_text(value)
    return str(value)


def _secret(present: bool, variable: str) -> str:
    return f"set (***, from {variable})" if present else f"not set ({variable})"
