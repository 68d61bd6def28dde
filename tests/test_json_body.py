"""Bodies as JSON: duplicate keys refused at any depth, declared charsets, JWE answers."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SANDBOX_URL
from tui.api.auth import ApiKeyAuth, PasswordAuth, Secret
from tui.api.client import KunaClient
from tui.api.errors import BadResponseError, EncryptedResponseError, ServerError
from tui.api.json_body import is_compact_jwe, load_json
from tui.api.parse import ParsedAssets, parse_balance_response, parse_login_response

KEY = ApiKeyAuth(Secret("key-for-tests"))
URL = "https://exchange.example"

# -- duplicate keys --------------------------------------------------------------------

MEMO_TWICE = (
    b'{"data": [{"asset": "XRP", "balance": "1", "depositAddress": '
    b'{"XRP": {"address": "rEb8TK3gBgk5auZkwc6sHnwrGVJH8DuaLh", "memo": "1049372", "memo": null}}}]}'
)


@pytest.mark.parametrize(
    "body",
    [
        MEMO_TWICE,
        b'{"data": [{"asset": "BTC", "balance": "1", "balance": "1000"}]}',
        b'{"data": [{"asset": "BTC", "asset": "ETH", "balance": "1"}]}',
        b'{"data": [], "data": [{"asset": "BTC", "balance": "1"}]}',
        b'{"data": [{"asset": "BTC", "balance": "1", "meta": {"memo": "a", "memo": "b"}}]}',
        b'{"data": [{"asset": "USDT", "balance": "1", "depositAddress": '
        b'{"TRX": {"address": "T1"}, "TRX": {"address": "T2"}}}]}',
        # Whitespace before the colon, and colons inside strings: the slow path finds it.
        b'{"data" : [{"asset" : "BTC", "balance" : "1", "balance" : "2"}]}',
        b'{"data": [{"asset": "a:b", "balance": "1", "note": "x:y", "note": "z"}]}',
    ],
)
def test_a_duplicate_key_anywhere_rejects_the_balances_whole(body: bytes) -> None:
    with pytest.raises(BadResponseError, match="duplicate key"):
        parse_balance_response(body)


def test_the_duplicate_key_is_named() -> None:
    with pytest.raises(BadResponseError) as caught:
        parse_balance_response(MEMO_TWICE)
    assert "'memo'" in caught.value.message


def test_a_rejected_answer_leaves_the_known_assets_alone() -> None:
    known = ParsedAssets()
    good = b'{"data": [{"asset": "BTC", "balance": "1"}]}'
    first = parse_balance_response(good, known=known)
    with pytest.raises(BadResponseError):
        parse_balance_response(
            b'{"data": [{"asset": "BTC", "balance": "1", "x": 1, "x": 2}]}', known=known
        )
    assert parse_balance_response(good, known=known).get("BTC") is first.get("BTC")


def test_a_duplicate_in_a_reused_answer_is_still_found() -> None:
    known = ParsedAssets()
    parse_balance_response(b'{"data": [{"asset": "BTC", "balance": "1"}]}', known=known)
    with pytest.raises(BadResponseError, match="duplicate key"):
        parse_balance_response(
            b'{"data": [{"asset": "BTC", "balance": "1"}], "x": 1, "x": 1}', known=known
        )


@pytest.mark.parametrize(
    "body",
    [
        b'{"data": {"accessToken": "a.b.c", "accessToken": "d.e.f"}}',
        b'{"data": {"accessToken": "a.b.c", "meta": [{"k": 1, "k": 2}]}}',
    ],
)
def test_a_duplicate_key_rejects_a_login_answer(body: bytes) -> None:
    with pytest.raises(BadResponseError, match="duplicate key"):
        parse_login_response(body)


def test_colons_inside_strings_are_no_duplicates() -> None:
    body = b'{"data": [{"asset": "BTC", "balance": "1", "note": "a:b:c \\":\\" d"}]}'
    assert parse_balance_response(body).assets == ("BTC",)


json_keys = st.text(min_size=1, max_size=6)
json_leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=8)


def _values(depth: int) -> st.SearchStrategy[Any]:
    if depth == 0:
        return json_leaves
    inner = _values(depth - 1)
    return json_leaves | st.lists(inner, max_size=3) | st.dictionaries(json_keys, inner, max_size=3)


def _dump(value: Any, duplicate_at: list[int], counter: list[int]) -> str:
    """JSON text of `value`, repeating the first key of the object numbered
    `duplicate_at[0]` (in the order objects are written)."""
    if isinstance(value, dict):
        number = counter[0]
        counter[0] += 1
        items = [f"{json.dumps(k)}: {_dump(v, duplicate_at, counter)}" for k, v in value.items()]
        if value and duplicate_at and duplicate_at[0] == number:
            first = next(iter(value))
            items.append(f"{json.dumps(first)}: null")
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v, duplicate_at, counter) for v in value) + "]"
    return json.dumps(value)


@settings(max_examples=150, deadline=None)
@given(value=_values(3), where=st.integers(min_value=0, max_value=20))
def test_duplicates_are_found_at_any_depth(value: Any, where: int) -> None:
    plain = _dump(value, [], [0]).encode()
    assert load_json(plain) == json.loads(plain)  # no duplicate: read as it is
    objects = [0]
    _dump(value, [], objects)
    text = _dump(value, [where], [0]).encode()
    if where < objects[0] and text != plain:
        with pytest.raises(BadResponseError, match="duplicate key"):
            load_json(text)
        wrapped = b'{"data": [{"asset": "BTC", "balance": "1", "extra": ' + text + b"}]}"
        with pytest.raises(BadResponseError, match="duplicate key"):
            parse_balance_response(wrapped)


# -- charset ---------------------------------------------------------------------------

REASON = "Недостатньо коштів на рахунку"


@pytest.mark.parametrize("charset", ["windows-1251", "cp1251", "koi8-u", "utf-16", "UTF-8"])
async def test_an_error_body_is_read_in_its_declared_charset(charset: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        body = json.dumps({"message": REASON}, ensure_ascii=False).encode(charset)
        headers = {"content-type": f"application/json; charset={charset}"}
        return httpx.Response(400, content=body, headers=headers)

    async with KunaClient(URL, KEY, transport=httpx.MockTransport(answer)) as client:
        with pytest.raises(ServerError) as caught:
            await client.fetch_balances()
    assert caught.value.message == f"Server error 400 Bad Request: {REASON}"


async def test_balances_and_login_are_read_in_their_declared_charset() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("login"):
            payload: Any = {"data": {"accessToken": "a.b.c"}}
        else:
            payload = {"data": [{"asset": "ГРН", "balance": "1"}]}
        body = json.dumps(payload, ensure_ascii=False).encode("windows-1251")
        return httpx.Response(
            201, content=body, headers={"content-type": "application/json; charset=windows-1251"}
        )

    auth = PasswordAuth("m", "me@example.com", Secret("pass-word"))
    async with KunaClient(URL, auth, transport=httpx.MockTransport(answer)) as client:
        assert (await client.fetch_balances()).assets == ("ГРН",)


def test_a_body_that_is_not_its_declared_charset_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError, match="not valid utf-16"):
        parse_balance_response(b'{"data": []}\xff', charset="utf-16")


def test_an_unknown_charset_falls_back_to_utf8() -> None:
    assert parse_balance_response(b'{"data": []}', charset="x-no-such-charset").assets == ()


# -- message-level encryption (JWE) ----------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


JWE = ".".join(
    [_b64(b'{"alg":"RSA-OAEP-256","enc":"A256GCM"}'), _b64(b"k" * 32), _b64(b"iv" * 6),
     _b64(b"ciphertext" * 5), _b64(b"t" * 16)]
)  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        JWE.encode(),
        f"  {JWE}\n".encode(),
        json.dumps(JWE).encode(),
        json.dumps({"data": JWE}).encode(),
        json.dumps({"token": JWE}).encode(),
    ],
)
def test_an_encrypted_answer_gets_its_own_error(body: bytes) -> None:
    for parse in (parse_balance_response, parse_login_response):
        with pytest.raises(EncryptedResponseError) as caught:
            parse(body)
        assert "encrypt" in caught.value.message and "not support" in caught.value.message
        assert "JSON" not in caught.value.message and "array" not in caught.value.message


async def test_the_client_reports_an_encrypted_answer_as_such() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(201, json={"data": JWE}))
    async with KunaClient(SANDBOX_URL, KEY, transport=transport) as client:
        with pytest.raises(EncryptedResponseError, match="message-level encryption"):
            await client.fetch_balances()


@pytest.mark.parametrize(
    "text",
    ["a.b.c.d.e", "1.2.3.4.5", "eyJhbGciOiJIUzI1NiJ9.e30.sig", "not jwe", "", "....."],
)
def test_things_that_only_look_dotted_are_not_jwe(text: str) -> None:
    assert not is_compact_jwe(text)
    assert is_compact_jwe(JWE)
