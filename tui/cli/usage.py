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

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


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
    return f"{error.message}; {help_hint}"


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
    return {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }


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
