"""Staff accounts are created by a supervisor (人员管理), never by self-registration."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from accounts.testing import login_staff, make_user
from core.models import Notification

NEW_PASSWORD = "Shenhe-2025-neu!"


@pytest.mark.django_db
def test_supervisor_creates_reviewer_who_sets_password_by_email(client, django_capture_on_commit_callbacks):
    supervisor = make_user(Role.SUPERVISOR, username="sup", display_name="李主管")
    second = make_user(Role.SUPERVISOR, username="sup2", display_name="赵主管", email="sup2@hdrc.example.cn")
    login_staff(client, supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:staff"),
            {
                "username": "wang",
                "display_name": "王审核",
                "email": "Wang@hdrc.example.cn",
                "role": "reviewer",
            },
        )
    assert response.status_code == 302
    reviewer = User.objects.get(username="wang")
    assert reviewer.role == Role.REVIEWER and reviewer.email == "wang@hdrc.example.cn"
    assert not reviewer.has_usable_password() and not reviewer.is_active
    mail.outbox.clear()
    other = client.__class__()
    login_staff(other, second)  # four-eyes: another supervisor approves the account
    with django_capture_on_commit_callbacks(execute=True):
        other.post(reverse("accounts:staff_approve", args=[reviewer.pk]))
    assert not Notification.objects.filter(user=reviewer).exists()  # the link is never stored
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@hdrc.example.cn"]
    body = mail.outbox[0].body
    assert "审核人员" in mail.outbox[0].subject and "wang" in body
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", str(body))
    assert match
    path = match.group(1)
    page = client.get(path, follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.check_password(NEW_PASSWORD)
    listing = client.get(reverse("accounts:staff")).content.decode()
    assert "wang" in listing and "王审核" in listing


@pytest.mark.django_db
def test_duplicate_username_or_email_is_refused_at_the_field(client):
    supervisor = make_user(Role.SUPERVISOR, username="sup")
    make_user(Role.REVIEWER, username="wang", email="wang@hdrc.example.cn")
    login_staff(client, supervisor)
    response = client.post(
        reverse("accounts:staff"),
        {"username": "WANG", "display_name": "王", "email": "wang@hdrc.example.cn", "role": "applicant"},
    )
    page = response.content.decode()
    assert "该用户名已被使用" in page and "该电子邮箱已被使用" in page
    assert 'href="#id_role"' in page  # applicant is not a choice here
    assert User.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.OPERATOR, Role.REVIEWER])
def test_only_supervisors_manage_staff(client, role):
    user = make_user(role)
    if role == Role.REVIEWER:
        login_staff(client, user)
    else:
        client.force_login(user)
    assert client.get(reverse("accounts:staff")).status_code == 404
    response = client.post(
        reverse("accounts:staff"),
        {"username": "x1x", "display_name": "x", "email": "x@example.cn", "role": "supervisor"},
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="x1x").exists()


@pytest.mark.django_db
def test_anonymous_and_unverified_supervisor_are_redirected(client):
    response = client.get(reverse("accounts:staff"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(make_user(Role.SUPERVISOR))
    response = client.get(reverse("accounts:staff"))
    assert response["Location"].startswith("/accounts/otp/")


@pytest.mark.django_db
def test_supervisor_gets_staff_panel_others_do_not():
    from django.test import RequestFactory

    from accounts.panels import staff_management_panel

    make_user(Role.REVIEWER, username="newbie")  # never logged in: waiting for the password e-mail
    request = RequestFactory().get("/")
    request.user = make_user(Role.SUPERVISOR)
    (panel,) = staff_management_panel(request)
    assert panel.title == "人员管理" and panel.action_url == reverse("accounts:staff")
    assert [item.label for item in panel.items] == ["newbie"]
    for role in (Role.REVIEWER, Role.APPLICANT, Role.OPERATOR):
        request.user = make_user(role)
        assert staff_management_panel(request) == []
