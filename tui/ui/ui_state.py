"""What the app remembers between runs that is not configuration: the chosen theme.

Kept apart from the user's config file, which wallet-tui never rewrites, in the
platform's state folder (~/.local/state/wallet-tui on Linux). It never holds a secret.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from tui.config.settings import APP_NAME


def state_path() -> Path:
    """The state file: `state.json` in the platform's state folder."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "state.json"


def load_state(path: Path | None = None) -> dict[str, str]:
    """The remembered values; an unreadable or odd file counts as empty."""
    try:
        text = (path or state_path()).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return {}
    # Here, not at the top: the theme is looked up before the first frame, and most
    # starts have no state file, so json need not load before that frame.
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if isinstance(value, str)}


def remember(key: str, value: str, path: Path | None = None) -> None:
    """Store `key = value`, atomically; failures are ignored (it is only a convenience).

    A value already stored is not written again: Textual announces the theme at every
    start, and a start that changed nothing must not write to the disk."""
    target = path or state_path()
    state = load_state(target)
    if state.get(key) == value:
        return
    state[key] = value
    import json

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=2), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        pass
