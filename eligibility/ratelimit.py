"""A fixed-window request limit per client address, kept in the Django cache (shared by workers)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from core.clientip import client_ip

__all__ = ["client_ip", "hit", "limit"]

DEFAULT_LIMIT = 60
DEFAULT_WINDOW_SECONDS = 60


def limit() -> int:
    return int(getattr(settings, "ELIGIBILITY_RATE_LIMIT", DEFAULT_LIMIT))


def hit(scope: str, request: HttpRequest) -> tuple[bool, int]:
    """Count one request; return (allowed, seconds until the window resets)."""
    window = int(getattr(settings, "ELIGIBILITY_RATE_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))
    now = int(time.time())
    bucket = now // window
    key = f"ratelimit:{scope}:{client_ip(request)}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window + 1)
            count = 1
    retry_after = window - (now % window)
    return count <= limit(), retry_after
