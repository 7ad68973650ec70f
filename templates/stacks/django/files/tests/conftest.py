"""Test setup. pytest-django builds a test database with the migrations and rolls back
every test: an in-memory SQLite database by default, or test_<name> on the server of
DATABASE_URL (PostgreSQL, MySQL or MariaDB) when it is set.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from pytest_django import Settings
from rest_framework.test import APIClient

PASSWORD = "correct-horse-battery"


def pytest_report_header() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = f"test_{db['NAME']} on {db['HOST']}" if db.get("HOST") else "a temporary database"
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]}, {where}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    # Django's real hasher is slow on purpose; tests/test_auth.py checks it once.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    # Throttle counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(db: None) -> APIClient:
    return APIClient()


Register = Callable[..., dict[str, Any]]


@pytest.fixture
def register(client: APIClient) -> Register:
    def _register(email: str = "alice@example.com", password: str = PASSWORD) -> dict[str, Any]:
        response = client.post("/auth/register", {"email": email, "password": password})
        assert response.status_code == 201, response.content
        return response.json()

    return _register


@pytest.fixture
def auth_headers(client: APIClient, register: Register) -> dict[str, str]:
    register()
    response = client.post("/auth/login", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['access']}"}
