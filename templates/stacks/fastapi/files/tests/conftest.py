"""Test setup: SQLite by default; TEST_DATABASE_URL or DATABASE_URL picks a real database.

The app's tables are dropped and migrated up at the start and emptied after each test:
never point these tests at a database whose data you want to keep.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, text

from app.config import Settings, normalize_database_url
from app.db import Base, make_engine
from app.main import create_app

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return normalize_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False
    return config


@pytest.fixture(scope="session")
def engine(database_url: str, alembic_config: Config) -> Iterator[Engine]:
    engine = make_engine(database_url)
    # Start from scratch whatever an earlier run left, then build the schema with Alembic.
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    command.upgrade(alembic_config, "head")
    yield engine
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        app_env="test",
        database_url=database_url,
        secret_key="test-secret-key-that-is-long-enough-for-hs256",
        login_rate_limit=5,
        login_rate_window_seconds=60,
    )


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Iterator[FastAPI]:
    yield create_app(settings)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


Register = Callable[..., dict[str, Any]]


@pytest.fixture
def register(client: TestClient) -> Register:
    def _register(email: str = "alice@example.com", password: str = PASSWORD) -> dict[str, Any]:
        response = client.post("/auth/register", json={"email": email, "password": password})
        assert response.status_code == 201, response.text
        return response.json()

    return _register


@pytest.fixture
def auth_headers(client: TestClient, register: Register) -> dict[str, str]:
    register()
    response = client.post("/auth/login", json={"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
