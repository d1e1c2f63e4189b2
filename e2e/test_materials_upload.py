"""Journey (DOC-FORMAT): an applicant uploads a greyscale scan of the lease, sees the finding, replaces
it with a colour scan and sees it pass; the first version stays in the history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from applicants.tests.factories import make_applicant
from materials.tests import hostile

PASSWORD = "Test-pass-2025"


@pytest.mark.django_db(transaction=True)
def test_applicant_replaces_greyscale_scan_with_colour_scan(page, shot, tmp_path):
    applicant = make_applicant()
    grey = tmp_path / "租房合同-黑白.pdf"
    grey.write_bytes(hostile.scan_pdf(1, dpi=150, colour=False))
    colour = tmp_path / "租房合同-彩色.pdf"
    colour.write_bytes(hostile.scan_pdf(1, dpi=150))

    page.goto("/accounts/login/")
    page.fill("#id_username", applicant.user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto("/materials/mine/")
    expect(page.locator("h1")).to_have_text("我的材料")
    shot(page, "empty")

    page.select_option("#id_material", "LEASE")
    page.set_input_files("#id_file", str(grey))
    page.get_by_role("button", name="上传", exact=True).click()
    row = page.locator(".document-row").first
    expect(row).to_contain_text("房屋租赁合同或协议")
    expect(row).to_contain_text("第 1 版")
    expect(row.locator(".document-status")).to_contain_text("未通过检查")
    expect(row.locator(".finding")).to_contain_text("第 1 页是黑白/灰度扫描，须上传彩色扫描件。")
    shot(page, "greyscale-finding")

    page.set_input_files(".replace-form input[type=file]", str(colour))
    page.get_by_role("button", name="替换").click()
    row = page.locator(".document-row").first
    expect(row).to_contain_text("第 2 版")
    expect(row.locator(".document-status")).to_contain_text("检查通过")
    expect(row.locator(".finding")).to_have_count(0)
    shot(page, "colour-passed")

    page.get_by_role("link", name="历史版本").click()
    expect(page.locator("table.versions tbody tr")).to_have_count(2)
    expect(page.locator("table.versions")).to_contain_text("已解决 1 项")
    shot(page, "versions")
