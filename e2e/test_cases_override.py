"""Journey (rules.md edition 2, overrides): a reviewer overrides a `fail` with a reason citing the guide;
approval is refused while it waits; a second person (a supervisor) approves it on the queue reached
from the home page; the case can then be approved. Every step stays in the snapshot and the timeline."""

from __future__ import annotations

from datetime import date

import pytest

from cases.models import Case, CheckOverride, State
from cases.tests import factories as f
from e2e.ratification import accept_every_document, ratify_in_browser
from e2e.test_cases_new import browser_page

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "单位注册资本已增资至一百万元，变更登记尚在公示期，已核验增资验资报告。"
CITATION = "三（一） 注册资本"


def test_fail_overridden_by_a_reviewer_approved_by_a_supervisor_then_case_approved(
    browser, live_server, shot
):
    world = f.make_world()
    registry = world.employer.registry
    registry.registered_capital = 500_000  # ORG-CAPITAL fails
    registry.save()
    case: Case = f.new_case_with_authority(world, date.today())
    reviewer = browser_page(browser, live_server, world.reviewer)
    supervisor = browser_page(browser, live_server, world.supervisor)

    # Reviewer: accept; ORG-CAPITAL fails and approval is not possible.
    reviewer.goto(f"/cases/review/{case.public_id}/")
    reviewer.get_by_role("button", name="受理").click()
    assert "ORG-CAPITAL 不符合" in reviewer.content()
    row = reviewer.locator("tr#check-ORG-CAPITAL")
    assert "不可人工改判" in reviewer.locator("tr#check-ORG-HAIDIAN").inner_text()
    shot(reviewer, "reviewer-fail")

    # Reviewer: override to pass with a reason and the guide's section.
    row.get_by_label("通过").check()
    row.get_by_label("判定理由").fill(REASON)
    row.get_by_label("办理指南依据").fill(CITATION)
    shot(reviewer, "reviewer-override-form")
    row.get_by_role("button", name="提交人工判定").click()
    assert "须由另一名主管人员批准后生效" in reviewer.content()
    assert "尚待主管批准" in reviewer.content()
    shot(reviewer, "reviewer-override-waiting")

    # Approving now is refused: the override waits for a supervisor.
    reviewer.get_by_label("审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    assert "尚待主管批准" in reviewer.content()
    case.refresh_from_db()
    assert case.state == State.ACCEPTED

    # Supervisor (a second person): the home-page panel, the queue, approval with a comment.
    supervisor.goto("/")
    panel = supervisor.locator("section, div.panel").filter(has_text="待批准的人工判定").first
    assert case.reference in panel.inner_text()
    shot(supervisor, "supervisor-home-panel")
    supervisor.goto("/cases/review/overrides/")
    assert REASON in supervisor.content() and CITATION in supervisor.content()
    shot(supervisor, "supervisor-queue")
    supervisor.get_by_label("批准", exact=True).check()
    supervisor.get_by_label("意见", exact=True).fill("已核验增资材料，同意。")
    supervisor.get_by_role("button", name="提交").click()
    assert "已批准该人工判定" in supervisor.content()
    assert "暂无待批准的人工判定" in supervisor.content()
    shot(supervisor, "supervisor-approved")
    override = CheckOverride.objects.get()
    assert override.status == CheckOverride.Status.APPROVED
    assert override.by == world.reviewer and override.decided_by == world.supervisor

    # Reviewer: the override is in force; the case is approved.
    reviewer.goto(f"/cases/review/{case.public_id}/")
    body = reviewer.content()
    assert "已生效" in body and "已核验增资材料，同意。" in body and "主管批准人工判定" in body
    shot(reviewer, "reviewer-override-in-force")
    accept_every_document(reviewer)  # DOC-STAMPED confirmations (cases.guards)
    reviewer.get_by_label("审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    case.refresh_from_db()
    assert case.state == State.AWAITING_RATIFICATION
    shot(reviewer, "reviewer-case-approved")
    # The municipal 核准 (BIZ-TIME-LIMIT) issues the permit.
    ratify_in_browser(browser_page(browser, live_server, f.make_ratifier()), case)
    case.refresh_from_db()
    assert case.state == State.APPROVED
