"""The Django admin (back office) needs the second factor too, not only the password."""

import pytest

from accounts.models import User


@pytest.mark.django_db
def test_admin_needs_a_verified_second_factor(client):
    admin = User.objects.create_superuser(username="root", email="root@example.cn", password="Test-pass-2025")
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    login_page = client.get("/admin/login/").content.decode()
    assert 'name="otp_token"' in login_page


@pytest.mark.django_db
def test_admin_opens_once_the_second_factor_is_verified(client):
    from accounts.testing import login_staff

    admin = User.objects.create_superuser(username="root", email="root@example.cn", password="Test-pass-2025")
    login_staff(client, admin)
    assert client.get("/admin/").status_code == 200
