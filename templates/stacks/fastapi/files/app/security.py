"""Password hashing, JWT access tokens, the current user, ownership and rate limits."""

import math
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pwdlib import PasswordHash

from app.config import Settings
from app.db import SessionDep
from app.errors import AppError
from app.models import User

password_hash = PasswordHash.recommended()  # Argon2id
# Checked when the email is unknown, so a login takes as long either way.
_DUMMY_HASH = password_hash.hash("not-a-real-password")

bearer_scheme = HTTPBearer(auto_error=False)


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if hashed is None:
        password_hash.verify(password, _DUMMY_HASH)
        return False
    return password_hash.verify(password, hashed)


def create_access_token(settings: Settings, user_id: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_expire_minutes),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=settings.jwt_algorithm)


def _unauthorized(message: str) -> AppError:
    return AppError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def get_settings_from_app(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings_from_app)]


def get_current_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> User:
    if credentials is None:
        raise _unauthorized("Not authenticated")
    try:
        claims = jwt.decode(
            credentials.credentials,
            settings.secret_key,
            algorithms=[settings.jwt_algorithm],
            options={"require": ["exp", "sub"]},
        )
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise _unauthorized("Invalid or expired token") from exc
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise _unauthorized("Invalid or expired token")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def ensure_can_change(user: User, owner_id: int | None, title: str) -> None:
    """Only the owner of a row, or an admin, may change or delete it (403 otherwise)."""
    if user.is_admin or (owner_id is not None and owner_id == user.id):
        return
    raise AppError(403, "forbidden", f"Only the owner of this {title} or an admin may change it")


class RateLimiter:
    """Sliding-window limit per key, in memory: one process only.

    Behind several workers or replicas, use a shared store (e.g. Redis) instead.
    """

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Record an attempt; return the seconds to wait if the key is over its limit."""
        now = time.monotonic()
        with self._lock:
            if len(self._hits) > 10_000:  # forget idle keys
                self._hits = {
                    k: v for k, v in self._hits.items() if v and v[-1] > now - self.window
                }
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window - now
            hits.append(now)
            return None


def _rate_limit(request: Request, limiter: RateLimiter, what: str) -> None:
    client = request.client.host if request.client else "unknown"
    retry_after = limiter.hit(client)
    if retry_after is not None:
        raise AppError(
            429,
            "rate_limited",
            f"Too many {what} attempts, try again later",
            headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
        )


def login_rate_limit(request: Request) -> None:
    _rate_limit(request, request.app.state.login_limiter, "login")


def register_rate_limit(request: Request) -> None:
    _rate_limit(request, request.app.state.register_limiter, "registration")
