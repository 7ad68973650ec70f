from io import StringIO

import pytest
from django.conf import global_settings
from django.core.management import CommandError, call_command
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
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"email", "password"}


@pytest.mark.parametrize(
    "body",
    [
        {"email": 42, "password": PASSWORD},
        {"email": "dan@example.com", "password": 12345678},
        {"email": "dan@example.com", "password": "a\x00" * 4},
        {"email": "dan@example.com", "password": "x" * 129},
        {"email": "dan@example.com"},
    ],
)
def test_register_takes_strings_only(client: APIClient, body: dict[str, object]) -> None:
    response = client.post("/auth/register", body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_login_and_me(client: APIClient, register: Register) -> None:
    register()
    response = client.post("/auth/login", {"email": "Alice@Example.com", "password": PASSWORD})
    assert response.status_code == 200
    tokens = response.json()
    assert set(tokens) == {"access_token", "refresh_token", "token_type"}
    assert tokens["token_type"] == "bearer"
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "alice@example.com"
    assert me.json()["is_admin"] is False


def test_refresh_gives_a_new_access_token(client: APIClient, register: Register) -> None:
    register()
    tokens = client.post("/auth/login", {"email": "alice@example.com", "password": PASSWORD}).json()
    response = client.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200
    access = response.json()["access_token"]
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {access}"})
    assert me.status_code == 200
    response = client.post("/auth/refresh", {"refresh_token": "not-a-jwt"})
    assert response.status_code == 401
    assert client.post("/auth/refresh", {}).status_code == 422


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


@pytest.mark.parametrize(("path", "status"), [("/auth/login", 401), ("/auth/register", 201)])
def test_login_and_register_are_rate_limited(
    client: APIClient, settings: Settings, path: str, status: int
) -> None:
    settings.AUTH_RATE_LIMIT = "3/minute"
    for number in range(3):
        body = {"email": f"user{number}@example.com", "password": PASSWORD}
        assert client.post(path, body).status_code == status
    response = client.post(path, {"email": "late@example.com", "password": PASSWORD})
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1
    assert error["details"]["retry_after"] >= 1
    # Each is counted on its own, and per client address.
    other = "/auth/register" if path == "/auth/login" else "/auth/login"
    assert client.post(other, {"email": "x@example.com", "password": PASSWORD}).status_code != 429
    body = {"email": "y@example.com", "password": PASSWORD}
    elsewhere = client.post(path, body, REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == status


def test_make_admin(client: APIClient, register: Register) -> None:
    register("boss@example.com")
    out = StringIO()
    call_command("make_admin", "Boss@Example.com", stdout=out)
    assert "boss@example.com is now an admin" in out.getvalue()
    assert User.objects.get(email="boss@example.com").is_admin
    call_command("make_admin", "boss@example.com", "--revoke", stdout=out)
    assert not User.objects.get(email="boss@example.com").is_admin
    with pytest.raises(CommandError, match="register it first"):
        call_command("make_admin", "nobody@example.com")
