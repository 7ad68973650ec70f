"""A JSON cache in Redis (REDIS_URL), or in this process when REDIS_URL is unset.

Keys are `<CACHE_PREFIX>:<name>`. Lists are cached under a version number that
every write bumps, so one INCR invalidates every cached page at once; items are
deleted on write. A Redis that fails is logged and treated as a cache miss: the
API keeps answering from the database.
"""

import fnmatch
import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from redis import Redis, RedisError

logger = logging.getLogger(__name__)


class Store(Protocol):
    """The part of the redis.Redis API the cache uses."""

    def get(self, name: str) -> Any: ...
    def set(self, name: str, value: str, ex: int | None = None) -> Any: ...
    def delete(self, *names: str) -> Any: ...
    def incr(self, name: str) -> Any: ...
    def scan_iter(self, match: str | None = None) -> Iterator[Any]: ...


class MemoryStore:
    """An in-process stand-in for Redis (one process only; entries expire)."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._lock = threading.Lock()

    def _live(self, name: str) -> str | None:
        entry = self._data.get(name)
        if entry is None:
            return None
        value, expires = entry
        if expires is not None and expires <= time.monotonic():
            del self._data[name]
            return None
        return value

    def get(self, name: str) -> str | None:
        with self._lock:
            return self._live(name)

    def set(self, name: str, value: str, ex: int | None = None) -> bool:
        with self._lock:
            self._data[name] = (value, time.monotonic() + ex if ex else None)
            return True

    def delete(self, *names: str) -> int:
        with self._lock:
            return sum(self._data.pop(name, None) is not None for name in names)

    def incr(self, name: str) -> int:
        with self._lock:
            value = int(self._live(name) or 0) + 1
            self._data[name] = (str(value), None)
            return value

    def scan_iter(self, match: str | None = None) -> Iterator[str]:
        with self._lock:
            names = list(self._data)
        return iter([n for n in names if match is None or fnmatch.fnmatchcase(n, match)])


class Cache:
    def __init__(self, store: Store, prefix: str, ttl_seconds: int) -> None:
        self.store = store
        self.prefix = prefix
        self.ttl = ttl_seconds

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def get(self, name: str) -> Any | None:
        """The cached JSON value, or None (a miss, or Redis is unavailable)."""
        try:
            raw = self.store.get(self.key(name))
        except RedisError:
            logger.warning("cache get failed", exc_info=True)
            return None
        return None if raw is None else json.loads(raw)

    def set(self, name: str, value: Any) -> None:
        try:
            self.store.set(self.key(name), json.dumps(value), ex=self.ttl)
        except RedisError:
            logger.warning("cache set failed", exc_info=True)

    def delete(self, *names: str) -> None:
        try:
            self.store.delete(*(self.key(name) for name in names))
        except RedisError:
            logger.warning("cache delete failed", exc_info=True)

    def version(self, name: str) -> int:
        """The current version of a group of keys (0 if never bumped)."""
        try:
            return int(self.store.get(self.key(f"{name}:version")) or 0)
        except RedisError:
            logger.warning("cache version failed", exc_info=True)
            return -1  # a version never written: reads miss, writes are harmless

    def bump(self, name: str) -> None:
        """Invalidate every key stored under the current version of `name`."""
        try:
            self.store.incr(self.key(f"{name}:version"))
        except RedisError:
            logger.warning("cache bump failed", exc_info=True)

    def clear(self) -> None:
        """Delete every key of this cache's prefix (and nothing else)."""
        keys = list(self.store.scan_iter(match=f"{self.prefix}:*"))
        if keys:
            self.store.delete(*keys)


def make_cache(redis: Redis | None, prefix: str, ttl_seconds: int) -> Cache:
    return Cache(redis if redis is not None else MemoryStore(), prefix, ttl_seconds)


def get_cache(request: Request) -> Cache:
    return request.app.state.cache


CacheDep = Annotated[Cache, Depends(get_cache)]
