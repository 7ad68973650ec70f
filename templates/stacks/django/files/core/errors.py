"""One error format for every error: {"error": {"code", "message", "details"}}.

DRF errors go through `exception_handler` (settings.REST_FRAMEWORK); errors Django
answers itself (unknown URL, unhandled exception...) through the handler400/403/404/500
views named in config/urls.py.
"""

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.logging import request_id_var

logger = logging.getLogger(__name__)

VALIDATION_MESSAGE = "The request is not valid"


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state"
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = "The service is not available"
    default_code = "not_ready"

    def __init__(self, detail: str | None = None, details: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.details = details  # the "details" of the error body, e.g. which check failed


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    # Any JSON value, null included: per field problems, or what failed.
    details = serializers.JSONField()


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (for the OpenAPI docs)."""

    error = ErrorDetailSerializer()


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


# DRF's default codes, renamed where a clearer one helps the client.
_CODES = {
    "not_authenticated": "unauthorized",
    "authentication_failed": "unauthorized",
    "token_not_valid": "unauthorized",
    "user_not_found": "unauthorized",
    "user_inactive": "unauthorized",
    "no_active_account": "invalid_credentials",
    "throttled": "rate_limited",
    "parse_error": "bad_request",
    "unsupported_media_type": "unsupported_media_type",
}


def _field_errors(detail: Any, path: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """DRF's nested {field: [errors]} as a flat list of {field, message, code}."""
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in _field_errors(value, (*path, str(key)))
        ]
    if isinstance(detail, list):
        errors: list[dict[str, Any]] = []
        for index, item in enumerate(detail):
            nested = isinstance(item, dict | list)
            errors += _field_errors(item, (*path, str(index)) if nested else path)
        return errors
    field = ".".join(path) or None
    return [{"field": field, "message": str(detail), "code": getattr(detail, "code", "invalid")}]


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, dict):  # simplejwt's token errors: {"detail": ..., "code": ...}
        codes = codes.get("code", codes.get("detail"))
    code = codes if isinstance(codes, str) else exc.default_code
    return _CODES.get(code, code)


def _message(exc: exceptions.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, dict) and "detail" in detail:
        detail = detail["detail"]
    if isinstance(detail, str):
        return str(detail)
    return HTTPStatus(exc.status_code).phrase


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (status, headers such as Retry-After), then our body."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # not an API error: Django's handler500 answers and logs it
    if isinstance(exc, exceptions.ValidationError):
        # Well-formed JSON (or query) that breaks the rules: 422, as OpenAPI clients expect.
        response.status_code = 422
        response.data = error_body(
            "validation_error", VALIDATION_MESSAGE, _field_errors(exc.detail)
        )
    elif isinstance(exc, exceptions.Throttled):
        wait = round(exc.wait) if exc.wait is not None else None
        response.data = error_body(
            "rate_limited", "Too many requests, try again later", {"retry_after": wait}
        )
    elif isinstance(exc, ServiceUnavailable):
        response.data = error_body(_code(exc), _message(exc), exc.details)
    else:
        response.data = error_body(_code(exc), _message(exc))
    return response


def _json_error(status: int, code: str, message: str, details: Any = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, details), status=status)


# Django calls these handlers with keyword arguments: keep the parameter names.
def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:
    return _json_error(400, "bad_request", "Bad request")


def permission_denied(request: HttpRequest, exception: Exception) -> JsonResponse:
    return _json_error(403, "permission_denied", "Permission denied")


def not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    return _json_error(404, "not_found", "Not found")


def server_error(request: HttpRequest) -> JsonResponse:
    # Django has logged the exception (logger django.request) with the request id.
    return _json_error(
        500, "internal_error", "Internal server error", {"request_id": request_id_var.get()}
    )
