"""Liveness (`/health/live`) and readiness (`/health/ready`, the database answers)."""

from django.db import DatabaseError, connections
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import ErrorSerializer, ServiceUnavailable

_Status = inline_serializer("HealthStatus", {"status": serializers.CharField()})
_Ready = inline_serializer(
    "ReadyStatus",
    {
        "status": serializers.CharField(),
        "checks": serializers.DictField(child=serializers.CharField()),
    },
)


@extend_schema(tags=["health"], responses={200: _Status})
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def live(_request: Request) -> Response:
    """The process is up (no dependency is checked)."""
    return Response({"status": "ok"})


@extend_schema(
    tags=["health"],
    responses={200: _Ready, 503: OpenApiResponse(ErrorSerializer, "The database is down")},
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def ready(_request: Request) -> Response:
    """The service can take traffic: the database answers."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        raise ServiceUnavailable("The database is not reachable") from exc
    return Response({"status": "ok", "checks": {"database": "ok"}})
