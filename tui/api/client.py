"""The async client for the Kuna Core API, on one shared keep-alive `httpx.AsyncClient`.

httpx is imported when the first request is made, not with this module: it and its
transport take longer to import than Textual takes to draw a frame, and the dashboard
can show its first answer before needing them (see `tui.startup.prefetch`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui import __version__
from tui.api.auth import ApiKeyAuth, Auth, PasswordAuth, Secret
from tui.api.errors import (
    AuthenticationError,
    KeyRejectedError,
    KunaError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    WalletNotFoundError,
)
from tui.api.models import BalanceSnapshot, DepositAddress, LoginTokens
from tui.api.proxy import ProxyChoice, proxy_for
from tui.api.redact import redact, register_secret
from tui.api.server_messages import error_message, error_messages
from tui.api.text import clean_text, seconds_text
from tui.api.tls import verify_for

if TYPE_CHECKING:
    import httpx

    from tui.api.deposits import DepositMethods
    from tui.api.login_body import LoginField
    from tui.api.operations import Operation, OperationFilter, OperationPage
    from tui.api.parse import ParsedAssets
    from tui.api.parse_operations import KnownOperations
    from tui.api.rates import Rates

#: Requests, answers and failures, for `--log FILE`: method, path, status, time, error.
#: Never headers or bodies, and the debug log's formatter masks secrets once more.
log = logging.getLogger("tui.api")

LOGIN_PATH = "/v2/auth/login"
BALANCE_PATH = "/v2/balance"
OPERATIONS_PATH = "/v2/operation/find"
OPERATION_DETAILS_PATH = "/v2/operation/details"
#: The page size asked of `/v2/operation/find` when none is given.
DEFAULT_PAGE_SIZE = 50
#: The most pages `all_operations` reads: a guard against a server that ignores `skip`.
MAX_PAGES = 1000
#: Log in again this many seconds before the token's `exp`, rather than risk a 401.
TOKEN_EXPIRY_MARGIN = 30.0

# Request bodies and headers may hold a Secret; it is revealed only in the expression
# that hands it to httpx, so no frame of ours ever holds the plain value as a local
# (Textual prints the locals of every frame when the app crashes).
_Body = dict[str, "str | int | list[str] | Secret"]
_Headers = dict[str, "str | Secret"]


@dataclass(frozen=True)
class Timeouts:
    """How long to wait, in seconds, to connect and then for the answer."""

    connect: float = 5.0
    read: float = 15.0

    def as_httpx(self) -> httpx.Timeout:
        """The same limits as httpx wants them (writes and pool waits as long as a read)."""
        import httpx

        return httpx.Timeout(connect=self.connect, read=self.read, write=self.read, pool=self.read)


class KunaClient:
    """Talks to one exchange with one set of credentials.

    In password mode the client logs in by itself: before the first call, shortly
    before the token's expiry, and once more when a call answers 401, so an expired
    token never reaches the user. Use as `async with KunaClient(...) as client:`.
    """

    def __init__(
        self,
        base_url: str,
        auth: Auth,
        *,
        timeouts: Timeouts | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.timeouts = timeouts or Timeouts()
        self._clock = clock
        self._tokens: LoginTokens | None = None
        #: When to log in again ahead of the token's expiry (None: only on a 401).
        self._renew_at: float | None = None
        self._login_lock = asyncio.Lock()
        #: The last answer's assets: what did not change is not parsed again (made with
        #: the first answer: the parser's modules load with it).
        self._known_assets: ParsedAssets | None = None
        #: The last rates answer (charset, body, parsed): the same body again gives the
        #: very same Rates, so nothing downstream values the wallet again.
        self._last_rates: tuple[str | None, bytes, Rates] | None = None
        #: The last operations page: operations sent as before are not parsed again
        #: (made with the first page: the operations' modules load with it).
        self._known_operations: KnownOperations | None = None
        self._transport = transport
        self._http_client: httpx.AsyncClient | None = None
        #: The proxy requests go through (never for loopback; None: directly).
        self.proxy: ProxyChoice | None = None if transport is not None else proxy_for(base_url)

    def __repr__(self) -> str:
        return f"KunaClient({self.base_url!r}, mode={self.auth.mode!r})"

    async def __aenter__(self) -> KunaClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._http_client is not None:
            await self._http_client.aclose()

    @property
    def _http(self) -> httpx.AsyncClient:
        """The connection pool, made at the first request."""
        if self._http_client is None:
            import httpx

            proxy = self._proxy_url()
            self._http_client = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self.timeouts.as_httpx(),
                transport=self._transport,
                verify=verify_for(self.base_url, proxy),
                # The proxy is chosen by `tui.api.proxy` (never for loopback), and no
                # .netrc password is added to our requests: nothing from the
                # environment but what we read ourselves.
                trust_env=False,
                proxy=proxy,
                follow_redirects=False,
                headers={
                    "accept": "application/json",
                    "content-type": "application/json",
                    "user-agent": f"wallet-tui/{__version__}",
                },
            )
        return self._http_client

    @property
    def logged_in(self) -> bool:
        """True once a token is held (password mode); always True with an API key."""
        return isinstance(self.auth, ApiKeyAuth) or self._tokens is not None

    def _proxy_url(self) -> str | None:
        """The chosen proxy's URL for httpx; NetworkError naming it when it is unusable."""
        if self.proxy is None:
            return None
        import httpx

        try:
            if not httpx.Proxy(self.proxy.url).url.host:
                raise ValueError("no host")
        except Exception as exc:  # InvalidURL, ValueError for an unknown scheme...
            raise NetworkError(
                f"Invalid proxy URL in {self.proxy.source} ({self.proxy.shown}): {_reason(exc)}"
            ) from None
        return self.proxy.url

    async def login(self) -> LoginTokens:
        """`POST /v2/auth/login`: exchange email and password for a JWT, kept in memory.

        The body is the documented `{"token": email, "password"}`. Only when the server
        answers 400/422 saying that field is wrong is `{"email", "password"}` tried,
        once; the field that worked is remembered for this exchange (`tui.api.login_body`).
        """
        if not isinstance(self.auth, PasswordAuth):
            raise TypeError("login() needs email and password credentials")
        # Imported at the first login: an API key (the usual start) never needs it.
        from tui.api.login_body import LoginField, login_field_rejected, remember_login_field

        async with self._login_lock, self._async_logging_failure(LOGIN_PATH):
            field = LoginField.for_exchange(self.base_url)
            response = await self._login_post(field)
            if response.status_code in (400, 422) and login_field_rejected(
                error_messages(response.content, response.charset_encoding)
            ):
                other = field.other
                retried = await self._login_post(other)
                if not (
                    retried.status_code in (400, 422)
                    and login_field_rejected(
                        error_messages(retried.content, retried.charset_encoding)
                    )
                ):
                    # The other field was understood: keep it, even if the login
                    # itself failed (a wrong password is not the field's fault).
                    remember_login_field(self.base_url, other)
                    response = retried
            if response.status_code in (400, 401, 403, 422):
                reason = _server_reason(response) or "wrong email, password or merchant ID"
                raise AuthenticationError(f"Login failed: {reason}", status=response.status_code)
            self._raise_for_status(response)
            from tui.api.parse import parse_login_response  # (loaded with the answer)

            tokens = parse_login_response(response.content, response.charset_encoding)
            # Known from now on: masked wherever they might turn up (logs, messages).
            register_secret(tokens.access_token)
            if tokens.refresh_token:
                register_secret(tokens.refresh_token)
            self._tokens = tokens
            self._renew_at = _renewal_time(tokens.expires_at, self._clock())
            return tokens

    async def fetch_balances(
        self, wallet_id: str | None = None, assets: Sequence[str] | None = None
    ) -> BalanceSnapshot:
        """`POST /v2/balance`: every asset of the wallet (or just `assets`), parsed whole."""
        body: _Body = {}
        if wallet_id:
            body["walletId"] = wallet_id
        if assets:
            body["assets"] = list(assets)
        with self._logging_failure(BALANCE_PATH):
            try:
                response = await self._authorized_post(BALANCE_PATH, body)
            except NotFoundError as error:
                if wallet_id and "wallet" in (error.reason or "").lower():
                    # The endpoint is there; the wallet is not.
                    raise WalletNotFoundError(
                        f"Wallet not found: {clean_text(wallet_id)} "
                        "(check --wallet-id or the config's [[wallets]])",
                        error.url,
                        wallet_id,
                    ) from None
                raise
            # The parser, at the first answer: the dashboard's first one is the prefetch
            # child's, parsed there; the app's own first answer comes after its first frame.
            from tui.api.parse import ParsedAssets, parse_balance_response

            if self._known_assets is None:
                self._known_assets = ParsedAssets()
            return parse_balance_response(
                response.content,
                wallet_id=wallet_id,
                known=self._known_assets,
                charset=response.charset_encoding,
            )

    @asynccontextmanager
    async def _async_logging_failure(self, path: str) -> AsyncIterator[None]:
        """`_logging_failure` for an `async with` (the login's lock)."""
        with self._logging_failure(path):
            yield

    @contextmanager
    def _logging_failure(self, path: str) -> Iterator[None]:
        """Log any KunaError raised in the block with its class and message (`--log`)."""
        try:
            yield
        except KunaError as error:
            log.debug("POST %s failed: %s: %s", self._url(path), type(error).__name__, error)
            raise

    def _url(self, path: str) -> str:
        """The full URL of an endpoint, as httpx builds it from the base URL."""
        return self.base_url + path

    async def fetch_deposit_methods(self, asset: str) -> DepositMethods:
        """`POST /v2/deposit/pre-request`: the deposit methods of `asset`, one per source.

        The body is `{"asset": ...}` only: the page documents no wallet field, and a
        strict server refuses unknown fields. See `tui.api.deposits` for the answer.
        """
        from tui.api.deposits import PRE_REQUEST_PATH, parse_deposit_methods

        response = await self._authorized_post(PRE_REQUEST_PATH, {"asset": asset})
        return parse_deposit_methods(response.content, asset)

    async def deposit_address(
        self, asset: str, source: str, wallet_id: str | None = None
    ) -> DepositAddress:
        """`POST /v2/deposit/address`: get, or generate once, the address of `asset` on `source`.

        Asking again with the same arguments gives the same address (the endpoint's
        promise), so a retry after a lost answer generates nothing new.
        """
        from tui.api.deposits import ADDRESS_PATH, parse_deposit_address

        body: _Body = {"asset": asset, "source": source}
        if wallet_id:
            body["walletId"] = wallet_id
        response = await self._authorized_post(ADDRESS_PATH, body)
        return parse_deposit_address(response.content, asset, source)

    async def find_operations(
        self,
        filters: OperationFilter | None = None,
        *,
        skip: int = 0,
        take: int = DEFAULT_PAGE_SIZE,
    ) -> OperationPage:
        """`POST /v2/operation/find?skip=&take=`: one page of operations, parsed whole.

        `filters` go in the body (`type`, `status`, `walletId`, `sourceAsset`...);
        the order is the server's (the UI sorts newest first).
        """
        # The operations' types and parser are imported at the first call: the
        # dashboard's first frame needs none of them (README, Performance).
        from tui.api.operations import OperationFilter
        from tui.api.parse_operations import KnownOperations, parse_operations_response

        if skip < 0 or take < 1:
            raise ValueError("skip must be >= 0 and take >= 1")
        body: _Body = dict((filters or OperationFilter()).body())
        response = await self._authorized_post(f"{OPERATIONS_PATH}?skip={skip}&take={take}", body)
        if self._known_operations is None:
            self._known_operations = KnownOperations()
        return parse_operations_response(
            response.content, self._known_operations, response.charset_encoding
        )

    async def all_operations(
        self, filters: OperationFilter | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> list[Operation]:
        """Every matching operation, paging through `skip`/`take` until an empty page or
        the server's `total` says it is done. A short page is not taken for the end: a
        server may serve fewer than asked per page. An id met twice (a new operation
        shifted the pages while reading) is kept once."""
        found: dict[str, Operation] = {}
        skip = 0
        for _ in range(MAX_PAGES):
            page = await self.find_operations(filters, skip=skip, take=page_size)
            for operation in page:
                found.setdefault(operation.id, operation)
            skip += len(page)
            if not page or (page.total is not None and skip >= page.total):
                break
        return list(found.values())

    async def operation_details(self, operation: Operation | str) -> Operation | None:
        """`POST /v2/operation/details` with `{"id"}`: the operation in full, or None
        when the server does not know it. A numeric id is sent back as a number."""
        from tui.api.operations import Operation
        from tui.api.parse_operations import parse_operation_details_response

        sent = operation.sent_id if isinstance(operation, Operation) else operation
        response = await self._authorized_post(OPERATION_DETAILS_PATH, {"id": sent})
        wanted = operation.id if isinstance(operation, Operation) else operation
        found = parse_operation_details_response(response.content, response.charset_encoding)
        return next((op for op in found if op.id == wanted), found[0] if found else None)

    async def fetch_rates(self) -> Rates:
        """`GET /v2/rate/equivalent`: one unit of every asset in every quote currency.

        A body identical to the last one (byte for byte, same charset) is not decoded
        again: the last Rates object is returned, the very same one, which the grid and
        the wallet's total know by identity (about 30 ms of CPU saved per answer of
        2,000 assets, the usual case when the market did not move between two calls).
        Raises BadResponseError for a bad body (the last good Rates is kept).
        """
        # Imported at the first call: the rates feed starts after the first balances.
        from tui.api.rates import RATES_PATH, parse_rates_response

        response = await self._authorized_post(RATES_PATH, None, method="GET")
        body, charset = response.content, response.charset_encoding
        last = self._last_rates
        if last is not None and last[0] == charset and last[1] == body:
            return last[2]
        rates = parse_rates_response(body, charset)
        self._last_rates = (charset, body, rates)
        return rates

    async def _authorized_post(
        self, path: str, body: _Body | None, *, method: str = "POST"
    ) -> httpx.Response:
        """A private call (POST with a JSON body; GET with `body` None), logged in as needed."""
        fresh_login = False
        if isinstance(self.auth, PasswordAuth) and self._token_stale():
            await self.login()
            fresh_login = True
        response = await self._post(path, body, headers=self._auth_headers(), method=method)
        if response.status_code == 401 and isinstance(self.auth, PasswordAuth) and not fresh_login:
            # The token expired or was revoked: log in again once, silently, and retry.
            self._tokens = None
            await self.login()
            response = await self._post(path, body, headers=self._auth_headers(), method=method)
        if response.status_code in (401, 403):
            reason = _server_reason(response)
            key = isinstance(self.auth, ApiKeyAuth)
            what = "The API key was rejected" if key else "Not authorised"
            raise (KeyRejectedError if key else AuthenticationError)(
                f"{what}: {reason}" if reason else f"{what} ({response.status_code})",
                status=response.status_code,
            )
        self._raise_for_status(response)
        return response

    async def _login_post(self, field: LoginField) -> httpx.Response:
        from tui.api.login_body import login_body  # (loaded by `login`)

        assert isinstance(self.auth, PasswordAuth)
        auth = self.auth
        return await self._post(
            LOGIN_PATH,
            login_body(field, auth.email, auth.password),
            headers={"merchant_id": auth.merchant_id},
        )

    def _token_stale(self) -> bool:
        if self._tokens is None:
            return True
        return self._renew_at is not None and self._clock() >= self._renew_at

    def _auth_headers(self) -> _Headers:
        if isinstance(self.auth, ApiKeyAuth):
            return {"api-key": self.auth.key}
        assert self._tokens is not None
        return {"authorization": Secret(f"Bearer {self._tokens.access_token}")}

    async def _post(
        self, path: str, body: _Body | None, headers: _Headers, *, method: str = "POST"
    ) -> httpx.Response:
        import httpx

        started = time.monotonic()
        try:
            response = await self._http.request(
                method,
                path,
                content=None if body is None else _encode_body(body),
                headers=_reveal_headers(headers),
            )
        except NetworkError as error:  # an unusable proxy, found as the pool was made
            log.debug("POST %s failed: NetworkError: %s", path, error.message)
            raise
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            error = self._network_error(exc)
            log.debug(
                "%s %s: no answer after %.0f ms (%s)",
                method,
                self._url(path),
                _ms_since(started),
                type(exc).__name__,
            )
            raise error from None
        except Exception as exc:
            # A bug below us (httpx, a transport). Its frames hold the request's headers
            # and body as plain locals, so its traceback must never be printed (Textual
            # prints every frame's locals): log it, masked, and raise a bare error.
            log.debug(
                "%s %s crashed: %s", method, self._url(path), type(exc).__name__, exc_info=True
            )
            reason = _reason(exc)
            what = type(exc).__name__
            raise KunaError(
                f"Request failed unexpectedly: {what}" + (f": {reason}" if reason != what else "")
            ) from None
        log.debug(
            "%s %s -> %d %s in %.0f ms (%d bytes)",
            method,
            self._url(path),
            response.status_code,
            _status_phrase(response.status_code),
            _ms_since(started),
            len(response.content),
        )
        return response

    def _network_error(self, exc: httpx.HTTPError | httpx.InvalidURL) -> NetworkError:
        """What a transport failure means to the user (the host is named, never a secret)."""
        import httpx

        try:
            host = httpx.URL(self.base_url).host or self.base_url
        except httpx.InvalidURL:
            host = self.base_url
        if isinstance(exc, httpx.InvalidURL):
            return NetworkError(f"Invalid base URL {self.base_url!r}: {_reason(exc)}")
        # Through a proxy, a failure may be the proxy's: name it (never its password).
        via = f" through {self.proxy.describe()}" if self.proxy is not None else ""
        if isinstance(exc, httpx.ProxyError):
            return NetworkError(f"Cannot reach {host}{via}: {_reason(exc)}")
        if isinstance(exc, httpx.ConnectTimeout):
            return NetworkError(
                f"Could not connect to {host}{via} within {seconds_text(self.timeouts.connect)} s"
            )
        if isinstance(exc, httpx.TimeoutException):
            return NetworkError(
                f"{host} did not answer{via} within {seconds_text(self.timeouts.read)} s"
            )
        if isinstance(exc, httpx.ConnectError):
            return NetworkError(f"Cannot connect to {host}{via}: {_reason(exc)}")
        if isinstance(exc, httpx.TransportError):
            return NetworkError(f"Connection to {host}{via} failed: {_reason(exc)}")
        return NetworkError(f"Request to {host}{via} failed: {_reason(exc)}")

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        from tui.api.retry_after import parse_retry_after  # (only for a refusal)

        wait = parse_retry_after(response.headers.get("retry-after"), self._clock())
        retry_after = wait.seconds if wait is not None else None
        reason = _server_reason(response)
        phrase = _status_phrase(status)
        if status == 429:
            # The wait is not in the message: the dashboard counts it down beside it, and
            # a second, frozen count would contradict the first. A capped wait is said.
            capped = f" ({wait.cap_note()})" if wait is not None and wait.capped else ""
            raise RateLimitedError(
                f"Rate limited by the server{capped}" + (f": {reason}" if reason else ""),
                retry_after=retry_after,
            )
        if reason is None and _looks_like_html(response):
            reason = "HTML error page from a proxy"
        if reason is not None and reason.lower() == phrase.lower():
            reason = None  # "500 Internal Server Error: Internal Server Error" says it twice
        if 300 <= status < 400:
            reason = reason or f"redirect to {clean_text(response.headers.get('location', '?'))}"
        detail = f": {reason}" if reason else ""
        if status == 404:
            # A wrong path prefix in the base URL answers every request so, for ever.
            url = redact(clean_text(str(response.request.url)))
            raise NotFoundError(
                f"Not found (404) at {url}{detail}: check --base-url (the exchange's API root)",
                url,
                reason,
            )
        said = f" ({wait.cap_note()})" if wait is not None and wait.capped else ""
        raise ServerError(f"Server error {status} {phrase}{detail}{said}", status, retry_after)


def _renewal_time(expires_at: float | None, now: float) -> float | None:
    """When to renew a token: TOKEN_EXPIRY_MARGIN before it expires, or a quarter of its
    lifetime before for short-lived tokens, so that a 20-second token is not renewed on
    every request."""
    if expires_at is None:
        return None
    lifetime = max(0.0, expires_at - now)
    return expires_at - min(TOKEN_EXPIRY_MARGIN, lifetime / 4)


def _status_phrase(status: int) -> str:
    # Imported for a failed request's phrase (httpx loads it anyway): not at start-up.
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _looks_like_html(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "")
    return "html" in kind or response.content.lstrip()[:1] == b"<"


def _reason(exc: Exception) -> str:
    text = redact(clean_text(str(exc))).strip()
    return text[:200] if text else type(exc).__name__


def _server_reason(response: httpx.Response) -> str | None:
    """The server's own explanation, with any credential it echoed back masked."""
    reason = error_message(response.content, response.charset_encoding)
    return redact(reason) if reason else None


def _encode_body(body: _Body) -> bytes:
    """`body` as compact UTF-8 JSON (as httpx's `json=` makes it), secrets revealed."""
    import json  # (the first request with a body comes after the first frame)

    return json.dumps(
        body, default=_reveal, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def _reveal(value: object) -> str:
    if isinstance(value, Secret):
        return value.reveal()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _reveal_headers(headers: _Headers) -> dict[str, str]:
    return {k: v.reveal() if isinstance(v, Secret) else v for k, v in headers.items()}


def _ms_since(started: float) -> float:
    return (time.monotonic() - started) * 1000
