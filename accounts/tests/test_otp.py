"""Second factor (TOTP) for reviewers and supervisors: setup with a QR code, then a code at each login."""

from base64 import b32encode

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.testing import make_user

PASSWORD = "Test-pass-2025"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def password_login(client, username: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_staff_without_device_sets_one_up_with_qr_and_secret(client):
    make_user(Role.REVIEWER, username="rev")
    password_login(client, "rev")
    response = client.get(reverse("accounts:otp") + "?next=/")
    page = response.content.decode()
    device = TOTPDevice.objects.get(user__username="rev")
    assert not device.confirmed
    assert "<svg" in page and "首次登录请绑定身份验证器" in page
    assert b32encode(device.bin_key).decode() in page
    # A wrong code keeps the device unconfirmed and says so at the field.
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("accounts:otp"), {"token": wrong, "next": "/"})
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    # Throttling after a failure: wait it out as the device would.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    response = client.post(reverse("accounts:otp"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session["otp_device_id"] == device.persistent_id


@pytest.mark.django_db
def test_staff_with_device_enters_code_and_reaches_staff_pages(client):
    supervisor = make_user(Role.SUPERVISOR, username="sup")
    device = TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    password_login(client, "sup")
    assert client.get(reverse("accounts:staff")).status_code == 302  # not verified yet
    response = client.get(reverse("accounts:otp"))
    assert "<svg" not in response.content.decode()
    response = client.post(reverse("accounts:otp"), {"token": code_for(device), "next": "/accounts/staff/"})
    assert response["Location"] == "/accounts/staff/"
    assert client.get(reverse("accounts:staff")).status_code == 200


@pytest.mark.django_db
def test_code_format_error_and_unsafe_next(client):
    supervisor = make_user(Role.SUPERVISOR, username="sup")
    device = TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    password_login(client, "sup")
    response = client.post(reverse("accounts:otp"), {"token": "12ab"})
    assert "请输入6位数字验证码" in response.content.decode()
    response = client.post(
        reverse("accounts:otp"), {"token": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_otp_page_is_not_for_applicants_and_needs_login(client):
    response = client.get(reverse("accounts:otp"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(make_user(Role.APPLICANT))
    assert client.get(reverse("accounts:otp")).status_code == 404


@pytest.mark.django_db
def test_otp_code_command_prints_current_code(settings, capsys):
    settings.PRODUCTION = False
    reviewer = make_user(Role.REVIEWER, username="rev")
    device = TOTPDevice.objects.create(user=reviewer, name="demo", confirmed=True)
    call_command("otp_code", "rev")
    printed = capsys.readouterr().out.strip()
    assert printed in {code_for(device, -1), code_for(device), code_for(device, 1)}
    assert device.verify_token(printed)


@pytest.mark.django_db
def test_otp_code_command_refuses_in_production_and_without_device(settings):
    reviewer = make_user(Role.REVIEWER, username="rev")
    settings.PRODUCTION = False
    with pytest.raises(CommandError, match="没有已绑定"):
        call_command("otp_code", "rev")
    TOTPDevice.objects.create(user=reviewer, name="demo", confirmed=True)
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("otp_code", "rev")
