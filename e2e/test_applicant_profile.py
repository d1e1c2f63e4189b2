"""Journey: an applicant registers with the real-name check, fills the profile (auto-saved),
logs out, logs in again and finds everything kept (申请单位及申请人注册 2)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.identity import make_id_number

PASSWORD = "Zhang-wei-2025!"
GOOD_ID = make_id_number("110108", date(1992, 4, 15), 13)
BAD_ID = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")


def _saved(page, section: str, version: int) -> None:
    expect(page.locator(f"#version-{section}")).to_have_value(str(version))
    expect(page.locator(f"#status-{section}")).to_contain_text("已自动保存")


@pytest.mark.django_db(transaction=True)
def test_applicant_registers_fills_profile_and_finds_it_after_login(page, shot):
    page.goto("/applicants/register/")
    page.fill("#id_name", "张伟")
    page.fill("#id_id_number", BAD_ID)
    page.fill("#id_email", "zhangwei@example.cn")
    page.fill("#id_phone", "13912345678")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit].button")
    expect(page.locator(".error-summary")).to_contain_text("身份证号码校验位不正确")
    expect(page.locator(".error-summary a[href='#id_id_number']")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("张伟")
    expect(page.locator("#id_email")).to_have_value("zhangwei@example.cn")
    shot(page, "register-wrong-checksum")

    page.fill("#id_id_number", GOOD_ID)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit].button")
    expect(page.locator("h1")).to_have_text("个人信息")
    expect(page.locator("#section-basic")).to_contain_text("1992-04-15")
    expect(page.locator("#section-basic")).to_contain_text(GOOD_ID[:4] + "**********" + GOOD_ID[-4:])
    shot(page, "profile-empty")

    # Auto-save on change: each saved change bumps the version in every section form.
    page.select_option("#id_hukou", "non_beijing")
    _saved(page, "basic", 2)
    page.fill("#id_hukou_address", "河北省保定市莲池区东风路1号")
    page.locator("#id_hukou_address").blur()
    _saved(page, "basic", 3)
    page.select_option("#id_degree", "master")
    _saved(page, "education", 4)
    page.fill("#id_school", "北京大学")
    page.locator("#id_school").blur()
    _saved(page, "education", 5)
    # Changes in two sections in quick succession are queued, each with the version the last save returned.
    page.select_option("#id_residence_kind", "rented")
    page.select_option("#id_education_verification", "valid")
    _saved(page, "residence", 7)
    _saved(page, "education", 7)
    expect(page.locator("#badge-basic")).to_have_text("已完成")
    shot(page, "profile-autosaved")

    # A work period through its own page.
    page.click("text=添加经历")
    page.select_option("#id_kind", "work")
    page.fill("#id_organisation", "北京海淀示例科技有限公司")
    page.fill("#id_start", "2018-07-15")
    page.click("button:has-text('保存')")
    expect(page.locator("#section-periods")).to_contain_text("北京海淀示例科技有限公司")
    expect(page.locator("#badge-periods")).to_have_text("已完成")

    page.click("button:has-text('退出')")
    page.goto("/accounts/login/")
    page.fill("#id_username", "zhangwei@example.cn")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button")
    expect(page.locator("h2", has_text="完善个人信息")).to_be_visible()
    shot(page, "home-after-login")
    page.goto("/applicants/profile/")
    expect(page.locator("#id_hukou")).to_have_value("non_beijing")
    expect(page.locator("#id_hukou_address")).to_have_value("河北省保定市莲池区东风路1号")
    expect(page.locator("#id_degree")).to_have_value("master")
    expect(page.locator("#id_school")).to_have_value("北京大学")
    expect(page.locator("#id_residence_kind")).to_have_value("rented")
    shot(page, "profile-kept")


@pytest.mark.django_db(transaction=True)
def test_stale_tab_does_not_overwrite_newer_data(page, shot):
    from accounts.models import User
    from applicants.models import Applicant
    from applicants.tests.factories import make_applicant

    applicant = make_applicant()
    User.objects.filter(pk=applicant.user_id).update(username="stale")
    user = User.objects.get(pk=applicant.user_id)
    user.set_password(PASSWORD)
    user.save()
    page.goto("/accounts/login/")
    page.fill("#id_username", "stale")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button")
    page.goto("/applicants/profile/")
    # Meanwhile another tab saves the basic section.
    Applicant.objects.filter(pk=applicant.pk).update(hukou="beijing", hukou_address="北京市海淀区", version=2)
    page.fill("#id_hukou_address", "河北省保定市")
    page.locator("#id_hukou_address").blur()
    expect(page.locator("#section-basic .error-summary")).to_contain_text("您的输入尚未保存")
    expect(page.locator("#id_hukou_address")).to_have_value("河北省保定市")
    shot(page, "stale-refused")
    applicant.refresh_from_db()
    assert applicant.hukou_address == "北京市海淀区"
