"""Session expiry (idle and absolute limits, from settings) and the staff second-factor gate."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"


class SessionTimeoutMiddleware:
    """Log the user out when the session was idle too long or is older than the absolute limit.

    The time last seen is written to the session (a database row) only when it is older than
    SESSION_TOUCH_SECONDS: a request does not rewrite its session each time, and a session still ends
    after SESSION_IDLE_SECONDS of idleness, at most SESSION_TOUCH_SECONDS early."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            login_at = request.session.setdefault(LOGIN_AT, now)
            seen_at = request.session.get(SEEN_AT, now)
            idle = now - seen_at > settings.SESSION_IDLE_SECONDS
            too_old = now - login_at > settings.SESSION_ABSOLUTE_SECONDS
            if idle or too_old:
                logout(request)
            elif SEEN_AT not in request.session or now - seen_at >= settings.SESSION_TOUCH_SECONDS:
                request.session[SEEN_AT] = now
        return self.get_response(request)


SECOND_FACTOR_EXEMPT = frozenset({"accounts:login", "accounts:otp", "accounts:logout"})


class StaffSecondFactorMiddleware:
    """District staff (reviewers, supervisors) with a password but no verified TOTP device in this
    session reach nothing but the login, TOTP and logout pages: every other URL, including any view
    added later, sends them to the TOTP page. Runs after django_otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "is_district_staff", False)
            and not getattr(user, "is_verified", lambda: False)()
        ):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in SECOND_FACTOR_EXEMPT:
                target = reverse("accounts:otp")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)


class StorageErrorMiddleware:
    """A storage failure (read-only or full disk, object storage away) gives a clear 503 page instead of
    a bare server error; files staged by a request whose transaction did not commit are removed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from core.files import discard_unfinished

        try:
            return self.get_response(request)
        finally:
            discard_unfinished()

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OSError) or isinstance(exception, FileNotFoundError):
            return None
        import logging

        from django.shortcuts import render

        logging.getLogger("core.storage").error(
            "storage error on %s %s: %s", request.method, request.path, type(exception).__name__
        )
        response = render(request, "storage_unavailable.html", status=503)
        response["Retry-After"] = "60"
        return response
