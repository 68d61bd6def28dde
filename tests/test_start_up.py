"""What the start-up path loads, and the trust store loaded alongside it."""

from __future__ import annotations

import ast
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.app_harness import dashboard, demo_settings, wait_until
from tests.test_cli import ROOT, run_python
from tui.api.auth import Secret
from tui.bench.startup import standalone_sandbox
from tui.config.settings import Secrets, Settings
from tui.sandbox.wallet import DEMO_API_KEY
from tui.ui import launch
from tui.ui.app import WalletApp
from tui.ui.css_cache import CssRuleCache, cache_path

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
    "tui.ui.screens.messages",
    "tui.ui.clipboard",  # the first copy
    "tui.api.retry_after",  # a refusal's Retry-After
    "tui.api.parse",  # the app's own first answer (the first is the prefetch child's)
    "tui.api.address_tag",
    "tui.api.splice",  # the second balance answer (the first is the prefetch child's)
    "textual.widgets._header",  # the dashboard's TitleBar is one widget
    "tui.alerts.rules",  # only with alert rules configured
    "tui.alerts.evaluate",
    "tui.api.operations",  # the operations feed's first fetch
    "tui.api.parse_operations",
    "tui.ui.operation_notices",  # the first change of an operation
    "tui.ui.login_form",  # a login (no key in the environment)
    "tui.config.keystore",  # the keyring, for a login
    # The deposit networks: with the detail pane's parts (just after the first frame)
    # and the deposit methods feed's first call.
    "tui.api.deposits",
    "tui.ui.deposit_networks",
    "tui.ui.feeds.deposit_methods",
    "tui.ui.screens.confirm_address",  # the first `g`
    "tui.ui.widgets.network_cards",
    # The history's writer is made when the history opens, after the first frame:
    "tui.history",
    "tui.history.writer",
    "tui.history.series",
    "tui.history.errors",
    "tui.history.source",
    "tui.history.store",
    "tui.ui.message_log",  # the first failure or notification
    "tui.ui.toast_place",  # the first toast
    # The detail pane's parts: mounted just after the first frame (`DetailPane._build`).
    "tui.ui.widgets.detail_amounts",
    "tui.ui.widgets.trend_view",
    "textual.widgets._sparkline",
    "tui.ui.widgets.qr_pair",
    "tui.ui.widgets.qr_code",
    "tui.ui.widgets.visible_room",
    # The rates and the values: the rates feed's first call, after the first answer.
    "tui.api.rates",
    "tui.api.values",
    "tui.api.login_body",  # a login with email and password
    "http",  # a failed request's status phrase (then httpx's)
    # JSON: the first answer is parsed in the prefetch child; the app's own requests,
    # an error body and a saved theme come later (so the probes print with repr).
    "json",
    "tui.api.json_body",
)

#: Run in a fresh Python (after `URL, KEY = ...`): the app as `wallet-tui` starts it
#: with a key in the environment, once the prefetch child has answered (so that its
#: first frame shows the balances); prints the modules loaded when that frame is drawn.
FIRST_FRAME = """
import asyncio, sys, time
from tui.api.auth import Secret
from tui.config.settings import Secrets, Settings
from tui.startup.prefetch import start_prefetch

settings, secrets = Settings(base_url=URL), Secrets(api_key=Secret(KEY))
prefetch = start_prefetch(settings, secrets)
assert prefetch is not None, "no prefetch"
from tui.ui.app import WalletApp
from tui.ui.screens.dashboard import DashboardScreen

deadline = time.monotonic() + 30
while not prefetch.done and time.monotonic() < deadline:
    time.sleep(0.01)
seen = {}


def first_frame():
    seen["data"] = isinstance(app.screen, DashboardScreen) and app.screen.snapshot is not None
    seen["loaded"] = sorted(name for name, module in sys.modules.items() if module is not None)


app = WalletApp(
    settings, secrets, system_clipboard=False, prefetch=prefetch, after_first_frame=first_frame
)


async def main():
    async with app.run_test(size=(120, 40)) as pilot:
        while not seen:
            await pilot.pause(0.01)


asyncio.run(main())
assert seen["data"], "the first frame showed no balances"
print(repr(seen["loaded"]))
"""


