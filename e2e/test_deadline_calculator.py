"""Journey: the renewal deadline calculator (REN-WINDOW, REN-DEADLINE, REN-EXPIRED, CAL-WORKING-DAYS)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_guide_example_latest_working_day(page, shot):
    """The guide's "8.5往前数20个工作日" = Fri 2022-07-08 is the day shown; no internal codes."""
    page.goto("/eligibility/deadlines/")
    assert "续签期限计算" in page.title()
    page.get_by_label("证件有效期至").fill("2022-08-06")
    shot(page, "filled")
    page.get_by_role("button", name="计算").click()
    page.get_by_test_id("latest-working-day").wait_for()
    assert page.get_by_test_id("latest-working-day").inner_text() == "2022-07-08"
    assert "2022-07-10" in page.get_by_test_id("latest-submission").inner_text()
    assert page.get_by_test_id("window").inner_text() == "2022-06-06 — 2022-08-05"
    assert "无法续签，也无法恢复" in page.get_by_test_id("expired").inner_text()
    body = page.locator("main").inner_text()
    assert "REN-" not in body and "CAL-" not in body
    assert "至少提前 20 个工作日" in body
    shot(page, "result")


def test_planned_day_late_and_unpublished_year(page, shot):
    page.goto("/eligibility/deadlines/?expires_on=2022-08-06&submitted_on=2022-07-11")
    planned = page.get_by_test_id("planned").inner_text()
    assert "晚于最晚提交日" in planned and "责任由申请单位及申请人承担" in planned
    shot(page, "late")
    page.goto("/eligibility/deadlines/")
    page.get_by_label("证件有效期至").fill("2099-08-06")
    page.get_by_role("button", name="计算").click()
    page.get_by_test_id("latest-working-day").wait_for()
    assert "估算" in page.get_by_test_id("estimated").inner_text()
    assert page.locator(".error-summary").count() == 0
    shot(page, "estimate")
