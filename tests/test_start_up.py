"""What the start-up path loads, and the trust store loaded alongside it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run_python

#: Not needed before the dashboard's first frame (python -m tui.bench, row 3b, times it):
#: the HTTP stack comes with the first request (made by the prefetch child), the rest
#: on demand.
NOT_AT_START = (
    "httpx",
    "httpcore",
    "segno",
    "keyring",
    "pyperclip",
    "starlette",
    "uvicorn",
    "click",
    "tui.ui.screens.login",
    "tui.ui.screens.help",
)


def loaded_after(code: str, tmp_path: Path) -> list[str]:
    """The modules a fresh Python has loaded after running `code`."""
    result = run_python(
        tmp_path, "-c", f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def test_importing_the_cli_stays_light(tmp_path: Path) -> None:
    loaded = loaded_after("import tui.cli", tmp_path)
    assert [m for m in ("textual", "httpx", "starlette", "uvicorn", "keyring") if m in loaded] == []


def test_the_dashboard_imports_nothing_its_first_frame_does_not_need(tmp_path: Path) -> None:
    loaded = loaded_after("import tui.ui.launch, tui.prefetch, tui.ui.app", tmp_path)
    assert [name for name in NOT_AT_START if name in loaded] == []


def test_httpx_leaves_its_command_line_tool_alone(tmp_path: Path) -> None:
    # click is installed (uvicorn needs it): httpx would import its CLI, with pygments.
    loaded = loaded_after("import tui.api.client, httpx; assert callable(httpx.main)", tmp_path)
    assert "httpx" in loaded
    assert "click" not in loaded and "pygments" not in loaded


def test_the_preloaded_trust_store_is_the_one_httpx_would_make(tmp_path: Path) -> None:
    code = (
        "from tui.api.tls import preload_trust_store, trust_store\n"
        "assert trust_store() is True\n"  # nothing preloaded: httpx makes its own
        "preload_trust_store()\n"
        "context = trust_store()\n"
        "import ssl, httpx\n"
        "made = httpx.create_ssl_context()\n"
        "assert isinstance(context, ssl.SSLContext)\n"
        "assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname\n"
        "assert context.cert_store_stats() == made.cert_store_stats()\n"
        "assert context.cert_store_stats()['x509_ca'] > 0\n"
    )
    assert "tui.api.tls" in loaded_after(code, tmp_path)  # (the checks run in that process)
