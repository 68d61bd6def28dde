"""Real HS256 JWTs for the sandbox's login, with nothing beyond the standard library.

The tokens are genuine three-part base64url JWTs, so a client reads their `exp` claim
exactly as it would a production token's. The secret is random per app: tokens from
one sandbox run are refused by the next.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

_HEADER = {"alg": "HS256", "typ": "JWT"}


class TokenError(Exception):
    """A token that was refused; `code` and `message` go into the 401 body."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _segment(value: dict[str, Any]) -> str:
    return _b64encode(json.dumps(value, separators=(",", ":"), sort_keys=True).encode())


class TokenSigner:
    """Issues and verifies access tokens against an injectable clock (`now`, Unix time)."""

    def __init__(
        self,
        ttl: float = 3600.0,
        now: Callable[[], float] = time.time,
        secret: bytes | None = None,
    ) -> None:
        self.ttl = ttl
        self._now = now
        self._secret = secret if secret is not None else secrets.token_bytes(32)

    def _signature(self, signing_input: str) -> str:
        digest = hmac.new(self._secret, signing_input.encode("ascii"), hashlib.sha256).digest()
        return _b64encode(digest)

    def issue(self, subject: str, merchant: str) -> str:
        """A signed token for `subject`, valid for `ttl` seconds from now."""
        issued = self._now()
        claims = {
            "sub": subject,
            "merchant": merchant,
            "iat": int(issued),
            "exp": int(issued + self.ttl),
        }
        signing_input = f"{_segment(_HEADER)}.{_segment(claims)}"
        return f"{signing_input}.{self._signature(signing_input)}"

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a valid, unexpired token; raises TokenError otherwise."""
        invalid = TokenError("INVALID_TOKEN", "Invalid access token")
        parts = token.split(".")
        if len(parts) != 3:
            raise invalid
        header_part, claims_part, signature = parts
        try:
            expected = self._signature(f"{header_part}.{claims_part}")
        except UnicodeEncodeError:
            raise invalid from None
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            raise invalid
        try:
            header = json.loads(_b64decode(header_part))
            claims = json.loads(_b64decode(claims_part))
        except (ValueError, binascii.Error):
            raise invalid from None
        if not isinstance(header, dict) or header.get("alg") != "HS256":
            raise invalid
        if not isinstance(claims, dict):
            raise invalid
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or isinstance(exp, bool):
            raise invalid
        if self._now() >= exp:
            raise TokenError("TOKEN_EXPIRED", "Access token expired")
        return claims
