"""Limit/offset pagination: `?limit=20&offset=0`, bad values are a validation error."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """DRF's page ({count, next, previous, results}), strict about its parameters."""

    default_limit = 20
    max_limit = 100

    def get_limit(self, request: Request) -> int:
        return _number(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return _number(request, self.offset_query_param, 0, 0, None)


def _number(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValidationError({name: [f"Must be a whole number {bound}."]}, code="invalid")
    return value
