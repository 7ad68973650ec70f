from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, Register


def test_register_returns_the_user_without_password(client: TestClient) -> None:
    response = client.post(
        "/auth/register", json={"email": "Bob@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "bob@example.com"
    assert "password" not in body
    assert "hashed_password" not in body


def test_register_twice_is_a_conflict(client: TestClient, register: Register) -> None:
    register()
    response = client.post(
        "/auth/register", json={"email": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_register_validates_input(client: TestClient) -> None:
    response = client.post("/auth/register", json={"email": "not-an-email", "password": "short"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {tuple(d["loc"]) for d in error["details"]} == {
        ("body", "email"),
        ("body", "password"),
    }


def test_login_and_me(client: TestClient, register: Register) -> None:
    register()
    response = client.post("/auth/login", json={"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "bearer"
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "alice@example.com"


def test_login_with_a_bad_password(client: TestClient, register: Register) -> None:
    register()
    response = client.post("/auth/login", json={"email": "alice@example.com", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_login_with_an_unknown_email(client: TestClient) -> None:
    response = client.post("/auth/login", json={"email": "who@example.com", "password": PASSWORD})
    assert response.status_code == 401


def test_me_needs_a_valid_token(client: TestClient) -> None:
    response = client.get("/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    response = client.get("/auth/me", headers={"Authorization": "Bearer not-a-jwt"})
    assert response.status_code == 401


def test_login_is_rate_limited(client: TestClient, register: Register) -> None:
    register()
    for _ in range(5):
        response = client.post(
            "/auth/login", json={"email": "alice@example.com", "password": "wrong"}
        )
        assert response.status_code == 401
    response = client.post("/auth/login", json={"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1
