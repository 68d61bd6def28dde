"""Credentials, kept in memory only and hidden from every repr, log and traceback."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.api.redact import register_secret


class Secret:
    """A string that never shows itself: `repr`, `str` and f-strings print "***".

    Only `reveal()` gives the value, so a secret cannot reach a log or a traceback's
    locals by accident. Each value is also registered with `tui.api.redact`, so that
    it is masked even where it turns up as a plain string (a server echoing it back).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register_secret(value)

    def reveal(self) -> str:
        """The secret itself, for the one place that must send it."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return "***"

    def __reduce__(self) -> object:  # never pickled to disk
        raise TypeError("a Secret cannot be pickled")


@dataclass(frozen=True)
class ApiKeyAuth:
    """Authenticate every request with an `api-key` header."""

    key: Secret

    @property
    def mode(self) -> str:
        """A short name for the status bar."""
        return "API key"


@dataclass(frozen=True)
class PasswordAuth:
    """Log in with email and password (JWT); the password stays in memory for re-login."""

    merchant_id: str
    email: str
    password: Secret = field(repr=False)

    @property
    def mode(self) -> str:
        """A short name for the status bar."""
        return "JWT"


Auth = ApiKeyAuth | PasswordAuth
