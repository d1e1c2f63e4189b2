"""Journey (CHG-RESIGNATION, ORG-PERMISSION, CHG-DEADLINE, BIZ-FLOW): the former employer dissociates a
permit holder with a resignation certificate, the holder associates with a receive-only employer, which
files the employer change; the reviewer approves and the permit names the new employer."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, Kind, State
from cases.tests import factories as f
from e2e.ratification import accept_every_document, ratify_in_browser
from e2e.test_cases_new import PDF, browser_page, tick_employer_check, upload_everything
from eligibility.services import add_calendar_year, current_calendar
from employers.models import Association, AssociationStatus, RightsKind
from permits.models import Permit
from permits.services import next_number

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "NEWB2345"


def publish_next_year(supervisor) -> None:
    """CAL-WORKING-DAYS: deadlines and the review period may reach next year's calendar."""
    next_year = timezone.localdate().year + 1
    if not current_calendar().published(next_year):
        add_calendar_year(
            supervisor,
            year=next_year,
            holidays=[date(next_year, 1, 1)],
            workdays=[],
            citation="国务院办公厅关于节假日安排的通知（测试数据）",
        )


def holder_moving_to_a_receive_only_employer(expires_in_days: int):
    """A holder with a valid permit at employer A (world.employer); employer B receives holders only."""
    today = timezone.localdate()
    world = f.make_world()
    permit = Permit.objects.create(
        number=next_number(today.year - 1),
        holder=world.applicant,
        employer=world.employer,
        issued_on=today - timedelta(days=365),
        expires_on=today + timedelta(days=expires_in_days),
    )
    receiving = f.make_employer(
        rights_kind=RightsKind.RECEIVE_ONLY,
        association_code=CODE,
        association_code_expires_on=today + timedelta(days=365),
    )
    publish_next_year(world.supervisor)
    return world, permit, receiving, f.make_operator(receiving)


def dissociate_in_browser(former, world, shot, *, in_renewal_window: bool = False) -> None:
    """CHG-RESIGNATION: the former employer's operator records the leaving date and the certificate.
    CHG-RENEW-FIRST: inside the permit's renewal window it must also confirm knowing it."""
    today = timezone.localdate().isoformat()
    former.goto("/employers/associations/")
    former.locator("#approved-associations a").first.click()
    former.fill("#id_left_on", today)
    former.set_input_files("#id_certificate_file", {**PDF, "name": "resignation.pdf"})
    shot(former, "former-employer-dissociates")
    former.get_by_role("button", name="解除关联").click()
    if in_renewal_window:
        error = former.locator("#id_renewal_acknowledged-error")
        expect(error).to_contain_text(f"离职日期{today}处于工作居住证")
        expect(error).to_contain_text("续签期")
        shot(former, "former-employer-renew-first-confirmation")
        former.fill("#id_left_on", today)
        former.set_input_files("#id_certificate_file", {**PDF, "name": "resignation.pdf"})
        former.locator("#id_renewal_acknowledged").check()
        former.get_by_role("button", name="解除关联").click()
    expect(former.locator("#association-status")).to_have_text("已解除关联")
    expect(former.locator("main")).to_contain_text("resignation.pdf")
    world.association.refresh_from_db()
    assert world.association.status == AssociationStatus.DISSOCIATED


def associate_in_browser(holder, new_operator, shot) -> None:
    """The holder enters B's code; B's operator completes the employment data and approves."""
    today = timezone.localdate()
    holder.goto("/employers/associate/")
    holder.fill("#id_code", CODE)
    holder.get_by_role("button", name="发起关联").click()
    expect(holder.locator("main")).to_contain_text("待单位确认")
    shot(holder, "holder-requests-association")
    new_operator.goto("/employers/associations/")
    new_operator.locator("#pending-associations a").first.click()
    new_operator.fill("#id_employed_since", today.isoformat())
    new_operator.fill("#id_contract_ends_on", (today + timedelta(days=3 * 365)).isoformat())
    new_operator.set_input_files("#id_contract_file", {**PDF, "name": "contract.pdf"})
    new_operator.get_by_role("button", name="同意关联").click()
    expect(new_operator.locator("#association-status")).to_have_text("已关联")
    shot(new_operator, "new-employer-approves-association")


def start_change_in_browser(new_operator, world) -> Case:
    new_operator.goto("/cases/start/")
    new_operator.get_by_label("持证人").select_option(str(world.applicant.public_id))
    new_operator.get_by_role("radio", name="单位变更").check()
    new_operator.get_by_role("button", name="发起").click()
    expect(new_operator.locator("main")).to_contain_text("已发起单位变更")
    return Case.objects.get(applicant=world.applicant, kind=Kind.EMPLOYER_CHANGE)


