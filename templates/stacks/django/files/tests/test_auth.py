from django.conf import global_settings
from pytest_django import Settings
from rest_framework.test import APIClient

from tests.conftest import PASSWORD, Register
from users.models import User


def test_register_returns_the_user_without_password(client: APIClient) -> None:
    response = client.post("/auth/register", {"email": "Bob@Example.com", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "bob@example.com"
    assert body["is_active"] is True
    assert "password" not in body


def test_passwords_are_hashed_by_django(client: APIClient, settings: Settings) -> None:
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    client.post("/auth/register", {"email": "carol@example.com", "password": PASSWORD})
    user = User.objects.get(email="carol@example.com")
    assert user.password != PASSWORD
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.check_password(PASSWORD)


def test_register_twice_is_a_conflict(client: APIClient, register: Register) -> None:
    register()
    response = client.post("/auth/register", {"email": "ALICE@example.com", "password": PASSWORD})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_register_validates_input(client: APIClient) -> None:
    response = client.post("/auth/register", {"email": "not-an-email", "password": "short"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"email", "password"}


def test_register_refuses_a_common_password(client: APIClient) -> None:
    response = client.post("/auth/register", {"email": "dan@example.com", "password": "password1"})
    assert response.status_code == 400
    assert [d["field"] for d in response.json()["error"]["details"]] == ["password"]


def test_login_and_me(client: APIClient, register: Register) -> None:
    register()
    response = client.post("/auth/login", {"email": "Alice@Example.com", "password": PASSWORD})
    assert response.status_code == 200
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {tokens['access']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "alice@example.com"


def test_refresh_gives_a_new_access_token(client: APIClient, register: Register) -> None:
    register()
    tokens = client.post("/auth/login", {"email": "alice@example.com", "password": PASSWORD}).json()
    response = client.post("/auth/refresh", {"refresh": tokens["refresh"]})
    assert response.status_code == 200
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {response.json()['access']}"})
    assert me.status_code == 200


def test_login_with_a_bad_password(client: APIClient, register: Register) -> None:
    register()
    response = client.post("/auth/login", {"email": "alice@example.com", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_login_with_an_unknown_email(client: APIClient) -> None:
    response = client.post("/auth/login", {"email": "who@example.com", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_login_of_a_disabled_user(client: APIClient, register: Register) -> None:
    register()
    User.objects.filter(email="alice@example.com").update(is_active=False)
    response = client.post("/auth/login", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 401


def test_me_needs_a_valid_token(client: APIClient) -> None:
    response = client.get("/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = client.get("/auth/me", headers={"Authorization": "Bearer not-a-jwt"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_login_is_rate_limited(client: APIClient, register: Register) -> None:
    register()
    for _ in range(5):
        response = client.post("/auth/login", {"email": "alice@example.com", "password": "wrong"})
        assert response.status_code == 401
    response = client.post("/auth/login", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1
    assert error["details"]["retry_after"] >= 1
