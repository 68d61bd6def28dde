"""A memo/tag sent inside a deposit address (`rEb8...DuaLh?dt=1049372`), taken apart.

Some back ends put an XRP destination tag, or a memo, into the address string in the
URI style wallets use, and leave `memo` null. Copied whole, that string is not an
address any wallet accepts, and the memo that the deposit needs looks absent. So the
address is split: the part before `?` is the address, the tag is the memo, and the
model remembers that the memo came inside the address (the detail pane says so).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

#: The query keys that carry a tag or memo, as sent inside addresses (any case).
TAG_KEYS = ("dt", "memo", "tag")


def split_tag(address: str) -> tuple[str, str | None, str | None]:
    """`address` as (address alone, the tag inside it, the key that carried it).

    An address without a `?dt=`, `?memo=` or `?tag=` part is returned whole, with
    (None, None). Only a non-empty address before the `?` and a non-empty tag count:
    anything else is left as it came, for the caller's own checks.
    """
    if "?" not in address:
        return address, None, None
    head, _, query = address.partition("?")
    if not head.strip():
        return address, None, None
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key.lower() in TAG_KEYS and value.strip():
            return head.strip(), value.strip(), key
    return address, None, None
