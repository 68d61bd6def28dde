"""Exactness of amounts: parsing, formatting, column alignment and exact sums."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.api.amounts import (
    AmountError,
    exact_difference,
    exact_sum,
    format_aligned,
    format_amount,
    parse_amount,
    trim_zeros,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("0", "0"),
        ("0.64", "0.64"),
        ("1E-18", "0.000000000000000001"),
        ("1e-18", "0.000000000000000001"),
        ("0.000000000000000001", "0.000000000000000001"),
        ("1.234567890123456789", "1.234567890123456789"),
        ("1E+3", "1000"),
        (
            "123456789012345678901234567890.123456789012345678",
            "123456789012345678901234567890.123456789012345678",
        ),
        ("-0", "0"),
        ("0.10000000", "0.10000000"),
        ("-12.5", "-12.5"),
    ],
)
def test_format_is_exact_and_positional(raw: str, shown: str) -> None:
    assert format_amount(parse_amount(raw)) == shown


def test_grouping_keeps_every_digit() -> None:
    assert format_amount(parse_amount("1234567.000000000000000001"), grouping=True) == (
        "1,234,567.000000000000000001"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "sNaN",
        "1e999",
        "1e-999",
        "abc",
        "12,5",
        "0x10",
        "",
        " ",
        "1" * 65,
        True,
        None,
        1.5,
        [],
        {},
    ],
)
def test_rejects_what_is_not_a_finite_decimal(raw: object) -> None:
    with pytest.raises(AmountError):
        parse_amount(raw)


def test_accepts_exact_json_numbers() -> None:
    assert parse_amount(Decimal("0.1")) == Decimal("0.1")
    assert parse_amount(Decimal("5")) == 5


def test_exact_sum_does_not_round_where_sum_would() -> None:
    values = [Decimal("12345678901234.000000000000000001"), Decimal("1")]
    assert exact_sum(values) == Decimal("12345678901235.000000000000000001")
    assert sum(values) != Decimal("12345678901235.000000000000000001")  # what we avoid
    assert exact_difference(Decimal("10000000000.000000000000000002"), Decimal("1E-18")) == Decimal(
        "10000000000.000000000000000001"
    )


def test_aligned_values_line_up_on_the_decimal_point() -> None:
    values = [Decimal("0"), Decimal("0.64"), Decimal("12.5"), Decimal("1234567.12345678")]
    cells = [format_aligned(v, 8).rjust(20) for v in values]
    ends = {len(c) for c in cells}
    assert ends == {20}
    dots = {c.index(".") for c in cells if "." in c}
    assert len(dots) == 1
    # A value without fraction ends where the others' integer parts end.
    assert cells[0].rstrip().endswith("0") and len(cells[0].rstrip()) == next(iter(dots))


def test_cut_values_are_marked_and_non_zero_never_shows_as_zero() -> None:
    assert format_aligned(Decimal("1.234567890123456789"), 8) == "1.23456789…"
    assert format_aligned(Decimal("1E-18"), 8) == "<0.00000001 "
    assert format_aligned(Decimal("-1E-18"), 8) == ">-0.00000001 "
    assert format_aligned(Decimal("0.00000001"), 8) == "0.00000001 "


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_format_round_trips_exactly(value: Decimal) -> None:
    if value.is_zero() or abs(value.adjusted()) > 40 or value.as_tuple().exponent < -40:
        return
    text = format_amount(value)
    assert "E" not in text and "e" not in text
    assert Decimal(text) == value
    assert Decimal(format_amount(value, grouping=True).replace(",", "")) == value


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, min_value=Decimal("-1e30"), max_value=Decimal("1e30")
    ),
    st.integers(1, 18),
)
def test_aligned_cell_never_hides_a_non_zero_amount(value: Decimal, width: int) -> None:
    cell = format_aligned(value, width)
    if value.is_zero():
        return
    digits = cell.strip().strip("<>…").replace(",", "")
    assert cell.startswith(("<", ">")) or Decimal(digits) != 0


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("0.25000000", "0.25"),
        ("100", "100"),
        ("1E+2", "100"),
        ("0.000", "0"),
        ("-0.500000000000000001", "-0.500000000000000001"),
        ("12345678901234567890.10000000000000000000", "12345678901234567890.1"),
    ],
)
def test_trim_zeros_is_exact(raw: str, shown: str) -> None:
    assert format_amount(trim_zeros(Decimal(raw))) == shown
