"""Journey (BIZ-CONFIRMATION, 六): an approved applicant finds the permit on the home page, downloads
the confirmation slip, the slip's QR code opens the public verification page, and a cancelled
permit shows as cancelled there."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from permits.models import PermitStatus
from permits.services import apply_case_decision
from permits.tests.factories import FakeCase, associate, make_applicant, make_employer

PASSWORD = "Test-pass-2025"


@pytest.mark.django_db(transaction=True)
def test_holder_prints_slip_and_qr_verifies(page, shot, live_server, settings):
    from accounts.testing import make_user

    settings.SITE_URL = live_server.url
    applicant = make_applicant(name="李娜")
    applicant.user.username = "lina"
    applicant.user.save()
    employer = make_employer("北京海淀示例科技有限公司")
    associate(applicant, employer, contract_ends_on=date(2030, 12, 31))
    today = timezone.localdate()
    permit = apply_case_decision(
        FakeCase("new", applicant, employer),
        decided_on=today - timedelta(days=10),
        actor=make_user(Role.REVIEWER),
    )

    page.goto("/accounts/login/")
    page.fill("#id_username", "lina")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button")
    expect(page.get_by_role("heading", name="我的工作居住证")).to_be_visible()
    expect(page.get_by_role("link", name=permit.number)).to_be_visible()
    shot(page, "home-with-permit")

    page.get_by_role("link", name=permit.number).click()
    expect(page.locator("#permit-status")).to_have_text("有效")
    shot(page, "permit-page")
    with page.expect_download() as download_info:
        page.evaluate(
            """url => { const a = document.createElement('a'); a.href = url; a.download = 'slip.pdf';
                       document.body.appendChild(a); a.click(); }""",
            page.locator("#print-slip").get_attribute("href"),
        )
    pdf_bytes = Path(download_info.value.path()).read_bytes()
    assert pdf_bytes.startswith(b"%PDF")
    image = pdfium.PdfDocument(pdf_bytes)[0].render(scale=3).to_pil()
    links = [result.text for result in zxingcpp.read_barcodes(image)]
    assert len(links) == 1
    link = links[0]
    assert link.startswith(f"{live_server.url}/permits/verify/")

    visitor = page.context.browser.new_context(locale="zh-CN")
    public = visitor.new_page()
    public.goto(link)
    expect(public.locator("#verify-result")).to_contain_text("该确认单真实，证件在有效期内")
    expect(public.get_by_text("李*")).to_be_visible()
    expect(public.get_by_text("李娜")).to_have_count(0)
    shot(public, "verify-genuine")

    permit.status = PermitStatus.CANCELLED
    permit.cancelled_on = today
    permit.save()
    public.reload()
    expect(public.locator("#verify-result")).to_contain_text("已注销")
    expect(public.locator("#verify-status")).to_have_text("已注销")
    shot(public, "verify-cancelled")

    public.goto(link[:-3] + "xx/")
    expect(public.locator("#verify-result")).to_have_text("无效的核验链接")
    shot(public, "verify-invalid")
    visitor.close()
