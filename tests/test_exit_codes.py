"""Every exit path of every command returns a code the README lists, and says why in one
line on stderr (tui/cli/exit_codes.py). A code missing from the README, or a path that
returns another, fails here."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli_harness import run, without_user_settings
from tests.test_cli import ROOT, clean_env, closed_port
from tui.cli import exit_codes
from tui.cli import main as cli
from tui.sandbox.faults import Fault
from tui.sandbox.server import RunningSandbox
from tui.sandbox.wallet import DEMO_API_KEY


def documented_codes() -> dict[int, str]:
    """The README's table of exit codes: {code: meaning}."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    return {
        int(code): meaning for code, meaning in re.findall(r"^\| (\d+) \| ([^|]+)\|", section, re.M)
    }


def test_the_readme_lists_every_code_the_program_has_and_no_other() -> None:
    assert sorted(documented_codes()) == sorted(exit_codes.ALL)


def assert_said(code: int, expected: int, err: str) -> None:
    """`code` is `expected` and documented; a failure says why in one line (Ctrl+C, a
    closed pipe and a terminal gone quietly: no one to read it, or no need)."""
    assert code == expected, err
    assert code in documented_codes()
    QUIET = (
        exit_codes.EXIT_HANGUP,
        exit_codes.EXIT_INTERRUPTED,
        exit_codes.EXIT_BROKEN_PIPE,
        exit_codes.EXIT_TERMINATED,
    )
    if code in QUIET:
        assert err == ""
    elif code != exit_codes.EXIT_OK:
        assert err.startswith("wallet-tui") and err.count("\n") == 1, err
        assert "Traceback" not in err


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without_user_settings(monkeypatch, tmp_path, terminal=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port another program listens on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def fake_dashboard(monkeypatch: pytest.MonkeyPatch, run_it: Callable[..., int]) -> None:
    """A terminal, and `run_it(settings, secrets)` as the dashboard."""
    fake = types.ModuleType("tui.ui.launch")
    fake.run = run_it  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tui.ui.launch", fake)
    monkeypatch.setattr("tui.startup.terminal.terminal_problem", lambda: None)


def raising(error: BaseException) -> Callable[..., Any]:
    def raise_it(*args: Any, **kwargs: Any) -> Any:
        raise error

    return raise_it


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--version"], 0),
        (["--help"], 0),
        (["balances", "--help"], 0),
        (["sandbox", "--version"], 0),
        (["--demo", "balances", "--json"], 0),
        (["--demo", "balances", "--"], 0),
        (["--demo", "--", "balances"], 0),
        (["--demo", "operations", "--csv"], 0),
        (["--demo", "deposit-address", "XRP"], 0),
        (["--demo", "history"], 0),
        (["config"], 0),
        (["--demo", "--"], 2),  # the dashboard, without a terminal
        (["--demo"], 2),
        (["--bogus"], 2),
        (["--", "--demo"], 2),  # after --, never a flag
        (["-"], 2),
        (["balances", "-"], 2),
        (["balances"], 2),  # no base URL
        (["--demo", "balances", "--with-limits"], 2),
        (["--demo", "balances", "--hide-amounts"], 2),
        (["--demo", "deposit-address", "USDT"], 2),  # which network?
        (["--demo", "deposit-address", "NOPE"], 2),  # the exchange: 400, not supported
        (["--demo", "deposit-address", "UAH"], 2),  # fiat: no deposit method with an address
        (["--demo", "balances", "--log", "/nonexistent/folder/log"], 2),
        (["history", "--since", "yesterday"], 2),
        (["operations", "--since", "yesterday"], 2),
        (["sandbox", "--port", "70000"], 2),
        (["sandbox", "--host", "0.0.0.0"], 2),
        (["sandbox", "--fault", "nope"], 2),
    ],
)
def test_each_command_line_returns_its_documented_code(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: int
) -> None:
    code, _, err = run(capsys, *argv)
    assert_said(code, expected, err)


def test_config_init_writes_once_then_refuses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(tmp_path / "new" / "config.toml")
    code, _, err = run(capsys, "config", "--init", "--config", path)
    assert_said(code, 0, err)
    code, _, err = run(capsys, "config", "--init", "--config", path)
    assert_said(code, 2, err)
    code, _, err = run(
        capsys, "config", "--init", "--config", str(tmp_path / "new" / "config.toml" / "x")
    )
    assert_said(code, 2, err)


def test_the_exchanges_answers(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: RunningSandbox,
    url: str,
) -> None:
    monkeypatch.setenv("WALLET_TUI_API_KEY", "wrong-key")
    code, _, err = run(capsys, "balances", "--base-url", url)
    assert_said(code, 3, err)
    monkeypatch.setenv("WALLET_TUI_API_KEY", DEMO_API_KEY)
    code, _, err = run(capsys, "balances", "--base-url", url, "--wallet-id", "no-such-wallet")
    assert_said(code, 2, err)
    code, _, err = run(capsys, "operations", "--base-url", f"http://127.0.0.1:{closed_port()}")
    assert_said(code, 4, err)
    # A client error that asking again will not heal is the command's (2); a server
    # error, a rate limit or a timeout may heal (4).
    for spec, expected in (("400x1", 2), ("422x1", 2), ("500x1", 4), ("429:5x1", 4), ("408x1", 4)):
        sandbox.faults.push(Fault.parse(spec))
        code, _, err = run(capsys, "balances", "--base-url", url)
        assert_said(code, expected, err)


def test_history_that_cannot_be_read_is_4(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "history", "--history-file", str(tmp_path))  # a folder
    assert_said(code, 4, err)


