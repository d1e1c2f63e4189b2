"""Issue 11, Medium 3: one supervisor cannot pass the four-eyes rule alone. A new staff account is
inactive until another supervisor approves it (or it is activated out of band); creation and approval
are audited; the set-password link goes by e-mail only, never into a database row."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts import services
from accounts.models import Role, StaffAccountEvent, User
from accounts.testing import login_staff, make_user
from core.models import Notification

pytestmark = pytest.mark.django_db


def _create(client, supervisor, username="shadow", role="supervisor"):
    login_staff(client, supervisor)
    return client.post(
        reverse("accounts:staff"),
        {"username": username, "display_name": "影子", "email": f"{username}@mine.example.cn", "role": role},
    )


def _rows_hold(text: str) -> bool:
    """Whether any text column of any table holds `text`."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            for column in columns:
                quoted = connection.ops.quote_name
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted(table)} WHERE CAST({quoted(column)} AS TEXT) LIKE %s",
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    return True
    return False


def test_a_new_staff_account_is_inactive_and_cannot_be_approved_by_its_creator(
    client, django_capture_on_commit_callbacks
):
    creator = make_user(Role.SUPERVISOR, username="sup1")
    with django_capture_on_commit_callbacks(execute=True):
        _create(client, creator)
    shadow = User.objects.get(username="shadow")
    assert not shadow.is_active
    assert not mail.outbox or all("shadow@mine.example.cn" not in m.to for m in mail.outbox)
    with pytest.raises(PermissionDenied):
        services.approve_staff(actor=creator, member=shadow)
    response = client.post(reverse("accounts:staff_approve", args=[shadow.pk]))
    assert response.status_code in (302, 403)
    shadow.refresh_from_db()
    assert not shadow.is_active
    assert StaffAccountEvent.objects.filter(member=shadow, action="created", actor=creator).exists()


def test_another_supervisor_approves_and_the_link_goes_by_mail_only(
    client, django_capture_on_commit_callbacks
):
    creator = make_user(Role.SUPERVISOR, username="sup1")
    second = make_user(Role.SUPERVISOR, username="sup2")
    _create(client, creator, username="wang", role="reviewer")
    member = User.objects.get(username="wang")
    # The other supervisor is told an account waits for approval (no link to set a password).
    assert Notification.objects.filter(user=second).exists()
    login_staff(client, second)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:staff_approve", args=[member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_active
    assert StaffAccountEvent.objects.filter(member=member, action="approved", actor=second).exists()
    sent = [m for m in mail.outbox if m.to == ["wang@mine.example.cn"]]
    assert len(sent) == 1
    match = re.search(r"/accounts/reset/([^/\s]+)/([^/\s]+)/", str(sent[0].body))
    assert match
    token = match.group(2)
    assert not _rows_hold(token)
    assert not Notification.objects.filter(url__contains="/accounts/reset/").exists()


def test_an_out_of_band_activation_is_audited():
    creator = make_user(Role.SUPERVISOR, username="sup1")
    member = services.create_staff(
        by=creator, username="li", display_name="李", email="li@example.cn", role=Role.REVIEWER
    )
    call_command("activate_staff", "li")
    member.refresh_from_db()
    assert member.is_active
    assert StaffAccountEvent.objects.filter(member=member, action="approved", actor=None).exists()
