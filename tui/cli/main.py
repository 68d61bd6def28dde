"""The command line: flags -> Settings -> the dashboard, the one-shot `balances`, or the sandbox.

Start-up stays fast: Textual, httpx and the sandbox's web stack are imported by the
command that needs them, never here.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui import __version__
from tui.api.redact import redact
from tui.api.text import seconds_text
from tui.cli.exit_codes import (
    EXIT_AUTH,
    EXIT_BROKEN_PIPE,
    EXIT_FAILURE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
)
from tui.cli.usage import END_OF_OPTIONS, Parser, UsageError, end_of_options, explain
from tui.config.settings import (
    API_KEY_ENV,
    CONFIG_ENV,
    PASSWORD_ENV,
    ConfigError,
    Secrets,
    Settings,
    load_secrets,
    load_settings,
)
from tui.sandbox import DEFAULT_PORT
from tui.startup.debug_log import LogFileError, debug_log
from tui.startup.demo import demo_notice

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from tui.api.auth import Auth
    from tui.api.client import KunaClient
    from tui.api.errors import KunaError
    from tui.api.models import BalanceSnapshot
    from tui.cli.output import Valuation

    #: The balances of each wallet asked for, and the valuation when `--quote` was given.
    Fetched = tuple[list[BalanceSnapshot], Valuation | None]

    #: What a one-shot command does once connected: one client, its result.
    Job = Callable[[Settings, KunaClient], Awaitable[Any]]

PROG = "wallet-tui"
log = logging.getLogger("tui.cli.main")

_EPILOG = f"""\
credentials come from the environment only, never from flags or files:
  {API_KEY_ENV}     an API key (wins when set), or
  {PASSWORD_ENV}    the password for --merchant-id and --email
