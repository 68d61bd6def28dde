"""The dashboard's first balance request, made by a forked process while the UI starts.

Opening the dashboard means importing Textual and drawing (about 150 ms on a small
machine); its first answer means importing httpx and its transport (about 80 ms), a
round trip and a parse. One after the other, the balances would show up long after the
first frame. So when an API key comes from the environment (no login screen to wait
for), `wallet-tui` forks before it imports anything heavy: the child makes the request
with the same client code on another core, sends the parsed snapshot back through a
pipe and exits, and the dashboard takes that as its first answer.

The prefetch only ever saves time. When the request fails (a refused key, a network
error, a bad answer), the child sends the error instead, and the app reports it as it
reports its own requests' errors; when the child cannot start (no `fork`: Windows, or
macOS, where forking a process is unsafe once system libraries are loaded; threads
already running) or dies, the app makes the request itself. The child holds the key
only in memory, as the parent does, and never touches the terminal.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

# The client's modules, here rather than in the child: the app needs them too, and a
# child forked after they are loaded does not load them again (less CPU while the two
# start side by side).
from tui.api.auth import ApiKeyAuth
from tui.api.errors import KunaError
from tui.api.models import BalanceSnapshot
from tui.config.settings import Secrets, Settings, plain_http_refusal
from tui.startup.connect import make_client

if TYPE_CHECKING:
    import asyncio

#: A pickled snapshot of 5,000 assets is about 2 MB; anything larger is not ours.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 20


class Prefetch:
    """A balance request under way in a child process.

    `poll()` takes the balances if they have arrived, without waiting; `result()` waits
    for the answer without blocking the event loop, and raises the KunaError the
    child's request met. Either gives the answer once.
    """

    def __init__(
        self, pid: int, fd: int, wallet_id: str | None, assets: tuple[str, ...] | None
    ) -> None:
        self.pid = pid
        self.wallet_id = wallet_id
        self.assets = assets
        os.set_blocking(fd, False)
        self._fd: int | None = fd  # None once the child's answer is complete or dropped
        self._chunks: list[bytes] = []
        self._size = 0
        self._answer: object = None
        self._taken = False

    def __repr__(self) -> str:
        return f"Prefetch(pid={self.pid}, wallet_id={self.wallet_id!r})"

    def answers(self, wallet_id: str | None, assets: Sequence[str] | None) -> bool:
        """True when this is the request the caller is about to make."""
        return wallet_id == self.wallet_id and (tuple(assets) if assets else None) == self.assets

    @property
    def done(self) -> bool:
        """True once the child has finished (or the prefetch was cancelled).

        Asking reads whatever the child has sent so far.
        """
        return self._fd is None or self._read_available()

    def poll(self) -> BalanceSnapshot | None:
        """The balances if the child has sent them whole already, else None.

        An error the child met is left for `result()` to raise.
        """
        if self._taken or not self.done:
            return None
        answer = self._unpickled()
        if not isinstance(answer, BalanceSnapshot):
            return None
        self._taken = True
        return answer

    async def result(self) -> BalanceSnapshot | None:
        """The child's balances; None when it could not say (make the request yourself).

        Raises the KunaError the child's request met.
        """
        if self._taken:
            return None
        if not self.done:
            import asyncio

            loop = asyncio.get_running_loop()
            finished: asyncio.Future[None] = loop.create_future()
            fd = self._fd
            assert fd is not None
            loop.add_reader(fd, self._on_readable, finished)
            try:
                await finished
            finally:
                loop.remove_reader(fd)
                if self._fd is not None:  # cancelled while waiting
                    self.cancel()
        answer = self._unpickled() if not self._taken else None
        self._taken = True
        if isinstance(answer, KunaError):
            raise answer
        return answer if isinstance(answer, BalanceSnapshot) else None

    def cancel(self) -> None:
        """Stop the child if it is still at work (the app closes before it answered)."""
        if self._fd is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self._chunks.clear()
            self._close()
        self._taken = True

    def _on_readable(self, finished: asyncio.Future[None]) -> None:
        if self._read_available() and not finished.done():
            finished.set_result(None)

    def _read_available(self) -> bool:
        """Read what the pipe holds now; True once the child closed it (or sent too much)."""
        assert self._fd is not None
        while True:
            try:
                chunk = os.read(self._fd, _CHUNK)
            except BlockingIOError:
                return False
            if not chunk:
                self._close()
                return True
            self._chunks.append(chunk)
            self._size += len(chunk)
            if self._size > MAX_ANSWER_BYTES:
                self.cancel()
                return True

    def _close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)  # it has closed its end: it is exiting

    def _unpickled(self) -> object:
        """What the child sent (once it is all here): balances, a KunaError, or None."""
        if self._chunks:
            data = b"".join(self._chunks)
            self._chunks = []
            try:
                self._answer = pickle.loads(data)
            except Exception:
                self._answer = None
        return self._answer


def start_prefetch(settings: Settings, secrets: Secrets) -> Prefetch | None:
    """Fork a child that fetches the first balances, when that is possible and safe.

    None when it is not: no API key in the environment (the login screen comes first),
    the demo (its sandbox starts in this process), no base URL or one the client would
    refuse (the app reports it), no safe `fork`, or threads already running.
    """
    if not secrets.api_key or settings.demo or not settings.base_url or not _can_fork():
        return None
    if plain_http_refusal(settings.base_url, insecure=settings.insecure):
        return None
    wallet_id = settings.wallet_ids[0] if settings.wallet_ids else None
    assets = tuple(settings.assets) if settings.assets else None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _child(settings, secrets, wallet_id, assets, write_end)  # never returns
    os.close(write_end)
    return Prefetch(pid, read_end, wallet_id, assets)


def _can_fork() -> bool:
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    # Forking copies only the calling thread: a lock held by another one would stay
    # held in the child for ever.
    return threading.active_count() == 1


def _child(
    settings: Settings,
    secrets: Secrets,
    wallet_id: str | None,
    assets: tuple[str, ...] | None,
    fd: int,
) -> None:
    """Fetch, send the pickled balances or error, and exit at once."""
    code = 1
    try:
        # Never draw on the user's terminal or read from it, whatever happens here.
        devnull = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1, 2):
            os.dup2(devnull, stream)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        from tui.api.proxy import proxy_for
        from tui.api.tls import preload_trust_store, uses_tls

        proxy = proxy_for(settings.base_url)
        if uses_tls(settings.base_url, proxy.url if proxy else None):
            preload_trust_store()  # alongside the imports the request needs
        import asyncio

        answer: BalanceSnapshot | KunaError
        try:
            answer = asyncio.run(_fetch(settings, secrets, wallet_id, assets))
        except KunaError as error:
            answer = error  # for the app to report, as it reports its own requests' errors
        view = memoryview(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        while view:
            view = view[os.write(fd, view) :]
        code = 0
    except BaseException:
        pass  # the app gets nothing and asks the server itself
    finally:
        # Skip the parent's exit handlers and buffers: they are not the child's to run.
        os._exit(code)


async def _fetch(
    settings: Settings,
    secrets: Secrets,
    wallet_id: str | None,
    assets: tuple[str, ...] | None,
) -> BalanceSnapshot:
    assert secrets.api_key is not None
    async with make_client(settings, ApiKeyAuth(secrets.api_key)) as client:
        return await client.fetch_balances(wallet_id, assets)
