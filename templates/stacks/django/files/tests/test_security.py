"""Hardening: security headers, the body limit, API docs in production, config at boot."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django import Settings
from rest_framework.test import APIClient

from config import env

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "a1B2c3D4e5F6-" * 5


@pytest.mark.parametrize("path", ["/health/live", "/nope", "/openapi.json"])
def test_security_headers(client: APIClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    # HSTS only in production (see test_production_settings).
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_set(client: APIClient, settings: Settings) -> None:
    settings.HSTS_SECONDS = 600
    response = client.get("/health/live")
    assert response.headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains"


def test_the_docs_page_may_load_swagger_ui(client: APIClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' https://cdn.jsdelivr.net" in policy
    assert "frame-ancestors 'none'" in policy


def test_bodies_over_the_limit_are_413(client: APIClient, settings: Settings) -> None:
    settings.MAX_BODY_BYTES = 64
    body = json.dumps({"email": "a" * 60 + "@example.com", "password": "x" * 20})
    response = client.post("/auth/register", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert response.headers["X-Request-ID"]
    small = client.post("/auth/login", {"email": "a@b.co", "password": "x"})
    assert small.status_code == 401


def test_docs_can_be_switched_off(client: APIClient, settings: Settings) -> None:
    settings.API_DOCS = False
    for path in ("/openapi.json", "/docs"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def _settings_of(**environ: str) -> dict[str, object]:
    """Some settings as the service computes them from this environment, or its error."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.API_DOCS, s.HSTS_SECONDS, s.MAX_BODY_BYTES, s.AUTH_RATE_LIMIT]))"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **environ},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode:
        return {"error": result.stderr}
    docs, hsts, body, rate = json.loads(result.stdout)
    return {"docs": docs, "hsts": hsts, "body": body, "rate": rate}


def test_production_settings() -> None:
    production = {"APP_ENV": "production", "SECRET_KEY": STRONG_KEY, "DEBUG": "false"}
    assert _settings_of(**production) == {
        "docs": False,
        "hsts": 31_536_000,
        "body": 1_048_576,
        "rate": "10/minute",
    }
    assert _settings_of(**production, API_DOCS="true")["docs"] is True
    development = _settings_of(APP_ENV="development", MAX_BODY_BYTES="2048")
    assert development == {"docs": True, "hsts": 0, "body": 2048, "rate": "10/minute"}


@pytest.mark.parametrize(
    ("environ", "name"),
    [
        ({"APP_ENV": "production", "SECRET_KEY": ""}, "SECRET_KEY"),
        ({"MAX_BODY_BYTES": "lots"}, "MAX_BODY_BYTES"),
        ({"AUTH_RATE_LIMIT": "often"}, "AUTH_RATE_LIMIT"),
        ({"API_DOCS": "maybe"}, "API_DOCS"),
    ],
)
def test_bad_config_stops_the_start_naming_the_variable(environ: dict[str, str], name: str) -> None:
    error = _settings_of(**environ).get("error")
    assert error
    assert name in str(error)


def test_production_says_how_to_make_a_secret_key() -> None:
    error = str(_settings_of(APP_ENV="production", SECRET_KEY="short")["error"])
    assert "secrets.token_hex" in error


def test_rates() -> None:
    assert env.rate("AUTH_RATE_LIMIT", None, "10/minute") == "10/minute"
    assert env.rate("AUTH_RATE_LIMIT", " 5/Hour ", "10/minute") == "5/hour"
    for bad in ("10", "0/minute", "10/fortnight", "-1/day"):
        with pytest.raises(ImproperlyConfigured, match="AUTH_RATE_LIMIT"):
            env.rate("AUTH_RATE_LIMIT", bad, "10/minute")
