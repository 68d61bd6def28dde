"""Request bodies checked the way the real back end's framework checks them.

Kuna Core's back end validates every body against a declared shape, whitelisting
fields: an unknown field, a missing one or one of the wrong type is refused with a
400 in the framework's own shape, listing every problem at once:

    {"statusCode": 400, "message": ["property email should not exist",
     "token must be a string"], "error": "Bad Request"}

A key given twice in one object (`{"asset": "BTC", "asset": "USDT"}`) is refused the
same way. **Our choice**, stricter than the framework's JSON parser (where the last
value wins silently): a client that sends one means two things at once, and the
sandbox is where that must show.

Every sandbox route reads its body through `read_body` with a schema (field name ->
`Rule`), so that the sandbox is as strict as a real deployment and a client that sends
what the documentation does not say fails here first. Usage in a route::

    DEPOSIT_ADDRESS = {"asset": text(required=True), "source": text(required=True),
                       "walletId": text()}

    async def deposit_address(request: Request) -> Payload:
        authenticate(request)
        body = await read_body(request, DEPOSIT_ADDRESS)
        ...

and the route answers through the app's `api()` wrapper, which sends 201 for a POST.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request

#: What a rule says about a value: the problems ("... must be a string"), [] when fine.
Check = Callable[[str, Any], list[str]]


class ValidationFailed(Exception):
    """A body refused by its schema; the app answers 400 with every message."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)

    def payload(self) -> dict[str, Any]:
        """The framework's 400 body: `{"statusCode", "message": [...], "error"}`."""
        return {"statusCode": 400, "message": self.messages, "error": "Bad Request"}


@dataclass(frozen=True)
class Rule:
    """One field of a schema: its check, and whether the body must carry it."""

    check: Check
    required: bool = False


Schema = Mapping[str, Rule]


def text(*, required: bool = False, choices: Sequence[str] | None = None) -> Rule:
    """A non-empty string field (one of `choices` when given)."""

    def check(name: str, value: Any) -> list[str]:
        if not isinstance(value, str):
            return [f"{name} must be a string"]
        if not value.strip():
            return [f"{name} should not be empty"]
        if choices is not None and value not in choices:
            return [f"{name} must be one of the following values: {', '.join(choices)}"]
        return []

    return Rule(check, required)


def text_list(*, required: bool = False) -> Rule:
    """An array of non-empty strings."""

    def check(name: str, value: Any) -> list[str]:
        if not isinstance(value, list):
            return [f"{name} must be an array"]
        if not all(isinstance(item, str) and item.strip() for item in value):
            return [f"each value in {name} must be a non-empty string"]
        return []

    return Rule(check, required)


def integer(*, required: bool = False, low: int | None = None, high: int | None = None) -> Rule:
    """A whole number (JSON booleans are not numbers), within [low, high] when given."""

    def check(name: str, value: Any) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{name} must be an integer number"]
        if low is not None and value < low:
            return [f"{name} must not be less than {low}"]
        if high is not None and value > high:
            return [f"{name} must not be greater than {high}"]
        return []

    return Rule(check, required)


def number(*, required: bool = False) -> Rule:
    """A JSON number, whole or not (JSON booleans are not numbers)."""

    def check(name: str, value: Any) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [f"{name} must be a number conforming to the specified constraints"]
        return []

    return Rule(check, required)


def text_or_integer(*, required: bool = False) -> Rule:
    """A string or a whole number (a value the route reads either way)."""

    def check(name: str, value: Any) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, str | int):
            return [f"{name} must be a string or an integer number"]
        return []

    return Rule(check, required)


def iso_date(*, required: bool = False) -> Rule:
    """A date-time string in ISO 8601 (`2026-11-25`, `2026-11-25T14:10:03.000Z`...)."""

    def check(name: str, value: Any) -> list[str]:
        if not isinstance(value, str):
            return [f"{name} must be a valid ISO 8601 date string"]
        try:
            datetime.fromisoformat(value.strip())
        except ValueError:
            return [f"{name} must be a valid ISO 8601 date string"]
        return []

    return Rule(check, required)


def check_query(params: Mapping[str, str], schema: Schema) -> tuple[dict[str, Any], list[str]]:
    """The query parameters `schema` names, as the framework's transform gives them to
    its checks (a whole number's digits become an int), and the problems found.

    Parameters the schema does not name are ignored, as the framework's query DTOs do.
    Returns the values and the problems, so that a route can list them together with
    its body's (`read_body(..., problems=...)`): one 400 that names every problem.
    """
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, rule in schema.items():
        raw = params.get(name)
        if raw is None:
            if rule.required:
                problems += rule.check(name, None) or [f"{name} should not be empty"]
            continue
        value: Any = int(raw) if raw.strip().isdigit() else raw
        found = rule.check(name, value)
        problems += found
        if not found:
            values[name] = value
    return values, problems


def check_body(body: Any, schema: Schema, problems: Sequence[str] = ()) -> dict[str, Any]:
    """`body` if it fits `schema`; ValidationFailed listing every problem otherwise.

    A null value counts as absent (the framework's optional fields accept it).
    `problems` are ones already found in the same request (its query), listed first.
    """
    if not isinstance(body, dict):
        raise ValidationFailed([*problems, "request body must be a JSON object"])
    problems = [*problems]
    problems += [f"property {name} should not exist" for name in body if name not in schema]
    for name, rule in schema.items():
        value = body.get(name)
        if value is None:
            if rule.required:
                problems += rule.check(name, value) or [f"{name} should not be empty"]
            continue
        problems += rule.check(name, value)
    if problems:
        raise ValidationFailed(problems)
    return body


async def read_body(
    request: Request, schema: Schema, problems: Sequence[str] = ()
) -> dict[str, Any]:
    """The request's JSON body checked against `schema` (an empty body is `{}`).

    Refused (ValidationFailed) when it is not JSON, not an object, repeats a key in
    any of its objects, or does not fit `schema`.

    `problems`: what was already found wrong in the request (its query, by
    `check_query`); they are refused together with the body's own.
    """
    raw = await request.body()
    if not raw.strip():
        return check_body({}, schema, problems)
    repeated: list[str] = []

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen and name not in repeated:
                repeated.append(name)
            seen.add(name)
        return dict(pairs)

    try:
        body = json.loads(raw, object_pairs_hook=unique)
    except (ValueError, RecursionError) as error:
        raise ValidationFailed([f"Unexpected token in JSON: {str(error)[:80]}"]) from None
    twice = [f"property {name} should not be given more than once" for name in repeated]
    return check_body(body, schema, [*problems, *twice])
