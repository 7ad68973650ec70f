from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.db import make_engine


def test_live(client: TestClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_the_database(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_ready_fails_without_database(app: FastAPI, client: TestClient) -> None:
    app.state.engine = make_engine("sqlite:////nonexistent-dir/x/app.db")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_ready"


def test_request_id_is_returned(client: TestClient) -> None:
    response = client.get("/health/live", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    generated = client.get("/health/live").headers["X-Request-ID"]
    assert len(generated) == 32
    # A header that is not a plain token is replaced, never echoed.
    assert (
        client.get("/health/live", headers={"X-Request-ID": "x" * 500}).headers["X-Request-ID"]
        != "x" * 500
    )


def test_unknown_route_uses_the_error_format(client: TestClient) -> None:
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not Found", "details": None}
    }


def test_unhandled_error_is_a_json_500(app: FastAPI, client: TestClient) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    response = client.get("/boom", headers={"X-Request-ID": "req-1"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "req-1"
    assert response.json()["error"] == {
        "code": "internal_error",
        "message": "Internal server error",
        "details": {"request_id": "req-1"},
    }


def test_openapi_docs(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert "/auth/login" in client.get("/openapi.json").json()["paths"]


def test_cors_is_off_unless_configured(client: TestClient) -> None:
    response = client.get("/health/live", headers={"Origin": "https://example.com"})
    assert "access-control-allow-origin" not in response.headers
