"""Which proxy, if any, a request to the exchange goes through, and how to name it.

httpx, left to itself, sends every request through `HTTP_PROXY`/`HTTPS_PROXY`, even one
to `http://localhost:PORT` (the sandbox, an SSH tunnel): the API key then crosses the
proxy in clear text, and whatever the proxy answers is read as the balances. So the
choice is made here: loopback never goes through a proxy; any other host follows the
environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, either case, and `NO_PROXY`) as
curl does; and the proxy chosen is named, without its credentials, in connection errors.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class ProxyChoice:
    """The proxy for one base URL: `url` as configured, and where it came from.

    `url` may hold credentials (`http://user:pass@proxy:3128`): it goes to httpx only;
    `shown` is the form for messages.
    """

    url: str
    source: str

    @property
    def shown(self) -> str:
        """The proxy as `scheme://host:port`, credentials left out, for messages."""
        try:
            parts = urlsplit(self.url if "://" in self.url else f"http://{self.url}")
            host = parts.hostname or "?"
            port = parts.port
        except ValueError:
            # Not a URL at all: name it as given, minus anything before an "@".
            return self.url.rpartition("@")[2]
        netloc = f"[{host}]" if ":" in host else host
        return f"{parts.scheme}://{netloc}" + (f":{port}" if port else "")

    def describe(self) -> str:
        """ "the proxy http://proxy.corp:3128 (from HTTPS_PROXY)"."""
        return f"the proxy {self.shown} (from {self.source})"


def is_loopback(host: str) -> bool:
    """True for `localhost`, `*.localhost`, 127.0.0.0/8 and ::1: this very computer."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def proxy_for(base_url: str, environ: Mapping[str, str] | None = None) -> ProxyChoice | None:
    """The proxy to reach `base_url` through, or None to connect directly.

    `environ` defaults to the process's environment (tests pass their own).
    """
    try:
        parts = urlsplit(base_url)
        host = parts.hostname or ""
    except ValueError:
        return None  # the client reports the bad URL itself
    if not host or is_loopback(host):
        return None
    env = os.environ if environ is None else environ
    proxies = _environment_proxies(env)
    if not proxies:
        return None
    if _bypassed(host, parts.port, proxies.get("no", "")):
        return None
    scheme = parts.scheme.lower()
    for key in (scheme, "all"):
        if proxies.get(key):
            return ProxyChoice(proxies[key], _source(env, key))
    return None


def _environment_proxies(env: Mapping[str, str]) -> dict[str, str]:
    """`<scheme>_proxy` variables, lower case winning as in curl; "no" for NO_PROXY."""
    found: dict[str, str] = {}
    for name, value in env.items():
        lowered = name.lower()
        if value and lowered.endswith("_proxy"):
            key = lowered[: -len("_proxy")]
            if name == lowered or key not in found:
                found[key] = value.strip()
    return found


def _bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    if not no_proxy.strip():
        return False
    if no_proxy.strip() == "*":
        return True
    import urllib.request  # only with a proxy set: not worth its import at every start

    address = f"{host}:{port}" if port else host
    # The standard library's reading of NO_PROXY: domains, suffixes, host:port.
    return bool(urllib.request.proxy_bypass_environment(address, {"no": no_proxy}))


def _source(env: Mapping[str, str], key: str) -> str:
    """The variable a proxy came from, spelled as the user set it."""
    for name in (f"{key}_proxy", f"{key.upper()}_PROXY"):
        if env.get(name):
            return name
    return f"{key.upper()}_PROXY"
