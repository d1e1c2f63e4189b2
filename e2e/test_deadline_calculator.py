"""Journey: the renewal deadline calculator on the official calendar (REN-WINDOW, REN-DEADLINE)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_guide_example_latest_submission(page, shot):
    page.goto("/eligibility/deadlines/")
    assert "续签期限计算" in page.title()
    page.get_by_label("证件有效期至").fill("2022-08-06")
    shot(page, "filled")
    page.get_by_role("button", name="计算").click()
    page.get_by_test_id("latest-submission").wait_for()
    assert page.get_by_test_id("latest-submission").inner_text() == "2022-07-10"
    assert page.get_by_test_id("window").inner_text() == "2022-06-06 — 2022-08-05"
    body = page.locator("#deadline-result").inner_text()
    assert "REN-WINDOW" in body
    assert "REN-DEADLINE" in body
    assert "20 个工作日" in body
    shot(page, "result")


def test_planned_day_late_and_unpublished_year(page, shot):
    page.goto("/eligibility/deadlines/?expires_on=2022-08-06&submitted_on=2022-07-11")
    assert "来不及" in page.get_by_test_id("planned").inner_text()
    shot(page, "late")
    page.goto("/eligibility/deadlines/")
    page.get_by_label("证件有效期至").fill("2099-08-06")
    page.get_by_role("button", name="计算").click()
    page.locator(".error-summary").wait_for()
    assert "2099 年的工作日历尚未公布" in page.locator(".error-summary").inner_text()
    shot(page, "unpublished")
    page.get_by_label("估算").check()
    page.get_by_role("button", name="计算").click()
    page.get_by_test_id("latest-submission").wait_for()
    assert "估算" in page.locator(".estimate").inner_text()
    shot(page, "estimate")
