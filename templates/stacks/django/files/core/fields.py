"""Serializer fields that take exactly the JSON type the OpenAPI document gives them.

DRF's own fields are lenient: a CharField takes 42 as "42", an IntegerField takes "42"
and 4.0, a BooleanField takes "yes" and 1. These refuse every other JSON type (a 422), so
what the API accepts is what its OpenAPI document says, and nothing else.
"""

import re
from decimal import Decimal
from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

# Strings never hold NUL (PostgreSQL cannot store it): documented as this pattern.
NO_NUL = RegexValidator(r"\A[^\x00]*\Z", "Null characters are not allowed.", "null_characters")


def full_match(body: str) -> RegexValidator:
    """The value must match `body` as a whole (\\A...\\Z: `$` would allow a final newline)."""
    # The message is %-formatted with the value: a % of the pattern must be doubled.
    message = f"Must match ^{body}$.".replace("%", "%%")
    return RegexValidator(rf"\A(?:{body})\Z", message, "pattern")


class StrictCharField(serializers.CharField):
    """A JSON string, kept as sent (no trimming)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        if not any(isinstance(v, RegexValidator) for v in self.validators):
            self.validators.insert(0, NO_NUL)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    """A JSON string holding an email address."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer (true and false are not numbers; 3.0 is 3, as JSON Schema says)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false (not "true", 1 or "yes")."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictDecimalField(serializers.DecimalField):
    """A decimal sent and returned as a JSON string, e.g. "19.99" (no float rounding).

    12 digits, 2 after the point; a minus sign only when the minimum is below zero. The
    same pattern is in the OpenAPI document (DecimalFieldSchema below).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        for bound in ("min_value", "max_value"):  # "0" or 0 as the Decimal("0") DRF compares
            if kwargs.get(bound) is not None:
                kwargs[bound] = Decimal(str(kwargs[bound]))
        super().__init__(**kwargs)
        negative = self.min_value is None or self.min_value < 0
        whole = self.max_digits - self.decimal_places
        self.pattern = (
            f"^{'-?' if negative else ''}[0-9]{{1,{whole}}}(\\.[0-9]{{1,{self.decimal_places}}})?$"
        )
        self.regex = re.compile(rf"\A{self.pattern[1:-1]}\Z")

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        # DRF's DecimalField takes "" (and "  ") as null; here only null is null.
        return serializers.Field.validate_empty_values(self, data)

    def to_internal_value(self, data: Any) -> Decimal:
        if not isinstance(data, str) or not self.regex.match(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class DecimalFieldSchema(OpenApiSerializerFieldExtension):
    """How drf-spectacular documents a StrictDecimalField: a string with its pattern."""

    target_class = StrictDecimalField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field: StrictDecimalField = self.target
        return {
            "type": "string",
            "format": "decimal",
            "pattern": field.pattern,
            "description": f"A decimal number as a string, {field.min_value} to {field.max_value}.",
        }
