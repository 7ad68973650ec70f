"""The error responses of the OpenAPI document, and a hook that tidies the document.

Each route lists every status it can answer (`responses(...)`), all with the one error
body of core.errors.
"""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from core.errors import ErrorSerializer

# Ids are positive 32-bit integers: anything else is a 404, never a database error.
MAX_ID = 2_147_483_647

DESCRIPTIONS = {
    400: "The body is not valid JSON",
    401: "No valid token",
    403: "Only the owner or an admin may do this",
    404: "Not found",
    409: "Conflicts with the current state",
    413: "The body is larger than MAX_BODY_BYTES",
    415: "The body is not JSON (Content-Type: application/json)",
    422: "Invalid fields or parameters: one entry per problem in details",
    429: "Too many requests: try again after Retry-After seconds",
}
# Every route that reads a JSON body can answer these.
BODY = (400, 413, 415, 422)


def errors(*statuses: int, **descriptions: str) -> dict[int, OpenApiResponse]:
    """{status: the error body} for each status; descriptions as s404="No such report"."""
    return {
        status: OpenApiResponse(
            ErrorSerializer, descriptions.get(f"s{status}", DESCRIPTIONS[status])
        )
        for status in statuses
    }


ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.PATH,
    description="The id (1 to 2147483647; any other is a 404).",
)
LIST_PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        description="Items per page (1 to 100).",
    ),
    OpenApiParameter(
        "offset",
        {"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0},
        description="Items to skip (0 to 2147483647).",
    ),
]


def postprocess(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular's last step (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

    - An optional string field reads back as "" when it was never set: responses allow
      that whatever its minimum length or pattern (requests keep both).
    - "" matches both branches of the oneOf drf-spectacular writes for blank strings:
      anyOf says the same without that ambiguity.
    """
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        properties = schema.get("properties", {})
        for field, prop in properties.items():
            if "oneOf" in prop:
                prop["anyOf"] = prop.pop("oneOf")
            if name.endswith("Request") or field in required or prop.get("type") != "string":
                continue
            if prop.get("pattern") or prop.get("minLength"):
                unset = {"type": "string", "maxLength": 0}
                properties[field] = {"anyOf": [prop, unset], "description": '"" when not set'}
    return result
