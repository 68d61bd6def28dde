"""The login body: the documented `{"token": email, "password"}`, or `{"email", ...}`.

The provider's pages send the email in a field named `token`, and a strict server
refuses any other field with a 400 whose messages say so ("property email should not
exist"). Some deployments may still want `email`. So the documented field goes first;
if, and only if, the server answers 400/422 with a message about the login field
itself (unknown, not allowed, missing, must be...), the other is tried once, and the
one the server understood is used for the rest of the session with that exchange.
A 400 about the credentials ("Invalid email or password") is not about the field.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from enum import Enum

from tui.api.auth import Secret


class LoginField(Enum):
    """The name the email is sent under."""

    TOKEN = "token"
    EMAIL = "email"

    @property
    def other(self) -> LoginField:
        """The field to try when the server refuses this one."""
        return LoginField.EMAIL if self is LoginField.TOKEN else LoginField.TOKEN

    @classmethod
    def for_exchange(cls, base_url: str) -> LoginField:
        """The field that worked with this exchange in this session, else `token`."""
        with _lock:
            return _remembered.get(_key(base_url), cls.TOKEN)


# Which field each exchange understood, for this process only (never written down).
_remembered: dict[str, LoginField] = {}
_lock = threading.Lock()

#: A message names the field...
_FIELD_NAMED = re.compile(r"(?<![\w.-])[\"'`]?(?:token|email)\b", re.IGNORECASE)
#: ...and says it is unknown, missing or malformed (framework validation wording:
#: class-validator, Joi, pydantic, express-validator, Kuna's own codes).
_FIELD_PROBLEM = re.compile(
    r"should not exist|not allowed|unknown|unexpected|unrecognized|not permitted|extra"
    r"|required|missing|must be|should not be empty|must not be empty|is empty|expected"
    r"|forbidden|invalid (?:field|property|key|parameter)|field required",
    re.IGNORECASE,
)


def login_body(field: LoginField, email: str, password: Secret) -> dict[str, str | Secret]:
    """The JSON body of `POST /v2/auth/login` with the email under `field`."""
    return {field.value: email, "password": password}


def login_field_rejected(messages: Sequence[str]) -> bool:
    """True when one of a 400/422's messages says the login field is wrong or unknown."""
    return any(_FIELD_NAMED.search(m) and _FIELD_PROBLEM.search(m) for m in messages)


def remember_login_field(base_url: str, field: LoginField) -> None:
    """Use `field` for every later login to this exchange in this session."""
    with _lock:
        _remembered[_key(base_url)] = field


def forget_login_fields() -> None:
    """Forget what every exchange understood (tests start each from the documented body)."""
    with _lock:
        _remembered.clear()


def _key(base_url: str) -> str:
    return base_url.rstrip("/").lower()
