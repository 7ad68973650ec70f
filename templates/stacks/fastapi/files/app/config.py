"""Settings, read from the environment (and a local `.env` file)."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me"  # noqa: S105 - a placeholder that is refused outside development


def normalize_database_url(url: str) -> str:
    """Pick the SQLAlchemy driver for the plain URLs every service shares."""
    for prefix, driver in (
        ("postgres://", "postgresql+psycopg://"),
        ("postgresql://", "postgresql+psycopg://"),
        ("mysql://", "mysql+pymysql://"),
    ):
        if url.startswith(prefix):
            return driver + url.removeprefix(prefix)
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    app_env: Literal["development", "test", "production"] = "development"
    secret_key: str = DEFAULT_SECRET_KEY
    # Unset or empty: a SQLite file at `sqlite_path`.
    database_url: str = ""
    sqlite_path: str = "app.db"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    run_migrations: bool = False
    # Comma-separated origins allowed to call the API from a browser (CORS).
    cors_origins: str = ""

    access_token_expire_minutes: int = Field(default=30, gt=0)
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    login_rate_limit: int = Field(default=5, gt=0, description="Login attempts per window")
    login_rate_window_seconds: int = Field(default=60, gt=0)

    @field_validator("database_url")
    @classmethod
    def _normalize_database_url(cls, value: str) -> str:
        return normalize_database_url(value.strip())

    @model_validator(mode="after")
    def _check_secret_key(self) -> "Settings":
        if self.app_env != "development" and self.app_env != "test":
            key = self.secret_key
            if not key or key == DEFAULT_SECRET_KEY or len(key) < 32:
                msg = f"APP_ENV={self.app_env} needs SECRET_KEY: a random value of 32+ characters"
                raise ValueError(msg)
        return self

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
