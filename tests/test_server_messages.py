"""Every shape of error answer gives all of the server's own words."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tui.api.auth import ApiKeyAuth, Secret
from tui.api.client import KunaClient
from tui.api.errors import AuthenticationError, ServerError
from tui.api.server_messages import MAX_ERROR_CHARS, error_message


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"errors": [{"code": "A", "message": "first"}, {"code": "B", "message": "second"},
                     {"code": "C", "message": "third"}, {"code": "D", "message": "fourth"}]},
         "first; second; third; fourth"),
        ({"errors": [{"code": "TOO_MANY_REQUESTS"}]}, "TOO_MANY_REQUESTS"),
        ({"errors": ["plain text"]}, "plain text"),
        ({"statusCode": 400, "message": ["property email should not exist",
                                         "token must be a string"], "error": "Bad Request"},
         "property email should not exist; token must be a string"),
        ({"statusCode": 404, "message": "Wallet not found", "error": "Not Found"},
         "Wallet not found"),
        ({"statusCode": 400, "error": "Bad Request"}, "Bad Request"),
        ({"message": "Gateway timeout"}, "Gateway timeout"),
        ({"error": {"message": "nested"}}, "nested"),
        ({"detail": "Not authenticated"}, "Not authenticated"),
        ({"detail": [{"loc": ["body", "token"], "msg": "Field required"}]}, "token: Field required"),
        ({"errors": {"email": ["is invalid", "is taken"]}}, "email: is invalid; email: is taken"),
        ("just a string", "just a string"),
        ({"message": "\u001b[2Jcleared"}, "[2Jcleared"),
        ({"message": ["", "  ", "kept"]}, "kept"),
    ],
)  # fmt: skip
def test_error_shapes(payload: Any, expected: str) -> None:
    assert error_message(json.dumps(payload).encode()) == expected


@pytest.mark.parametrize("body", [b"<html><body>502</body></html>", b"", b"[1, 2]", b"{}"])
def test_bodies_without_words(body: bytes) -> None:
    assert error_message(body) is None


def test_a_long_list_is_cut_with_an_ellipsis_only_when_long() -> None:
    short = [f"problem {n}" for n in range(5)]
    assert error_message(json.dumps({"message": short}).encode()) == "; ".join(short)
    many = [f"field{n} must be a string" for n in range(40)]
    text = error_message(json.dumps({"message": many}).encode())
    assert text is not None and len(text) == MAX_ERROR_CHARS and text.endswith("…")
    assert text.startswith("field0 must be a string; field1 must be a string")


async def test_the_framework_400_reaches_the_user_whole() -> None:
    """The field fault of issue 11: a strict server's list used to read "Bad Request"."""
    messages = ["property wallet should not exist", "walletId must be a UUID"]

    def answer(request: httpx.Request) -> httpx.Response:
        body = {"statusCode": 400, "message": messages, "error": "Bad Request"}
        return httpx.Response(400, json=body)

    auth = ApiKeyAuth(Secret("key-for-tests"))
    async with KunaClient("https://x.example", auth, transport=httpx.MockTransport(answer)) as c:
        with pytest.raises(ServerError) as caught:
            await c.fetch_balances()
    assert caught.value.message == (
        "Server error 400 Bad Request: property wallet should not exist; walletId must be a UUID"
    )


async def test_a_rejected_key_is_reported_in_the_servers_words() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {
            "statusCode": 401,
            "message": ["API key revoked", "ask your operator"],
            "error": "Unauthorized",
        }
        return httpx.Response(401, json=body)

    auth = ApiKeyAuth(Secret("key-for-tests"))
    async with KunaClient("https://x.example", auth, transport=httpx.MockTransport(answer)) as c:
        with pytest.raises(AuthenticationError) as caught:
            await c.fetch_balances()
    assert caught.value.message == "The API key was rejected: API key revoked; ask your operator"
