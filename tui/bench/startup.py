"""3. Start-up: process start to the first dashboard frame showing data, against bare Textual.

Both programs run under a pseudo-terminal of 120 x 40, as in a user's terminal, with
the same environment. The clock starts just before the process is started and stops
when the terminal receives the first frame showing a known text: for wallet-tui, an
asset row ("BTC") from a sandbox exchange running in its own process (`wallet-tui
sandbox --still`), reached with an API key so that the dashboard opens at once; for
the bare app, the text of its only widget. Nothing in the product is instrumented.

Runs alternate between the two programs, after one unmeasured warm-up run of each (so
that both find their bytecode cached, as an installed program does); the medians are
compared.

`python -m tui.bench.startup --modules URL` is the probe behind row 3b: it runs the
app headless until the first answer is shown, then prints the modules then loaded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from tui.bench import terminal
from tui.bench.report import Row, median, ms, ratio, verdict

BUDGET_RATIO = 1.5
BUDGET = "≤ 1.5x bare Textual"
BARE_TEXT = "bench: a bare Textual app"
BARE_APP = f"""
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static({BARE_TEXT!r})


Bare().run()
"""
#: An asset of the sandbox's demo wallet: on screen only once balances arrived.
DATA_TEXT = b"BTC"
#: Not needed for the first frame: the sandbox's server stack, the keyring, QR codes,
#: the clipboard. (Top-level names, or `tui.` modules.)
HEAVY_MODULES = (
    "uvicorn",
    "starlette",
    "tui.sandbox.server",
    "tui.sandbox.app",
    "keyring",
    "segno",
    "qrcode",
    "PIL",
    "pyperclip",
)
_RESULT = "bench-modules-result "
#: How long the module probe waits for the dashboard to show the sandbox's balances.
PROBE_TIMEOUT_SECONDS = 60.0


def child_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of the measured programs: this one, cleaned of what would skew it.

    Bytecode caching is on (as for an installed program), Textual's dev and debug
    switches and wallet-tui's own settings are off, and the terminal is xterm-256color.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "PYTHONDONTWRITEBYTECODE" and not key.startswith(("TEXTUAL", "WALLET_TUI_"))
    }
    env["TERM"] = "xterm-256color"
    env.pop("NO_COLOR", None)
    env.update(extra or {})
    return env


@contextmanager
def standalone_sandbox() -> Iterator[str]:
    """`wallet-tui sandbox --still` in its own process, on a free port; yields its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", "--port", "0", "--still"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=child_environment(),
    )
    try:
        found: list[str] = []

        def read_url() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                match = re.search(r"https?://\S+", line)
                if match:
                    found.append(match.group(0))
                    return

        reader = threading.Thread(target=read_url, daemon=True)
        reader.start()
        reader.join(30)
        if not found:
            raise RuntimeError("the sandbox did not say where it listens")
        yield found[0]
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _time_first_frame(argv: Sequence[str], env: Mapping[str, str], text: bytes) -> float:
    with terminal.PtyProcess(argv, env) as program:
        seconds = program.wait_for(text, timeout=60)
        if seconds is None:
            screen = terminal.visible_text(program.output).decode(errors="replace")
            raise RuntimeError(f"{argv[1:]} never showed {text!r}: {screen[-300:]!r}")
        return seconds


def measure(runs: int, warm_up: bool = True) -> tuple[list[float], list[float], list[str]]:
    """Seconds to the first frame: wallet-tui's runs, the bare app's, and the probe's modules."""
    from tui.sandbox.wallet import DEMO_API_KEY

    with tempfile.TemporaryDirectory(prefix="wallet-tui-bench-") as scratch:
        config = Path(scratch) / "config.toml"
        config.write_text("", encoding="utf-8")  # no user settings
        with standalone_sandbox() as url:
            # The history, the remembered theme and the parsed stylesheets an earlier
            # run kept (made by the unmeasured first run) in `scratch`, never the user's.
            app_env = child_environment(
                {
                    "WALLET_TUI_API_KEY": DEMO_API_KEY,
                    "WALLET_TUI_CONFIG": str(config),
                    **{
                        f"XDG_{kind.upper()}_HOME": str(Path(scratch) / kind)
                        for kind in ("data", "state", "cache")
                    },
                }
            )
            bare_env = child_environment({"WALLET_TUI_CONFIG": str(config)})
            app_argv = [sys.executable, "-m", "tui", "--base-url", url]
            bare_argv = [sys.executable, "-c", BARE_APP]
            bare_text = BARE_TEXT.encode()
            if warm_up:
                _time_first_frame(app_argv, app_env, DATA_TEXT)
                _time_first_frame(bare_argv, bare_env, bare_text)
            app, bare = [], []
            for _ in range(runs):
                bare.append(_time_first_frame(bare_argv, bare_env, bare_text))
                app.append(_time_first_frame(app_argv, app_env, DATA_TEXT))
            modules = _loaded_modules(url, app_env)
    return app, bare, modules


