"""Issue 11, Low: under the strict Content-Security-Policy the pages work and the browser reports no
violation: public pages, registration, and the htmx autosave of the applicant profile."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.identity import make_id_number

PASSWORD = "Csp-check-2025!"
ID_NUMBER = make_id_number("110108", date(1990, 1, 2), 21)


@pytest.mark.django_db(transaction=True)
def test_pages_and_htmx_autosave_work_without_csp_violations(page, shot):
    violations: list[str] = []

    def collect(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", collect)
    for url in ("/", "/accounts/login/", "/employers/register/", "/api/v1/docs"):
        response = page.goto(url)
        assert response is not None and "object-src 'none'" in response.headers["content-security-policy"]
    page.goto("/applicants/register/")
    page.fill("#id_name", "王策")
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_email", "csp@example.cn")
    page.fill("#id_phone", "13912340000")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit].button")
    expect(page.locator("h1")).to_have_text("个人信息")
    page.select_option("#id_hukou", "non_beijing")  # htmx autosave
    expect(page.locator("#version-basic")).to_have_value("2")
    expect(page.locator("#status-basic")).to_contain_text("已自动保存")
    shot(page, "csp-profile-autosaved")
    assert violations == []
