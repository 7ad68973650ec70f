import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "a1B2c3D4e5F6-" * 5


def test_no_database_url_means_sqlite(tmp_path: Path) -> None:
    config = env.database(None, tmp_path)
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "db.sqlite3"}
    assert env.database("", tmp_path, "data/app.db")["NAME"] == tmp_path / "data" / "app.db"


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgres_urls(tmp_path: Path, scheme: str) -> None:
    config = env.database(f"{scheme}://u:p%40ss@db:5433/app", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("app", "u", "p@ss")
    assert (config["HOST"], config["PORT"]) == ("db", 5433)


def test_mysql_urls_use_utf8mb4(tmp_path: Path) -> None:
    config = env.database("mysql://u:p@db:3306/app", tmp_path)
    assert config["ENGINE"] == "django.db.backends.mysql"
    assert config["NAME"] == "app"
    assert config["OPTIONS"]["charset"] == "utf8mb4"


def test_unknown_database_urls_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database("mongodb://db/app", tmp_path)


@pytest.mark.parametrize("secret_key", [None, "", "change-me", "too-short", "x" * 60])
def test_production_refuses_a_weak_secret_key(secret_key: str | None) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env.secret_key("production", secret_key)


def test_production_accepts_a_strong_secret_key() -> None:
    assert env.secret_key("production", STRONG_KEY) == STRONG_KEY


def test_development_has_a_fallback_secret_key() -> None:
    assert env.secret_key("development", None) == env.DEVELOPMENT_SECRET_KEY
    assert env.secret_key("test", "mine") == "mine"


def test_bad_values_are_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="APP_ENV"):
        env.app_env("prod")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.as_bool("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="NUM_PROXIES"):
        env.as_int("NUM_PROXIES", "-1", 0)
    assert env.as_list(" a, b ,,") == ["a", "b"]


def _manage_check(**environ: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, **environ},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_fails_fast_without_a_strong_secret_key() -> None:
    result = _manage_check(APP_ENV="production", SECRET_KEY="change-me")
    assert result.returncode != 0
    assert "APP_ENV=production needs SECRET_KEY" in result.stderr


def test_production_starts_with_a_strong_secret_key() -> None:
    result = _manage_check(APP_ENV="production", SECRET_KEY=STRONG_KEY, DEBUG="false")
    assert result.returncode == 0, result.stderr
