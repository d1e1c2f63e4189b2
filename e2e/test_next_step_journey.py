"""Journey (issue 10, item 4; BIZ-FLOW, BIZ-TIME-LIMIT, REN-WINDOW): one case walked through, each role
seeing who acts next, what they do and the due date that concerns them (applicant → operator →
reviewer → ratifier); and a renewal that cannot start yet, refused on the start page with its dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import engine, services
from cases.models import Case, State
from cases.tests import factories as f
from e2e.ratification import ratify_in_browser
from e2e.test_cases_new import browser_page
from permits.models import Permit
from permits.services import next_number

pytestmark = pytest.mark.django_db(transaction=True)


def banner(page):
    return page.locator("[data-next-step]")


def test_the_next_step_banner_for_every_role_along_one_case(browser, live_server, shot):
    world = f.make_world()
    today = timezone.localdate()
    case = services.start_new_case(world.applicant_user, today=today)
    case = f.fill_new_case(case, world.applicant_user, today)
    applicant = browser_page(browser, live_server, world.applicant_user)
    operator = browser_page(browser, live_server, world.operator)

    # 1. The applicant: it is their turn; they submit to the employer and are told to wait for it.
    applicant.goto(f"/cases/{case.public_id}/")
    expect(banner(applicant)).to_contain_text("请填写并提交单位核查")
    expect(banner(applicant).locator("[data-next-actor-label]")).to_contain_text("您")
    shot(applicant, "next-step-applicant-draft")
    applicant.get_by_role("link", name="核对并提交单位").click()
    applicant.get_by_role("button", name="提交单位核查").click()
    expect(banner(applicant)).to_contain_text("等待单位提交")
    shot(applicant, "next-step-applicant-waits-for-employer")

    # 2. The operator: their turn, on the case page and on the home page.
    operator.goto("/")
    expect(operator.get_by_text("待您处理：请核查并提交主管部门")).to_be_visible()
    operator.goto(f"/cases/{case.public_id}/")
    expect(banner(operator)).to_contain_text("请核查并提交主管部门")
    shot(operator, "next-step-operator")
    case.refresh_from_db()
    case = f.employer_complete(case, world.operator, today)
    case = services.employer_submit(world.operator, case, version=case.version, today=today)
    operator.reload()
    expect(banner(operator)).to_contain_text("等待主管部门受理")

    # 3. The applicant sees the public time limit, never the district's internal review due.
    applicant.goto(f"/cases/{case.public_id}/")
    expect(banner(applicant)).to_contain_text("等待主管部门受理")
    expect(banner(applicant).locator("[data-public-limit]")).to_contain_text("个工作日内核准")
    assert "审核期限" not in applicant.locator("main").inner_text()
    assert str(case.due_on) not in applicant.locator("main").inner_text()
    shot(applicant, "next-step-applicant-waits-for-acceptance")

    # 4. The reviewer: accept, with the internal review due; then decide.
    reviewer = browser_page(browser, live_server, world.reviewer)
    reviewer.goto(f"/cases/review/{case.public_id}/")
    expect(banner(reviewer)).to_contain_text("请受理")
    expect(banner(reviewer).locator("[data-next-due]")).to_contain_text(str(case.due_on))
    shot(reviewer, "next-step-reviewer-accept")
    reviewer.get_by_role("button", name="受理").click()
    expect(banner(reviewer)).to_contain_text("请审核并作出审核结论")
    case.refresh_from_db()
    f.confirm_materials(case, world.reviewer)
    case = services.approve(world.reviewer, case, version=case.version, today=today)
    assert case.state == State.AWAITING_RATIFICATION
    reviewer.reload()
    expect(banner(reviewer)).to_contain_text("等待市级核准")

    # 5. Everyone sees the 核准 due date; the ratifier is told it is their turn.
    applicant.reload()
    expect(banner(applicant)).to_contain_text("等待市级核准")
    expect(banner(applicant).locator("[data-next-due]")).to_contain_text(str(case.ratify_due_on))
    shot(applicant, "next-step-applicant-awaits-ratification")
    ratifier = browser_page(browser, live_server, f.make_ratifier())
    ratifier.goto(f"/cases/ratify/{case.public_id}/")
    expect(banner(ratifier)).to_contain_text("请核准或退回区级复核")
    expect(banner(ratifier).locator("[data-next-due]")).to_contain_text(str(case.ratify_due_on))
    shot(ratifier, "next-step-ratifier")
    ratify_in_browser(ratifier, case)
    applicant.reload()
    expect(banner(applicant)).to_contain_text("已核准，可打印确认单")
    shot(applicant, "next-step-applicant-ratified")


def test_a_renewal_that_cannot_start_yet_is_refused_on_the_start_page_with_its_dates(
    browser, live_server, shot
):
    world = f.make_world()
    today = timezone.localdate()
    expires = today + timedelta(days=3 * 365)  # a permit issued today
    Permit.objects.create(
        number=next_number(today.year),
        holder=world.applicant,
        employer=world.employer,
        issued_on=today,
        expires_on=expires,
    )
    opens = engine.case_deadlines(expires, today).window_opens
    operator = browser_page(browser, live_server, world.operator)
    operator.goto("/cases/start/")
    operator.get_by_label("持证人").select_option(str(world.applicant.public_id))
    operator.get_by_role("radio", name="续签").check()
    operator.get_by_role("button", name="发起").click()
    summary = operator.locator(".error-summary")
    expect(summary).to_contain_text("尚未到续签期")
    expect(summary).to_contain_text(opens.isoformat())
    expect(summary).to_contain_text(expires.isoformat())
    shot(operator, "renewal-refused-at-start")
    assert not Case.objects.filter(kind="renewal").exists()
