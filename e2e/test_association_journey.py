"""Journey: BIZ-ONE-EMPLOYER and CHG-RESIGNATION in the browser. An applicant requests association,
withdraws and chooses another employer, is declined with a reason, associates with the first employer,
and is later dissociated with a resignation certificate. The admin operator invites a colleague."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role, User
from applicants.models import Applicant
from employers.models import Association, Employer, Operator, RegistryEntry

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Journey-2025-pass"


def make_pdf(folder: Path, name: str) -> Path:
    from reportlab.pdfgen import canvas

    path = folder / f"{name}.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, name)
    pdf.showPage()
    pdf.save()
    return path


def employer_with_operator(code: str, name: str, credit_code: str, username: str) -> Employer:
    entry = RegistryEntry.objects.create(
        credit_code=credit_code,
        name=name,
        legal_person_kind="enterprise",
        registered_district="haidian",
        registered_address="北京市海淀区中关村大街1号",
        legal_representative="法人",
        registered_on=date(2015, 1, 1),
        registered_capital=5_000_000,
    )
    employer = Employer.objects.create(
        registry=entry,
        rights_status="approved",
        rights_kind="full",
        association_code=code,
        association_code_expires_on=timezone.localdate() + timedelta(days=365),
    )
    user = User.objects.create_user(
        username=username, email=f"{username}@example.cn", password=PASSWORD, role=Role.OPERATOR
    )
    Operator.objects.create(user=user, employer=employer, is_admin=True)
    return employer


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    expect(page.locator(".who")).to_be_visible()


def test_applicant_chooses_is_declined_associates_and_is_dissociated(
    browser, live_server, page, shot, tmp_path
):
    star = employer_with_operator("STAR2345", "北京星辰科技有限公司", "91110108MA01HX0015", "hr_star")
    moon = employer_with_operator("MOON2345", "北京月光软件有限公司", "91110108MA01AY0029", "hr_moon")
    user = User.objects.create_user(
        username="lisi", email="lisi@example.cn", password=PASSWORD, role=Role.APPLICANT
    )
    Applicant.objects.create(
        user=user,
        name="李四海",
        id_number="110108199003070019",
        birth_date=date(1990, 3, 7),
        sex="male",
        identity_verified_at=timezone.now(),
    )

    # The applicant asks the first employer, withdraws, and asks the second one.
    login(page, "lisi")
    page.goto("/employers/associate/")
    page.fill("#id_code", "STAR2345")
    page.get_by_role("button", name="发起关联").click()
    expect(page.locator("main")).to_contain_text("北京星辰科技有限公司")
    page.get_by_role("button", name="撤回申请").click()
    expect(page.locator(".message-success")).to_contain_text("已撤回")
    page.fill("#id_code", "MOON2345")
    page.get_by_role("button", name="发起关联").click()
    expect(page.locator("main")).to_contain_text("北京月光软件有限公司")
    shot(page, "applicant-pending-second-choice")

    # The second employer declines; a reason is required.
    hr_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    hr = hr_context.new_page()
    login(hr, "hr_moon")
    hr.goto("/employers/associations/")
    hr.get_by_role("link", name=re.compile(r"李\*\*")).click()
    hr.get_by_role("button", name="不同意", exact=True).click()
    expect(hr.locator("#id_reason-error")).to_be_visible()
    hr.fill("#id_reason", "本单位无此员工")
    hr.get_by_role("button", name="不同意", exact=True).click()
    expect(hr.locator(".message-success")).to_contain_text("已不同意")
    hr_context.close()

    page.goto("/employers/associate/")
    expect(page.locator("main")).to_contain_text("本单位无此员工")
    page.fill("#id_code", "STAR2345")
    page.get_by_role("button", name="发起关联").click()
    expect(page.locator("main")).to_contain_text("待单位确认")

    # The first employer approves with the labour contract.
    hr_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    hr = hr_context.new_page()
    login(hr, "hr_star")
    hr.goto("/")
    hr.get_by_role("link", name="李**").click()
    hr.fill("#id_employed_since", "2023-05-01")
    hr.fill("#id_contract_ends_on", "2028-04-30")
    hr.set_input_files("#id_contract_file", str(make_pdf(tmp_path, "contract")))
    hr.get_by_role("button", name="同意关联").click()
    expect(hr.locator("#association-status")).to_have_text("已关联")
    page.goto("/employers/associate/")
    expect(page.locator("main")).to_contain_text("已关联")
    expect(page.locator("#id_code")).to_have_count(0)  # one employer only

    # The holder leaves: the employer dissociates with the resignation certificate (CHG-RESIGNATION).
    hr.fill("#id_left_on", timezone.localdate().isoformat())
    hr.set_input_files("#id_certificate_file", str(make_pdf(tmp_path, "resignation")))
    hr.get_by_role("button", name="解除关联").click()
    expect(hr.locator("#association-status")).to_have_text("已解除关联")
    expect(hr.locator("main")).to_contain_text("resignation.pdf")
    shot(hr, "employer-dissociated")

    page.goto("/employers/associate/")
    expect(page.locator("main")).to_contain_text("已解除关联")
    expect(page.locator("#id_code")).to_be_visible()  # free to associate with the next employer
    shot(page, "applicant-after-dissociation")
    assert list(Association.objects.order_by("requested_at").values_list("status", flat=True)) == [
        "withdrawn",
        "rejected",
        "dissociated",
    ]
    assert star.associations.count() == 2 and moon.associations.count() == 1

    # The admin operator invites a colleague, who sets name and password from the e-mailed link.
    hr.goto("/employers/operators/")
    hr.fill("#id_email", "colleague@example.cn")
    hr.get_by_role("button", name="发送邀请").click()
    expect(hr.locator(".message-success")).to_contain_text("邀请邮件已发送")
    expect(hr.locator("main")).to_contain_text("colleague@example.cn")
    hr_context.close()
    link = re.search(r"/employers/invitation/\S+/", str(mail.outbox[-1].body))
    assert link
    guest = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    guest.goto(link.group(0))
    guest.fill("#id_name", "王同事")
    guest.fill("#id_phone", "13900139000")
    guest.fill("#id_password1", "Colleague-2025-pass")
    guest.fill("#id_password2", "Colleague-2025-pass")
    guest.get_by_role("button", name="创建账号").click()
    expect(guest.locator("h1")).to_have_text("北京星辰科技有限公司")
    shot(guest, "invited-operator-profile")
    guest.context.close()
