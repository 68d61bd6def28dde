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
import io
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.css.stylesheet import Stylesheet

#: Bumped when what the file holds changes shape.
FORMAT = 2
#: A file larger than this is not one of ours (ours: about 70 KB).
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
    "css/constants.py",
    "css/transition.py",
    "css/_styles_builder.py",
    "color.py",
    "_color_constants.py",
    "_border.py",
    "_easing.py",
    "geometry.py",
    "layouts/vertical.py",
    "layouts/horizontal.py",
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

    The file holds two pickles: what the rules were made by (`_made_by`), read first so
    that a file made for something else costs next to nothing, then the rules by
    Textual's key.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        #: Textual's keys of the rules the file holds (as read, or as last written).
        self._kept: tuple[tuple[Any, ...], ...] = ()
        #: The theme variables `fill` saw: the ones the kept rules must be made for
        #: (None before a fill: those of the stylesheet saved).
        self._variables: dict[str, str] | None = None

    def fill(self, stylesheet: Stylesheet) -> int:
        """Put the kept rules into `stylesheet`'s parse cache; the number of stylesheets
        they cover (0: none usable, Textual parses them all)."""
        try:
            self._variables = dict(getattr(stylesheet, "_variables", None) or {})
            parse_cache = getattr(stylesheet, "_parse_cache", None)
            if parse_cache is None or not hasattr(parse_cache, "set"):
                return 0  # another Textual, keeping its parses another way
            rules = self._read(self._made_by(stylesheet))
            if not isinstance(rules, dict) or not all(
                isinstance(key, tuple) and isinstance(value, list) for key, value in rules.items()
            ):
                return 0
            for key, value in rules.items():
                parse_cache.set(key, value)
            self._kept = tuple(rules)
            return len(rules)
        except Exception:  # (a Textual whose parse cache works another way)
            return 0

    def save(self, stylesheet: Stylesheet) -> bool:
        """Keep `stylesheet`'s parsed rules for the next start, when it holds any the file
        lacks; True when the file was written.

        Nothing is written once the theme's variables differ from those `fill` saw (a
        theme restored at start, or chosen since): the next start begins with the same
        variables as this one did, and rules for others would only replace usable ones.
        """
        try:
            variables = dict(getattr(stylesheet, "_variables", None) or {})
            if self._variables is not None and self._variables != variables:
                return False
            rules = _worth_keeping(stylesheet)
            if not rules or set(rules) <= set(self._kept):
                return False
            data = pickle.dumps(self._made_by(stylesheet), protocol=pickle.HIGHEST_PROTOCOL)
            data += pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # (a Textual whose rules cannot be pickled: nothing to keep)
            return False
        if len(data) > MAX_BYTES or not self._write(data):
            return False
        self._kept = tuple(rules)
        return True

    @staticmethod
    def _made_by(stylesheet: Stylesheet) -> tuple[object, ...]:
        """What the rules depend on besides each stylesheet's text (which is in the keys)."""
        variables = getattr(stylesheet, "_variables", None)
        return (FORMAT, sys.version, textual_files(), dict(variables or {}))

    def _read(self, made_by: tuple[object, ...]) -> object:
        """The kept rules, when the file is ours, whole, and made by `made_by`; else None."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            # Not blocking: a FIFO put in place of the file must not hang the start.
            fd = os.open(self.path, flags | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as file:
                found = os.fstat(file.fileno())
                if not (stat.S_ISREG(found.st_mode) and _trusted(found, self.path.parent)):
                    return None
                if found.st_size > MAX_BYTES:
                    return None
                data = io.BytesIO(file.read(MAX_BYTES + 1))
        except OSError:
            return None
        try:
            if pickle.load(data) != made_by:
                return None
            return pickle.load(data)
        except Exception:  # damaged, or made of classes this Textual no longer has
            return None

    def _write(self, data: bytes) -> bool:
        """Write the file whole or not at all (a reader never sees half of it), into a
        folder only this user can write to (no one else can put a file or a link there)."""
        import tempfile

        folder = self.path.parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            found = os.stat(folder)
            if not (stat.S_ISDIR(found.st_mode) and _trusted(found, folder)):
                return False
            # A new file of a name no one can guess, readable by this user alone.
            fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=folder)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return False
        return True


def _worth_keeping(stylesheet: Stylesheet) -> dict[tuple[Any, ...], list[Any]]:
    """The stylesheet's parsed rules by Textual's key, in its parse cache's order, less
    those worth nothing or harm next time.

    Left out: a stylesheet whose text changed since it was kept (a newer version of the
    app, an edited file: the key of its current text is kept instead), and rules with a
    layout other than vertical or horizontal (a grid or stream layout keeps what it
    last laid out, widgets included).
    """
    parse_cache = stylesheet._parse_cache
    current = {
        read_from: (source[0], source[1], source[2], source[3])
        for read_from, source in stylesheet.source.items()
    }
    rules = {}
    for key in list(parse_cache.keys()):
        css, read_from, is_default, tie_breaker, scope = key
        if read_from in current and current[read_from] != (css, is_default, tie_breaker, scope):
            continue  # an older text of a stylesheet in use
        value = parse_cache.get(key)
        if value is None or not all(_plain_layout(rule) for rule in value):
            continue
        rules[key] = value
    return rules


def _plain_layout(rule: Any) -> bool:
    layout = rule.styles.get_rules().get("layout")
    return layout is None or type(layout).__name__ in ("VerticalLayout", "HorizontalLayout")


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
