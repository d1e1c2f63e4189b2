"""Journey (REN-WINDOW, REN-DEADLINE, REN-INCOME-3Y): the employer starts a renewal prefilled from the
permit, the holder uploads their own materials, the employer submits, the reviewer approves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models import Case, State
from cases.tests import factories as f
from e2e.ratification import accept_every_document, ratify_in_browser
from e2e.test_cases_new import browser_page, tick_employer_check, upload_everything
from eligibility.services import add_calendar_year, current_calendar
from permits.models import Permit
from permits.services import next_number

pytestmark = pytest.mark.django_db(transaction=True)


def test_renewal_started_by_the_employer_and_approved(browser, live_server, shot):
    today = timezone.localdate()
    world = f.make_world()
    world.association.contract_ends_on = today + timedelta(days=5 * 365)
    world.association.save()
    expires = today + timedelta(days=40)  # inside the 60-day window, in time for 20 working days
    permit = Permit.objects.create(
        number=next_number(today.year - 3),
        holder=world.applicant,
        employer=world.employer,
        issued_on=today - timedelta(days=3 * 365),
        expires_on=expires,
    )
    next_year = today.year + 1
    if not current_calendar().published(next_year):
        # CAL-WORKING-DAYS: the review period may reach next year; the authority enters its calendar.
        add_calendar_year(
            world.supervisor,
            year=next_year,
            holidays=[date(next_year, 1, 1)],
            workdays=[],
            citation="国务院办公厅关于节假日安排的通知（测试数据）",
        )
    operator = browser_page(browser, live_server, world.operator)
    applicant = browser_page(browser, live_server, world.applicant_user)
    reviewer = browser_page(browser, live_server, world.reviewer)

    operator.goto("/cases/start/")
    operator.get_by_label("持证人").select_option(str(world.applicant.public_id))
    operator.get_by_role("radio", name="续签").check()
    operator.get_by_role("button", name="发起").click()
    case = Case.objects.get(kind="renewal")
    assert case.permit_number == permit.number
    shot(operator, "employer-renewal-started")

    # The holder is told and uploads their own materials.
    applicant.goto("/inbox/")
    assert case.reference in applicant.content()
    applicant.goto(f"/cases/{case.public_id}/materials/")
    upload_everything(applicant)
    shot(applicant, "holder-materials")

    # The employer enters 36 months of income, uploads, checks and submits.
    operator.goto(f"/cases/{case.public_id}/income/")
    amounts = operator.locator("input[name$='-amount']")
    assert amounts.count() == 36
    for index in range(amounts.count()):
        amounts.nth(index).fill("18000")
    operator.get_by_role("button", name="保存").click()
    operator.goto(f"/cases/{case.public_id}/materials/")
    upload_everything(operator)
    operator.goto(f"/cases/{case.public_id}/check/")
    tick_employer_check(operator)
    operator.get_by_role("button", name="保存核查结果").click()
    operator.goto(f"/cases/{case.public_id}/answers/")
    assert "续签期" in operator.content() and "最晚提交日" in operator.content()
    shot(operator, "employer-renewal-answers")
    operator.get_by_role("button", name="提交主管部门").click()
    assert case.reference in operator.locator("#reference").inner_text()

    reviewer.goto(f"/cases/review/{case.public_id}/")
    reviewer.get_by_role("button", name="受理").click()
    assert "REN-INCOME-3Y" in reviewer.content()
    shot(reviewer, "reviewer-renewal-checks")
    accept_every_document(reviewer)
    reviewer.get_by_role("radio", name="审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    case.refresh_from_db()
    assert case.state == State.AWAITING_RATIFICATION
    ratify_in_browser(browser_page(browser, live_server, f.make_ratifier()), case)
    case.refresh_from_db()
    assert case.state == State.APPROVED
    permit.refresh_from_db()
    assert permit.expires_on > expires