settings are read from flags, then WALLET_TUI_* variables, then the config file
({CONFIG_ENV} or --config overrides its location)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run wallet-tui with `argv` (default: the process's arguments); return the exit code
    (tui/cli/exit_codes.py: each failure says why in one line on stderr)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _dashboard_arguments(arguments)
        if args is None:
            parser = build_parser()
            plain = arguments
            try:
                plain = end_of_options(arguments, parser)
                args = parser.parse_args(plain)
            except UsageError as exc:
                return _fail(explain(exc, parser, plain), EXIT_USAGE)
            except SystemExit as exc:  # --help and --version
                return exc.code if isinstance(exc.code, int) else EXIT_USAGE
        return _run_command(args)
    except (ConfigError, LogFileError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        # Quiet, as git and gh: the shell shows ^C, and the user knows why.
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _output_gone()
    except UnicodeEncodeError as exc:
        if not _is_output_encoding(exc.encoding):
            return _internal_error(exc)
        # Configuration of the terminal (LANG, PYTHONIOENCODING), not of wallet-tui: 2.
        return _fail(
            f"the output's encoding ({exc.encoding}) cannot show {exc.object[exc.start]!r}: "
            "use a UTF-8 locale (LANG=C.UTF-8) or PYTHONIOENCODING=utf-8",
            EXIT_USAGE,
        )
    except OSError as exc:
        # The system refused: a disk full (`> /dev/full`), a device or file gone. Not a
        # bug: the same command may work later.
        named = f" ({exc.filename})" if exc.filename else ""
        return _fail(f"input/output failure{named}: {exc.strerror or exc}", EXIT_FAILURE)
    except Exception as exc:
        from tui.api.errors import KunaError

        if isinstance(exc, KunaError):  # the dashboard's start: the demo's sandbox
            return fail_for(exc)
        return _internal_error(exc)


def _run_command(args: argparse.Namespace) -> int:
    """Run the command `args` name (the dashboard when none); the exit code."""
    if args.command == "sandbox":
        return _run_sandbox(args)
    if args.command == "config" and args.init:
        return _init_config(args)
    settings = load_settings(args)
    secrets = load_secrets()
    with debug_log(settings.log_file):
        # Settings hold no secret (they come from the environment only).
        log.debug("command %s with %r", args.command or "dashboard", settings)
        notice = demo_notice(settings)
        if notice and args.command != "config":
            # Before the dashboard takes the screen it repeats this as a notification.
            print(f"{PROG}: {notice}", file=sys.stderr)
        if args.command == "balances":
            return _run_balances(args, settings, secrets)
        if args.command == "deposit-address":
            return _run_deposit_address(args, settings, secrets)
        if args.command == "history":
            from tui.cli.history_command import run_history

            form = "json" if args.json else "csv" if args.csv else "table"
            return run_history(
                settings, asset=args.asset, since=args.since, form=form, alerts=args.list_alerts
            )
        if args.command == "operations":
            from tui.cli.operations_command import run_operations

            return run_operations(args, settings, secrets, connected)
        if args.command == "config":
            from tui.cli.config_report import describe_settings

            print(describe_settings(settings, secrets), end="")
            return EXIT_OK
        return _run_tui(settings, secrets)


def _is_output_encoding(name: str) -> bool:
    """True when `name` is standard output's encoding (under any of its aliases)."""
    import codecs

    try:
        return codecs.lookup(name).name == codecs.lookup(sys.stdout.encoding).name
    except (LookupError, AttributeError, TypeError):
        return False


def _internal_error(exc: BaseException) -> int:
    """A bug, not a condition we know: one line rather than a traceback a user would
    have to read, with the exception type to report it by."""
    return _fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_INTERNAL)


def _output_gone() -> int:
    """The reader of the output went away (`wallet-tui balances | head -1`): end quietly,
    as `cat` does, with 128 + SIGPIPE."""
    # Python flushes stdout once more at exit, which would fail again and print a
    # traceback-like warning: what is left goes nowhere instead.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (a test's capture): nothing to flush
        pass
    return EXIT_BROKEN_PIPE


def _dashboard_arguments(arguments: list[str]) -> argparse.Namespace | None:
    """The arguments of the usual start, the dashboard with the main flags only, as
    `build_parser().parse_args` gives them; None for anything else (a command, help, an
    unknown flag, a bad value), which the whole parser then parses and explains.

    The whole parser costs about 6 ms to build (argparse looks up its own messages'
    translations for each subcommand's parser), before the dashboard can even start.
    """
    if any(argument.startswith("-h") or argument in ("--help", "--version") for argument in arguments):
        return None
    if END_OF_OPTIONS in arguments:
        at = arguments.index(END_OF_OPTIONS)
        if arguments[at + 1 :]:  # a command or operands after it: see `end_of_options`
            return None
        arguments = arguments[:at]  # `wallet-tui --`: the end of the options, and nothing more
    main_flags = Parser(prog=PROG, add_help=False)
    _add_connection_flags(main_flags, default=None)
    _add_alert_flags(main_flags, default=None)
    try:
        args, rest = main_flags.parse_known_args(arguments)
    except UsageError:
        return None
    if rest:  # a command (or its flags), -h, an unknown flag...
        return None
    args.command = None
    return args


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `wallet-tui [flags] [balances | operations | history | config | sandbox] [flags]`."""
    parser = Parser(
        prog=PROG,
        description="A terminal dashboard for the wallet balances of a Kuna Core exchange account.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_connection_flags(parser, default=None)
    _add_alert_flags(parser, default=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    balances = commands.add_parser(
        "balances",
        help="print the balances once and exit",
        description="Fetch the balances once and print them (a table, JSON or CSV).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # SUPPRESS: a flag not repeated after the subcommand must not reset the one before it.
    _add_connection_flags(balances, default=argparse.SUPPRESS)
    form = balances.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON, amounts as exact strings")
    form.add_argument("--csv", action="store_true", help="print CSV, one row per asset and network")
    balances.add_argument(
        "--with-limits",
        action="store_true",
        help="with --json: each asset's deposit methods (network, minimum, maximum, fees)",
    )

    deposit = commands.add_parser(
        "deposit-address",
        help="print an asset's deposit address (generated if there is none yet)",
        description=(
            "Get the deposit address of ASSET on a network, generating it if the exchange has "
            "none yet (asking again gives the same address), and print it with its memo and "
            "the network's minimum deposit."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_connection_flags(deposit, default=argparse.SUPPRESS)
    deposit.add_argument("asset", metavar="ASSET", help="the asset, e.g. USDT")
    deposit.add_argument(
        "--network",
        metavar="SOURCE",
        default=None,
        help="the network (source), e.g. TRX; needed when the asset has several",
    )
    deposit.add_argument("--json", action="store_true", help="print JSON")

    from tui.cli.operations_command import add_operations_parser

    add_operations_parser(commands, lambda p: _add_connection_flags(p, default=argparse.SUPPRESS))

    history = commands.add_parser(
        "history",
        help="print the recorded balance history (or alerts) and exit",
        description="Print the balances recorded by the dashboard, oldest first, exact amounts: "
        "those of the configured exchange and wallets, else of every one recorded.",
    )
    _add_connection_flags(history, default=argparse.SUPPRESS)
    history.add_argument("asset", nargs="?", metavar="ASSET", help="only this asset")
    history.add_argument(
        "--since", metavar="24h|ISO", help="from this long ago (30m, 24h, 7d) or this ISO time"
    )
    history.add_argument(
        "--alerts", dest="list_alerts", action="store_true", help="list the alerts that fired"
    )
    history.add_argument(
        "--history-file", metavar="PATH", default=argparse.SUPPRESS, help="the history database"
    )
    history_form = history.add_mutually_exclusive_group()
    history_form.add_argument("--json", action="store_true", help="print JSON, exact strings")
    history_form.add_argument("--csv", action="store_true", help="print CSV")

    config = commands.add_parser(
        "config",
        help="show the config file's path and the settings in force",
        description="Print where the config file is and every setting in force (secrets masked).",
    )
    _add_connection_flags(config, default=argparse.SUPPRESS)
    _add_alert_flags(config, default=argparse.SUPPRESS)
    config.add_argument(
        "--init", action="store_true", help="write a commented config file template there"
    )

    sandbox = commands.add_parser(
        "sandbox",
        help="run the built-in sandbox exchange",
        description="Serve the built-in sandbox exchange over HTTP for testing and demos.",
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    sandbox.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port to listen on (%(default)s)"
    )
    sandbox.add_argument("--seed", type=int, default=None, help="seed for the demo data")
    sandbox.add_argument(
        "--token-ttl", type=float, default=None, metavar="SECONDS", help="lifetime of login tokens"
    )
    sandbox.add_argument(
        "--fault",
        dest="faults",
        action="extend",
        nargs="+",
        default=[],
        metavar="SPEC",
        help="inject a fault (repeatable)",
    )
    sandbox.add_argument("--still", action="store_true", help="keep balances from moving")
    sandbox.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _add_connection_flags(parser: argparse.ArgumentParser, *, default: Any) -> None:
    """The flags shared by the main parser and `balances`: where and as whom to connect."""
    group = parser.add_argument_group("connection")
    group.add_argument("--base-url", metavar="URL", default=default, help="the exchange's API root")
    group.add_argument(
        "--wallet-id",
        dest="wallet_ids",
        action="append",
        metavar="ID",
        default=default,
        help="wallet to show (repeatable; default: the main wallet)",
    )
    group.add_argument(
        "--assets", metavar="BTC,USDT", default=default, help="only these assets (comma-separated)"
    )
    group.add_argument(
        "--interval",
        type=float,
        metavar="SECONDS",
        default=default,
        help="seconds between refreshes, 1 to 300 (default 5)",
    )
    group.add_argument("--merchant-id", metavar="ID", default=default, help="merchant ID for login")
    group.add_argument("--email", default=default, help="email address for login")
    group.add_argument(
        "--demo", action="store_true", default=default, help="use the built-in sandbox exchange"
    )
    group.add_argument("--config", metavar="PATH", default=default, help="config file to read")
    group.add_argument(
        "--connect-timeout", type=float, metavar="SECONDS", default=default, help="connect timeout"
    )
    group.add_argument(
        "--read-timeout", type=float, metavar="SECONDS", default=default, help="read timeout"
    )
    group.add_argument(
        "--insecure",
        action="store_true",
        default=default,
        help="allow a plain http:// base URL to another computer (credentials in clear text)",
    )
    group.add_argument(
        "--hide-amounts",
        action="store_true",
        default=default,
        help="start with every amount masked (h shows them)",
    )
    group.add_argument(
        "--quote",
        metavar="CODE",
        default=default,
        help="quote currency of values and totals (default USD; v cycles in the dashboard)",
    )
    group.add_argument(
        "--log",
        dest="log_file",
        metavar="FILE",
        default=default,
        help="append a debug log of the requests to FILE (secrets are masked)",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")


def _add_alert_flags(parser: argparse.ArgumentParser, *, default: Any) -> None:
    """The dashboard's history and alert flags."""
    group = parser.add_argument_group("history and alerts")
    group.add_argument(
        "--no-history",
        dest="history",
        action="store_const",
        const=False,
        default=default,
        help="record no balance history (and no alerts) on disk",
    )
    group.add_argument(
        "--history-days", metavar="DAYS", default=default, help="days of history kept (90)"
    )
    group.add_argument(
        "--history-file", metavar="PATH", default=default, help="the history database to use"
    )
    group.add_argument(
        "--alert",
        dest="alerts",
        action="append",
        metavar="RULE",
        default=default,
        help="alert when RULE becomes true (repeatable): 'USDT available < 1000', "
        "'BTC total > 2', deposit, 'operation OnHold', 'offline > 5m'",
    )
    group.add_argument(
        "--on-alert",
        metavar="CMD",
        default=default,
        help="run CMD for each alert, the alert as JSON on its standard input",
    )


def fail_for(error: KunaError) -> int:
    """Say why a one-shot command's request failed (one line) and return its exit code."""
    from tui.api.errors import AuthenticationError, RateLimitedError, ServerError

    if isinstance(error, AuthenticationError):
        return _fail(str(error), EXIT_AUTH)
    if isinstance(error, ServerError) and error.lasting:
        # A 404 (a wrong base URL or wallet id), a 400 for an asset the exchange does
        # not know: asking again will not help until the command or a setting changes.
        return _fail(str(error), EXIT_USAGE)
    if isinstance(error, RateLimitedError) and error.retry_after:
        wait = seconds_text(round(error.retry_after))
        # "retry in", not "the server asks": a Retry-After beyond the cap was cut to 10 min.
        return _fail(f"{error} (retry in {wait} s)", EXIT_FAILURE)
    return _fail(str(error), EXIT_FAILURE)


def _fail(message: str, code: int) -> int:
    """Print `wallet-tui: <message>` as one line on stderr and return `code`."""
    # redact: an unexpected exception's text could quote a credential.
    print(f"{PROG}: {' '.join(redact(message).split())}", file=sys.stderr)
    return code


# --- config ---------------------------------------------------------------------------------


def _init_config(args: argparse.Namespace) -> int:
    """Write the commented template where the config file is looked for; never overwrite."""
    from tui.cli.config_report import write_template
    from tui.config.settings import CONFIG_ENV, default_config_path

    named = getattr(args, "config", None) or os.environ.get(CONFIG_ENV, "").strip()
    path = Path(named).expanduser() if named else default_config_path()
    try:
        write_template(path)
    except FileExistsError:
        return _fail(f"{path} exists already; not overwritten", EXIT_USAGE)
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}", EXIT_USAGE)
    print(f"wrote {path}")
    return EXIT_OK


