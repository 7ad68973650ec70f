"""Django settings, read from the environment (and a local `.env` file).

Every setting a deployment changes is an environment variable; .env.example lists them.
"""

import os
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

from config import env
from config.meta import DESCRIPTION, TITLE, VERSION

BASE_DIR = Path(__file__).resolve().parent.parent
# The real environment wins over .env, which is only a convenience for local runs.
load_dotenv(BASE_DIR / ".env", override=False)

APP_ENV = env.app_env(os.environ.get("APP_ENV"))
SECRET_KEY = env.secret_key(APP_ENV, os.environ.get("SECRET_KEY"))
# Off unless asked for: errors are JSON either way, DEBUG only adds Django's debug pages.
DEBUG = env.as_bool("DEBUG", os.environ.get("DEBUG"))
if DEBUG and APP_ENV == "production":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DEBUG must be off when APP_ENV=production")

ALLOWED_HOSTS = env.as_list(os.environ.get("ALLOWED_HOSTS"), ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "users",
    "api",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [  # only the API docs page (/docs) renders a template
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

# Unset DATABASE_URL: a SQLite file (SQLITE_PATH, default db.sqlite3 in this folder).
DATABASES = {
    "default": env.database(
        os.environ.get("DATABASE_URL"), BASE_DIR, os.environ.get("SQLITE_PATH")
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Throttle counters live in the cache: per process here. Behind several workers or
# replicas, point CACHES at a shared store (e.g. Redis) so the limits hold across them.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.LimitOffsetPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": os.environ.get("LOGIN_RATE", "5/minute")},
    # Client address for throttling: REMOTE_ADDR, or X-Forwarded-For behind this many proxies.
    "NUM_PROXIES": env.as_int("NUM_PROXIES", os.environ.get("NUM_PROXIES"), 0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(
        minutes=env.as_int(
            "ACCESS_TOKEN_EXPIRE_MINUTES", os.environ.get("ACCESS_TOKEN_EXPIRE_MINUTES"), 30, 1
        )
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "SIGNING_KEY": SECRET_KEY,
    "ALGORITHM": "HS256",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "UPDATE_LAST_LOGIN": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": TITLE,
    "DESCRIPTION": DESCRIPTION,
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Browsers may call the API from these origins (comma-separated); none by default.
CORS_ALLOWED_ORIGINS = env.as_list(os.environ.get("CORS_ORIGINS"), [])
CORS_EXPOSE_HEADERS = ["X-Request-ID"]

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER=true).
if env.as_bool("SECURE_PROXY_SSL_HEADER", os.environ.get("SECURE_PROXY_SSL_HEADER")):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Through the root handler; 4xx are in the access log already, errors stay.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}