def test_a_busy_port_is_4_not_2(capsys: pytest.CaptureFixture[str], busy_port: int) -> None:
    code, _, err = run(capsys, "sandbox", "--port", str(busy_port))
    assert_said(code, 4, err)
    assert f"127.0.0.1:{busy_port}: the port is in use; choose another with --port" in err


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (KeyboardInterrupt(), 130),
        (BrokenPipeError(32, "Broken pipe"), 141),
        (OSError(28, "No space left on device"), 4),
        (RuntimeError("a bug"), 1),
        (KeyError("x"), 1),
    ],
)
def test_what_a_command_raises(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    expected: int,
) -> None:
    monkeypatch.setattr(cli, "_run_now", raising(error))
    code, out, err = run(capsys, "--demo", "balances")
    assert out == ""
    assert_said(code, expected, err)


def test_the_dashboards_own_codes_pass_through(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for returned in (exit_codes.EXIT_OK, exit_codes.EXIT_HANGUP, exit_codes.EXIT_TERMINATED):
        fake_dashboard(monkeypatch, lambda settings, secrets, code=returned: code)
        code, _, err = run(capsys, "--demo", "--")
        assert_said(code, returned, err)
    fake_dashboard(monkeypatch, raising(KeyboardInterrupt()))
    code, _, err = run(capsys, "--demo")
    assert_said(code, 130, err)


def test_a_demo_whose_sandbox_cannot_start_is_4(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.startup.terminal.terminal_problem", lambda: None)
    monkeypatch.setattr("tui.startup.prefetch.start_prefetch", lambda settings, secrets: None)
    monkeypatch.setattr("gc.freeze", lambda: None)  # the start's, not for the test process
    monkeypatch.setattr(
        "tui.sandbox.server.start_in_background", raising(OSError(24, "Too many open files"))
    )
    code, _, err = run(capsys, "--demo")
    assert_said(code, 4, err)
    assert "cannot start the sandbox" in err


# --- as a process: what only the real one shows -------------------------------------------


def wallet_tui(tmp_path: Path, *args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    env = clean_env(tmp_path) | options.pop("env", {})
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=ROOT, env=env, text=True, timeout=60, stderr=subprocess.PIPE, **options,
    )  # fmt: skip


def test_a_busy_port_as_the_tester_saw_it(tmp_path: Path, busy_port: int) -> None:
    result = wallet_tui(tmp_path, "sandbox", "--port", str(busy_port), stdout=subprocess.PIPE)
    assert_said(result.returncode, 4, result.stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_4(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        result = wallet_tui(tmp_path, "--demo", "balances", stdout=full)
    assert_said(result.returncode, 4, result.stderr)
    assert "No space left on device" in result.stderr


def test_output_the_encoding_cannot_show_is_2(tmp_path: Path) -> None:
    # XRP has no EUR rate: its value is "—", which latin-1 has not.
    result = wallet_tui(
        tmp_path, "--demo", "balances", "--quote", "EUR",
        env={"PYTHONIOENCODING": "latin-1"}, stdout=subprocess.PIPE,
    )  # fmt: skip
    assert_said(result.returncode, 2, result.stderr)
    assert "PYTHONIOENCODING=utf-8" in result.stderr


def test_a_crash_in_the_dashboard_ends_with_the_one_line_and_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual prints its traceback and returns 1; the last line is the command line's."""

    class CrashingApp:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.return_code = 1

        def run(self) -> None:
            self._exception = KeyError("a bug")

    monkeypatch.setattr("tui.ui.app.WalletApp", CrashingApp)
    monkeypatch.setattr("tui.startup.prefetch.start_prefetch", lambda settings, secrets: None)
    monkeypatch.setattr("tui.startup.terminal.terminal_problem", lambda: None)
    monkeypatch.setattr("gc.freeze", lambda: None)  # the start's, not for the test process
    code, _, err = run(capsys, "--base-url", "https://exchange.example")
    assert_said(code, 1, err)
    assert err == "wallet-tui: internal error: KeyError: 'a bug'\n"


@pytest.mark.skipif(sys.platform == "win32" or not shutil.which("bash"), reason="POSIX shells")
def test_ctrl_c_ends_the_process_by_sigint_so_that_a_shell_loop_stops(tmp_path: Path) -> None:
    # bash carries on with a loop after a command that exits 130 by itself; it stops
    # only when the command was killed by SIGINT, as Ctrl+C kills a plain program.
    script = tmp_path / "waits.py"
    script.write_text(
        "import sys, time\n"
        "from tui.cli import entry, main as cli\n"
        "run = sys.argv[1]\n"
        "def waits(*args):\n"
        "    print('ready', flush=True)\n"
        "    if run == '1':\n"
        "        time.sleep(60)  # (Ctrl+C comes; the second run ends at once)\n"
        "cli._run_now = waits\n"
        "sys.argv = ['wallet-tui', '--demo', 'balances']\n"
        "raise SystemExit(entry.main())\n",
        encoding="utf-8",
    )
    loop = f'for n in 1 2; do echo "run $n"; "{sys.executable}" "{script}" $n; done; echo "after"'
    shell = subprocess.Popen(
        [shutil.which("bash") or "bash", "-c", loop],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(tmp_path),
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    assert shell.stdout is not None
    try:
        assert shell.stdout.readline() == "run 1\n"
        assert shell.stdout.readline() == "ready\n"
        os.killpg(shell.pid, signal.SIGINT)  # what Ctrl+C at the terminal does
        out, err = shell.communicate(timeout=30)
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGKILL)
    assert "run 2" not in out and "after" not in out, (out, err)
    assert err == ""  # quiet, as before
    assert shell.returncode in (-signal.SIGINT, 130)
