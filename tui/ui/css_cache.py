"""Textual's parsed stylesheets, kept between runs so that a start need not parse them.

At every start Textual tokenises and parses each stylesheet it uses (the app's file,
and the DEFAULT_CSS of every widget class on screen, its own included): about 18 ms of
CPU before the first frame on a small machine, the same work with the same result each
time (README, Performance). A run's parsed rules are kept in a file in the platform's
cache folder, and the next start puts them into its new stylesheet's own parse cache
before the first parse, under Textual's own keys. Those keys hold each stylesheet's
whole text, so a stylesheet that changed simply misses and is parsed as before.

The file is used only when it was made by the same Python and the same Textual files
(an upgrade makes a new one) for the same theme variables: a theme restored at start
changes them, and those starts parse as before. Anything wrong with the file (missing,
damaged, too large, from another version, writable by another user) means a normal
parse, never an error. It holds no secret: only CSS, as Textual parsed it. It is a
pickle, and whoever can write a pickle can run code as the one who reads it: so it is
read only when this user owns it and no one else can write to it or its folder, as
the user's own config file is trusted.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.css.stylesheet import Stylesheet

#: Bumped when what the file holds changes shape.
FORMAT = 1
#: A file larger than this is not one of ours (ours: about 40 KB).
MAX_BYTES = 4 * 1024 * 1024
#: Textual's parser and the modules whose classes the parsed rules are made of: when any
#: of these files changed (an upgrade writes new ones), the kept rules are not used.
MADE_OF = (
    "css/parse.py",
    "css/tokenize.py",
    "css/tokenizer.py",
    "css/model.py",
    "css/styles.py",
    "css/scalar.py",
    "css/_styles_builder.py",
    "color.py",
    "geometry.py",
)


def cache_path() -> Path:
    """`css-rules.pickle` in the platform's cache folder (~/.cache/wallet-tui on Linux)."""
    import platformdirs

    from tui.config.settings import APP_NAME

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "css-rules.pickle"


def textual_files() -> tuple[tuple[str, int, int, int], ...]:
    """Path, inode, size and modification time (ns) of each of Textual's `MADE_OF` files."""
    import textual

    root = Path(textual.__file__).parent
    stamps = []
    for name in MADE_OF:
        try:
            found = os.stat(root / name)
        except OSError:
            stamps.append((name, 0, 0, 0))
        else:
            stamps.append((name, found.st_ino, found.st_size, found.st_mtime_ns))
    return tuple(stamps)


class CssRuleCache:
    """The parsed rules of one file (`path`), between a stylesheet and the disk.

    `fill` before the stylesheet's first parse, `save` once it has parsed (the app: a
    few seconds after its first frame, and when it ends). Neither raises: a cache that
    cannot be read or written only means Textual parses, as it would without one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        #: Textual's keys of the rules the file holds (as read, or as last written).
        self._kept: frozenset[tuple[Any, ...]] = frozenset()

    def fill(self, stylesheet: Stylesheet) -> int:
        """Put the kept rules into `stylesheet`'s parse cache; the number of stylesheets
        they cover (0: none usable, Textual parses them all)."""
        parse_cache = getattr(stylesheet, "_parse_cache", None)
        if parse_cache is None or not hasattr(parse_cache, "set"):
            return 0  # another Textual, keeping its parses another way
        payload = self._read()
        if not isinstance(payload, dict) or payload.get("made_by") != self._made_by(stylesheet):
            return 0
        rules = payload.get("rules")
        if not isinstance(rules, dict) or not all(
            isinstance(key, tuple) and isinstance(value, list) for key, value in rules.items()
        ):
            return 0
        for key, value in rules.items():
            parse_cache.set(key, value)
        self._kept = frozenset(rules)
        return len(rules)

    def save(self, stylesheet: Stylesheet) -> bool:
        """Keep `stylesheet`'s parsed rules for the next start, when it holds any the file
        lacks; True when the file was written."""
        parse_cache = getattr(stylesheet, "_parse_cache", None)
        if parse_cache is None or not hasattr(parse_cache, "keys"):
            return False
        keys = frozenset(parse_cache.keys())
        if not keys or keys <= self._kept:
            return False
        rules = {key: parse_cache.get(key) for key in keys}
        payload = {"made_by": self._made_by(stylesheet), "rules": rules}
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # (a Textual whose rules cannot be pickled: nothing to keep)
            return False
        if len(data) > MAX_BYTES or not self._write(data):
            return False
        self._kept = keys
        return True

    @staticmethod
    def _made_by(stylesheet: Stylesheet) -> tuple[object, ...]:
        """What the rules depend on besides each stylesheet's text (which is in the keys)."""
        variables = getattr(stylesheet, "_variables", None)
        return (FORMAT, sys.version, textual_files(), dict(variables or {}))

    def _read(self) -> object:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as file:
                found = os.fstat(file.fileno())
                if not (stat.S_ISREG(found.st_mode) and _trusted(found, self.path.parent)):
                    return None
                if found.st_size > MAX_BYTES:
                    return None
                data = file.read(MAX_BYTES + 1)
        except OSError:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # damaged, or made of classes this Textual no longer has
            return None

    def _write(self, data: bytes) -> bool:
        """Write the file whole or not at all (a reader never sees half of it)."""
        folder = self.path.parent
        temporary = folder / f".{self.path.name}.{os.getpid()}.tmp"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()
            return False
        return True


def _trusted(found: os.stat_result, folder: Path) -> bool:
    """True when the file and its folder belong to this user and no one else can write
    to them (always on a system without user ids)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    try:
        folder_found = os.stat(folder)
    except OSError:
        return False
    writable_by_others = stat.S_IWGRP | stat.S_IWOTH
    return all(
        entry.st_uid == getuid() and not entry.st_mode & writable_by_others
        for entry in (found, folder_found)
    )
