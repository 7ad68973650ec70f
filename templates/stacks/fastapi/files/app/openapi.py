"""The OpenAPI 3.1 document at /openapi.json: every status a route can answer, documented.

FastAPI documents the success and 422; this adds the errors every route shares (400
for malformed JSON, 413 over the body limit, 401 without a token, 404 for an id no row
has) and gives every error the one error body of app/errors.py. Route-specific errors
(403, 409, 429...) are declared on the routes with `responses=errors(...)`.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_REF = "#/components/schemas/ErrorResponse"
ERROR_SCHEMA: dict[str, Any] = {
    "title": "ErrorResponse",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "e.g. not_found, validation_error"},
                "message": {"type": "string"},
                "details": {"description": "More about the error (null, a list or an object)"},
            },
        }
    },
}
DESCRIPTIONS = {
    400: "Malformed JSON body",
    401: "Missing, invalid or expired bearer token",
    403: "Not allowed: only the owner or an admin may change it",
    404: "Not found (or an id outside 1..2147483647)",
    409: "Conflict with an existing resource",
    413: "Request body too large (MAX_BODY_BYTES)",
    415: "Unsupported media type",
    422: "Validation error: see details",
    429: "Too many requests: retry after Retry-After seconds",
    503: "Not ready",
}
HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}},
    429: {
        "Retry-After": {
            "schema": {"type": "string"},
            "required": True,
            "description": "Seconds to wait",
        }
    },
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route's own error statuses (described and shaped here)."""
    return {status: {"description": DESCRIPTIONS.get(status, "Error")} for status in statuses}


def _shared_errors(operation: dict[str, Any]) -> set[int]:
    parameters = operation.get("parameters", [])
    statuses: set[int] = set()
    if "requestBody" in operation:
        statuses |= {400, 413, 422}
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if any(p.get("in") in ("query", "header", "cookie") for p in parameters):
        statuses.add(422)
    if operation.get("security"):
        statuses.add(401)
    return statuses


def build_openapi(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
    )
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorResponse"] = ERROR_SCHEMA
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            shared = _shared_errors(operation)
            if 422 not in shared and "422" in responses and "requestBody" not in operation:
                del responses["422"]  # FastAPI's default; path ids answer 404 instead
            for status in shared:
                responses.setdefault(str(status), {})
            for key, response in responses.items():
                if not key.isdigit() or int(key) < 400:
                    continue
                status = int(key)
                response["description"] = DESCRIPTIONS.get(status, response.get("description"))
                response["content"] = {"application/json": {"schema": {"$ref": ERROR_REF}}}
                if status in HEADERS:
                    response["headers"] = HEADERS[status]
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return schema


def install(app: FastAPI) -> None:
    """Serve build_openapi's document (built once, on the first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
