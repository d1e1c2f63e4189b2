"""Journey: a supervisor opens a reviewer account; the reviewer sets a password from the e-mail,
logs in, binds an authenticator and reaches the staff home. Also: an applicant resets a forgotten password."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import date

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import Role, User

PASSWORD = "Zhuguan-2025-pass"
NEW_PASSWORD = "Shenhe-2025-neu!"


def _link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def _otp(page, device: TOTPDevice) -> None:
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.fill("#id_token", f"{code:06d}")
    page.click("button[type=submit].button")


def _login_with_totp(page, user: User) -> None:
    """A supervisor with a confirmed authenticator logs in with password and TOTP code."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button")
    _otp(page, device)


@pytest.mark.django_db(transaction=True)
def test_supervisor_opens_reviewer_account_who_sets_password_and_binds_authenticator(page, shot):
    supervisor = User.objects.create_user(
        username="lizhuguan",
        email="li@hdrc.example.cn",
        password=PASSWORD,
        role=Role.SUPERVISOR,
        display_name="李主管",
    )
    _login_with_totp(page, supervisor)
    page.click("text=管理审核人员")
    page.fill("#id_username", "wangshenhe")
    page.fill("#id_display_name", "王审核")
    page.fill("#id_email", "wang@hdrc.example.cn")
    page.select_option("#id_role", "reviewer")
    page.click("button:has-text('创建（待批准）')")
    expect(page.locator(".message-success")).to_contain_text("已创建账号 wangshenhe")
    expect(page.locator("table")).to_contain_text("待另一位主管人员批准")
    shot(page, "staff-created-pending")
    page.click("button:has-text('退出')")
    assert not mail.outbox, "no set-password link before another supervisor approves (four eyes)"

    # A second supervisor verifies and approves the account; only then is the link mailed.
    second = User.objects.create_user(
        username="zhaozhuguan",
        email="zhao@hdrc.example.cn",
        password=PASSWORD,
        role=Role.SUPERVISOR,
        display_name="赵主管",
    )
    _login_with_totp(page, second)
    page.goto("/accounts/staff/")
    page.locator("tr", has_text="wangshenhe").get_by_role("button", name="核实并批准开通").click()
    expect(page.locator(".message-success")).to_contain_text("已批准开通 wangshenhe")
    expect(page.locator("table")).to_contain_text("待设置密码")
    shot(page, "staff-approved-by-second-supervisor")
    page.click("button:has-text('退出')")

    (message,) = mail.outbox
    assert message.to == ["wang@hdrc.example.cn"]
    page.goto(_link(str(message.body)))
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("button[type=submit].button")
    expect(page.locator("h1")).to_have_text("密码已设置")
    page.click("main a.button")
    page.fill("#id_username", "wangshenhe")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("button[type=submit].button")
    secret = page.locator("#otp-secret").inner_text().strip()
    shot(page, "reviewer-binds-authenticator")
    page.fill("#id_token", f"{TOTP(b32decode(secret)).token():06d}")
    page.click("button[type=submit].button")
    expect(page.locator("h1")).to_contain_text("王审核，您好")
    shot(page, "reviewer-home")


@pytest.mark.django_db(transaction=True)
def test_applicant_resets_forgotten_password(page, shot):
    from accounts.identity import DevIdentityProvider, make_id_number
    from applicants.services import register_applicant

    register_applicant(
        identity=DevIdentityProvider().verify("张伟", make_id_number("110108", date(1992, 4, 15), 13)),
        email="zhangwei@example.cn",
        phone="13912345678",
        password="Old-pass-2025!",
        provider="dev",
    )
    page.goto("/accounts/login/")
    page.click("text=忘记密码？")
    page.fill("#id_email", "zhangwei@example.cn")
    page.click("button[type=submit].button")
    expect(page.locator("h1")).to_have_text("邮件已发送")
    (message,) = mail.outbox
    page.goto(_link(str(message.body)))
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("button[type=submit].button")
    page.goto("/accounts/login/")
    page.fill("#id_username", "zhangwei@example.cn")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("button[type=submit].button")
    expect(page.locator("h2", has_text="完善个人信息")).to_be_visible()
    shot(page, "applicant-home-after-reset")
