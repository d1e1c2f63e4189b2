"""The client's address for rate limits and django-axes (issue 11: X-Forwarded-For is client-controlled).

Behind `TRUSTED_PROXY_COUNT` reverse proxies (env DJANGO_TRUSTED_PROXY_COUNT; 1 in production, 0 in
development), each proxy appends the address it saw to X-Forwarded-For, so only the rightmost
`TRUSTED_PROXY_COUNT` hops are trustworthy: the client is the hop the outermost trusted proxy added.
Whatever the client wrote to the left of it is ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]
