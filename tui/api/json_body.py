"""From a response body's bytes to JSON values, refusing what would be misread.

Three things go wrong with bodies before any field is looked at, and each has its own
error here rather than "bad JSON" or a wrong value further on:

- **Charset**: a body declared `application/json; charset=windows-1251` is decoded with
  that charset (JSON's own detection only knows UTF-8/16/32), so a server's reason in
  Cyrillic survives.
- **Duplicate keys**: `{"memo": "1049372", "memo": null}` is valid JSON to Python, where
  the last value silently wins; an answer with a duplicate key at any depth is refused
  as a bad response naming the key.
- **Message-level encryption**: an operator can switch on JWE bodies, which wallet-tui
  does not support: a compact JWE (five base64url parts) as the whole body, or in
  `data` or `token`, raises EncryptedResponseError.

Numbers are read as Decimal (never float) and NaN/Infinity are refused.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import re
from decimal import Decimal
from typing import Any

from tui.api.errors import BadResponseError, EncryptedResponseError
from tui.api.text import clean_text

#: The largest response body read at all (a wallet of 5,000 assets is about 2 MB).
MAX_BODY_BYTES = 32 * 1024 * 1024
#: Charsets that need no decoding step: json.loads reads UTF-8 bytes itself.
_NATIVE_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
#: A compact JWE: header.encrypted_key.iv.ciphertext.tag, each base64url (key/iv/tag may
#: be empty for some algorithms).
_JWE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_JWE_BYTES = re.compile(_JWE.pattern.encode("ascii"))
#: Where an encrypted answer carries its JWE.
_JWE_FIELDS = ("data", "token")

ENCRYPTED_MESSAGE = (
    "the exchange answered with an encrypted (JWE) message: its operator has switched on "
    "message-level encryption, which wallet-tui does not support; ask the operator for "
    "unencrypted API access"
)

Body = bytes | str


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def decode_text(body: bytes, charset: str | None) -> Body:
    """`body` decoded with its declared `charset` (a str), or the bytes as they are.

    UTF-8 and ASCII bodies stay bytes (json.loads decodes them); an unknown charset
    name is ignored, as JSON is UTF-8 unless said otherwise. Raises BadResponseError
    when the body is not valid text in the declared charset.
    """
    if not charset:
        return body
    name = charset.strip().strip("\"'").lower()
    if name in _NATIVE_CHARSETS:
        return body
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return body
    try:
        return body.decode(codec.name)
    except UnicodeDecodeError:
        raise BadResponseError(f"response is not valid {clean_text(name)[:40]} text") from None


def parse_json_fast(body: Body) -> Any:
    """`body` as JSON, without the duplicate-key check (see `refuse_duplicates`).

    Raises EncryptedResponseError for a JWE body, BadResponseError for anything else
    that is not JSON.
    """
    if len(body) > MAX_BODY_BYTES:
        raise BadResponseError(f"response too large ({len(body):,} bytes)")
    try:
        payload = json.loads(
            body, parse_float=Decimal, parse_int=Decimal, parse_constant=_reject_constant
        )
    except (ValueError, RecursionError) as exc:
        if is_compact_jwe(body.strip()):
            raise EncryptedResponseError(ENCRYPTED_MESSAGE) from None
        raise BadResponseError(f"response is not valid JSON ({_first_line(exc)})") from None
    reject_encrypted(payload)
    return payload


def load_json(body: bytes, charset: str | None = None) -> Any:
    """A whole answer's JSON: decoded with `charset`, exact numbers, no duplicate keys.

    For small answers (login, errors, every endpoint but the balances, whose parser
    counts keys as it goes). Raises BadResponseError / EncryptedResponseError.
    """
    text = decode_text(body, charset)
    payload = parse_json_fast(text)
    refuse_duplicates(text, count_keys(payload))
    return payload


def refuse_duplicates(body: Body, keys: int) -> None:
    """Raise BadResponseError naming a key that some object of `body` holds twice.

    `keys` is the number of keys in the decoded value. Every key in the text is
    followed by a colon outside any string, so when the body has no more colons than
    the decoded value has keys, no key was lost to a duplicate and this is all the
    check costs (one count over the bytes). Otherwise (colons inside strings, or a
    duplicate) the body is parsed again, slowly, to find out.
    """
    colons = body.count(b":") if isinstance(body, bytes) else body.count(":")
    if colons == keys:
        return
    json.loads(
        body,
        parse_float=Decimal,
        parse_int=Decimal,
        parse_constant=_reject_constant,
        object_pairs_hook=_unique_object,
    )


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                shown = clean_text(key)[:40]
                raise BadResponseError(
                    f"response has a duplicate key {shown!r} in one object "
                    "(one of its values would be lost)"
                )
            seen.add(key)
    return obj


def count_keys(value: Any) -> int:
    """How many keys the objects in `value` hold, at every depth."""
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            count += len(item)
            stack.extend(item.values())
        elif type(item) is list:
            stack.extend(item)
    return count


def reject_encrypted(payload: Any) -> None:
    """Raise EncryptedResponseError when `payload` is, or wraps, a compact JWE."""
    if type(payload) is str and is_compact_jwe(payload):
        raise EncryptedResponseError(ENCRYPTED_MESSAGE)
    if type(payload) is dict:
        for field in _JWE_FIELDS:
            value = payload.get(field)
            if type(value) is str and is_compact_jwe(value):
                raise EncryptedResponseError(ENCRYPTED_MESSAGE)


def is_compact_jwe(text: Body) -> bool:
    """True for a JWE in compact form: five base64url parts whose first is a JOSE header.

    The header must decode to a JSON object naming `alg` or `enc`, so that no
    dotted value that merely looks the part (a version string, say) is taken for one.
    """
    pattern = _JWE_BYTES if isinstance(text, bytes) else _JWE
    if len(text) > MAX_BODY_BYTES or not pattern.fullmatch(text):  # type: ignore[arg-type]
        return False
    head = text.split(b"." if isinstance(text, bytes) else ".", 1)[0]  # type: ignore[arg-type]
    segment = head if isinstance(head, bytes) else head.encode("ascii")
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        return False
    return isinstance(header, dict) and ("enc" in header or "alg" in header)


def _first_line(exc: BaseException) -> str:
    return clean_text(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)[:120]
