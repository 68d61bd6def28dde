"""Validate and parse the exchange's JSON answers into models, all or nothing.

A response with anything wrong in it (not JSON, a wrong type, a bad amount, a
duplicate asset) raises BadResponseError and nothing of it is used.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tui.api.address_tag import split_tag
from tui.api.amounts import AmountError, parse_amount
from tui.api.errors import BadResponseError
from tui.api.json_body import (
    MAX_BODY_BYTES,
    count_keys,
    decode_text,
    load_json,
    parse_json_fast,
    refuse_duplicates,
)
from tui.api.models import (
    AVAILABLE,
    AssetBalance,
    BalanceSnapshot,
    DepositAddress,
    LoginTokens,
    is_amount_field,
)
from tui.api.server_messages import MAX_ERROR_CHARS, error_message, error_messages
from tui.api.text import clean_text, is_clean

if TYPE_CHECKING:
    from tui.api.splice import Layout, Splice

# Kept importable from here, where the parsers have always been.
__all__ = [
    "MAX_ERROR_CHARS",
    "ParsedAssets",
    "error_message",
    "error_messages",
    "jwt_expiry",
    "load_json",
    "parse_balance_payload",
    "parse_balance_response",
    "parse_login_response",
]

#: Strings longer than this are not names or addresses; they are rejected.
MAX_TEXT_CHARS = 1024
#: Amount field names ("holdBalance", "settlementBalance") are short identifiers.
MAX_FIELD_CHARS = 64


class _Invalid(ValueError):
    """What is wrong with a value; the caller adds where it was (only on this error path)."""


def _text(value: Any, *, allow_empty: bool = False) -> str:
    if (
        type(value) is str
        and 0 < len(value) <= MAX_TEXT_CHARS
        and value.isascii()
        and value.isprintable()
        and value[0] != " "
        and value[-1] != " "
    ):
        return value  # most names and addresses: nothing for clean_text or strip to do
    if not isinstance(value, str):
        raise _Invalid(f"must be a string, got {_json_type(value)}")
    if len(value) > MAX_TEXT_CHARS:
        raise _Invalid(f"is too long ({len(value):,} characters)")
    cleaned = clean_text(value).strip()
    if not cleaned and not allow_empty:
        raise _Invalid("is empty")
    return cleaned


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Decimal):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


class ParsedAssets:
    """The assets of the last good `/v2/balance` answer, as sent and as parsed.

    A big wallet changes a few assets per refresh. An item sent exactly as last time
    parses to the same AssetBalance, so that object is reused instead: parsing costs
    a comparison of plain dicts for most assets, and the grid knows an unchanged asset
    by identity. "Exactly" is strict. JSON numbers are read as Decimal, and `1`, `1.0`
    and `true` compare equal in Python while they are different answers (`true` is
    not an amount at all), so only items whose amounts were all strings are reused;
    keys must also come in the same order, as the models keep the server's order.
    One instance serves one client; a rejected answer leaves it as it was.

    The last accepted body is kept too (for the same wallet). The same body again is
    the same answer: its snapshot is handed back as it is, without decoding it (the
    refresh of a wallet in which nothing moved). A body that differs from it in a few
    items has only those decoded (`tui.api.splice`), the rest keep their objects.
    """

    __slots__ = ("_answer", "_items")

    def __init__(self) -> None:
        # raw asset symbol -> (the item as decoded, its balance, the keys in the item)
        self._items: dict[str, _Known] = {}
        self._answer: _Answer | None = None

    def __len__(self) -> int:
        return len(self._items)

    def reuse(self, item: dict[str, Any]) -> _Known | None:
        """What was parsed from an item identical to `item` last time, if any."""
        asset = item.get("asset")
        known = self._items.get(asset) if type(asset) is str else None
        if known is None:
            return None
        old = known[0]
        if old != item or list(old) != list(item):
            return None
        addresses = old.get("depositAddress")
        if isinstance(addresses, dict) and list(addresses) != list(item["depositAddress"]):
            return None
        return known

    def replace(self, entries: dict[str, _Known]) -> None:
        """Remember the items of an answer that was accepted whole."""
        self._items = entries


#: An item as decoded, its balance, and how many keys its objects hold at every depth.
_Known = tuple[dict[str, Any], AssetBalance, int]


@dataclass(frozen=True, slots=True)
class _Answer:
    """The last accepted body (UTF-8 or ASCII bytes), the wallet it was for, its
    snapshot, and its layout (None when not laid out: not ASCII, or another shape
    than `{"data": [...]}`)."""

    body: bytes
    wallet_id: str | None
    snapshot: BalanceSnapshot
    layout: Layout | None


def _reusable(item: dict[str, Any]) -> bool:
    """True when every amount of `item` was sent as a string (or null)."""
    return all(
        type(raw) is str or raw is None
        for key, raw in item.items()
        if isinstance(key, str) and is_amount_field(key)
    )


def parse_balance_payload(
    payload: Any, wallet_id: str | None = None, known: ParsedAssets | None = None
) -> BalanceSnapshot:
    """Validate a decoded `/v2/balance` answer (`{"data": [...]}`) and build the snapshot.

    With `known`, assets sent exactly as in the last answer it remembers keep their
    objects, and `known` then remembers this answer (only if all of it is valid).
    """
    return _parse_balances(payload, wallet_id, known)[0]


def parse_balance_response(
    body: bytes,
    wallet_id: str | None = None,
    known: ParsedAssets | None = None,
    charset: str | None = None,
) -> BalanceSnapshot:
    """Parse the raw body of a `/v2/balance` answer (see `parse_balance_payload`).

    `charset` is the one the answer declared. An object with a duplicate key anywhere
    in the body rejects it whole; the keys are counted as the assets are parsed, so
    that the check costs one count of the body's colons (see `refuse_duplicates`).
    """
    text = decode_text(body, charset)
    if known is None or not isinstance(text, bytes) or len(text) > MAX_BODY_BYTES:
        snapshot, keys, remember = _parse_balances(parse_json_fast(text), wallet_id, known)
        refuse_duplicates(text, keys)
        remember()
        return snapshot
    # The body as sent (UTF-8 or ASCII): compared with the last one accepted.
    last = known._answer
    if last is not None and last.wallet_id == wallet_id:
        if last.body == text:
            return last.snapshot
        if last.layout is not None:
            from tui.api.splice import splice  # (not needed before the second answer)

            spliced = splice(last.layout, last.body, text)
            if spliced is not None:
                snapshot = _spliced_snapshot(spliced, last.snapshot, wallet_id, known)
                if snapshot is not None:
                    known._answer = _Answer(bytes(text), wallet_id, snapshot, spliced.layout)
                    return snapshot
    from tui.api.splice import lay_out  # (the app's first answer is the prefetch child's)

    layout = lay_out(text)
    payload = {"data": layout.items} if layout is not None else parse_json_fast(text)
    snapshot, keys, remember = _parse_balances(payload, wallet_id, known)
    refuse_duplicates(text, keys)
    remember()
    known._answer = _Answer(bytes(text), wallet_id, snapshot, layout)
    return snapshot


def _spliced_snapshot(
    spliced: Splice, last: BalanceSnapshot, wallet_id: str | None, known: ParsedAssets
) -> BalanceSnapshot | None:
    """The last snapshot with the spliced items parsed in place of the ones they replace.

    An item the splice found byte for byte at its place keeps its balance object; the
    others are parsed. None when anything is wrong with them (a bad item, a duplicate
    asset, a duplicate key): the full parse then rejects the answer with the message
    it always gives.
    """
    memo = _Memo()
    entries = dict(known._items)
    first, sources = spliced.first, spliced.sources
    old = last.balances
    # The old items the span replaces: those not found again at their place.
    replaced = {old[index].asset for index in set(range(first, spliced.stop)).difference(sources)}
    for asset in replaced:
        entries.pop(asset, None)
    # The same bytes as last time are the same asset: its balance is kept.
    parsed: list[AssetBalance | None] = [
        None if source is None else old[source] for source in sources
    ]
    new_assets: set[str] = set()
    keys = 0
    try:
        for offset in spliced.decoded:
            item = spliced.new_items[offset]
            entry = known.reuse(item) if type(item) is dict else None
            if entry is None:
                balance, item_keys = _parse_asset(item, first + offset, memo)
                entry = (item, balance, item_keys)
                if type(item.get("asset")) is str and _reusable(item):
                    entries[item["asset"]] = entry
            else:
                entries[item["asset"]] = entry  # equal to a kept item, so reusable too
            _, balance, item_keys = entry
            keys += item_keys
            # An asset twice: among the new items, or one of them and a kept item.
            asset = balance.asset
            if asset in new_assets or (asset not in replaced and last.get(asset) is not None):
                return None
            new_assets.add(asset)
            parsed[offset] = balance
    except BadResponseError:
        return None
    # A duplicate key in the decoded items: fewer keys decoded than colons sent (a
    # colon inside a string counts too; then the full parse looks closer).
    if spliced.colons != keys:
        return None
    balances = (*old[:first], *parsed, *old[spliced.stop :])  # (every None filled in)
    known.replace(entries)
    return BalanceSnapshot(balances, wallet_id=wallet_id)


def _parse_balances(
    payload: Any, wallet_id: str | None, known: ParsedAssets | None
) -> tuple[BalanceSnapshot, int, Callable[[], None]]:
    """The snapshot, the keys of `payload` at every depth, and a call that makes `known`
    remember this answer (for the caller to make once the whole body is accepted)."""
    if not isinstance(payload, dict) or "data" not in payload:
        raise BadResponseError("balance response has no 'data' field")
    items = payload["data"]
    if not isinstance(items, list):
        raise BadResponseError(f"'data' must be an array, got {_json_type(items)}")
    keys = len(payload) + sum(count_keys(v) for k, v in payload.items() if k != "data")
    balances: list[AssetBalance] = []
    seen: set[str] = set()
    memo = _Memo()
    remembered: dict[str, _Known] = {}
    for position, item in enumerate(items):
        entry = known.reuse(item) if known is not None and type(item) is dict else None
        if entry is None:
            balance, item_keys = _parse_asset(item, position, memo)
            if known is not None and type(item.get("asset")) is str and _reusable(item):
                remembered[item["asset"]] = (item, balance, item_keys)
        else:
            _, balance, item_keys = entry
            remembered[item["asset"]] = entry
        keys += item_keys
        if balance.asset in seen:
            raise BadResponseError(f"asset {balance.asset!r} appears twice")
        seen.add(balance.asset)
        balances.append(balance)

    def remember() -> None:
        if known is not None:
            known.replace(remembered)

    return BalanceSnapshot(tuple(balances), wallet_id=wallet_id), keys, remember


#: A key not met yet in this answer.
_UNSEEN: Any = object()

#: An amount field's name as shown, and its pairs memoized by the amount string.
_AmountField = tuple[str, dict[str, tuple[str, Decimal]]]


class _Memo:
    """What one answer repeats from asset to asset, worked out once per answer.

    The same few keys and network names, and the same amount strings ("0" above all:
    most assets of a big wallet are empty). A (field, amount) pair is immutable, so one
    pair can stand for every identical string in that field. Only strings are memoized:
    `1`, `1.0` and `True` are equal as keys but are not the same answer.
    """

    __slots__ = ("fields", "networks")

    def __init__(self) -> None:
        # key -> None when it is not an amount field.
        self.fields: dict[Any, _AmountField | None] = {}
        self.networks: dict[str, str] = {}

    def field(self, key: Any) -> _AmountField | None:
        """Decide whether `key`, met for the first time, is an amount field.

        An amount field's name becomes a label on screen, so it must be a plain name:
        one with control characters could also clean to the same name as another
        field of the asset, and be counted twice in its total.
        """
        if not (isinstance(key, str) and is_amount_field(key)):
            entry = None
        elif len(key) > MAX_FIELD_CHARS or not is_clean(key):
            shown = clean_text(key)[:40]
            raise BadResponseError(f"amount field {shown!r} is not a plain field name")
        else:
            entry = (key, {})
        self.fields[key] = entry
        return entry

    def network(self, raw: Any) -> str:
        """`_text(raw)` for a network name met for the first time in this answer."""
        name = _text(raw)
        self.networks[raw] = name
        return name


def _available_first(pair: tuple[str, Decimal]) -> bool:
    return pair[0] != AVAILABLE


# The messages name the place of a bad value; they are built only when one is found,
# since a wallet of 5,000 assets would otherwise format 10,000 of them for nothing.
def _parse_asset(item: Any, position: int, memo: _Memo) -> tuple[AssetBalance, int]:
    """The balance of one asset, and the keys its objects hold at every depth."""
    if not isinstance(item, dict):
        raise BadResponseError(f"data[{position}] must be an object, got {_json_type(item)}")
    try:
        asset = _text(item.get("asset"))
    except _Invalid as problem:
        raise BadResponseError(f"data[{position}].asset {problem}") from None
    if item.get(AVAILABLE) is None:
        raise BadResponseError(f"asset {asset!r} has no 'balance'")
    fields = memo.fields
    amounts: list[tuple[str, Decimal]] = []
    keys = len(item)
    for key, raw in item.items():
        field = fields.get(key, _UNSEEN)
        if field is _UNSEEN:
            field = memo.field(key)
        if field is None:
            if type(raw) is dict or type(raw) is list:
                keys += count_keys(raw)  # depositAddress, or a field we do not know
            continue
        if raw is None:
            continue  # an optional balance the server did not fill
        name, pairs = field
        pair = pairs.get(raw) if type(raw) is str else None
        if pair is None:
            try:
                pair = (name, parse_amount(raw))
            except AmountError as exc:
                raise BadResponseError(f"asset {asset!r}: {key}: {exc}") from None
            if type(raw) is str:
                pairs[raw] = pair
        amounts.append(pair)
    if amounts[0][0] != AVAILABLE:
        # The documented `balance` first, then the others in the server's order.
        amounts.sort(key=_available_first)
    addresses = _parse_addresses(item.get("depositAddress"), asset, memo)
    return AssetBalance(asset, tuple(amounts), addresses), keys


def _parse_addresses(raw: Any, asset: str, memo: _Memo) -> tuple[DepositAddress, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise BadResponseError(
            f"asset {asset!r}: depositAddress must be an object, got {_json_type(raw)}"
        )
    addresses: list[DepositAddress] = []
    networks = memo.networks
    for network_raw, entry in raw.items():
        network = networks.get(network_raw) if type(network_raw) is str else None
        if network is None:
            try:
                network = memo.network(network_raw)
            except _Invalid as problem:
                raise BadResponseError(f"asset {asset!r}: network name {problem}") from None
        if entry is None:
            continue  # a network listed without an address yet
        if not isinstance(entry, dict):
            raise BadResponseError(
                f"asset {asset!r} on {network}: address entry must be an object, "
                f"got {_json_type(entry)}"
            )
        tag = entry.get("memo")
        try:
            field = "address"
            address = _text(entry.get("address"))
            field = "memo"
            tag = None if tag is None else (_text(tag, allow_empty=True) or None)
        except _Invalid as problem:
            raise BadResponseError(f"asset {asset!r} on {network}: {field} {problem}") from None
        inside = False
        if "?" in address:
            address, tag, inside = _tag_inside(address, tag, asset, network)
        addresses.append(DepositAddress(network, address, tag, inside))
    return tuple(addresses)


def _tag_inside(
    address: str, memo: str | None, asset: str, network: str
) -> tuple[str, str | None, bool]:
    """The address without the tag it carries (`?dt=`...), the memo to use, and
    whether that memo came inside the address.

    A tag inside the address and a different `memo` beside it leave no way to tell
    which one the exchange will credit: the answer is refused rather than guessed.
    """
    bare, tag, key = split_tag(address)
    if tag is None:
        return address, memo, False
    if memo is not None and memo != tag:
        raise BadResponseError(
            f"asset {asset!r} on {network}: the address carries the tag {tag!r} (?{key}=) "
            f"but the memo is {memo!r}"
        )
    return bare, tag, True


def parse_login_response(body: bytes, charset: str | None = None) -> LoginTokens:
    """Parse `/v2/auth/login`'s answer: `{"data": {"accessToken": ..., ...}}`."""
    payload = load_json(body, charset)
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        raise BadResponseError("login response has no 'data' object")
    token = data.get("accessToken")
    if not isinstance(token, str) or not token.strip():
        raise BadResponseError("login response has no access token")
    refresh = data.get("refreshToken")
    expires_at = jwt_expiry(token)
    expires_in = data.get("expiresIn")
    if expires_at is None and isinstance(expires_in, Decimal) and expires_in.is_finite():
        expires_at = time.time() + float(expires_in)  # seconds, not money
    return LoginTokens(
        access_token=token.strip(),
        refresh_token=refresh if isinstance(refresh, str) else None,
        expires_at=expires_at,
    )


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim of a JWT, read without verifying the signature (the server does)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    segment = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(segment))
    except (ValueError, binascii.Error, RecursionError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, int | float) and not isinstance(exp, bool):
        return float(exp)
    return None
