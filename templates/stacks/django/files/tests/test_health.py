import json
import logging
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.utils import ConnectionHandler
from django.urls import path
from pytest_django import Settings
from rest_framework.test import APIClient

from config import urls as config_urls
from core import health
from core.logging import JsonFormatter


def boom(_request: object) -> None:
    raise RuntimeError("boom")


# URLconf of test_unhandled_error_is_a_json_500: the app's routes plus one that crashes.
urlpatterns = [path("boom", boom), *config_urls.urlpatterns]
handler404 = config_urls.handler404
handler500 = config_urls.handler500


def test_live(client: APIClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_the_database(client: APIClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_ready_fails_without_database(client: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/nonexistent-dir/x/db"}}
    )
    monkeypatch.setattr(health, "connections", broken)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_ready"


def test_request_id_is_returned(client: APIClient) -> None:
    response = client.get("/health/live", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    generated = client.get("/health/live").headers["X-Request-ID"]
    assert len(generated) == 32
    # A header that is not a plain token is replaced, never echoed.
    long_id = client.get("/health/live", headers={"X-Request-ID": "x" * 500})
    assert long_id.headers["X-Request-ID"] != "x" * 500


def test_access_log_is_json_with_the_request_id(
    client: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        client.get("/health/live", headers={"X-Request-ID": "log-1"})
    (record,) = [r for r in caplog.records if r.name == "app.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "log-1"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/health/live", 200)


def test_unknown_route_uses_the_error_format(client: APIClient) -> None:
    response = client.get("/nope")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found", "details": None}
    }


def test_wrong_method_uses_the_error_format(client: APIClient) -> None:
    response = client.delete("/health/live")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_malformed_json_uses_the_error_format(client: APIClient) -> None:
    response = client.post("/auth/register", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


@pytest.mark.urls(__name__)
def test_unhandled_error_is_a_json_500(db: None) -> None:
    client = APIClient(raise_request_exception=False)
    response = client.get("/boom", headers={"X-Request-ID": "req-1"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "req-1"
    assert response.json()["error"] == {
        "code": "internal_error",
        "message": "Internal server error",
        "details": {"request_id": "req-1"},
    }


def test_openapi_docs(client: APIClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    schema = client.get("/openapi.json").json()
    assert "/auth/login" in schema["paths"]


def test_openapi_schema_is_valid_and_complete(tmp_path: Path) -> None:
    """drf-spectacular documents every view without guessing (a warning fails)."""
    schema = tmp_path / "openapi.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(schema))
    assert "/health/ready" in schema.read_text(encoding="utf-8")


def test_cors_is_off_unless_configured(client: APIClient) -> None:
    response = client.get("/health/live", headers={"Origin": "https://example.com"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_allows_configured_origins(client: APIClient, settings: Settings) -> None:
    settings.CORS_ALLOWED_ORIGINS = ["https://example.com"]
    response = client.get("/health/live", headers={"Origin": "https://example.com"})
    assert response.headers["access-control-allow-origin"] == "https://example.com"
    other = client.get("/health/live", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
