"""Fault injection: make the sandbox answer the way broken servers and gateways do.

A `FaultPlan` holds faults in order; each API request takes the first fault whose
`path` matches it (using up one of its `times`). Faults are plain data here, with no
web framework: the app turns the `RawReply` they build into a response.

Spec syntax, for `wallet-tui sandbox --fault SPEC` and `POST /sandbox/faults {"spec": SPEC}`::

    SPEC := HEAD [":" ARG] ["x" TIMES] ["@" PATH]

    500, 503, 404...             that status with a Kuna error body (also "status:500")
    401, unauthorized            401 TOKEN_EXPIRED, as if the access token had expired
    429[:RETRY], rate_limit[:RETRY]
                                 429 TOO_MANY_REQUESTS; RETRY becomes the Retry-After header,
                                 seconds ("429:30") or an HTTP date ("429:Wed, 21 Oct 2015 07:28:00 GMT")
    html[:STATUS]                502 (or STATUS) with nginx's HTML error page
    empty[:STATUS]               503 (or STATUS, 200 allowed) with an empty body
    bad_json                     200 with the real answer cut in half
    wrong_shape                  200 with {"data": {"oops": 1}}
    bad_amount                   200 with "12,5abc" as the first asset's balance
                                 (the first operation's targetAmount on /v2/operation/*,
                                 the first deposit method's minAmount on its pre-request)
    slow[:SECONDS]               the normal answer, SECONDS late (default 5)

    xN       affect the next N matching requests (default: every one until cleared)
    @PATH    the endpoint it applies to (default /v2/balance; "*" means every API path;
             "rates" is short for /v2/rate/equivalent)

Examples: "500x3", "slow:20", "429:30", "empty:503", "html@/v2/auth/login", "500@rates".
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

#: Faults that answer at once, before the request is authenticated or read, as a
#: gateway in front of the exchange would.
EARLY_KINDS = frozenset({"status", "html", "rate_limit", "unauthorized", "empty"})
#: Faults that spoil a successful answer (an answer that fails anyway is left alone).
CORRUPTING_KINDS = frozenset({"bad_json", "wrong_shape", "bad_amount"})
KINDS = EARLY_KINDS | CORRUPTING_KINDS | {"slow"}

DEFAULT_PATH = "/v2/balance"
#: Short names for `@PATH`.
PATH_ALIASES = {"rates": "/v2/rate/equivalent", "balance": "/v2/balance"}
ANY_PATH = "*"
DEFAULT_SLOW_SECONDS = 5.0
MAX_DELAY_SECONDS = 3600.0
BAD_AMOUNT = "12,5abc"

_DEFAULT_STATUS = {
    "status": 500,
    "html": 502,
    "empty": 503,
    "rate_limit": 429,
    "unauthorized": 401,
}
_NUMERIC_KINDS = {401: "unauthorized", 429: "rate_limit"}

NGINX_PAGE = """<html>
<head><title>{status} {phrase}</title></head>
<body>
<center><h1>{status} {phrase}</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


@dataclass(frozen=True, slots=True)
class RawReply:
    """A response as bytes, before any web framework sees it."""

    status: int
    body: bytes
    media_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def kuna_error(code: str, message: str) -> dict[str, Any]:
    """The exchange's error body: `{"errors": [{"code", "message"}]}`."""
    return {"errors": [{"code": code, "message": message}]}


