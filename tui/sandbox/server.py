"""Serving the sandbox over real HTTP with uvicorn: in a background thread, or standalone.

`start_in_background` is for `wallet-tui --demo` and the tests: it runs inside a
full-screen terminal app, so it prints nothing at all. `serve` is `wallet-tui sandbox`:
it prints how to connect and logs requests to stderr until Ctrl-C.
"""

from __future__ import annotations

import copy
import errno
import ipaddress
import logging
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from tui.cli.exit_codes import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from tui.sandbox import DEFAULT_PORT
from tui.sandbox.app import create_app
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import (
    DEMO_API_KEY,
    DEMO_EMAIL,
    DEMO_MERCHANT_ID,
    DEMO_PASSWORD,
    DemoExchange,
)

#: How long `start_in_background` waits for the server to listen.
STARTUP_TIMEOUT = 10.0
#: How long a stop waits for requests in flight (a "slow" fault) before cutting them off.
SHUTDOWN_GRACE = 1.0


def _loopback_family(host: str) -> tuple[socket.AddressFamily, str]:
    """The socket family and literal address for a loopback `host`; ValueError otherwise."""
    if host == "localhost":
        return socket.AF_INET, "127.0.0.1"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        raise ValueError(f"the sandbox only listens on loopback, not {host!r}") from None
    if not address.is_loopback:
        # The control endpoints have no authentication: never expose them to a network.
        raise ValueError(f"the sandbox only listens on loopback, not {host!r}")
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    return family, str(address)


def _bind(host: str, port: int) -> tuple[socket.socket, str]:
    """A listening socket on loopback and the base URL that reaches it."""
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be 0 to 65535, got {port}")
    family, literal = _loopback_family(host)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if sys.platform != "win32":
            # Restarting right after a stop must not fail on TIME_WAIT; on Windows this
            # option would let two servers share the port, so it is left off there.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((literal, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    bound_port = sock.getsockname()[1]
    shown = f"[{literal}]" if family == socket.AF_INET6 else literal
    return sock, f"http://{shown}:{bound_port}"


def _silence_uvicorn() -> None:
    # With log_config=None uvicorn installs no handler; a record reaching a handler-less
    # root would go to logging.lastResort, i.e. stderr, and scribble over the TUI.
    # A NullHandler (the standard library-logger etiquette) stops that.
    logger = logging.getLogger("uvicorn")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


@dataclass
class RunningSandbox:
    """A sandbox served in a background thread; `stop()` (or leaving the `with`) ends it."""

    url: str
    exchange: DemoExchange
    faults: FaultPlan
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self, timeout: float = 5.0) -> None:
        """Shut the server down gracefully and wait for its thread."""
        self._server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout)

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_in_background(
    *,
    seed: int = 7,
    host: str = "127.0.0.1",
    port: int = 0,
    token_ttl: float = 3600.0,
    moving: bool = True,
    tick_seconds: float = 3.0,
) -> RunningSandbox:
    """Serve a fresh demo exchange on loopback from a daemon thread, silently.

    Port 0 picks a free port; the socket is bound before this returns, so the URL is
    known and connections made at once are queued. Raises ValueError for a host that is
    not loopback, OSError when the port is taken, RuntimeError when the server fails.
    """
    exchange = DemoExchange(seed=seed, tick_seconds=tick_seconds, moving=moving)
    plan = FaultPlan()
    app = create_app(exchange, plan, token_ttl=token_ttl)
    sock, url = _bind(host, port)
    _silence_uvicorn()
    config = uvicorn.Config(
        app,
        log_config=None,
        log_level="critical",
        access_log=False,
        lifespan="off",
        ws="none",  # no websockets: also avoids the websockets package's deprecation warnings
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
    server = uvicorn.Server(config)
    failure: list[BaseException] = []

    def run() -> None:
        # Catch everything: an uncaught error would reach threading.excepthook and stderr.
        try:
            server.run(sockets=[sock])
        except BaseException as error:
            failure.append(error)
        finally:
            sock.close()

    thread = threading.Thread(target=run, name="wallet-tui-sandbox", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(1.0)
            reason = f": {failure[0]!r}" if failure else ""
            raise RuntimeError(f"the sandbox server did not start{reason}")
        time.sleep(0.005)
    return RunningSandbox(url, exchange, plan, server, thread)


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    seed: int = 7,
    token_ttl: float = 3600.0,
    faults: list[str] | None = None,
    moving: bool = True,
    tick_seconds: float = 3.0,
) -> int:
    """Run the sandbox in the foreground (`wallet-tui sandbox`) until Ctrl-C; the exit code.

    Prints the URL, the demo credentials and a command to try, then logs each request
    to stderr. `faults` are spec strings (see tui.sandbox.faults) applied in order.
    """
    try:
        plan = FaultPlan([Fault.parse(spec) for spec in faults or ()])
        sock, url = _bind(host, port)
    except ValueError as error:  # an option that can never work: usage
        print(f"wallet-tui sandbox: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        # The port taken by another program (or not ours to take): the command is right
        # and may work later or on another port, as a refused connection may: 4, not 2.
        print(f"wallet-tui sandbox: {_listen_failure(host, port, error)}", file=sys.stderr)
        return EXIT_FAILURE
    exchange = DemoExchange(seed=seed, tick_seconds=tick_seconds, moving=moving)
    app = create_app(exchange, plan, token_ttl=token_ttl)
    print(
        f"Sandbox exchange listening on {url}\n"
        f"\n"
        f"  merchant id  {DEMO_MERCHANT_ID}\n"
        f"  email        {DEMO_EMAIL}\n"
        f"  password     {DEMO_PASSWORD}\n"
        f"  api key      {DEMO_API_KEY}\n"
        f"\n"
        f"Try:  WALLET_TUI_API_KEY={DEMO_API_KEY} wallet-tui balances --base-url {url}\n"
        f'Faults: POST {url}/sandbox/faults {{"spec": "500x3"}}; '
        f"DELETE {url}/sandbox/faults clears them.\n"
        f"Press Ctrl-C to stop.",
        flush=True,
    )
    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config["handlers"]["access"]["stream"] = "ext://sys.stderr"  # keep stdout for the URL
    config = uvicorn.Config(
        app, log_config=log_config, lifespan="off", ws="none", timeout_graceful_shutdown=1
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully, then re-raises the Ctrl-C it caught: that is the
        # normal way out here, not an error.
        pass
    finally:
        sock.close()
    return EXIT_OK


def _listen_failure(host: str, port: int, error: OSError) -> str:
    """Why the sandbox cannot listen on `host`:`port`, and what to do, in one line."""
    where = f"{host}:{port}"
    if error.errno == errno.EADDRINUSE:
        return f"cannot listen on {where}: the port is in use; choose another with --port"
    if error.errno == errno.EACCES:
        return (
            f"cannot listen on {where}: permission denied (ports below 1024 need privileges); "
            "choose another with --port"
        )
    return f"cannot listen on {where}: {error.strerror or error}"
