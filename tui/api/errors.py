"""What can go wrong when talking to the exchange, as a small hierarchy of exceptions.

Every message is readable by a user as it stands and never carries a secret: no
password, API key or token is ever put into an exception.
"""

from __future__ import annotations


class KunaError(Exception):
    """Base class: the request did not give a usable answer. `message` is user-facing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt whole (message, status, retry_after) when pickled: the start-up
        # prefetch sends the error its request met to the app (see tui.startup.prefetch).
        return (_rebuild, (type(self), self.message, dict(vars(self))))


def _rebuild(kind: type[KunaError], message: str, state: dict[str, object]) -> KunaError:
    error = kind.__new__(kind)
    KunaError.__init__(error, message)
    error.__dict__.update(state)
    return error


class AuthenticationError(KunaError):
    """The credentials were refused: wrong email or password, expired or rejected key."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class KeyRejectedError(AuthenticationError):
    """The API key was refused (401/403). Unlike a failed login, this may pass: a gateway's
    hiccup, a key re-enabled by the operator. The dashboard keeps its data and retries."""


class RateLimitedError(KunaError):
    """429 Too Many Requests (or 503 with Retry-After): wait `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerError(KunaError):
    """The server answered with an error status (4xx other than auth, or 5xx)."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

    @property
    def lasting(self) -> bool:
        """True when asking again will not help until a setting changes: a client error
        (4xx) other than a timeout (408), "too early" (425) or a rate limit (429)."""
        return 400 <= self.status < 500 and self.status not in (408, 425, 429)


class NotFoundError(ServerError):
    """404 from an endpoint: the base URL's path is wrong (or the endpoint is missing).

    `url` is the full URL asked for; the message names it and says to check --base-url.
    `reason` is the server's own words, if it gave any.
    """

    def __init__(self, message: str, url: str, reason: str | None = None) -> None:
        super().__init__(message, 404)
        self.url = url
        self.reason = reason


class WalletNotFoundError(NotFoundError):
    """The exchange does not know the wallet asked for (`walletId`, from --wallet-id)."""

    def __init__(self, message: str, url: str, wallet_id: str) -> None:
        super().__init__(message, url, "Wallet not found")
        self.wallet_id = wallet_id


class BadResponseError(KunaError):
    """The answer was not what the API promises: not JSON, wrong shape, a bad amount.

    The whole response is rejected; nothing of it is used.
    """


class NetworkError(KunaError):
    """The server could not be reached or did not answer in time."""


class EncryptedResponseError(BadResponseError):
    """The answer is a JWE: the operator encrypts API messages, which is not supported."""
