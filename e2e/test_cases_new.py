"""Journey (BIZ-FLOW): a new case from the applicant's submission through the employer to the reviewer,
returned with an opinion and a tip, corrected, resubmitted, approved by the district and ratified
(核准, BIZ-TIME-LIMIT) by the municipal authority."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from accounts.testing import login_staff
from cases.models import Case, State
from cases.tests import factories as f
from e2e.ratification import accept_every_document, ratify_in_browser
from permits.models import Permit

pytestmark = pytest.mark.django_db(transaction=True)

# A real colour scan: the DOC-FORMAT checks run in the live server and a failing file blocks approval.
PDF = {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": f.colour_scan()}


def browser_page(browser, live_server, user):
    """A browser context signed in as `user` (staff with a verified second factor)."""
    client = Client()
    if user.needs_second_factor:
        login_staff(client, user)
    else:
        client.force_login(user)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


CONFIRMATIONS = [
    "劳动合同签订单位为本单位",
    "个人所得税由本单位扣缴",
    "社会保险由本单位缴纳",
    "社会保险足额、连续缴纳",
]
SECTIONS = ["申请人个人信息", "申报信息", "应税收入记录", "全部材料"]


def tick_employer_check(page) -> None:
    for label in CONFIRMATIONS:
        page.get_by_role("checkbox", name=label).check()
    for label in SECTIONS:
        page.get_by_role("checkbox", name=label, exact=True).check()


def upload_everything(page) -> None:
    """Upload a file into every checklist row that still waits for one of this user's uploads."""
    while True:
        pending = page.locator("li:has(.tag-todo) form.upload")
        if pending.count() == 0:
            return
        form = pending.first
        form.locator("input[type=file]").set_input_files(PDF)
        form.locator("input[name=valid_until]").fill("2028-12-31")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "已上传" in page.content()


