"""Issue 11, production 10: offboarding. A supervisor with TOTP deactivates a staff account; its
sessions end at once (database and cache sessions), the event is audited with who, when and why, and
the account can no longer log in. Wrong users cannot do it."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import LoginSession, Role, StaffAccountEvent
from accounts.testing import login_staff, make_user
from employers.tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Test-pass-2025"


def _session_exists(key: str | None) -> bool:
    return import_module(django_settings.SESSION_ENGINE).SessionStore().exists(key)


def _deactivate(client: Client, member: Any, reason: str = "调离岗位") -> Any:
    return client.post(reverse("accounts:staff_deactivate", args=[member.pk]), {"reason": reason})


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    ],
)
def test_deactivation_ends_every_session_at_once_and_is_audited(settings, engine):
    settings.SESSION_ENGINE = engine
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    supervisor = make_user(Role.SUPERVISOR, username="sup1")
    reviewer = make_user(Role.REVIEWER, username="leaving")
    laptop, phone = Client(), Client()
    login_staff(laptop, reviewer)
    login_staff(phone, reviewer)
    keys = [laptop.session.session_key, phone.session.session_key]
    assert all(_session_exists(key) for key in keys)
    assert laptop.get(reverse("accounts:otp")).status_code in (200, 302)
    assert LoginSession.objects.filter(user=reviewer).count() == 2

    admin = Client()
    login_staff(admin, supervisor)
    response = _deactivate(admin, reviewer, "离职，2026年12月1日起")
    assert response.status_code == 302

    reviewer.refresh_from_db()
    assert not reviewer.is_active
    assert not any(_session_exists(key) for key in keys)
    # The next request of either device is anonymous: sent to the login page.
    for device in (laptop, phone):
        response = device.get("/cases/review/")
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    event = StaffAccountEvent.objects.get(member=reviewer, action=StaffAccountEvent.Action.DEACTIVATED)
    assert event.actor == supervisor and event.reason == "离职，2026年12月1日起" and event.at
    # The audit is on the staff page (who, when, why).
    page = admin.get(reverse("accounts:staff")).content.decode()
    assert "离职，2026年12月1日起" in page and "停用" in page


def test_a_deactivated_account_cannot_log_in(client):
    supervisor = make_user(Role.SUPERVISOR, username="sup1")
    reviewer = make_user(Role.REVIEWER, username="leaving")
    services.deactivate_staff(actor=supervisor, member=reviewer, reason="离职")
    response = client.post(reverse("accounts:login"), {"username": "leaving", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session
    reviewer.refresh_from_db()
    assert not reviewer.has_usable_password()


def test_ratifier_accounts_are_offboarded_too():
    supervisor = make_user(Role.SUPERVISOR, username="sup1")
    ratifier = make_user(Role.RATIFIER, username="city")
    services.deactivate_staff(actor=supervisor, member=ratifier, reason="调回市局")
    ratifier.refresh_from_db()
    assert not ratifier.is_active


def test_a_reason_is_required(client):
    supervisor = make_user(Role.SUPERVISOR, username="sup1")
    reviewer = make_user(Role.REVIEWER, username="leaving")
    login_staff(client, supervisor)
    _deactivate(client, reviewer, "   ")
    _deactivate(client, reviewer, "长" * 501)
    reviewer.refresh_from_db()
    assert reviewer.is_active
    assert not StaffAccountEvent.objects.filter(action=StaffAccountEvent.Action.DEACTIVATED).exists()


def test_a_supervisor_cannot_deactivate_their_own_account(client):
    supervisor = make_user(Role.SUPERVISOR, username="sup1")
    with pytest.raises(PermissionDenied):
        services.deactivate_staff(actor=supervisor, member=supervisor, reason="x")
    login_staff(client, supervisor)
    _deactivate(client, supervisor)
    supervisor.refresh_from_db()
    assert supervisor.is_active


def test_applicants_and_operators_are_not_staff_accounts(client):
    supervisor = make_user(Role.SUPERVISOR, username="sup1")
    applicant = make_user(Role.APPLICANT)
    login_staff(client, supervisor)
    assert _deactivate(client, applicant).status_code == 404
    applicant.refresh_from_db()
    assert applicant.is_active


@pytest.mark.parametrize("who", ["anonymous", "applicant", "operator", "reviewer", "ratifier", "no_totp"])
def test_wrong_users_cannot_deactivate(client, who):
    supervisor = make_user(Role.SUPERVISOR, username="sup1")
    reviewer = make_user(Role.REVIEWER, username="target")
    if who == "applicant":
        client.force_login(make_user(Role.APPLICANT))
    elif who == "operator":
        client.force_login(factories.operator())
    elif who == "reviewer":
        login_staff(client, make_user(Role.REVIEWER))
    elif who == "ratifier":
        login_staff(client, make_user(Role.RATIFIER))
    elif who == "no_totp":
        client.force_login(supervisor)  # password only, no second factor
    response = _deactivate(client, reviewer)
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"].startswith((reverse("accounts:login"), reverse("accounts:otp")))
    reviewer.refresh_from_db()
    assert reviewer.is_active
    assert not StaffAccountEvent.objects.filter(action=StaffAccountEvent.Action.DEACTIVATED).exists()
    with pytest.raises(PermissionDenied):
        services.deactivate_staff(actor=make_user(Role.REVIEWER), member=reviewer, reason="x")


def test_logout_forgets_the_session_key(client):
    reviewer = make_user(Role.REVIEWER)
    login_staff(client, reviewer)
    assert LoginSession.objects.filter(user=reviewer).exists()
    client.post(reverse("accounts:logout"))
    assert not LoginSession.objects.filter(user=reviewer).exists()


def test_a_deactivated_account_is_not_pending_approval(client):
    """Deactivation is not undone through the four-eyes approval of new accounts."""
    supervisor = make_user(Role.SUPERVISOR, username="sup1")
    other = make_user(Role.SUPERVISOR, username="sup2")
    reviewer = make_user(Role.REVIEWER, username="leaving")  # an account with no approval event
    services.deactivate_staff(actor=supervisor, member=reviewer, reason="离职")
    assert not services.is_pending(reviewer)
    with pytest.raises(PermissionDenied):
        services.approve_staff(actor=other, member=reviewer)
    reviewer.refresh_from_db()
    assert not reviewer.is_active
