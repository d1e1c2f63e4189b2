"""A strict Content-Security-Policy on every response (issue 11, Low: no CSP).

No inline script or style is allowed: JavaScript lives in the apps' static files, htmx is told not
to inject its indicator styles (meta `htmx-config` in base.html). A view that sets its own policy
(a private file served with `sandbox`) keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = settings.CONTENT_SECURITY_POLICY
        return response
