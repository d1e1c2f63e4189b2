"""Journey (issue 10, item 3): a reviewer chooses 退回申请人修改, types a tip but forgets the opinion;
the page comes back with the decision still chosen, the tip still typed, the error beside the
opinion and the focus on the error summary; with the opinion added the case is returned."""

from __future__ import annotations

from datetime import date

import pytest

from cases.models import Case, State
from cases.tests import factories as f
from e2e.test_cases_new import browser_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_reviewer_error_keeps_the_form(browser, live_server, shot):
    world = f.make_world()
    case = f.accepted_case(world, date(2025, 11, 20))
    page = browser_page(browser, live_server, world.reviewer)
    page.goto(f"/cases/review/{case.public_id}/")
    panel = page.locator("section[aria-labelledby='h-decide']")
    panel.get_by_role("radio", name="退回申请人修改").check()
    panel.get_by_label("温馨提示", exact=True).fill("收入材料请逐页盖章。")
    panel.get_by_role("button", name="提交审核结论").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    panel = page.locator("section[aria-labelledby='h-decide']")
    assert panel.get_by_role("radio", name="退回申请人修改").is_checked()
    assert panel.get_by_label("温馨提示", exact=True).input_value() == "收入材料请逐页盖章。"
    assert "必须填写审核意见" in panel.locator("#id_opinion-error").inner_text()
    shot(page, "opinion-missing-form-kept")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_opinion"
    page.locator("#id_opinion").fill("请补充出租人签字的租房合同。")
    panel.get_by_role("button", name="提交审核结论").click()
    page.wait_for_load_state()
    shot(page, "returned")
    assert Case.objects.get(pk=case.pk).state == State.RETURNED_TO_APPLICANT
