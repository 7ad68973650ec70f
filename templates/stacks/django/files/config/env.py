"""Reading settings from the environment, kept apart from settings.py so it can be tested.

Every function here is pure: it gets the raw strings and returns values or raises
ImproperlyConfigured with a message that says what to fix.
"""

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

APP_ENVS = ("development", "test", "production")
# Used when SECRET_KEY is unset outside production: known to everyone, so never secret.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-it-in-production"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 50

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def as_bool(name: str, value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    msg = f"{name}={value!r} is not a boolean: use true or false"
    raise ImproperlyConfigured(msg)


def as_int(name: str, value: str | None, default: int, minimum: int = 0) -> int:
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        msg = f"{name}={value!r} must be a whole number of at least {minimum}"
        raise ImproperlyConfigured(msg)
    return number


def as_list(value: str | None, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; unset gives the default, an empty string an empty list."""
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def app_env(value: str | None) -> str:
    env = (value or "development").strip().lower()
    if env not in APP_ENVS:
        msg = f"APP_ENV={value!r} is not one of {', '.join(APP_ENVS)}"
        raise ImproperlyConfigured(msg)
    return env


def secret_key(env: str, value: str | None) -> str:
    """SECRET_KEY signs the JWTs: production refuses to start without a strong one."""
    key = (value or "").strip()
    if env != "production":
        return key or DEVELOPMENT_SECRET_KEY
    if (
        len(key) < MIN_SECRET_KEY_LENGTH
        or len(set(key)) < 5  # Django's own check (security.W009)
        or key.startswith("django-insecure")
        or key == DEVELOPMENT_SECRET_KEY
    ):
        msg = (
            f"APP_ENV=production needs SECRET_KEY: a random value of {MIN_SECRET_KEY_LENGTH}+ "
            'characters, e.g. python3 -c "import secrets; print(secrets.token_hex(32))"'
        )
        raise ImproperlyConfigured(msg)
    return key


def database(url: str | None, base_dir: Path, sqlite_path: str | None = None) -> dict[str, Any]:
    """DATABASES["default"] from DATABASE_URL: postgresql://, mysql:// or a SQLite file."""
    url = (url or "").strip()
    if not url:
        path = Path(sqlite_path or "db.sqlite3")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path if path.is_absolute() else base_dir / path,
        }
    scheme = url.split("://", 1)[0].lower()
    if scheme not in {"postgres", "postgresql", "pgsql", "mysql", "sqlite"}:
        msg = f"DATABASE_URL must start with postgresql://, mysql:// or sqlite://, not {scheme}://"
        raise ImproperlyConfigured(msg)
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.mysql":
        _use_pymysql()
        config["OPTIONS"] = {
            "charset": "utf8mb4",
            "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
            **config.get("OPTIONS", {}),
        }
        config["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
    return config


def _use_pymysql() -> None:
    """Django's MySQL backend imports MySQLdb; PyMySQL stands in (no C compiler needed)."""
    try:
        import pymysql  # only needed for mysql:// URLs
    except ImportError as exc:
        msg = "DATABASE_URL is a mysql:// URL: install the driver with `pip install pymysql`"
        raise ImproperlyConfigured(msg) from exc
    pymysql.install_as_MySQLdb()
