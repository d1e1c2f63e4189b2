"""Login, logout, throttling with django-axes, and redirect of staff to the second factor."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.testing import make_user

PASSWORD = "Test-pass-2025"


@pytest.mark.django_db
def test_wrong_password_shows_clear_chinese_error(client):
    make_user(Role.APPLICANT, username="zhang")
    response = client.post(reverse("accounts:login"), {"username": "zhang", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "error-summary" in response.content.decode()


@pytest.mark.django_db
def test_applicant_logs_in_with_username_or_email(client):
    make_user(Role.APPLICANT, username="zhang", email="zhang@example.cn")
    response = client.post(reverse("accounts:login"), {"username": "zhang", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "ZHANG@example.cn", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_staff_go_to_second_factor_after_password(client):
    make_user(Role.REVIEWER, username="rev")
    response = client.post(reverse("accounts:login"), {"username": "rev", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/?next=/")


@pytest.mark.django_db
def test_logout_is_post_only(client):
    user = make_user(Role.APPLICANT)
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sixth_wrong_password_is_locked_out_with_chinese_page(client, settings):
    """After AXES_FAILURE_LIMIT (5) failures the pair username+IP is locked, even for the right password."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
    make_user(Role.APPLICANT, username="zhang")
    url = reverse("accounts:login")
    for _attempt in range(4):
        response = client.post(url, {"username": "zhang", "password": "wrong"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    fifth = client.post(url, {"username": "zhang", "password": "wrong"})
    assert fifth.status_code == 429
    sixth = client.post(url, {"username": "zhang", "password": "wrong"})
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert "账号已暂时锁定" in page and "密码连续输错 5 次" in page
    right = client.post(url, {"username": "zhang", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_other_user_is_not_locked_by_someone_elses_failures(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
    make_user(Role.APPLICANT, username="zhang")
    make_user(Role.APPLICANT, username="li")
    url = reverse("accounts:login")
    for _attempt in range(6):
        client.post(url, {"username": "zhang", "password": "wrong"})
    response = client.post(url, {"username": "li", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_login_error_in_english(client):
    client.cookies["django_language"] = "en"
    page = client.post(reverse("accounts:login"), {"username": "x", "password": "y"}).content.decode()
    assert "The username or password is incorrect" in page and "Forgot your password?" in page
