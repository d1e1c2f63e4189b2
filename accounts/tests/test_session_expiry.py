"""Session expiry (core.middleware.SessionTimeoutMiddleware): idle and absolute limits."""

import time

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.testing import make_user

PROFILE = "/applicants/profile/"


def _age_session(client, *, login_ago: int, seen_ago: int) -> None:
    now = int(time.time())
    session = client.session
    session["_login_at"] = now - login_ago
    session["_seen_at"] = now - seen_ago
    session.save()


@pytest.mark.django_db
def test_idle_session_is_logged_out(client, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client.force_login(make_user(Role.APPLICANT))
    assert client.get(PROFILE).status_code in {200, 404}
    _age_session(client, login_ago=700, seen_ago=601)
    response = client.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_activity_within_the_idle_limit_keeps_the_session(client, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client.force_login(make_user(Role.APPLICANT))
    client.get("/")
    _age_session(client, login_ago=1000, seen_ago=590)
    client.get("/")
    assert "_auth_user_id" in client.session
    assert int(time.time()) - client.session["_seen_at"] < 5  # seen again now


@pytest.mark.django_db
def test_absolute_limit_ends_even_an_active_session(client, settings):
    settings.SESSION_IDLE_SECONDS = 600
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client.force_login(make_user(Role.APPLICANT))
    client.get("/")
    _age_session(client, login_ago=3601, seen_ago=10)
    client.get("/")
    assert "_auth_user_id" not in client.session
    _age_session(client, login_ago=0, seen_ago=0)
    client.force_login(make_user(Role.APPLICANT))
    client.get("/")
    _age_session(client, login_ago=3599, seen_ago=10)
    client.get("/")
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_request_soon_after_the_last_does_not_rewrite_the_session(client, settings):
    """Issue 12: the session row is written only when the time last seen needs refreshing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SESSION_IDLE_SECONDS = 600
    settings.SESSION_TOUCH_SECONDS = 60
    client.force_login(make_user(Role.APPLICANT))
    client.get("/")
    _age_session(client, login_ago=100, seen_ago=10)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]
    assert writes == []
    assert int(time.time()) - client.session["_seen_at"] >= 10  # not refreshed
    _age_session(client, login_ago=100, seen_ago=61)
    client.get("/")
    assert int(time.time()) - client.session["_seen_at"] < 5  # refreshed: older than the touch interval
    assert "_auth_user_id" in client.session
