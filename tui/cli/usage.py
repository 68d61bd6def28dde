"""Usage errors as one line that names the fault and the likely fix, as gh and git do.

argparse prints its whole usage block before a message that is often about the wrong
thing: for `--base-ulr https://x` it complains that "https://x" is not a command,
because the unknown flag was set aside and its value taken for the command. Here an
unknown flag is looked for first, and named with the closest known one.
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Iterable, Sequence
from typing import NoReturn

#: Flags people try for secrets, which come from the environment only (never argv: `ps`).
SECRET_FLAGS = {
    "--password": "set WALLET_TUI_PASSWORD, or type it on the login screen",
    "--api-key": "set WALLET_TUI_API_KEY, or type it on the login screen",
}


class UsageError(Exception):
    """A command line argparse refused: `message` says why, `prog` which parser refused it."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(message)
        self.message = message
        self.prog = prog


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of printing usage and exiting.

    Abbreviated flags (`--base` for `--base-url`) are off: a script using one would break
    the day another flag shares the prefix, and "did you mean" does their job for people.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.register("action", "parsers", _Commands)

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands whose repeatable flags add to those given before the command:
    `--wallet-id a balances --wallet-id b` is both wallets, as `--wallet-id a --wallet-id b
    balances` is (argparse's own would keep b alone: a command's flags are parsed into a
    namespace of their own, then copied over the main one's)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        given = {key: value for key, value in vars(namespace).items() if isinstance(value, list)}
        super().__call__(parser, namespace, values, option_string)
        for key, before in given.items():
            after = getattr(namespace, key, None)
            if isinstance(after, list) and after is not before:
                setattr(namespace, key, before + after)


END_OF_OPTIONS = "--"


def end_of_options(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    """`argv` with `--` (the end of the options, as in git and gh) made plain for argparse.

    Python 3.11's argparse refuses a `--` that no positional argument follows
    (`wallet-tui --`, `wallet-tui balances --`) and takes `--` itself for the command in
    `wallet-tui -- balances`. Here a last `--` is dropped; before the command, the word
    after it is the command and the rest its operands; after the command, the command's
    operands follow it. Words after `--` are never flags (`wallet-tui -- --demo` is an
    unknown command, not the demo).
    """
    if END_OF_OPTIONS not in argv:
        return list(argv)
    at = list(argv).index(END_OF_OPTIONS)
    before, after = list(argv[:at]), list(argv[at + 1 :])
    if not after:
        return before
    commands = _command_names(parser)
    _, command = _first_unknown_flag(before, _known_flags(parser), set(commands))
    if command is not None:
        return [*before, END_OF_OPTIONS, *after]
    if after[0] not in commands:
        listed = ", ".join(repr(name) for name in commands)
        raise UsageError(
            f"argument COMMAND: invalid choice: {after[0]!r} (choose from {listed})", parser.prog
        )
    rest = after[1:]
    return [*before, after[0], *([END_OF_OPTIONS, *rest] if rest else [])]


def explain(error: UsageError, parser: argparse.ArgumentParser, argv: Sequence[str]) -> str:
    """One line for a usage error: the unknown flag or command and the closest known one."""
    flags = _known_flags(parser)
    unknown, command = _first_unknown_flag(argv, flags, _commands(parser))
    # The help of the subcommand in use: argparse blames the main parser for a stray flag.
    prog = (
        error.prog if error.prog != parser.prog or command is None else f"{parser.prog} {command}"
    )
    help_hint = f"see {prog} --help"
    if unknown is not None:
        # Only the flag's name: a value given with it (`--password=...`) is never echoed.
        name = unknown.split("=", 1)[0]
        if name in SECRET_FLAGS:
            return f"{name} is not a flag: {SECRET_FLAGS[name]}; {help_hint}"
        return f"unknown flag {name}{_suggestion(name, flags)}; {help_hint}"
    stray = re.match(r"unrecognized arguments: (\S+)", error.message)
    if stray and command is None:
        # A flag of a subcommand given without it: `wallet-tui --json`.
        owners = _commands_with(parser, stray.group(1).split("=", 1)[0])
        if owners:
            return (
                f"{stray.group(1)} goes with a command: {parser.prog} {owners[0]} "
                f"{stray.group(1)}; {help_hint}"
            )
    choice = re.match(
        r"argument COMMAND: invalid choice: '(.*)' \(choose from (.*)\)", error.message
    )
    if choice:
        commands = re.findall(r"'([^']*)'", choice.group(2))
        given = choice.group(1)
        return (
            f"unknown command {given!r}{_suggestion(given, commands)}; "
            f"the commands are {', '.join(commands)}; {help_hint}"
        )
    # argparse keeps the `--` in "unrecognized arguments: -- x": x is what it refused.
    message = error.message.replace(f"arguments: {END_OF_OPTIONS} ", "arguments: ")
    return f"{message}; {help_hint}"


def _suggestion(given: str, known: Iterable[str]) -> str:
    """ " (did you mean --base-url?)" for the closest of `known`, if any is close."""
    # Compared without the dashes, which every flag shares and which would make
    # "--bogus" look like "--log".
    stems = {name.lstrip("-"): name for name in known}
    close = difflib.get_close_matches(given.lstrip("-"), list(stems), n=1, cutoff=0.6)
    return f" (did you mean {stems[close[0]]}?)" if close else ""


def _commands_with(parser: argparse.ArgumentParser, flag: str) -> list[str]:
    """The subcommands of `parser` that take `flag`."""
    return [
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name, sub in action.choices.items()
        if flag in _known_flags(sub)
    ]


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    return set(_command_names(parser))


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    """The subcommands of `parser`, in the order of its help."""
    return [
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    ]


def _known_flags(parser: argparse.ArgumentParser) -> dict[str, bool]:
    """Every flag of `parser` and its subcommands, and whether it takes a value."""
    flags: dict[str, bool] = {}
    for action in parser._actions:
        for option in action.option_strings:
            flags[option] = action.nargs != 0
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                flags.update(_known_flags(sub))
    return flags


def _first_unknown_flag(
    argv: Sequence[str], flags: dict[str, bool], commands: set[str]
) -> tuple[str | None, str | None]:
    """The first unknown flag in `argv` (or None), and the subcommand given (or None)."""
    takes_value = False
    command = unknown = None
    for token in argv:
        if token == "--":
            break
        if takes_value:
            takes_value = False
            continue
        if not token.startswith("-") or token == "-" or _is_number(token):
            if command is None and token in commands:
                command = token
            continue
        name = token.split("=", 1)[0]
        if name not in flags:
            unknown = unknown or token
            continue
        takes_value = flags[name] and "=" not in token
    return unknown, command


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True