def json_bytes(payload: Any) -> bytes:
    """Compact JSON, as the exchange sends it."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _error_code(status: int) -> str:
    if status == 500:
        return "INTERNAL_ERROR"
    try:
        return HTTPStatus(status).name
    except ValueError:
        return "INTERNAL_ERROR"


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour; see the module docstring for what each kind does.

    `status` None means the kind's usual status; `times` None means until cleared;
    `retry_after` is an int of seconds or a string sent verbatim (an HTTP date, or
    deliberate garbage to test a client's tolerance).
    """

    kind: str
    status: int | None = None
    delay: float = 0.0
    retry_after: str | int | None = None
    times: int | None = None
    path: str = DEFAULT_PATH

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"unknown fault kind {self.kind!r} (one of {', '.join(sorted(KINDS))})"
            )
        if self.status is not None:
            if self.kind not in _DEFAULT_STATUS:
                raise ValueError(f"a {self.kind} fault takes no status")
            if isinstance(self.status, bool) or not isinstance(self.status, int):
                raise ValueError("status must be an integer")
            lowest = 200 if self.kind == "empty" else 400
            if not lowest <= self.status <= 599:
                raise ValueError(f"status must be between {lowest} and 599, got {self.status}")
        if isinstance(self.delay, bool) or not isinstance(self.delay, int | float):
            raise ValueError("delay must be a number of seconds")
        if not (math.isfinite(self.delay) and 0 <= self.delay <= MAX_DELAY_SECONDS):
            raise ValueError(f"delay must be between 0 and {MAX_DELAY_SECONDS:g} seconds")
        self._check_retry_after()
        if self.times is not None and (
            isinstance(self.times, bool) or not isinstance(self.times, int) or self.times < 1
        ):
            raise ValueError("times must be a positive integer (or None: until cleared)")
        if not isinstance(self.path, str) or not (
            self.path == ANY_PATH or self.path.startswith("/")
        ):
            raise ValueError(f"path must start with '/' or be '*', got {self.path!r}")

    def _check_retry_after(self) -> None:
        value = self.retry_after
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError("retry_after must be seconds (an integer) or a string")
        if isinstance(value, int) and value < 0:
            raise ValueError("retry_after must not be negative")
        if isinstance(value, str):
            # It becomes a header: no line breaks, latin-1 only, something to send.
            if not value.strip() or any(ch in value for ch in "\r\n\0"):
                raise ValueError("retry_after must be a non-empty single-line string")
            try:
                value.encode("latin-1")
            except UnicodeEncodeError:
                raise ValueError("retry_after must be plain ASCII") from None

    @property
    def effective_status(self) -> int:
        """The status this fault answers with (200 for the corrupting kinds and slow)."""
        return self.status if self.status is not None else _DEFAULT_STATUS.get(self.kind, 200)

    @property
    def answers_early(self) -> bool:
        """True when the fault replaces the answer outright, before auth and body checks."""
        return self.kind in EARLY_KINDS

    @property
    def corrupts(self) -> bool:
        """True when the fault spoils an otherwise successful answer."""
        return self.kind in CORRUPTING_KINDS

    def matches(self, path: str) -> bool:
        """Whether a request to `path` is affected."""
        if self.path == ANY_PATH:
            return not path.startswith("/sandbox/")
        return path.rstrip("/") == self.path.rstrip("/")

    def early_reply(self) -> RawReply:
        """The whole answer of an early fault (status, html, rate_limit, unauthorized, empty)."""
        status = self.effective_status
        if self.kind == "html":
            page = NGINX_PAGE.format(status=status, phrase=_phrase(status))
            return RawReply(status, page.encode(), "text/html")
        if self.kind == "empty":
            return RawReply(status, b"", None)
        if self.kind == "unauthorized":
            return RawReply(status, json_bytes(kuna_error("TOKEN_EXPIRED", "Access token expired")))
        if self.kind == "rate_limit":
            headers = {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}
            body = kuna_error("TOO_MANY_REQUESTS", "Too many requests, slow down")
            return RawReply(status, json_bytes(body), headers=headers)
        if self.kind == "status":
            return RawReply(status, json_bytes(kuna_error(_error_code(status), _phrase(status))))
        raise ValueError(f"a {self.kind} fault does not answer early")

    def corrupt(self, payload: Any) -> RawReply:
        """A 200 answer spoiled the way this fault's kind says, from the real `payload`."""
        if self.kind == "bad_json":
            body = json_bytes(payload)
            # Any strict prefix of a JSON object is unbalanced, hence invalid.
            return RawReply(200, body[: max(1, len(body) // 2)])
        if self.kind == "wrong_shape":
            return RawReply(200, json_bytes({"data": {"oops": 1}}))
        if self.kind == "bad_amount":
            data = payload.get("data") if isinstance(payload, dict) else None
            if isinstance(data, list) and data and isinstance(data[0], dict):
                first = data[0]
                if isinstance(first.get("equivalent"), dict):
                    # A rates answer: spoil the first asset's rates instead.
                    rates = dict.fromkeys(first["equivalent"] or {"USD": None}, BAD_AMOUNT)
                    spoiled = [{**first, "equivalent": rates}, *data[1:]]
                    return RawReply(200, json_bytes({**payload, "data": spoiled}))
                # An operation's amount is `targetAmount`, a deposit method's limit
                # `minAmount` (the pre-request); an asset's, `balance`.
                key = next((k for k in ("targetAmount", "minAmount") if k in first), "balance")
                spoiled = [{**first, key: BAD_AMOUNT}, *data[1:]]
            else:
                spoiled = [{"asset": "BTC", "balance": BAD_AMOUNT}]
            return RawReply(200, json_bytes({**payload, "data": spoiled}))
        raise ValueError(f"a {self.kind} fault does not corrupt answers")

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """Build a fault from a short spec such as "500x3" or "429:30" (see the module doc)."""
        text = spec.strip()
        if not text:
            raise ValueError("empty fault spec")
        path = DEFAULT_PATH
        if "@" in text:
            text, _, path = text.rpartition("@")
            path = PATH_ALIASES.get(path.strip(), path.strip())
        times: int | None = None
        counted = re.fullmatch(r"(.+?)[xX](\d+)", text)
        if counted:
            text, times = counted.group(1), int(counted.group(2))
            if times < 1:
                raise ValueError(f"fault spec {spec!r}: xN needs N >= 1")
        head, sep, arg = text.partition(":")
        head = head.strip().lower().replace("-", "_")
        arg = arg.strip()
        if sep and not arg:
            raise ValueError(f"fault spec {spec!r}: nothing after ':'")
        try:
            return cls._from_parts(head, arg or None, times, path)
        except ValueError as exc:
            raise ValueError(f"fault spec {spec!r}: {exc}") from None

    @classmethod
    def _from_parts(cls, head: str, arg: str | None, times: int | None, path: str) -> Fault:
        status: int | None = None
        if head.isdigit():
            status = int(head)
            kind = _NUMERIC_KINDS.get(status, "status")
        elif head == "status":
            if arg is None:
                raise ValueError("'status' needs a code, e.g. status:503")
            kind, status, arg = "status", _int(arg, "status"), None
        else:
            kind = "rate_limit" if head == "ratelimit" else head
        if kind not in KINDS:
            raise ValueError(f"unknown fault {head!r} (one of {', '.join(sorted(KINDS))})")
        if kind == "rate_limit":
            retry = None if arg is None else (int(arg) if arg.isdigit() else arg)
            return cls(kind, status=status, retry_after=retry, times=times, path=path)
        if kind == "slow":
            delay = DEFAULT_SLOW_SECONDS if arg is None else _seconds(arg)
            return cls(kind, delay=delay, times=times, path=path)
        if arg is not None:
            if kind not in ("html", "empty"):
                raise ValueError(f"'{head}' takes no argument")
            status = _int(arg, "status")
        return cls(kind, status=status, times=times, path=path)

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        """A fault from the control endpoint's JSON: `{"spec": "500x3"}` or the fields."""
        if not isinstance(data, dict):
            raise ValueError("a fault must be a JSON object")
        if "spec" in data:
            if not isinstance(data["spec"], str):
                raise ValueError("'spec' must be a string")
            return cls.parse(data["spec"])
        allowed = {"kind", "status", "delay", "retry_after", "times", "path"}
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        if not isinstance(data.get("kind"), str):
            raise ValueError("'kind' is required and must be a string")
        return cls(**data)

    def to_json(self) -> dict[str, Any]:
        """The fault's fields as JSON (for the control endpoint's listing)."""
        return {
            "kind": self.kind,
            "status": self.status,
            "delay": self.delay,
            "retry_after": self.retry_after,
            "times": self.times,
            "path": self.path,
        }


def _int(text: str, what: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{what} must be a whole number, got {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"delay must be a number of seconds, got {text!r}") from None
    return value


class FaultPlan:
    """The faults waiting to be applied, in order. Thread-safe.

    The server runs in its own thread while a test pushes and clears faults, so every
    operation holds a lock.
    """

    def __init__(self, faults: list[Fault] | None = None) -> None:
        self._lock = threading.Lock()
        # Each entry: the fault and how many uses it has left (None: unlimited).
        self._entries: list[list[Any]] = []
        for fault in faults or ():
            self.push(fault)

    def push(self, fault: Fault) -> None:
        """Queue `fault` after those already waiting."""
        with self._lock:
            self._entries.append([fault, fault.times])

    def clear(self) -> None:
        """Forget every fault."""
        with self._lock:
            self._entries.clear()

    def take(self, path: str) -> Fault | None:
        """The first fault matching `path`, using up one of its uses; None when none matches."""
        with self._lock:
            for index, entry in enumerate(self._entries):
                fault, remaining = entry
                if not fault.matches(path):
                    continue
                if remaining is not None:
                    if remaining <= 1:
                        del self._entries[index]
                    else:
                        entry[1] = remaining - 1
                return fault
            return None

    def pending(self) -> list[tuple[Fault, int | None]]:
        """The waiting faults with their remaining uses (None: until cleared)."""
        with self._lock:
            return [(fault, remaining) for fault, remaining in self._entries]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
