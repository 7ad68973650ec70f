"""The value types of app/fields.py, whatever fields this service's resource has."""

from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from app import fields

PRICE = TypeAdapter(fields.decimal("0", "9999999999.99"))
SIGNED = TypeAdapter(fields.decimal("-9999999999.99", "9999999999.99"))
NAME = TypeAdapter(fields.text(1, 10, "^[A-Z][a-z]*$"))
COUNT = TypeAdapter(fields.integer(0, 10))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19.99", Decimal("19.99")),
        ("7", Decimal("7.00")),
        (19.99, Decimal("19.99")),
        (0.1 + 0.2, Decimal("0.30")),
        (57 * 0.01, Decimal("0.57")),
        (3, Decimal("3.00")),
        (-0.0, Decimal("0.00")),
        ("9999999999.99", Decimal("9999999999.99")),
    ],
)
def test_decimals_in_range(value: Any, expected: Decimal) -> None:
    assert PRICE.validate_python(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "-1",
        -0.01,
        "1.234",
        0.005,
        "NaN",
        "Infinity",
        "1e3",
        " 1",
        "",
        True,
        None,
        [],
        1e400,
        float("nan"),
        "10000000000.00",
        10**12,
    ],
)
def test_decimals_out_of_range(value: Any) -> None:
    with pytest.raises(ValidationError):
        PRICE.validate_python(value)


def test_signed_decimals() -> None:
    assert SIGNED.validate_python("-5.5") == Decimal("-5.50")
    assert SIGNED.json_schema()["anyOf"][1]["pattern"].startswith("^-?")
    assert not PRICE.json_schema()["anyOf"][1]["pattern"].startswith("^-?")


@pytest.mark.parametrize("value", ["Ada", "A"])
def test_text_matching(value: str) -> None:
    assert NAME.validate_python(value) == value


@pytest.mark.parametrize(
    "value", ["", "ada", "Ada\n", "Ada ", "Abcdefghijk", "A\x00", "A\ud800", 1, b"Ada"]
)
def test_text_not_matching(value: Any) -> None:
    with pytest.raises(ValidationError):
        NAME.validate_python(value)


def test_text_without_a_pattern_refuses_nul_and_surrogates() -> None:
    free = TypeAdapter(fields.text(0, 100))
    assert free.validate_python("any text, ünïcode") == "any text, ünïcode"
    for bad in ("a\x00b", "\udc80"):
        with pytest.raises(ValidationError):
            free.validate_python(bad)


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (10, 10), (3.0, 3), (-0.0, 0)])
def test_integers(value: Any, expected: int) -> None:
    assert COUNT.validate_python(value) == expected


@pytest.mark.parametrize("value", [-1, 11, 2**63, 1.5, "3", True, None, float("inf")])
def test_integers_out_of_range(value: Any) -> None:
    with pytest.raises(ValidationError):
        COUNT.validate_python(value)
