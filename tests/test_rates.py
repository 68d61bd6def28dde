"""Market rates and values: parsing `/v2/rate/equivalent`, exact values and totals, and
their text (fiat to the cent, crypto to 8 decimals, half to even, never a false 0)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.api.amounts import exact_product, format_amount, format_value
from tui.api.client import KunaClient
from tui.api.errors import BadResponseError, ServerError
from tui.api.json_body import load_json
from tui.api.models import AssetBalance, BalanceSnapshot
from tui.api.rates import Rates, _parse_plain, parse_rates_payload, parse_rates_response
from tui.api.values import wallet_value
from tui.sandbox.faults import Fault, FaultPlan
from tui.sandbox.wallet import DemoExchange

# Decimals as the exchange sends them: up to 18 decimals, up to 12 integer digits.
amounts = st.decimals(
    min_value=0, max_value=10**12, places=18, allow_nan=False, allow_infinity=False
)
rates_values = st.decimals(
    min_value=0, max_value=10**7, places=12, allow_nan=False, allow_infinity=False
)
symbols = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=6)


def body(data: object) -> bytes:
    return json.dumps({"data": data}).encode()


def test_a_documented_answer_parses_exactly_and_a_zero_rate_is_no_rate() -> None:
    rates = parse_rates_response(
        body(
            [
                {"asset": "BTC", "equivalent": {"USD": "26230.101302460202605", "UAH": "1230963"}},
                {"asset": "XRP", "equivalent": {"USD": "0", "BTC": "0.0000190"}},
                {"asset": "NEW", "equivalent": None},
            ]
        )
    )
    assert rates.quotes == ("USD", "UAH", "BTC")
    assert rates.rate("BTC", "USD") == Decimal("26230.101302460202605")
    assert format_amount(rates.table["XRP"]["BTC"]) == "0.0000190"
    assert rates.rate("XRP", "USD") is None  # "0": no rate, never a value of zero
    assert rates.rate("NEW", "USD") is None and rates.rate("DOGE", "USD") is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"oops": 1}, "must be an array"),
        ([{"equivalent": {"USD": "1"}}], "asset must be a string"),
        ([{"asset": "BTC", "equivalent": ["USD", "1"]}], "must be an object"),
        ([{"asset": "BTC", "equivalent": {"USD": "12,5abc"}}], "rate of 'BTC' in USD"),
        ([{"asset": "BTC", "equivalent": {"USD": "-1"}}], "negative"),
        ([{"asset": "BTC", "equivalent": {"USD": True}}], "rate of 'BTC' in USD"),
        ([{"asset": "BTC", "equivalent": {"USD": "NaN"}}], "rate of 'BTC' in USD"),
        (
            [{"asset": "BTC", "equivalent": {}}, {"asset": "BTC", "equivalent": {}}],
            "appears twice",
        ),
    ],
)
def test_a_bad_answer_is_rejected_whole(data: object, reason: str) -> None:
    with pytest.raises(BadResponseError, match=reason):
        parse_rates_response(body(data))


def test_a_duplicate_quote_key_is_rejected_whole() -> None:
    body = b'{"data": [{"asset": "BTC", "equivalent": {"USD": "1", "USD": "2"}}]}'
    with pytest.raises(BadResponseError):
        parse_rates_response(body)


@given(st.dictionaries(symbols, st.dictionaries(symbols, rates_values, max_size=5), max_size=8))
def test_every_rate_sent_comes_back_exactly(table: dict[str, dict[str, Decimal]]) -> None:
    data = [
        {"asset": asset, "equivalent": {q: format_amount(r) for q, r in quotes.items()}}
        for asset, quotes in table.items()
    ]
    rates = parse_rates_response(body(data))
    for asset, quotes in table.items():
        for quote, rate in quotes.items():
            assert rates.table[asset][quote] == rate
            assert rates.rate(asset, quote) == (rate or None)


# What the bulk reading must send to the full reader (or take exactly as it would):
# each kind of odd rate, symbol and item.
ODD_RATES = [
    "1.",
    ".5",
    "1e5",
    "-1",
    "-0",
    " 1",
    "1,5",
    "1_000",
    "NaN",
    "",
    ".",
    "1.2.3",
    "1" * 41,
    "1" * 42,
    "0." + "1" * 41,
    "1" * 30 + "." + "1" * 34,
    7,
    -5,
    True,
    None,
]
ODD_SYMBOLS = ["", " BTC", "US D", "Ü", "A" * 65, "Q" * 17, "X\x07"]
plain_items = st.lists(
    st.fixed_dictionaries(
        {
            "asset": symbols,
            "equivalent": st.dictionaries(symbols, rates_values.map(format_amount), max_size=4),
        }
    ),
    max_size=6,
)


ODD_ITEMS: list[object] = [
    *({"asset": "ETH", "equivalent": {"USD": "2", "EUR": rate}} for rate in ODD_RATES),
    *({"asset": "ETH", "equivalent": {quote: "2"}} for quote in ODD_SYMBOLS),
    *({"asset": asset, "equivalent": {"USD": "2"}} for asset in [*ODD_SYMBOLS, 5, None]),
    {"asset": "ETH", "equivalent": None},
    {"asset": "ETH"},
    {"equivalent": {"USD": "2"}},
    {"asset": "ETH", "equivalent": {"USD": "2"}, "note": {"a": 1}},
    {"asset": "BTC", "equivalent": {"USD": "2"}},  # BTC twice
    {"asset": "ETH", "equivalent": ["USD", "2"]},
    {"asset": "ETH", "equivalent": {}},
    ["ETH"],
]


def outcome(read: object) -> object:
    """What a reading gave: the rates with each rate's exact digits, or the error's text."""
    try:
        rates = read()  # type: ignore[operator]
    except BadResponseError as exc:
        return ("refused", str(exc))
    table = {a: {q: str(r) for q, r in quotes.items()} for a, quotes in rates.table.items()}
    return (table, rates.quotes)


def bulk_and_full(data: bytes) -> None:
    assert outcome(lambda: parse_rates_response(data)) == outcome(
        lambda: parse_rates_payload(load_json(data))
    )


@given(plain_items, st.booleans())
def test_the_bulk_reading_of_rates_is_the_full_reading(items: list[object], dup: bool) -> None:
    """`parse_rates_response` reads the usual answer in bulk: it gives what the full
    reader gives, the same rates to the digit and the quotes in the same order, and a
    duplicate key is refused as before."""
    raw = json.dumps({"data": items})
    if dup:
        raw = raw.replace('"equivalent": {', '"equivalent": {"USD": "3", ', 1)  # maybe twice
    bulk_and_full(raw.encode())


@pytest.mark.parametrize("odd", ODD_ITEMS, ids=repr)
def test_an_odd_item_gets_what_the_full_reading_gives(odd: object) -> None:
    """Whatever is odd in an answer (a rate that is not a plain decimal string, a
    symbol that needs cleaning or is too long, an item of another shape), the bulk
    reading gives what the full reader gives: the same rates, or the same refusal."""
    data = [{"asset": "BTC", "equivalent": {"USD": "1.5", "EUR": "1.25"}}, odd]
    bulk_and_full(json.dumps({"data": data}).encode())
    bulk_and_full(json.dumps({"data": data[::-1]}).encode())


def test_the_usual_answer_takes_the_bulk_reading() -> None:
    exchange = DemoExchange(moving=False)
    payload = json.loads(json.dumps(exchange.rates_payload()))
    plain = _parse_plain(payload)
    assert plain is not None
    assert plain[0] == parse_rates_payload(payload)


@given(
    st.lists(st.tuples(amounts, amounts, st.one_of(st.none(), rates_values)), max_size=12),
)
def test_the_total_is_the_exact_sum_of_the_parts(
    rows: list[tuple[Decimal, Decimal, Decimal | None]],
) -> None:
    balances = []
    table: dict[str, dict[str, Decimal]] = {}
    for n, (available, hold, rate) in enumerate(rows):
        asset = f"A{n}"
        balances.append(AssetBalance(asset, (("balance", available), ("holdBalance", hold))))
        if rate is not None:
            table[asset] = {"USD": rate}
    snapshot = BalanceSnapshot(tuple(balances))
    value = wallet_value(snapshot, Rates(table, ("USD",)), "USD")
    # The oracle: exact rational arithmetic, independent of any Decimal context.
    expected = sum(
        (Fraction(b.available) + Fraction(b.hold or 0)) * Fraction(table[b.asset]["USD"])
        for b in balances
        if table.get(b.asset, {}).get("USD")
    )
    assert Fraction(value.total) == expected
    # Left out: exactly the assets holding something without a rate (or with "0").
    assert value.missing == tuple(
        b.asset for b in balances if not b.is_zero and not table.get(b.asset, {}).get("USD")
    )


def test_the_total_names_what_it_leaves_out() -> None:
    snapshot = BalanceSnapshot(
        (
            AssetBalance("BTC", (("balance", Decimal("0.5")),)),
            AssetBalance("XRP", (("balance", Decimal("100")),)),
            AssetBalance("SOL", (("balance", Decimal("0")),)),  # nothing held: not a gap
        )
    )
    rates = Rates({"BTC": {"USD": Decimal("96420.14")}, "XRP": {"USD": Decimal("0")}}, ("USD",))
    value = wallet_value(snapshot, rates, "USD")
    assert value.describe() == "≈ 48,210.07 USD, excl. XRP: no rate"
    assert value.describe(masked=True) == "≈ ••••• USD, excl. XRP: no rate"


@pytest.mark.parametrize(
    ("value", "quote", "shown"),
    [
        ("48210.065", "USD", "48,210.06"),  # half to even: down to the even cent
        ("48210.075", "USD", "48,210.08"),  # and up to it
        ("0.004", "USD", "<0.01"),  # never a non-zero value as 0
        ("-0.004", "EUR", ">-0.01"),
        ("0", "UAH", "0.00"),
        ("0.123456785", "BTC", "0.12345678"),
        ("0.123456795", "USDT", "0.12345680"),
        ("0.000000001", "BTC", "<0.00000001"),
        ("1234567.5", "uah", "1,234,567.50"),
        ("1E+3", "USD", "1,000.00"),
    ],
)
def test_value_text(value: str, quote: str, shown: str) -> None:
    assert format_value(Decimal(value), quote) == shown


@given(amounts, rates_values)
def test_a_shown_value_is_within_half_a_step_and_never_a_false_zero(
    amount: Decimal, rate: Decimal
) -> None:
    value = exact_product(amount, rate)
    shown = format_value(value, "USD")
    assert "E" not in shown and "e" not in shown
    if value and value < Decimal("0.005"):
        assert shown == "<0.01"
    elif value:
        assert abs(Decimal(shown.replace(",", "")) - value) <= Decimal("0.005")


async def test_the_client_gets_rates_from_the_sandbox(
    key_client: KunaClient, exchange: DemoExchange
) -> None:
    rates = await key_client.fetch_rates()
    assert {"USD", "UAH", "EUR", "BTC", "USDT"} <= set(rates.quotes)
    assert rates.rate("BTC", "USD") == exchange.rate("BTC", "USD")
    assert rates.rate("XRP", "EUR") is None and rates.rate("TON", "UAH") is None
    assert [r.method for r in exchange.requests if r.path == "/v2/rate/equivalent"] == ["GET"]


async def test_the_same_rates_body_again_gives_the_very_same_rates(
    key_client: KunaClient, exchange: DemoExchange, faults: FaultPlan
) -> None:
    """An unchanged answer is not decoded again: the grid and the total know the rates by
    identity, so a quiet market costs nothing downstream. Any change is parsed whole."""
    first = await key_client.fetch_rates()
    again = await key_client.fetch_rates()
    assert again is first
    exchange.set_rate("BTC", "USD", "70000.5")
    moved = await key_client.fetch_rates()
    assert moved is not first and moved.rate("BTC", "USD") == Decimal("70000.5")
    # A bad answer in between is refused whole; the good body after it is known again.
    faults.push(Fault.parse("bad_amount@rates"))
    with pytest.raises(BadResponseError):
        await key_client.fetch_rates()
    faults.clear()
    assert await key_client.fetch_rates() is moved


def test_sandbox_rates_move_seeded_and_alike_for_one_seed() -> None:
    one, two = DemoExchange(moving=False), DemoExchange(moving=False)
    before = one.rate("BTC", "USD")
    one.advance(5)
    two.advance(5)
    assert one.rate("BTC", "USD") != before
    assert one.rates_payload() == two.rates_payload()
    assert one.rate("USDT", "USDT") == 1 and one.rate("UAH", "UAH") == 1


async def test_a_fault_can_target_the_rates_alone(
    key_client: KunaClient, faults: FaultPlan
) -> None:
    faults.push(Fault.parse("503@rates"))
    assert len(await key_client.fetch_balances()) >= 8  # balances unaffected
    with pytest.raises(ServerError, match="503"):
        await key_client.fetch_rates()
    faults.clear()
    faults.push(Fault.parse("bad_amount@rates"))
    with pytest.raises(BadResponseError, match="rate of 'BTC'"):
        await key_client.fetch_rates()


async def test_rates_need_credentials(transport: httpx.ASGITransport) -> None:
    from tui.api.auth import ApiKeyAuth, Secret
    from tui.api.errors import AuthenticationError

    async with KunaClient(
        "http://127.0.0.1:9", ApiKeyAuth(Secret("wrong-key")), transport=transport
    ) as client:
        with pytest.raises(AuthenticationError):
            await client.fetch_rates()
