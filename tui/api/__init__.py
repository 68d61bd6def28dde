"""The Kuna Core API: client, models, errors. Imports no Textual; httpx + Decimal only.

Import from the submodules (`tui.api.client`, `tui.api.models`...): this package file
stays light so that importing a module such as `tui.api.auth` does not load httpx.
"""

import sys

# httpx's package imports its command-line tool (`httpx._main`, with click, rich's
# progress bars and pygments) whenever click is installed, and uvicorn, which serves
# our sandbox, installs it. wallet-tui never runs that tool: marking the module absent
# makes httpx take its own path for a missing `httpx[cli]` extra, and saves about
# 17 ms of every start. (`setdefault`: if httpx was imported before us, nothing changes.)
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
