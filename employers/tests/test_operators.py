"""Operators: the admin operator invites others by e-mail with a signed, expiring link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import Role, User
from employers import services
from employers.models import Invitation, Operator
from employers.tests import factories

pytestmark = pytest.mark.django_db


def invite(client, admin, email="new@example.cn"):
    client.force_login(admin)
    return client.post("/employers/operators/", {"email": email})


def link_from_mail() -> str:
    match = re.search(r"https?://\S+/employers/invitation/(\S+)/", str(mail.outbox[-1].body))
    assert match
    return f"/employers/invitation/{match.group(1)}/"


def test_admin_invites_and_invitee_sets_name_and_password(client, django_capture_on_commit_callbacks):
    admin = factories.operator()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, admin)
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@example.cn"]
    assert admin.operator.employer.name in mail.outbox[-1].subject
    url = link_from_mail()
    client.logout()
    page = client.get(url)
    assert "new@example.cn" in page.content.decode()
    response = client.post(
        url,
        {
            "name": "新经办",
            "phone": "13900001111",
            "password1": "Second-op-2025",
            "password2": "Second-op-2025",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.cn")
    assert user.role == Role.OPERATOR and user.display_name == "新经办"
    operator = Operator.objects.get(user=user)
    assert operator.employer == admin.operator.employer
    assert not operator.is_admin
    assert Invitation.objects.get().accepted_by == user
    # the link works once
    assert client.get(url).status_code == 410


def test_operator_list_shows_all_operators(client):
    admin = factories.operator(display_name="管理员甲")
    factories.operator(admin.operator.employer, is_admin=False, display_name="经办乙")
    factories.operator(display_name="别家经办")
    client.force_login(admin)
    html = client.get("/employers/operators/").content.decode()
    assert "管理员甲" in html and "经办乙" in html
    assert "别家经办" not in html


def test_non_admin_cannot_invite(client):
    admin = factories.operator()
    clerk = factories.operator(admin.operator.employer, is_admin=False)
    client.force_login(clerk)
    assert 'name="email"' not in client.get("/employers/operators/").content.decode()
    assert client.post("/employers/operators/", {"email": "x@example.cn"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.invite_operator(actor=clerk, email="x@example.cn")
    assert not Invitation.objects.exists()


def test_existing_email_cannot_be_invited(client):
    admin = factories.operator()
    factories.operator(email="taken@example.cn")
    response = invite(client, admin, "taken@example.cn")
    assert "该电子邮箱已有账号" in response.content.decode()


def test_expired_and_forged_links(client):
    admin = factories.operator()
    invitation = services.invite_operator(actor=admin, email="late@example.cn")
    token = services.invitation_token(invitation)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.get(f"/employers/invitation/{token}/")
    assert response.status_code == 410
    assert "邀请链接已过期" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client.get(f"/employers/invitation/{token}/").status_code == 200
    response = client.get(f"/employers/invitation/{token[:-2]}xx/")
    assert response.status_code == 410
    assert "邀请链接无效" in response.content.decode()