def test_employer_change_to_a_receive_only_employer_is_approved(browser, live_server, shot):
    world, permit, receiving, new_operator_user = holder_moving_to_a_receive_only_employer(300)
    former = browser_page(browser, live_server, world.operator)
    holder = browser_page(browser, live_server, world.applicant_user)
    new_operator = browser_page(browser, live_server, new_operator_user)
    reviewer = browser_page(browser, live_server, world.reviewer)

    # Before the former employer dissociates, the new employer cannot even associate the holder.
    holder.goto("/employers/associate/")
    expect(holder.locator("#id_code")).to_have_count(0)
    shot(holder, "holder-still-with-former-employer")

    dissociate_in_browser(former, world, shot)
    associate_in_browser(holder, new_operator, shot)

    # B (receive-only, ORG-PERMISSION) starts the employer change; the certificate is already linked.
    case = start_change_in_browser(new_operator, world)
    assert case.former_employer == world.employer and case.employer == receiving
    assert case.permit_number == permit.number
    shot(new_operator, "new-employer-change-started")
    new_operator.get_by_role("link", name="材料清单").click()
    expect(new_operator.locator("main")).to_contain_text("resignation.pdf")
    upload_everything(new_operator)
    shot(new_operator, "new-employer-materials")

    # The holder is told and uploads their own materials, if the checklist asks for any.
    holder.goto("/inbox/")
    assert case.reference in holder.content()
    holder.goto(f"/cases/{case.public_id}/materials/")
    upload_everything(holder)
    shot(holder, "holder-materials")

    new_operator.goto(f"/cases/{case.public_id}/")
    new_operator.get_by_role("link", name="单位核查").click()
    tick_employer_check(new_operator)
    new_operator.get_by_role("button", name="保存核查结果").click()
    new_operator.get_by_role("link", name="核对并提交主管部门").click()
    expect(new_operator.locator("main")).to_contain_text("最晚提交日")
    shot(new_operator, "new-employer-answers")
    new_operator.get_by_role("button", name="提交主管部门").click()
    assert case.reference in new_operator.locator("#reference").inner_text()
    shot(new_operator, "new-employer-submitted")

    # The reviewer accepts and approves.
    reviewer.goto("/cases/review/")
    reviewer.get_by_role("link", name=case.reference).click()
    reviewer.get_by_role("button", name="受理").click()
    assert "受理日判定" in reviewer.content()
    shot(reviewer, "reviewer-checks")
    accept_every_document(reviewer)
    reviewer.get_by_role("radio", name="审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    shot(reviewer, "reviewer-approved")
    case.refresh_from_db()
    assert case.state == State.AWAITING_RATIFICATION
    ratify_in_browser(browser_page(browser, live_server, f.make_ratifier()), case)
    case.refresh_from_db()
    assert case.state == State.APPROVED

    # The holder's permit now names employer B; its history records the change.
    holder.goto("/permits/")
    holder.get_by_role("link", name=permit.number).click()
    expect(holder.locator("dt:text-is('聘用单位') + dd")).to_have_text(receiving.name)
    expect(holder.locator("main")).to_contain_text("聘用单位变更")
    shot(holder, "holder-permit-new-employer")
    permit.refresh_from_db()
    assert permit.employer == receiving
    assert Association.objects.get(applicant=world.applicant, employer=receiving).status == "approved"


def test_employer_change_too_close_to_expiry_needs_the_acknowledged_risk(browser, live_server, shot):
    """CHG-DEADLINE (edition 2): ten days before expiry the change is late; the new employer submits
    only after ticking the acknowledgement of the risk, shown with the dates."""
    world, permit, _receiving, new_operator_user = holder_moving_to_a_receive_only_employer(10)
    former = browser_page(browser, live_server, world.operator)
    holder = browser_page(browser, live_server, world.applicant_user)
    new_operator = browser_page(browser, live_server, new_operator_user)

    dissociate_in_browser(former, world, shot, in_renewal_window=True)
    associate_in_browser(holder, new_operator, shot)
    case = start_change_in_browser(new_operator, world)
    new_operator.get_by_role("link", name="材料清单").click()
    upload_everything(new_operator)
    holder.goto(f"/cases/{case.public_id}/materials/")
    upload_everything(holder)
    new_operator.goto(f"/cases/{case.public_id}/check/")
    tick_employer_check(new_operator)
    new_operator.get_by_role("button", name="保存核查结果").click()

    new_operator.goto(f"/cases/{case.public_id}/answers/")
    new_operator.get_by_role("button", name="提交主管部门").click()
    main = new_operator.locator("main")
    expect(main).to_contain_text("逾期")
    expect(main).to_contain_text(f"证件有效期至{permit.expires_on.isoformat()}")
    assert re.search(r"最晚提交日为 \d{4}-\d{2}-\d{2}", main.inner_text())
    shot(new_operator, "new-employer-chg-deadline-needs-acknowledgement")
    case.refresh_from_db()
    assert case.state == State.DRAFT
    new_operator.locator("#id_acknowledge_late").check()
    new_operator.get_by_role("button", name="提交主管部门").click()
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.late_risk_acknowledged_at is not None
