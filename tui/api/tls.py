"""The trust store for HTTPS, loaded on another thread while the rest starts.

Loading the certificate authorities takes about 20 ms, in C code that lets other
Python threads run: started early, it costs the start nothing. The context is the one
httpx would make itself (`httpx.create_ssl_context`: certifi's authorities, or
`SSL_CERT_FILE` / `SSL_CERT_DIR` when set).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

_loading: Future[ssl.SSLContext] | None = None
_lock = threading.Lock()


def preload_trust_store() -> None:
    """Start loading the trust store on a daemon thread (once per process)."""
    global _loading
    with _lock:
        if _loading is not None:
            return
        future: Future[ssl.SSLContext] = Future()
        _loading = future

    def load() -> None:
        try:
            import httpx

            future.set_result(httpx.create_ssl_context())
        except BaseException as error:
            future.set_exception(error)

    threading.Thread(target=load, name="trust-store", daemon=True).start()


def uses_tls(base_url: str, proxy_url: str | None = None) -> bool:
    """True when a request to `base_url` through `proxy_url` (None: directly) may open a
    TLS connection: an https:// exchange, or any exchange through an https:// proxy."""
    return any(url.lower().startswith("https://") for url in (base_url, proxy_url) if url)


def verify_for(base_url: str, proxy_url: str | None = None) -> ssl.SSLContext | bool:
    """What httpx checks TLS with for requests to `base_url` through `proxy_url`.

    The trust store (`trust_store`) when a connection may use TLS. Else (plain http:// to
    this computer, or with --insecure, and no https:// proxy) a context that trusts no
    authority: no certificates are loaded for connections that never use TLS (about
    20 ms of CPU), and should one use TLS after all, its verification fails: it is never
    left unchecked.
    """
    if uses_tls(base_url, proxy_url):
        return trust_store()
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, and trusts nobody


def trust_store() -> ssl.SSLContext | bool:
    """The trust store: the preloaded context, else made now (once per process).

    Always `httpx.create_ssl_context`'s, which honours `SSL_CERT_FILE` and `SSL_CERT_DIR`
    (a company's own authority): the app's client must trust what the prefetch child
    trusted, which httpx's own default would not (the client reads no environment).
    True (httpx makes its own) only when making it failed."""
    preload_trust_store()  # (nothing when preloaded already)
    future = _loading
    assert future is not None
    try:
        return future.result()
    except Exception:
        return True  # httpx tries again itself, and reports what is wrong
