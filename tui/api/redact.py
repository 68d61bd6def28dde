"""Keep secrets out of text that leaves the program: logs, error messages, tracebacks.

Every credential the program learns (password, API key, access and refresh tokens)
is registered here as it becomes known; `redact` then replaces it wherever it shows
up, and also masks the shapes that carry credentials whatever their value:
`Authorization`/`api-key` headers, `Bearer` tokens and JSON password or token fields.
A server that echoes a key back in its error message cannot put it on screen either.
"""

from __future__ import annotations

import functools
import re
import threading

MASK = "***"
#: Shorter values are not registered: no real credential is this short, and masking
#: every "abc" in a message would garble it without protecting anything.
MIN_SECRET_CHARS = 4

_lock = threading.Lock()
_known: set[str] = set()
# Longest first, so that a secret containing another is masked whole; rebuilt on change.
_ordered: tuple[str, ...] = ()


@functools.cache
def _shapes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The credential-shaped fields: `Authorization`/`api-key` headers, `Bearer` tokens,
    JSON password or token fields. Compiled at the first `redact` (about 2 ms, which the
    dashboard's start-up need not pay: it redacts nothing before its first frame)."""
    header = re.compile(
        r"(?P<name>\b(?:authorization|proxy-authorization|api[-_]?key|x-api-key|cookie|set-cookie)"
        r"[\"']?\s*[:=]\s*[\"']?)(?P<value>(?:(?:Basic|Bearer|Digest|Token)\s+)?[^\s\"',}]+)",
        re.IGNORECASE,
    )
    bearer = re.compile(r"(?P<name>\bBearer\s+)(?P<value>[^\s\"',}]+)", re.IGNORECASE)
    json_field = re.compile(
        r"(?P<name>[\"']?\b(?:password|passwd|secret|api[-_]?key|access[-_]?token|accessToken"
        r"|refresh[-_]?token|refreshToken|token)\b[\"']?\s*[:=]\s*)"
        r"(?P<value>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^\s,}]+)",
        re.IGNORECASE,
    )
    return header, bearer, json_field


def register_secret(value: str) -> None:
    """Remember `value` as a secret to mask from now on (in this process only)."""
    global _ordered
    if len(value) < MIN_SECRET_CHARS or value in _known:
        return
    with _lock:
        _known.add(value)
        _ordered = tuple(sorted(_known, key=len, reverse=True))


def redact(text: str) -> str:
    """`text` with every registered secret and every credential-shaped field masked."""
    for secret in _ordered:
        if secret in text:
            text = text.replace(secret, MASK)
    header, bearer, json_field = _shapes()
    text = bearer.sub(lambda m: m["name"] + MASK, text)
    text = header.sub(lambda m: m["name"] + MASK, text)
    return json_field.sub(_mask_field, text)


def _mask_field(match: re.Match[str]) -> str:
    value = match["value"]
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match['name']}{quote}{MASK}{quote}"