# --- the dashboard ----------------------------------------------------------------------


def _run_tui(settings: Settings, secrets: Secrets) -> int:
    from tui.startup.terminal import terminal_problem

    problem = terminal_problem()
    if problem is not None:  # keys from /dev/null, a screen drawn into a file: refuse
        return _fail(problem, EXIT_USAGE)
    try:
        from tui.ui.launch import run
    except ImportError as exc:
        return _fail(f"cannot start the terminal UI: {exc}", EXIT_INTERNAL)
    return run(settings, secrets)


# --- balances ---------------------------------------------------------------------------


def _run_balances(args: argparse.Namespace, settings: Settings, secrets: Secrets) -> int:
    from tui.api.errors import KunaError
    from tui.cli.output import render_csv, render_json, render_table

    if getattr(args, "hide_amounts", None):
        # A masked amount is no use to a script; refused rather than silently ignored.
        raise ConfigError(
            "--hide-amounts is for the dashboard (h toggles it there); "
            "balances prints amounts for scripts"
        )
    if args.with_limits and not args.json:
        return _fail("--with-limits goes with --json", EXIT_USAGE)
    render = render_json if args.json else render_csv if args.csv else render_table
    # Values only when asked for with --quote: the rates are one more request; the
    # deposit methods only with --with-limits (one request per asset).
    quote = settings.quote if getattr(args, "quote", None) else None
    settings = replace(settings, quote=quote or "")
    job = _fetch_valued_with_limits if args.with_limits else _fetch_valued
    try:
        result = connected(settings, secrets, job)
    except KunaError as exc:
        return fail_for(exc)
    snapshots, valuation = result[0], result[1]
    if valuation is not None and valuation.quote not in valuation.rates.quotes:
        offered = ", ".join(valuation.rates.quotes) or "none"
        print(
            f"{PROG}: the exchange has no {valuation.quote} rates (it offers: {offered})",
            file=sys.stderr,
        )
    if args.with_limits:
        limits = result[2]
        for asset, reason in limits.items():
            if isinstance(reason, str):
                print(f"{PROG}: deposit limits of {asset} unknown: {reason}", file=sys.stderr)
        sys.stdout.write(render_json(*snapshots, valuation=valuation, limits=limits))
    else:
        sys.stdout.write(render(*snapshots, valuation=valuation))
    sys.stdout.flush()
    for snapshot in snapshots:
        missing = snapshot.missing(settings.assets)
        if missing:
            # On stderr, so that the output's shape is untouched; not a failure.
            print(f"{PROG}: {_not_in_wallet(missing, snapshot.wallet_id)}", file=sys.stderr)
    return EXIT_OK