def _loaded_modules(url: str, env: Mapping[str, str]) -> list[str]:
    argv = [sys.executable, "-m", "tui.bench.startup", "--modules", url]
    done = subprocess.run(argv, capture_output=True, text=True, env=dict(env), timeout=120)
    for line in done.stdout.splitlines():
        if line.startswith(_RESULT):
            return list(json.loads(line[len(_RESULT) :]))
    raise RuntimeError(f"the module probe failed: {done.stderr.strip()[-300:]}")


def bench_startup(runs: int, warm_up: bool = True) -> list[Row]:
    """Rows 3a (time to the first frame with data) and 3b (what was imported by then)."""
    measure_a = "start-up to the first frame with data"
    measure_b = "heavy modules loaded by then"
    budget_b = "none"
    reason = terminal.available()
    if reason:
        return [
            Row.unavailable("3a", measure_a, BUDGET, reason),
            Row.unavailable("3b", measure_b, budget_b, reason),
        ]
    app, bare, modules = measure(runs, warm_up)
    slower = median(app) / median(bare)
    heavy = sorted(name for name in HEAVY_MODULES if name in modules)
    bare_packages = {name.split(".")[0] for name in _bare_modules()}
    beyond = sorted(
        {name.split(".")[0] for name in modules}
        - bare_packages
        - set(sys.stdlib_module_names)
        - {"tui"}
    )
    return [
        Row(
            key="3a",
            measure=measure_a,
            figure=f"{ms(median(app))} (median of {len(app)})",
            compared=f"{ratio(slower)} a bare Textual app ({ms(median(bare))})",
            budget=BUDGET,
            result=verdict(slower <= BUDGET_RATIO),
        ),
        Row(
            key="3b",
            measure=measure_b,
            figure=", ".join(heavy) or "none",
            compared=f"third-party packages beyond bare Textual: {', '.join(beyond) or 'none'}",
            budget=budget_b,
            result=verdict(not heavy),
        ),
    ]


def _bare_modules() -> list[str]:
    """The modules a bare Textual app has loaded once it runs (headless)."""
    code = (
        "import asyncio, json, sys\n"
        "from textual.app import App\n"
        "from textual.widgets import Static\n"
        "class Bare(App):\n"
        "    def compose(self):\n"
        "        yield Static('x')\n"
        "async def main():\n"
        "    async with Bare().run_test() as pilot:\n"
        "        await pilot.pause()\n"
        "asyncio.run(main())\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


async def _probe(url: str) -> list[str]:
    """Start wallet-tui headless against `url` as `wallet-tui` does (prefetch first); the
    modules loaded once the dashboard shows its first answer and has drawn it."""
    from tui.config.settings import Settings, load_secrets
    from tui.startup.prefetch import start_prefetch

    settings = Settings(base_url=url)
    secrets = load_secrets(os.environ)
    prefetch = start_prefetch(settings, secrets)
    from tui.ui.app import WalletApp
    from tui.ui.screens.dashboard import DashboardScreen

    def loaded() -> list[str]:
        # (Entries set to None mark modules kept out on purpose, see tui.api.)
        return sorted(name for name, module in sys.modules.items() if module is not None)

    def showing_data() -> bool:
        return isinstance(app.screen, DashboardScreen) and app.screen.snapshot is not None

    at_first_frame: list[str] = []

    def first_frame() -> None:
        # The app's own hook (it turns the garbage collector back on there): what its
        # first frame needed, when that frame showed the first answer (the usual case).
        if showing_data():
            at_first_frame.extend(loaded())

    app = WalletApp(
        settings, secrets, system_clipboard=False, prefetch=prefetch, after_first_frame=first_frame
    )
    drawn = asyncio.Event()
    async with app.run_test(size=(120, 40)):
        deadline = time.monotonic() + PROBE_TIMEOUT_SECONDS
        while not showing_data():
            if time.monotonic() > deadline:
                # (Rather than the caller's subprocess timeout: this says what is missing.)
                raise RuntimeError(
                    f"no balances on the dashboard after {PROBE_TIMEOUT_SECONDS:g} s; "
                    f"screen: {type(app.screen).__name__}"
                )
            await asyncio.sleep(0.002)
        if not at_first_frame:
            # The answer came after the first frame (or it is not drawn yet): after the
            # next one. That may be later than the frame with the answer, when nothing
            # else asks for a frame (the pane's parts, mounted just after, then count).
            app.screen.call_after_refresh(drawn.set)
            await asyncio.wait_for(drawn.wait(), 60)
            return at_first_frame or loaded()
        return at_first_frame


def _main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.bench.startup")
    parser.add_argument("--modules", metavar="URL", required=True)
    args = parser.parse_args(argv)
    modules = asyncio.run(_probe(args.modules))
    print(_RESULT + json.dumps(modules), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