def loaded_after(code: str, tmp_path: Path) -> list[str]:
    """The modules a fresh Python has loaded after running `code`."""
    result = run_python(tmp_path, "-c", f"import sys\n{code}\nprint(repr(sorted(sys.modules)))")
    assert result.returncode == 0, result.stderr
    return list(ast.literal_eval(result.stdout.splitlines()[-1]))


def test_importing_the_cli_stays_light(tmp_path: Path) -> None:
    loaded = loaded_after("import tui.cli.main", tmp_path)
    assert [m for m in ("textual", "httpx", "starlette", "uvicorn", "keyring") if m in loaded] == []


def test_the_dashboard_imports_nothing_its_first_frame_does_not_need(tmp_path: Path) -> None:
    loaded = loaded_after("import tui.ui.launch, tui.startup.prefetch, tui.ui.app", tmp_path)
    assert [name for name in NOT_AT_START if name in loaded] == []


@pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="no prefetch here"
)
def test_the_first_frame_with_balances_loads_nothing_it_does_not_draw(tmp_path: Path) -> None:
    # The import test above sees the modules' imports; this one what the app runs before
    # its first frame too (an import inside a function called too early shows up here).
    with standalone_sandbox() as url:
        code = f"URL, KEY = {url!r}, {DEMO_API_KEY!r}\n{FIRST_FRAME}"
        result = run_python(tmp_path, "-c", code)
    assert result.returncode == 0, result.stderr
    loaded = ast.literal_eval(result.stdout.splitlines()[-1])
    assert "tui.ui.widgets.balance_grid" in loaded  # (the frame was drawn)
    assert [name for name in NOT_AT_START if name in loaded] == []


def test_the_names_exported_at_first_use_are_there_and_the_same() -> None:
    # tui.ui.feeds and the detail pane re-export the deposit names lazily (PEP 562):
    # each name of `__all__` is there, the very object of its module; no other appears.
    import tui.ui.feeds as feeds
    from tui.api import deposits
    from tui.ui.feeds import deposit_methods
    from tui.ui.widgets import detail_amounts, detail_pane, network_cards

    for module in (feeds, detail_pane):
        assert all(getattr(module, name) is not None for name in module.__all__)
        with pytest.raises(AttributeError):
            module.not_a_name  # noqa: B018
    assert feeds.DepositMethodsLoaded is deposit_methods.DepositMethodsLoaded
    assert feeds.AssetMethods is deposit_methods.AssetMethods
    assert detail_pane.NetworkCard is network_cards.NetworkCard
    assert detail_pane.render_limits is network_cards.render_limits
    assert detail_pane.MEMO_WARNING is deposits.MEMO_WARNING
    assert detail_pane.render_amounts is detail_amounts.render_amounts
    assert detail_pane.AssetRate is detail_amounts.AssetRate


def test_httpx_leaves_its_command_line_tool_alone(tmp_path: Path) -> None:
    # click is installed (uvicorn needs it): httpx would import its CLI, with pygments.
    loaded = loaded_after("import tui.api.client, httpx; assert callable(httpx.main)", tmp_path)
    assert "httpx" in loaded
    assert "click" not in loaded and "pygments" not in loaded


def test_the_preloaded_trust_store_is_the_one_httpx_would_make(tmp_path: Path) -> None:
    code = (
        "from tui.api.tls import preload_trust_store, trust_store\n"
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


def test_the_client_trusts_the_authority_ssl_cert_file_names(tmp_path: Path) -> None:
    # A company's own certificate authority: the prefetch child's request trusted it, and
    # the app's own client (nothing preloaded in its process) must trust it too.
    authority = Path(__file__).with_name("data") / "private_ca.pem"
    code = (
        "import os, ssl\n"
        f"os.environ['SSL_CERT_FILE'] = {str(authority)!r}\n"
        "from tui.api.auth import ApiKeyAuth, Secret\n"
        "from tui.api.client import KunaClient\n"
        "client = KunaClient('https://x.example', ApiKeyAuth(Secret('key-for-the-test')))\n"
        "context = client._http._transport._pool._ssl_context\n"
        "names = [dict(n[0] for n in ca['subject'])['commonName'] for ca in context.get_ca_certs()]\n"
        "assert names == ['wallet-tui test private CA'], names\n"
        "assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname\n"
    )
    assert "tui.api.tls" in loaded_after(code, tmp_path)  # (the checks run in that process)


async def test_the_app_says_when_its_first_screen_is_drawn(
    transport: httpx.ASGITransport,
) -> None:
    drawn: list[object] = []
    app = WalletApp(
        demo_settings(),
        Secrets(api_key=Secret(DEMO_API_KEY)),
        transport=transport,
        system_clipboard=False,
        after_first_frame=lambda: drawn.append(app.screen),
    )
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: bool(drawn))
        await pilot.pause()
        assert len(drawn) == 1