def _run_deposit_address(args: argparse.Namespace, settings: Settings, secrets: Secrets) -> int:
    from tui.api.errors import KunaError
    from tui.cli.deposits import (
        NetworkChoiceError,
        find_deposit_address,
        render_answer_json,
        render_answer_text,
    )

    asset = args.asset.strip().upper()
    network = args.network.strip().upper() if args.network else None
    if not asset or network == "":
        return _fail("ASSET and --network must not be empty", EXIT_USAGE)

    async def job(settings: Settings, client: KunaClient) -> Any:
        wallet = settings.wallet_ids[0] if settings.wallet_ids else None
        return await find_deposit_address(client, asset, network, wallet)

    try:
        answer = connected(settings, secrets, job)
    except NetworkChoiceError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except KunaError as exc:
        return fail_for(exc)
    if answer.limits_error is not None:
        print(f"{PROG}: deposit limits unknown: {answer.limits_error}", file=sys.stderr)
    sys.stdout.write(render_answer_json(answer) if args.json else render_answer_text(answer))
    sys.stdout.flush()
    return EXIT_OK


def _not_in_wallet(missing: Sequence[str], wallet_id: str | None) -> str:
    wallet = f"wallet {wallet_id}" if wallet_id else "the wallet"
    verb = "is" if len(missing) == 1 else "are"
    return f"{', '.join(missing)} {verb} not in {wallet} (asked for with --assets)"


