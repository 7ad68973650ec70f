"""Prometheus metrics: request count and latency per method, route and status.

GET /metrics serves them in the Prometheus text format, with the process's CPU,
memory and open files. Routes are labelled by their pattern (`/items/{pk}`), never by
the raw path, so the number of series stays bounded; a path that matches no route is
labelled `<unmatched>`. Each process counts its own requests: with several gunicorn
workers, see prometheus_client's multiprocess mode.
"""

import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

UNMATCHED = "<unmatched>"
LABELS = ("method", "route", "status")
# Any other method is counted as OTHER, so clients cannot make up new series.
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter("http_requests_total", "HTTP requests handled", LABELS)
LATENCY = Histogram("http_request_duration_seconds", "Time to handle an HTTP request", LABELS)

# A route's pattern as a template: `^items/(?P<pk>[^/.]+)$` and `items/<int:pk>` give
# `/items/{pk}`.
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def route_template(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None or not match.route:
        return UNMATCHED
    route = _CONVERTER.sub(r"{\1}", _REGEX_GROUP.sub(r"{\1}", match.route))
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


class MetricsMiddleware:
    """Outermost middleware: it sees the final status, 500s included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)  # Django has turned errors into responses
        method = request.method if request.method in METHODS else "OTHER"
        labels = (method, route_template(request), str(response.status_code))
        REQUESTS.labels(*labels).inc()
        LATENCY.labels(*labels).observe(time.perf_counter() - start)
        return response


def metrics(_request: HttpRequest) -> HttpResponse:
    """Every metric of this process, in the Prometheus text format."""
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
