"""Journey: a reviewer logs in with password and TOTP code and lands on the staff home;
a new reviewer binds an authenticator from the QR page first."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.models import Role, User

PASSWORD = "Shenhe-2025-pass"


def _reviewer(username: str) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@hdrc.example.cn",
        password=PASSWORD,
        role=Role.REVIEWER,
        display_name="王审核",
    )
    return user


def _password_login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button")
    expect(page.locator("h1")).to_have_text("二次验证")


@pytest.mark.django_db(transaction=True)
def test_reviewer_logs_in_with_password_and_totp(page, shot):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=_reviewer("wang"), name="phone", confirmed=True)
    _password_login(page, "wang")
    shot(page, "otp-prompt")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_token", f"{(totp.token() + 1) % 1_000_000:06d}")
    page.click("button[type=submit].button")
    expect(page.locator(".error-summary")).to_contain_text("验证码不正确")
    # The device throttles after a failure; a person would wait, the test resets the counter.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    code = totp.token()
    page.fill("#id_token", f"{code:06d}")
    page.click("button[type=submit].button")
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.locator("h1")).to_contain_text("王审核，您好")
    expect(page.locator(".who")).to_contain_text("审核人员")
    shot(page, "staff-home")


@pytest.mark.django_db(transaction=True)
def test_new_reviewer_binds_authenticator_from_qr_page(page, shot):
    _reviewer("li")
    _password_login(page, "li")
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text().strip()
    shot(page, "otp-setup-qr")
    # The QR code on screen carries the otpauth URL with the same secret and the issuer.
    import io
    from urllib.parse import parse_qs, urlparse

    import zxingcpp
    from PIL import Image

    png = page.locator(".qr svg").screenshot()
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    url = urlparse(barcode.text)
    assert url.scheme == "otpauth" and url.netloc == "totp"
    query = parse_qs(url.query)
    assert query["secret"] == [secret] and query["issuer"] == ["海淀工作居住证"]
    key = b32decode(secret)
    code = TOTP(key).token()
    page.fill("#id_token", f"{code:06d}")
    page.click("button[type=submit].button")
    expect(page.locator(".message-success")).to_contain_text("身份验证器已绑定")
    shot(page, "otp-bound")
