"""Journey: a member of the public answers the guided self-check, page by page, and gets a plain
answer (issue 10, item 5): an empty form is asked for its fields, a realistic one gets the clause,
the shortfall in yuan and what to do next, with no internal codes on the page."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

CODES = re.compile(
    r"\b[A-Z]{2,}[0-9]*(?:-[A-Z0-9]+)+\b|\b[a-z]+_[a-z_]+\b|\benterprise\b|\b\d+y\d+m\b|\b[a-z]+\.[a-z_]+\b"
)


def field(page, label: str):
    """The input labelled exactly `label` (a required field's label also shows an asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def next_page(page) -> None:
    page.get_by_role("button", name="继续").click()
    page.wait_for_load_state()


def test_empty_self_check_asks_for_the_fields(page, shot):
    page.goto("/eligibility/self-check/")
    assert "资格自测" in page.title()
    assert "第 1 步" in page.inner_text("main")
    shot(page, "first-question")
    next_page(page)
    assert page.locator("h1").inner_text() == "您的单位"
    next_page(page)  # nothing typed: asked for the date instead of an answer
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "请填写单位在海淀区登记注册并开始缴纳税费的日期" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "不符合条件" not in page.inner_text("main")
    shot(page, "asked-for-the-field")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_employer_tax_since"


def fill_realistic(page, shot, monthly: str) -> None:
    field(page, "受理日期").fill("2025-11-20")
    next_page(page)
    field(page, "单位在海淀区登记注册并开始缴纳税费的日期").fill("2019-05-01")
    next_page(page)
    field(page, "注册资本（元）").fill("5000000")
    field(page, "单位年纳税额（元）").fill("800000")
    next_page(page)
    assert page.locator("h1").inner_text() == "单位所属领域"
    next_page(page)
    field(page, "出生日期").fill("1992-04-15")
    field(page, "入职申请单位的日期").fill("2023-03-01")
    next_page(page)
    next_page(page)  # residence, contract and social insurance: the defaults
    for i, month in enumerate(["2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10"], start=1):
        field(page, f"收入月份 {i}").fill(month)
        field(page, f"应税收入 {i}（元）").fill(monthly)
    shot(page, "income")
    next_page(page)
    page.get_by_label("学位与工作经历（学士及以上学位）").check()
    shot(page, "route")
    next_page(page)
    assert page.locator("h1").inner_text() == "学位与工作经历"
    field(page, "最高学位").select_option("master")
    field(page, "参加工作日期").fill("2018-07-01")
    next_page(page)
    page.get_by_role("radio", name="否").check()
    next_page(page)


def test_realistic_self_check_gets_a_plain_answer(page, shot):
    page.goto("/eligibility/self-check/")
    fill_realistic(page, shot, "17640")
    result = page.locator("#result")
    result.wait_for()
    text = result.inner_text()
    assert "目前还不符合条件" in page.locator("h1").inner_text()
    assert "差 6 元" in text and "下一步怎么办" in text
    assert not CODES.search(page.inner_text("main")), CODES.search(page.inner_text("main"))
    details = page.locator("details.detail-checks")
    assert details.get_attribute("open") is None  # the detailed checks are folded away
    shot(page, "ineligible-plain-answer")
    details.locator("summary").click()
    assert "105846" in details.inner_text()
    assert not CODES.search(page.inner_text("main"))
    shot(page, "details-open")
    # change the answers: every page keeps what was typed
    page.get_by_role("button", name="修改答案").click()
    assert field(page, "受理日期").input_value() == "2025-11-20"


def test_realistic_self_check_eligible(page, shot):
    page.goto("/eligibility/self-check/")
    fill_realistic(page, shot, "17641")
    page.locator("#result").wait_for()
    assert "您很可能符合条件" in page.locator("h1").inner_text()
    assert "第 1 条：学位与工作经历" in page.inner_text("main")
    assert not CODES.search(page.inner_text("main"))
    shot(page, "eligible-plain-answer")