async def test_the_dashboard_is_not_restyled_whole_when_first_shown(
    transport: httpx.ASGITransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its widgets were styled as they mounted; Textual would style them all again when
    # the screen is first shown (about 8 ms before the first frame).
    from textual.dom import DOMNode

    from tui.ui.screens.dashboard import DashboardScreen
    from tui.ui.widgets.balance_grid import BalanceGrid

    restyled: list[str] = []
    update_styles = WalletApp.update_styles

    def recording(self: WalletApp, node: DOMNode, animate: bool = True) -> None:
        restyled.append(type(node).__name__)
        update_styles(self, node, animate)

    monkeypatch.setattr(WalletApp, "update_styles", recording)
    async with dashboard(transport) as on:
        assert isinstance(on.screen, DashboardScreen)
        assert "DashboardScreen" not in restyled
        # Styled all the same: the grid has the focus, and its focused cursor's colours.
        grid = on.screen.query_one(BalanceGrid)
        assert grid.has_focus
        cursor = grid.get_component_styles("balance-grid--cursor")
        theme = on.app.current_theme
        assert cursor.background.hex.upper() == theme.to_color_system().generate()[
            "block-cursor-background"
        ].upper()


def test_garbage_collection_is_off_until_the_first_frame_and_frames_leave_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, object] = {}

    class FakeApp:
        """Stands in for WalletApp: what launch.run hands it, and the collector's state."""

        return_code = 0

        def __init__(self, *args: object, after_first_frame: Callable[[], None], **kwargs: object):
            self.after_first_frame = after_first_frame
            seen["css cache"] = kwargs.get("css_cache")

        def run(self) -> None:
            seen["switch interval"] = sys.getswitchinterval()
            seen["while starting"] = gc.isenabled()
            seen["frozen"] = gc.get_freeze_count()
            self.after_first_frame()
            seen["after the first frame"] = gc.isenabled()

    monkeypatch.setattr("tui.ui.app.WalletApp", FakeApp)
    switch_interval = sys.getswitchinterval()
    try:
        assert launch.run(Settings(base_url="http://127.0.0.1:9"), Secrets()) == 0
    finally:
        gc.unfreeze()  # (for the rest of this test process)
    assert seen["while starting"] is False
    assert seen["after the first frame"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 10_000  # the imports' objects
    assert gc.isenabled()
    # Frames leave for the terminal within 1 ms of being queued, not 5 (launch.run).
    assert seen["switch interval"] == pytest.approx(launch.SWITCH_INTERVAL_SECONDS)
    assert sys.getswitchinterval() == switch_interval  # given back
    # The stylesheets an earlier run parsed (tui/ui/css_cache.py), from the cache folder.
    css_cache = seen["css cache"]
    assert isinstance(css_cache, CssRuleCache) and css_cache.path == cache_path()


def test_the_collector_is_off_while_the_command_line_loads_and_back_for_a_command(
    tmp_path: Path,
) -> None:
    # As `wallet-tui` (and `python -m tui`) start: the collector is off while the command
    # line's modules load, and on again for a one-shot command (`--version` here).
    code = (
        "import gc, sys\n"
        "seen = []\n"
        "def hook(event, args):\n"
        "    if event == 'import' and args[0] == 'tui.cli.main':\n"
        "        seen.append(gc.isenabled())\n"
        "sys.addaudithook(hook)\n"
        "from tui.cli import entry\n"
        "sys.argv = ['wallet-tui', '--version']\n"
        "code = entry.main()\n"
        "print(code, seen, gc.isenabled())\n"
    )
    result = run_python(tmp_path, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 [False] True"


def test_the_console_script_is_the_entry_that_pauses_the_collector() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["wallet-tui"] == "tui.cli.entry:main"
    assert "from tui.cli.entry import main" in (ROOT / "tui" / "__main__.py").read_text(encoding="utf-8")
