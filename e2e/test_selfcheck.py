"""Journey: a member of the public answers the self-check in Chinese, sees the decision and the shortfall."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def field(page, label: str):
    """The input labelled exactly `label` (a required field's label also shows an asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def fill_base_case(page, monthly: str) -> None:
    field(page, "受理日期").fill("2025-11-20")
    field(page, "单位类型").select_option("enterprise")
    field(page, "单位在海淀区登记注册并开始缴纳税费的日期").fill("2019-05-01")
    field(page, "注册资本（元）").fill("5000000")
    field(page, "单位年纳税额（元）").fill("800000")
    field(page, "出生日期").fill("1992-04-15")
    field(page, "入职申请单位的日期").fill("2023-03-01")
    field(page, "最高学位").select_option("master")
    field(page, "参加工作日期").fill("2018-07-01")
    for i, month in enumerate(["2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10"], start=1):
        field(page, f"收入月份 {i}").fill(month)
        page.get_by_label(f"应税收入 {i}（元）").fill(monthly)


def test_public_self_check_shows_decision_and_shortfall(page, shot):
    page.goto("/eligibility/self-check/")
    assert "资格自测" in page.title()
    shot(page, "empty-form")
    fill_base_case(page, "17640")
    shot(page, "filled")
    page.get_by_role("button", name="开始自测").click()
    result = page.locator("#result")
    result.wait_for()
    assert "不符合条件" in result.locator("#result-title").inner_text()
    assert "差 6 元" in result.inner_text()
    assert "APP-INCOME-RECENT" in result.inner_text()
    assert "105846" in result.inner_text()
    shot(page, "ineligible-with-shortfall")
    # nothing typed is lost: raise the income to the threshold and try again
    assert field(page, "应税收入 6（元）").input_value() == "17640"
    for i in range(1, 7):
        page.get_by_label(f"应税收入 {i}（元）").fill("17641")
    page.get_by_role("button", name="开始自测").click()
    page.locator("#result").wait_for()
    assert "符合条件" in page.locator("#result-title").inner_text()
    assert "不符合条件" not in page.locator("#result-title").inner_text()
    assert "第 1 条" in page.locator("#result").inner_text()
    shot(page, "eligible")


def test_self_check_error_summary_links_to_the_field(page, shot):
    page.goto("/eligibility/self-check/")
    fill_base_case(page, "21000")
    field(page, "注册资本（元）").fill("")
    field(page, "收入月份 3").fill("")
    page.get_by_role("button", name="开始自测").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    shot(page, "error-summary")
    summary.get_by_role("link").first.click()
    assert field(page, "出生日期").input_value() == "1992-04-15"