def connected(settings: Settings, secrets: Secrets, job: Job) -> Any:
    """Run `job` with a client of the configured exchange, or of a sandbox started in
    this process for --demo; ConfigError when the URL or credentials are missing."""
    return _demo_job(settings, job) if settings.demo else _real_job(settings, secrets, job)


def _real_job(settings: Settings, secrets: Secrets, job: Job) -> Any:
    """Run `job` against the configured exchange."""
    from tui.startup.connect import auth_from, require_base_url

    require_base_url(settings)  # before a password prompt that would be in vain
    auth = auth_from(settings, _with_prompted_password(settings, secrets))
    if auth is None:
        wanted = (
            ("--merchant-id", settings.merchant_id),
            ("--email", settings.email),
            (PASSWORD_ENV, secrets.password),
        )
        missing = ", ".join(name for name, known in wanted if not known)
        raise ConfigError(
            f"no credentials: set {API_KEY_ENV}, or --merchant-id and --email with "
            f"{PASSWORD_ENV} (missing: {missing})"
        )
    return _run_now(settings, auth, job)


def _with_prompted_password(settings: Settings, secrets: Secrets) -> Secrets:
    """Ask for the password on the terminal when it is the only credential missing."""
    if secrets.api_key or secrets.password or not (settings.merchant_id and settings.email):
        return secrets
    if sys.stdin is None or not sys.stdin.isatty():
        return secrets
    import getpass

    from tui.api.auth import Secret

    try:
        typed = getpass.getpass(f"Password for {settings.email}: ")
    except EOFError:
        return secrets
    return replace(secrets, password=Secret(typed) if typed else None)


