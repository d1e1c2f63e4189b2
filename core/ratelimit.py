"""A fixed-window limit per client address and scope, kept in the Django cache (shared by workers):
registration forms (issue 11: applicant and employer registration are rate limited)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from core.clientip import client_ip


def allow(scope: str, request: HttpRequest, *, limit: int, window: int) -> bool:
    """Count one attempt from the request's client; False once `limit` attempts were made in the window."""
    bucket = int(time.time()) // window
    key = f"ratelimit:{scope}:{client_ip(request)}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit
