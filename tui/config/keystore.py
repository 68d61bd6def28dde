"""Remember an API key in the operating system's keyring, one per exchange, if the user asks.

Only a real credential store counts: the macOS Keychain, the Windows Credential Locker,
the Secret Service (GNOME Keyring, KWallet) and the like. Where keyring finds none, or
only a backend that writes plain files (keyrings.alt), nothing is stored and the key
stays in memory, as every other secret does.

`keyring` is imported on first use, never at start-up: importing it and probing the
backends costs tens of milliseconds, and a D-Bus probe can cost more. Every method may
block (an unlock prompt, a slow D-Bus): call them off the UI thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.api.auth import Secret

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "wallet-tui"
UNAVAILABLE = "no system keyring found: the key is kept in memory only"
PLAINTEXT = "the keyring backend writes plain files: the key is kept in memory only"

log = logging.getLogger("tui.config.keystore")


class KeyStoreError(Exception):
    """The keyring refused an operation. The message never holds the key."""


@dataclass(frozen=True)
class KeyringStatus:
    """Whether keys can be remembered here and, when not, why not (for the login screen)."""

    available: bool
    reason: str = ""
    backend: str = ""


def account_for(base_url: str) -> str:
    """The keyring user name for an exchange: its host, port and path, lower-case.

    The scheme is left out (the http:// and https:// of one host are one account) and
    so is everything a base URL may not hold (credentials, query).
    """
    parts = urlsplit(base_url.strip())
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port else ""
    return f"api-key@{host}{port}{parts.path.rstrip('/')}"


def backend_status(backend: KeyringBackend) -> KeyringStatus:
    """Whether `backend` is a real system keyring."""
    from keyring.backends import chainer, fail, null

    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    if isinstance(backend, fail.Keyring | null.Keyring):
        return KeyringStatus(False, UNAVAILABLE, name)
    if type(backend).__module__.startswith("keyrings.alt"):
        # keyrings.alt keeps passwords in files (plain or weakly encrypted): not a keyring.
        return KeyringStatus(False, PLAINTEXT, name)
    if isinstance(backend, chainer.ChainerBackend):
        usable = [b for b in backend.backends if backend_status(b).available]
        return KeyringStatus(bool(usable), "" if usable else UNAVAILABLE, name)
    try:
        priority = float(backend.priority)
    except Exception:  # a backend that cannot tell is one that does not work here
        priority = 0.0
    if priority <= 0:
        return KeyringStatus(False, UNAVAILABLE, name)
    return KeyringStatus(True, "", name)


class KeyStore:
    """The keyring as wallet-tui uses it: load, save and forget one API key per exchange.

    Also remembers, in memory, which exchanges' keys it loaded or saved in this run,
    so that the login screen can show the "remember" box ticked for them.
    """

    def __init__(self) -> None:
        self._status: KeyringStatus | None = None
        self._lock = threading.Lock()
        self._remembered: set[str] = set()

    def status(self) -> KeyringStatus:
        """Whether a real keyring is there (probed once, then cached)."""
        with self._lock:
            if self._status is None:
                try:
                    import keyring

                    self._status = backend_status(keyring.get_keyring())
                except Exception as exc:  # a broken keyring install: treat as none
                    log.debug("keyring unavailable: %s", type(exc).__name__)
                    self._status = KeyringStatus(False, UNAVAILABLE)
                log.debug("keyring: %s", self._status)
            return self._status

    def remembers(self, base_url: str) -> bool:
        """True when this run loaded or saved the key of `base_url` (no keyring call)."""
        return account_for(base_url) in self._remembered

    def load(self, base_url: str) -> Secret | None:
        """The key remembered for `base_url`, or None (also when the keyring fails)."""
        if not self.status().available:
            return None
        import keyring

        account = account_for(base_url)
        try:
            value = keyring.get_password(SERVICE, account)
        except Exception as exc:
            # The class only: a backend's message is not ours to vouch for.
            log.debug("keyring: could not read %s: %s", account, type(exc).__name__)
            return None
        if not value:
            return None
        self._remembered.add(account)
        return Secret(value)

    def save(self, base_url: str, key: Secret) -> None:
        """Remember `key` for `base_url`; KeyStoreError when the keyring refuses."""
        if not self.status().available:
            raise KeyStoreError(self.status().reason)
        import keyring

        account = account_for(base_url)
        try:
            keyring.set_password(SERVICE, account, key.reveal())
        except Exception as exc:
            # from None: the backend's frames hold the key as a plain local.
            raise KeyStoreError(
                f"the keyring refused to store the key ({type(exc).__name__})"
            ) from None
        self._remembered.add(account)
        log.debug("keyring: stored the API key for %s", account)

    def forget(self, base_url: str) -> bool:
        """Remove the key of `base_url` from the keyring; True when there was one."""
        account = account_for(base_url)
        self._remembered.discard(account)
        if not self.status().available:
            return False
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, account)
        except PasswordDeleteError:
            return False  # nothing was stored
        except Exception as exc:
            raise KeyStoreError(
                f"the keyring refused to remove the key ({type(exc).__name__})"
            ) from None
        log.debug("keyring: removed the API key for %s", account)
        return True