def _demo_job(settings: Settings, job: Job) -> Any:
    """Run `job` against a sandbox exchange started in this process, as the demo user."""
    from tui.api.errors import NetworkError
    from tui.sandbox.server import start_in_background
    from tui.startup.connect import auth_from
    from tui.startup.demo import demo_connection

    try:
        server = start_in_background(seed=7, moving=False)
    except (OSError, RuntimeError) as exc:
        raise NetworkError(f"cannot start the sandbox: {exc}") from None
    try:
        demo, secrets = demo_connection(settings, server.url)
        auth = auth_from(demo, secrets)
        assert auth is not None  # the demo credentials are complete
        return _run_now(demo, auth, job)
    finally:
        server.stop()


def _run_now(settings: Settings, auth: Auth, job: Job) -> Any:
    """Run `job` with one client to completion on a fresh event loop."""
    import asyncio  # here, not at the top: 30 ms that --help and the sandbox do not need

    from tui.startup.connect import make_client

    async def run() -> Any:
        async with make_client(settings, auth) as client:
            return await job(settings, client)

    return asyncio.run(run())


async def _fetch(settings: Settings, client: KunaClient) -> list[BalanceSnapshot]:
    """One request per configured wallet (the main wallet when none), on one connection."""
    return [
        await client.fetch_balances(wallet_id, settings.assets or None)
        for wallet_id in settings.wallet_ids or (None,)
    ]


async def _fetch_valued(settings: Settings, client: KunaClient) -> Fetched:
    """The balances (`_fetch`) and, with a quote currency in `settings.quote`, the
    market rates to value them, on the same connection."""
    from tui.cli.output import Valuation

    snapshots = await _fetch(settings, client)
    if not settings.quote:
        return snapshots, None
    return snapshots, Valuation(await client.fetch_rates(), settings.quote)


async def _fetch_valued_with_limits(settings: Settings, client: KunaClient) -> tuple[Any, ...]:
    """`_fetch_valued`, then the deposit methods of every asset in the balances (one
    request each): `(snapshots, valuation, {asset: DepositMethods | reason})`."""
    from tui.cli.deposits import fetch_limits

    snapshots, valuation = await _fetch_valued(settings, client)
    assets = [balance.asset for snapshot in snapshots for balance in snapshot]
    return snapshots, valuation, await fetch_limits(client, assets)


# --- sandbox ----------------------------------------------------------------------------


def _run_sandbox(args: argparse.Namespace) -> int:
    from tui.sandbox.server import serve

    options: dict[str, Any] = {"host": args.host, "faults": list(args.faults)}
    options["moving"] = not args.still
    options["port"] = args.port
    for name in ("seed", "token_ttl"):
        value = getattr(args, name)
        if value is not None:
            options[name] = value
    return serve(**options)
