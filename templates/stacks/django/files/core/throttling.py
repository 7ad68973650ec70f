"""Rate limits of login and register: AUTH_RATE_LIMIT per client address, each on its own.

The rate is read on every request (so tests can change it). Counters live in Django's
cache: per process, or shared through Redis where CACHES points there.
"""

from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle


class AuthRateThrottle(ScopedRateThrottle):
    """429 with Retry-After once a client address is over AUTH_RATE_LIMIT for the view's
    throttle_scope ("login" or "register")."""

    def get_rate(self) -> str:
        return settings.AUTH_RATE_LIMIT
