"""Journey: an employer registers (a mistyped credit code first), uploads its documents and applies for
handling rights; a reviewer approves; the association code appears; an applicant requests association
with it and the employer approves with the labour contract (注册 1, 申请人关联单位, BIZ-ONE-EMPLOYER)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role, User
from applicants.models import Applicant
from core.models import OutboxMail
from employers.models import Association, Employer, RegistryEntry

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Journey-2025-pass"
CODE = "91110108MA01YY0125"  # 北京燕园软件有限公司 in the sample registry


def make_pdf(folder: Path, name: str) -> Path:
    from reportlab.pdfgen import canvas

    path = folder / f"{name}.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, f"{name} - colour scan")
    pdf.showPage()
    pdf.save()
    return path


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def reviewer_logs_in(context, live_server_url: str):
    """Through the login and OTP pages when they exist, else a session made with login_staff."""
    from django.urls import NoReverseMatch, reverse
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user(
        username="shenhe",
        email="shenhe@hdrc.example.cn",
        password=PASSWORD,
        role=Role.REVIEWER,
        display_name="王审核",
    )
    page = context.new_page()
    try:
        reverse("accounts:otp")
    except NoReverseMatch:
        from django.conf import settings
        from django.test import Client

        from accounts.testing import login_staff

        client = Client()
        login_staff(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server_url}])
        return page
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(page, "shenhe")
    expect(page.locator("#id_token")).to_be_visible()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_token", f"{totp.token():06d}")
    page.click("main button[type=submit]")
    expect(page.locator(".who")).to_contain_text("审核人员")
    return page


def upload(page, material: str, path: Path) -> None:
    row = page.locator(f"#doc-{material}")
    row.locator("input[type=file]").set_input_files(str(path))
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#doc-{material} .tag-done")).to_be_visible()


def test_employer_registers_gets_rights_and_associates_an_applicant(
    page, shot, browser, live_server, tmp_path
):
    from django.core.management import call_command

    call_command(
        "import_registry",
        str(Path(__file__).resolve().parent.parent / "employers/fixtures/registry-sample.csv"),
    )
    assert RegistryEntry.objects.filter(credit_code=CODE).exists()

    # 1. Registration: a mistyped code first (last two characters swapped) gives a field error.
    page.goto("/employers/register/")
    page.fill("#id_credit_code", "91110108MA01YY0152")
    page.click("main button[type=submit]")
    expect(page.locator("#id_credit_code-error")).to_contain_text("校验位不正确")
    expect(page.locator(".error-summary a[href='#id_credit_code']")).to_be_visible()
    shot(page, "register-bad-code")
    page.fill("#id_credit_code", CODE)
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("北京燕园软件有限公司")
    expect(page.locator("main")).to_contain_text("北京市市场监督管理局")
    shot(page, "register-confirm-registry")
    page.fill("#id_name", "卫经办")
    page.fill("#id_email", "hr@yanyuan.example.cn")
    page.fill("#id_phone", "13800138000")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    # The claim waits for two codes (issue 11, Medium 6): one to the registrant's e-mail, one to the
    # registry's contact e-mail; they are read from the mail outbox.
    expect(page.locator("#h-verify")).to_be_visible()
    shot(page, "register-verify")
    codes = {}
    for mail in OutboxMail.objects.filter(reference__startswith="claim-"):
        found = re.search(r"\b(\d{6})\b", mail.body)
        assert found, mail.reference
        codes[mail.reference.split(":")[0]] = found.group(1)
    page.fill("#id_email_code", codes["claim-email"])
    page.fill("#id_authority_code", codes["claim-authority"])
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("北京燕园软件有限公司")
    expect(page.locator("#rights-status")).to_have_text("未申请")

    # 2. Documents and the rights request: asking too early lists what is missing.
    page.select_option("#id_kind", "full")
    page.get_by_role("button", name="申请办理权限").click()
    expect(page.locator("#id_kind-error")).to_contain_text("营业执照")
    shot(page, "rights-missing-documents")
    for material in ("BUSINESS-LICENCE", "EMPLOYER-TAX", "HANDLER-ID", "EMPLOYER-INTEGRITY"):
        upload(page, material, make_pdf(tmp_path, material))
    page.fill("#id_tax_registered_on", "2018-01-01")
    page.fill("#id_annual_tax", "260000")
    page.get_by_role("button", name="保存单位信息").click()
    expect(page.locator(".message-success")).to_contain_text("单位信息已保存")
    page.get_by_role("button", name="申请办理权限").click()
    expect(page.locator("#rights-status")).to_have_text("待审核")
    shot(page, "rights-requested")

    # 3. The reviewer approves.
    staff_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    reviewer = reviewer_logs_in(staff_context, live_server.url)
    reviewer.goto("/employers/review/")
    reviewer.get_by_role("link", name="北京燕园软件有限公司").click()
    expect(reviewer.locator("main")).to_contain_text("卫燕园")  # legal representative from the registry
    shot(reviewer, "review-detail")
    reviewer.select_option("#id_decision", "approve")
    reviewer.get_by_role("button", name="提交审核结果").click()
    expect(reviewer.locator(".message-success")).to_contain_text("审核结果已保存")
    shot(reviewer, "review-queue-after")
    staff_context.close()

    # 4. The employer sees its association code.
    page.goto("/employers/profile/")
    expect(page.locator("#rights-status")).to_have_text("已开通")
    code = page.locator("#association-code").inner_text().strip()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{8}", code)
    assert Employer.objects.get(registry__credit_code=CODE).association_code == code
    shot(page, "association-code")

    # 5. An applicant requests association (wrong code first).
    user = User.objects.create_user(
        username="zhangsan", email="zhangsan@example.cn", password=PASSWORD, role=Role.APPLICANT
    )
    Applicant.objects.create(
        user=user,
        name="张三丰",
        id_number="110108199204150013",
        birth_date=date(1992, 4, 15),
        sex="male",
        identity_verified_at=timezone.now(),
    )
    applicant_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    applicant = applicant_context.new_page()
    login(applicant, "zhangsan")
    applicant.goto("/employers/associate/")
    applicant.fill("#id_code", "WRONG234")
    applicant.get_by_role("button", name="发起关联").click()
    expect(applicant.locator("#id_code-error")).to_contain_text("关联码不正确")
    applicant.fill("#id_code", code.lower())
    applicant.get_by_role("button", name="发起关联").click()
    expect(applicant.locator("main")).to_contain_text("待单位确认")
    shot(applicant, "association-requested")

    # 6. The employer approves with the labour contract; the applicant's data is masked.
    page.goto("/employers/associations/")
    page.get_by_role("link", name=re.compile("张\\*\\*")).click()
    expect(page.locator("main")).not_to_contain_text("张三丰")
    expect(page.locator("main")).not_to_contain_text("110108199204150013")
    page.fill("#id_employed_since", "2024-03-01")
    page.fill("#id_contract_ends_on", "2027-02-28")
    page.set_input_files("#id_contract_file", str(make_pdf(tmp_path, "LABOUR-CONTRACT")))
    page.get_by_role("button", name="同意关联").click()
    expect(page.locator("#association-status")).to_have_text("已关联")
    shot(page, "association-approved")
    assert Association.objects.get().status == "approved"

    applicant.goto("/employers/associate/")
    expect(applicant.locator("main")).to_contain_text("北京燕园软件有限公司")
    expect(applicant.locator("main")).to_contain_text("已关联")
    shot(applicant, "applicant-associated")
    applicant_context.close()