def test_new_case_returned_with_opinion_and_tip_then_approved(browser, live_server, shot):
    world = f.make_world()
    applicant = browser_page(browser, live_server, world.applicant_user)
    operator = browser_page(browser, live_server, world.operator)
    reviewer = browser_page(browser, live_server, world.reviewer)

    # Applicant: start, fill the facts, income and materials, check the answers and submit.
    applicant.goto("/cases/")
    applicant.get_by_role("button", name="发起新办申请").click()
    case = Case.objects.get(applicant=world.applicant)
    shot(applicant, "applicant-task-list")
    applicant.get_by_role("link", name="申报信息", exact=True).click()
    applicant.get_by_label("申报条款").select_option("1")
    applicant.get_by_role("button", name="保存").click()
    applicant.get_by_role("link", name="应税收入记录", exact=True).click()
    amounts = applicant.locator("input[name$='-amount']")
    for index in range(amounts.count()):
        amounts.nth(index).fill("21000")
    shot(applicant, "applicant-income")
    applicant.get_by_role("button", name="保存").click()
    applicant.get_by_role("link", name="材料清单").click()
    upload_everything(applicant)
    shot(applicant, "applicant-materials")
    applicant.get_by_role("link", name="返回办理事项").click()
    applicant.get_by_role("link", name="核对并提交单位").click()
    shot(applicant, "applicant-check-answers")
    applicant.get_by_role("button", name="提交单位核查").click()
    assert case.reference in applicant.locator("#reference").inner_text()
    shot(applicant, "applicant-confirmation")

    # Employer: upload its materials, check every item, submit to the authority.
    operator.goto(f"/cases/{case.public_id}/")
    operator.get_by_role("link", name="材料清单").click()
    upload_everything(operator)
    operator.get_by_role("link", name="返回办理事项").click()
    operator.get_by_role("link", name="单位核查").click()
    for label in [
        "劳动合同签订单位为本单位",
        "个人所得税由本单位扣缴",
        "社会保险由本单位缴纳",
        "社会保险足额、连续缴纳",
    ]:
        operator.get_by_role("checkbox", name=label).check()
    for label in ["申请人个人信息", "申报信息", "应税收入记录", "全部材料"]:
        operator.get_by_role("checkbox", name=label, exact=True).check()
    shot(operator, "employer-check")
    operator.get_by_role("button", name="保存核查结果").click()
    operator.get_by_role("link", name="核对并提交主管部门").click()
    operator.get_by_role("button", name="提交主管部门").click()
    assert "已提交" in operator.content()
    shot(operator, "employer-confirmation")

    # Reviewer: the queue, accept, return to the applicant with an opinion and a tip.
    reviewer.goto("/cases/review/")
    shot(reviewer, "reviewer-queue")
    reviewer.get_by_role("link", name=case.reference).click()
    reviewer.get_by_role("button", name="受理").click()
    assert "受理日判定" in reviewer.content()
    shot(reviewer, "reviewer-checks")
    # DOC-STAMPED: the income records lack the seal on every page; the verdict prefills the opinion.
    income = reviewer.locator('article[data-material="INCOME-RECORDS"]')
    income.get_by_label("材料有问题").check()
    income.get_by_label("问题及理由").fill("未逐页加盖财务章")
    income.get_by_role("button", name="记录审核结论").click()
    assert "已记录《" in reviewer.content()
    shot(reviewer, "reviewer-document-problem")
    opinion = reviewer.locator("#id_opinion")
    assert "《应税收入材料》：未逐页加盖财务章" in opinion.input_value()
    reviewer.get_by_label("退回申请人修改").check()
    opinion.fill(opinion.input_value() + "\n租房合同缺少出租人签字，请重新上传。")
    reviewer.locator("#id_tips").fill("下次请一并上传出租人身份证复印件。")
    reviewer.get_by_role("button", name="提交审核结论").click()
    case.refresh_from_db()
    assert case.state == State.RETURNED_TO_APPLICANT

    # Applicant: sees the opinion and the tip, labelled apart; re-uploads the lease and resubmits.
    applicant.goto(f"/cases/{case.public_id}/")
    body = applicant.content()
    assert "租房合同缺少出租人签字" in body and "温馨提示（仅供参考，不作为审核意见）" in body
    assert "《应税收入材料》：未逐页加盖财务章" in body
    shot(applicant, "applicant-returned")
    applicant.get_by_role("link", name="材料清单").click()
    lease = applicant.locator("li#m-LEASE-None form.upload")
    lease.locator("input[type=file]").set_input_files(PDF)
    lease.locator("input[name=valid_until]").fill("2028-12-31")
    lease.locator("button[type=submit]").click()
    applicant.get_by_role("link", name="返回办理事项").click()
    applicant.get_by_role("link", name="核对并提交单位").click()
    applicant.get_by_role("button", name="提交单位核查").click()
    assert case.reference in applicant.locator("#reference").inner_text()

    # The replaced lease reset the employer's check (issue 10): the operator checks again, then submits.
    operator.goto(f"/cases/{case.public_id}/check/")
    tick_employer_check(operator)
    operator.get_by_role("button", name="保存核查结果").click()
    operator.goto(f"/cases/{case.public_id}/answers/")
    operator.get_by_role("button", name="提交主管部门").click()
    reviewer.goto(f"/cases/review/{case.public_id}/")
    reviewer.get_by_role("button", name="受理").click()
    lease_row = reviewer.locator('article[data-material="LEASE"]')
    assert "退回后上传了新版本" in lease_row.locator(".since-return").inner_text()
    income = reviewer.locator('article[data-material="INCOME-RECORDS"]')
    income.get_by_label("材料无误").check()
    income.get_by_role("checkbox").check()
    income.get_by_role("button", name="记录审核结论").click()
    accept_every_document(reviewer)
    reviewer.get_by_label("审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    shot(reviewer, "reviewer-approved")
    case.refresh_from_db()
    # BIZ-TIME-LIMIT: the district's approval goes to 核准; the permit comes only then.
    assert case.state == State.AWAITING_RATIFICATION
    assert not Permit.objects.filter(holder=world.applicant).exists()
    applicant.goto(f"/cases/{case.public_id}/")
    assert "已报市级主管部门核准" in applicant.content()
    shot(applicant, "applicant-awaiting-ratification")
    ratifier = browser_page(browser, live_server, f.make_ratifier())
    ratify_in_browser(ratifier, case, shot)
    case.refresh_from_db()
    assert case.state == State.APPROVED
    assert Permit.objects.filter(holder=world.applicant).exists()
    applicant.goto(f"/cases/{case.public_id}/")
    assert "已签发" in applicant.content()
    shot(applicant, "applicant-approved")
