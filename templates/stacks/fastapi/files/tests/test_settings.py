import pytest
from pydantic import ValidationError

from app.config import Settings


def test_postgres_urls_use_psycopg() -> None:
    settings = Settings(_env_file=None, database_url="postgresql://u:p@db:5432/app")
    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@db:5432/app"
    settings = Settings(_env_file=None, database_url="postgres://u:p@db/app")
    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@db/app"


def test_no_database_url_means_sqlite() -> None:
    settings = Settings(_env_file=None, database_url="", sqlite_path="data/app.db")
    assert settings.sqlalchemy_url == "sqlite:///data/app.db"
    assert settings.is_sqlite


@pytest.mark.parametrize("secret_key", ["", "change-me", "too-short"])
def test_production_refuses_a_weak_secret_key(secret_key: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None, app_env="production", secret_key=secret_key)


def test_production_accepts_a_strong_secret_key() -> None:
    settings = Settings(_env_file=None, app_env="production", secret_key="k" * 64)
    assert settings.app_env == "production"
