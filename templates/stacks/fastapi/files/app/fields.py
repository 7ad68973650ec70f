"""The value types of the resource fields, with the rules every stack enforces.

Each type validates exactly what its JSON Schema (in /openapi.json) documents:
strings and booleans must be JSON strings and booleans, integers whole JSON numbers,
and decimals a JSON number or a string of digits with at most 2 after the point.
"""

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, Field, Strict, WithJsonSchema

INT32_MAX = 2_147_483_647
# The id in /<resource>/{id}: outside 1..INT32_MAX no row can match, so it answers 404.
ItemId = Annotated[int, Path(ge=1, le=INT32_MAX, description="The id (1..2147483647)")]
# Text a database can store: no NUL character (PostgreSQL refuses it), valid UTF-8.
NO_NUL_PATTERN = r"^[^\u0000]*$"


def _storable(value: str) -> str:
    if "\x00" in value:
        msg = "must not contain the NUL character"
        raise ValueError(msg)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        msg = "must be valid Unicode text"
        raise ValueError(msg) from exc
    return value


def text(min_length: int, max_length: int, pattern: str | None = None) -> Any:
    """A string of min_length..max_length characters, matching `pattern` (`^...$`) if given.

    Patterns run on Rust's regex engine (pydantic-core), where `$` matches only at the
    very end, so "SKU-1\\n" does not match `^[A-Z0-9-]+$`.
    """
    return Annotated[
        str,
        Strict(),
        Field(min_length=min_length, max_length=max_length, pattern=pattern or NO_NUL_PATTERN),
        AfterValidator(_storable),
    ]


def _whole(value: object) -> object:
    # JSON Schema counts 3.0 and -0.0 as integers; strings and booleans stay refused.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def integer(minimum: int, maximum: int) -> Any:
    """A whole JSON number in minimum..maximum (never a string, a fraction or a boolean)."""
    return Annotated[int, Strict(), Field(ge=minimum, le=maximum), BeforeValidator(_whole)]


Boolean = Annotated[bool, Strict()]

CENT = Decimal("0.01")


def decimal(minimum: str, maximum: str) -> Any:
    """A decimal with 2 places in minimum..maximum: a JSON number, or a string ("19.99").

    A JSON number is a binary float: one within a rounding error of a whole cent
    (0.1 + 0.2) counts as that cent; others (0.005) are refused, not rounded.
    """
    low, high = Decimal(minimum), Decimal(maximum)
    digits = len(str(int(max(abs(low), abs(high)))))
    sign = "-?" if low < 0 else ""
    pattern = rf"^{sign}[0-9]{{1,{digits}}}(\.[0-9]{{1,2}})?$"
    matches = re.compile(pattern.replace("$", r"\Z")).match

    def parse(value: object) -> object:
        if isinstance(value, bool):
            return value  # refused by the decimal schema below (strict)
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                msg = "must be a finite number"
                raise ValueError(msg)
            cents = round(value * 100)
            if abs(value * 100 - cents) > max(1e-6, abs(cents) * 1e-14):
                msg = "must have at most 2 decimal places"
                raise ValueError(msg)
            return Decimal(cents) * CENT
        if isinstance(value, str):
            if not matches(value):
                msg = f"must be a number as a string matching {pattern}"
                raise ValueError(msg)
            try:
                return Decimal(value).quantize(CENT)
            except InvalidOperation as exc:  # pragma: no cover - the pattern refuses these
                raise ValueError("must be a number") from exc
        return value

    schema = {
        "anyOf": [
            {"type": "number", "minimum": float(low), "maximum": float(high), "multipleOf": 0.01},
            {"type": "string", "pattern": pattern},
        ]
    }
    return Annotated[
        Decimal,
        Strict(),
        Field(ge=low, le=high, max_digits=12, decimal_places=2),
        BeforeValidator(parse),
        WithJsonSchema(schema, mode="validation"),
    ]
