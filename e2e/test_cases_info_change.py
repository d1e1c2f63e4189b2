"""Journey (INF-CHANGE, BIZ-FLOW): the employer starts an information change of the residence address,
the holder uploads the materials the checklist asks for, the employer submits, the reviewer returns it
to the applicant with an opinion and a separate tip, the applicant corrects and resubmits, the employer
submits again and the reviewer approves; the timeline shows every step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, Kind, State
from cases.tests import factories as f
from e2e.ratification import accept_every_document, ratify_in_browser
from e2e.test_cases_new import PDF, browser_page, tick_employer_check, upload_everything
from permits.models import EventKind, Permit, PermitEvent
from permits.services import next_number

pytestmark = pytest.mark.django_db(transaction=True)

OPINION = "租房合同未体现新居住地址，请重新上传。"
TIP = "下次请一并上传房屋产权证明复印件。"


def test_info_change_of_residence_returned_with_opinion_and_tip_then_approved(browser, live_server, shot):
    today = timezone.localdate()
    world = f.make_world()
    permit = Permit.objects.create(
        number=next_number(today.year - 1),
        holder=world.applicant,
        employer=world.employer,
        issued_on=today - timedelta(days=365),
        expires_on=today + timedelta(days=300),
    )
    operator = browser_page(browser, live_server, world.operator)
    applicant = browser_page(browser, live_server, world.applicant_user)
    reviewer = browser_page(browser, live_server, world.reviewer)

    # Employer: choose the holder, the kind "information change" and what changes.
    operator.goto("/cases/start/")
    operator.get_by_label("持证人").select_option(str(world.applicant.public_id))
    operator.get_by_role("radio", name="信息变更").check()
    operator.get_by_role("button", name="发起").click()
    expect(operator.locator("#id_info_change_kinds-error")).to_be_visible()  # INF-CHANGE: at least one
    operator.get_by_role("checkbox", name="居住地址").check()
    operator.get_by_label("变更说明").fill("居住地址变更为北京市海淀区学院路2号。")
    shot(operator, "employer-start-info-change")
    operator.get_by_role("button", name="发起").click()
    expect(operator.locator("main")).to_contain_text("已发起信息变更")
    case = Case.objects.get(applicant=world.applicant, kind=Kind.INFO_CHANGE)
    assert case.info_change_kinds == ["address"] and case.permit_number == permit.number

    # Applicant: told in the inbox, uploads what the checklist asks for the new residence.
    applicant.goto("/inbox/")
    assert case.reference in applicant.content()
    applicant.goto(f"/cases/{case.public_id}/")
    applicant.get_by_role("link", name="材料清单").click()
    expect(applicant.locator("li#m-LEASE-None")).to_be_visible()
    upload_everything(applicant)
    shot(applicant, "applicant-materials")

    # Employer: its own materials, the check, submit to the authority.
    operator.goto(f"/cases/{case.public_id}/")
    operator.get_by_role("link", name="材料清单").click()
    upload_everything(operator)
    operator.get_by_role("link", name="返回办理事项").click()
    operator.get_by_role("link", name="单位核查").click()
    tick_employer_check(operator)
    operator.get_by_role("button", name="保存核查结果").click()
    operator.get_by_role("link", name="核对并提交主管部门").click()
    shot(operator, "employer-answers")
    operator.get_by_role("button", name="提交主管部门").click()
    assert case.reference in operator.locator("#reference").inner_text()

    # Reviewer: accept, then return to the applicant with an opinion and a separate tip.
    reviewer.goto("/cases/review/")
    reviewer.get_by_role("link", name=case.reference).click()
    reviewer.get_by_role("button", name="受理").click()
    assert "受理日判定" in reviewer.content()
    shot(reviewer, "reviewer-checks")
    reviewer.get_by_label("退回申请人修改").check()
    reviewer.locator("#id_opinion").fill(OPINION)
    reviewer.locator("#id_tips").fill(TIP)
    reviewer.get_by_role("button", name="提交审核结论").click()
    case.refresh_from_db()
    assert case.state == State.RETURNED_TO_APPLICANT

    # Applicant: the opinion and the tip, labelled apart; re-uploads the lease and resubmits.
    applicant.goto(f"/cases/{case.public_id}/")
    body = applicant.content()
    assert OPINION in body and TIP in body and "温馨提示（仅供参考，不作为审核意见）" in body
    shot(applicant, "applicant-returned")
    applicant.get_by_role("link", name="材料清单").click()
    lease = applicant.locator("li#m-LEASE-None form.upload")
    lease.locator("input[type=file]").set_input_files({**PDF, "name": "lease-signed.pdf"})
    lease.locator("input[name=valid_until]").fill((today + timedelta(days=730)).isoformat())
    lease.locator("button[type=submit]").click()
    expect(applicant.locator("li#m-LEASE-None")).to_contain_text("lease-signed.pdf")
    shot(applicant, "applicant-corrected-lease")
    applicant.get_by_role("link", name="返回办理事项").click()
    applicant.get_by_role("link", name="核对并提交单位").click()
    applicant.get_by_role("button", name="提交单位核查").click()
    assert case.reference in applicant.locator("#reference").inner_text()
    case.refresh_from_db()
    assert case.state == State.WITH_EMPLOYER

    # The replaced lease reset the employer's check (issue 10): the operator checks again, then submits.
    operator.goto(f"/cases/{case.public_id}/")
    operator.get_by_role("link", name="单位核查").click()
    tick_employer_check(operator)
    operator.get_by_role("button", name="保存核查结果").click()
    operator.get_by_role("link", name="核对并提交主管部门").click()
    operator.get_by_role("button", name="提交主管部门").click()
    assert case.reference in operator.locator("#reference").inner_text()
    reviewer.goto(f"/cases/review/{case.public_id}/")
    reviewer.get_by_role("button", name="受理").click()
    accept_every_document(reviewer)
    reviewer.get_by_label("审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    case.refresh_from_db()
    assert case.state == State.AWAITING_RATIFICATION
    ratify_in_browser(browser_page(browser, live_server, f.make_ratifier()), case)
    reviewer.reload()
    case.refresh_from_db()
    assert case.state == State.APPROVED
    assert PermitEvent.objects.filter(permit=permit, kind=EventKind.INFO_CHANGED, case_id=case.pk).exists()

    # The timeline shows every step, in order, with the opinion and the tip kept apart.
    steps = reviewer.locator("ol.timeline > li > strong").all_inner_texts()
    assert steps == [
        "创建申请",
        "单位提交主管部门",
        "主管部门受理",
        "主管部门退回申请人",
        "申请人修改后单位核查须重新完成",
        "申请人提交单位核查",
        "单位提交主管部门",
        "主管部门受理",
        "区级审核通过",
        "市级核准",
    ]
    shot(reviewer, "reviewer-timeline-approved")
    applicant.goto(f"/cases/{case.public_id}/")
    expect(applicant.locator("#h-opinion")).to_have_count(0)  # the return is history, not the outcome
    timeline = applicant.locator("ol.timeline")
    expect(timeline.locator(".opinion")).to_contain_text(OPINION)
    expect(timeline.locator(".tips")).to_contain_text(TIP)
    expect(timeline).to_contain_text("审核通过")
    shot(applicant, "applicant-approved")
