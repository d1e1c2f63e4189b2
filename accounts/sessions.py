"""Which sessions belong to which user, whatever the session engine (issue 11, production 10).

Django's cache sessions cannot be listed, so each login records its session key; `end_sessions`
deletes every recorded session of a user through the configured engine (database, cache, cached_db).
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import LoginSession, User


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key or user is None or user.pk is None:
        return
    stale = timezone.now() - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    LoginSession.objects.filter(user=user, created_at__lt=stale).delete()
    LoginSession.objects.update_or_create(session_key=key, defaults={"user": user})


def _on_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        LoginSession.objects.filter(session_key=key).delete()


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="accounts.sessions.login")
    user_logged_out.connect(_on_logout, dispatch_uid="accounts.sessions.logout")


def end_sessions(user: User) -> int:
    """Delete every session the user logged in with; returns how many were recorded."""
    store = _store()
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store().delete(key)
    LoginSession.objects.filter(user=user).delete()
    return len(keys)
