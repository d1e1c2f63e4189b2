"""Journeys of the edition-2 case flow (issue 9):

- REN-DEADLINE: a renewal submitted after the latest working day is not refused; the employer ticks
  the acknowledgement of the risk (shown with the dates), the reviewer sees `review`, decides it
  with a written reason citing 续签 注意事项 4, and approves.
- CHG-RESIGNATION: a holder whose permit came from the old system (no former association here)
  joins a receive-only employer, which files the employer change; the holder uploads the
  resignation certificate themself; the reviewer approves and the permit names the new employer.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import engine
from cases.models import Case, State
from cases.tests import factories as f
from e2e.ratification import accept_every_document, ratify_in_browser
from e2e.test_cases_new import browser_page, tick_employer_check, upload_everything
from eligibility.services import add_calendar_year, current_calendar
from employers.models import RightsKind
from permits.models import Permit, PermitStatus
from permits.services import next_number

pytestmark = pytest.mark.django_db(transaction=True)


def publish_next_year(supervisor) -> None:
    next_year = timezone.localdate().year + 1
    if not current_calendar().published(next_year):
        add_calendar_year(
            supervisor,
            year=next_year,
            holidays=[date(next_year, 1, 1)],
            workdays=[],
            citation="国务院办公厅关于节假日安排的通知（测试数据）",
        )


def late_expiry(today: date) -> date:
    """An expiry whose latest working day has passed but whose `complete_by` is still ahead."""
    expires = today + timedelta(days=3)
    while not (
        engine.case_deadlines(expires, today).in_time is False and expires - timedelta(days=1) > today
    ):
        expires += timedelta(days=1)
    while engine.case_deadlines(expires + timedelta(days=1), today).in_time is False:
        expires += timedelta(days=1)
    return expires


def fill_income(page) -> None:
    amounts = page.locator("input[name$='-amount']")
    for index in range(amounts.count()):
        amounts.nth(index).fill("18000")
    page.get_by_role("button", name="保存").click()


def test_late_renewal_acknowledged_and_reviewed(browser, live_server, shot):
    today = timezone.localdate()
    world = f.make_world()
    world.association.contract_ends_on = today + timedelta(days=5 * 365)
    world.association.save()
    publish_next_year(world.supervisor)
    expires = late_expiry(today)
    permit = Permit.objects.create(
        number=next_number(today.year - 3),
        holder=world.applicant,
        employer=world.employer,
        issued_on=today - timedelta(days=3 * 365),
        expires_on=expires,
        status=PermitStatus.RENEWAL_DUE,
    )
    operator = browser_page(browser, live_server, world.operator)
    applicant = browser_page(browser, live_server, world.applicant_user)
    reviewer = browser_page(browser, live_server, world.reviewer)

    operator.goto("/cases/start/")
    operator.get_by_label("持证人").select_option(str(world.applicant.public_id))
    operator.get_by_role("radio", name="续签").check()
    operator.get_by_role("button", name="发起").click()
    case = Case.objects.get(kind="renewal")
    applicant.goto(f"/cases/{case.public_id}/materials/")
    upload_everything(applicant)
    operator.goto(f"/cases/{case.public_id}/income/")
    fill_income(operator)
    operator.goto(f"/cases/{case.public_id}/materials/")
    upload_everything(operator)
    operator.goto(f"/cases/{case.public_id}/check/")
    tick_employer_check(operator)
    operator.get_by_role("button", name="保存核查结果").click()

    # The answers page shows the latest working day, today and the risk to acknowledge.
    operator.goto(f"/cases/{case.public_id}/answers/")
    risk = operator.locator("#late-risk")
    latest = engine.latest_day(engine.case_deadlines(expires, today))
    assert latest.isoformat() in risk.inner_text() and today.isoformat() in risk.inner_text()
    shot(operator, "late-renewal-risk-shown")
    # Without the tick the submission is held back, saying why.
    operator.get_by_role("button", name="提交主管部门").click()
    assert "逾期" in operator.locator(".error-summary").inner_text()
    case.refresh_from_db()
    assert case.state == State.DRAFT
    shot(operator, "late-renewal-needs-acknowledgement")
    operator.locator("#id_acknowledge_late").check()
    operator.get_by_role("button", name="提交主管部门").click()
    assert case.reference in operator.locator("#reference").inner_text()
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.late_risk_acknowledged_by == world.operator

    # The reviewer accepts: REN-DEADLINE is for a person to decide (review), with the acknowledgement
    # in the timeline; the reviewer decides it with the guide's words and approves.
    reviewer.goto(f"/cases/review/{case.public_id}/")
    reviewer.get_by_role("button", name="受理").click()
    assert "确认逾期提交风险" in reviewer.content()
    row = reviewer.locator("tr#check-REN-DEADLINE")
    assert "需人工" in row.inner_text()
    shot(reviewer, "reviewer-sees-late-renewal-as-review")
    row.locator("input[value=pass]").check()
    row.get_by_label("判定理由").fill(
        "未按时间提交的责任由申请单位及申请人承担；单位已确认风险，审批可在有效期满前完成。"
    )
    row.get_by_label("办理指南依据").fill("续签 注意事项 4")
    row.get_by_role("button", name="提交人工判定").click()
    accept_every_document(reviewer)  # DOC-STAMPED confirmations (cases.guards)
    reviewer.get_by_role("radio", name="审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    shot(reviewer, "late-renewal-approved")
    case.refresh_from_db()
    assert case.state == State.AWAITING_RATIFICATION, reviewer.locator(".error-summary").all_inner_texts()
    ratify_in_browser(browser_page(browser, live_server, f.make_ratifier()), case)
    case.refresh_from_db()
    assert case.state == State.APPROVED
    permit.refresh_from_db()
    assert permit.expires_on > expires


def test_migrated_holder_employer_change(browser, live_server, shot):
    today = timezone.localdate()
    world = f.make_world()
    publish_next_year(world.supervisor)
    # The permit came from the old system: employer A (world.other_employer) never dissociated the
    # holder here; the holder joined the receive-only employer B (world.employer).
    world.employer.rights_kind = RightsKind.RECEIVE_ONLY
    world.employer.save()
    world.association.contract_ends_on = today + timedelta(days=5 * 365)
    world.association.save()
    permit = Permit.objects.create(
        number=next_number(today.year - 1),
        holder=world.applicant,
        employer=world.other_employer,
        issued_on=today - timedelta(days=365),
        expires_on=today + timedelta(days=500),
        migrated=True,
    )
    operator = browser_page(browser, live_server, world.operator)
    applicant = browser_page(browser, live_server, world.applicant_user)
    reviewer = browser_page(browser, live_server, world.reviewer)

    operator.goto("/cases/start/")
    operator.get_by_label("持证人").select_option(str(world.applicant.public_id))
    operator.get_by_role("radio", name="单位变更").check()
    operator.get_by_role("button", name="发起").click()
    case = Case.objects.get(kind="employer_change")
    assert case.permit_migrated and case.former_association is None
    shot(operator, "migrated-change-started")

    # The holder uploads the resignation certificate themself (申请人上传 2).
    applicant.goto(f"/cases/{case.public_id}/materials/")
    assert "离职证明" in applicant.content()
    upload_everything(applicant)
    shot(applicant, "migrated-holder-uploaded-resignation-certificate")
    assert case.documents.filter(material="RESIGNATION-CERT", uploader="applicant").exists()

    operator.goto(f"/cases/{case.public_id}/materials/")
    upload_everything(operator)
    operator.goto(f"/cases/{case.public_id}/check/")
    tick_employer_check(operator)
    operator.get_by_role("button", name="保存核查结果").click()
    operator.goto(f"/cases/{case.public_id}/answers/")
    shot(operator, "migrated-change-answers")
    operator.get_by_role("button", name="提交主管部门").click()
    assert case.reference in operator.locator("#reference").inner_text()

    reviewer.goto(f"/cases/review/{case.public_id}/")
    reviewer.get_by_role("button", name="受理").click()
    shot(reviewer, "migrated-change-checks")
    accept_every_document(reviewer)  # DOC-STAMPED confirmations (cases.guards)
    reviewer.get_by_role("radio", name="审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    case.refresh_from_db()
    assert case.state == State.AWAITING_RATIFICATION, reviewer.locator(".error-summary").all_inner_texts()
    ratify_in_browser(browser_page(browser, live_server, f.make_ratifier()), case)
    case.refresh_from_db()
    assert case.state == State.APPROVED
    permit.refresh_from_db()
    assert permit.employer == world.employer
