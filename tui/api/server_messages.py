"""The server's own words in an error answer, whatever shape they come in.

Shapes met from Kuna Core and the gateways and frameworks in front of it (see
shared/api/README.md, "Errors"):

- `{"errors": [{"code": "SOME_CODE", "message": "human readable"}, ...]}` (Kuna);
- `{"statusCode": 400, "message": "text" | ["text", ...], "error": "Bad Request"}`
  (the framework's validation answer lists every problem in `message`);
- `{"message": "..."}`, `{"error": "..." | {"message": "..."}}` (gateways);
- `{"detail": "..." | [{"loc": [...], "msg": "..."}]}` and `{"errors": {"field": [...]}}`
  (other frameworks).

Every message is kept, in the server's order; the joined text is cut with "…" only
when it is longer than a status line can hold.
"""

from __future__ import annotations

from typing import Any

from tui.api.errors import BadResponseError
from tui.api.text import clean_text

MAX_ERROR_CHARS = 300
#: More messages than this are not read (a body listing thousands is not for people).
MAX_MESSAGES = 50


def error_messages(body: bytes, charset: str | None = None) -> list[str]:
    """Every message the server put in an error body, cleaned; [] when there is none.

    `charset` is the one the answer declared. HTML pages, empty bodies and bodies that
    are not JSON (or are refused as JSON) give [].
    """
    # Here, not at the top: the client loads this module at start, and an error body
    # comes later, if ever (json_body and json then load).
    from tui.api.json_body import load_json

    try:
        payload = load_json(body, charset)
    except BadResponseError:
        return []
    if isinstance(payload, str):
        return _clean([payload])
    if not isinstance(payload, dict):
        return []
    found = _from_errors(payload.get("errors"))
    if not found:
        found = _texts(payload.get("message"))
    if not found:
        found = _from_detail(payload.get("detail"))
    if not found:
        found = _texts(payload.get("error"))
    return _clean(found)


def error_message(body: bytes, charset: str | None = None) -> str | None:
    """The server's messages joined with "; ", cut with "…" only when long; None if none."""
    text = "; ".join(error_messages(body, charset))
    if not text:
        return None
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def _texts(value: Any) -> list[str]:
    """A message given as a string, a list of strings, or an object with `message`."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value[:MAX_MESSAGES] for text in _texts(item)]
    if isinstance(value, dict):
        for key in ("message", "msg", "code"):
            if isinstance(value.get(key), str):
                return [value[key]]
    return []


def _from_errors(errors: Any) -> list[str]:
    if isinstance(errors, list):
        return _texts(errors)
    if isinstance(errors, dict):  # {"field": ["problem", ...]}
        found = []
        for field, problems in list(errors.items())[:MAX_MESSAGES]:
            found += [f"{field}: {text}" for text in _texts(problems)]
        return found
    return []


def _from_detail(detail: Any) -> list[str]:
    if not isinstance(detail, list):
        return _texts(detail)
    found = []
    for item in detail[:MAX_MESSAGES]:
        if isinstance(item, dict) and isinstance(item.get("msg"), str):
            where = item.get("loc")
            names = [str(p) for p in where if p != "body"] if isinstance(where, list) else []
            found.append(f"{'.'.join(names)}: {item['msg']}" if names else item["msg"])
        else:
            found += _texts(item)
    return found


def _clean(messages: list[str]) -> list[str]:
    cleaned = (clean_text(m).strip() for m in messages[:MAX_MESSAGES])
    return [m for m in cleaned if m]
