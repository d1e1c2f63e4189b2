"""Journey (cases.guards, DOC-STAMPED, DOC-FORMAT, BIZ-TIME-LIMIT, INSPECTION): the reviewer's approval
is refused, with the reasons beside the decision, until the failing file is replaced or accepted with a
reason and the stamped materials are confirmed; the district's approval then goes to the municipal
核准, where the ratifier confirms and the permit is issued; the inspection refuses a future reference
date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import State
from cases.tests import factories as f
from e2e.ratification import ratify_in_browser
from e2e.test_cases_new import browser_page
from materials.checks.findings import finding
from materials.models import CheckStatus, Document
from permits.models import Permit

pytestmark = pytest.mark.django_db(transaction=True)


def greyscale(document: Document) -> None:
    Document.objects.filter(pk=document.pk).update(
        check_status=CheckStatus.FAILED, findings=[finding("GREYSCALE", page=1)]
    )


def test_approval_refused_until_failing_files_are_accepted_then_ratified(browser, live_server, shot):
    world = f.make_world()
    today = timezone.localdate()
    case = f.accepted_case(world, today, confirm=False)
    documents = services.current_documents(case)
    greyscale(documents[("LEASE", None)])
    greyscale(documents[("HUKOU-PAGES", None)])
    reviewer = browser_page(browser, live_server, world.reviewer)

    # 1. Approval is refused; the reasons sit beside the decision.
    reviewer.goto(f"/cases/review/{case.public_id}/")
    blockers = reviewer.locator(".approval-blockers")
    expect(blockers).to_contain_text("未通过自动检查")
    expect(blockers).to_contain_text("尚未核对盖章及签注")
    reviewer.get_by_label("审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    expect(reviewer.locator(".approval-blockers")).to_be_visible()
    assert "不能审核通过" in reviewer.content()
    shot(reviewer, "approval-refused")
    case.refresh_from_db()
    assert case.state == State.ACCEPTED

    # 2. A plain acceptance of the failing lease is refused at the field: the check must be accepted
    #    explicitly, with a reason.
    lease = reviewer.locator('article[data-material="LEASE"]')
    lease.get_by_label("材料无误").check()
    lease.get_by_role("button", name="记录审核结论").click()
    lease = reviewer.locator('article[data-material="LEASE"]')
    expect(lease).to_contain_text("须勾选接受检查结果并填写理由")
    shot(reviewer, "accept-failed-check-refused")
    lease.get_by_label("材料无误").check()
    lease.locator("input[name$='-accept_failed_check']").check()
    lease.locator("textarea[name$='-reason']").fill("原件为黑白证明，内容清晰完整")
    lease.get_by_role("button", name="记录审核结论").click()
    expect(reviewer.locator('article[data-material="LEASE"] [data-verdict="accepted"]')).to_contain_text(
        "已接受未通过的自动检查"
    )

    # 3. The household register is replaced by the applicant (a colour scan) instead.
    Document.objects.filter(pk=documents[("HUKOU-PAGES", None)].pk).update(
        check_status=CheckStatus.PASSED, findings=[]
    )
    reviewer.reload()
    remaining = reviewer.locator(".approval-blockers")
    expect(remaining).not_to_contain_text("未通过自动检查")
    expect(remaining).to_contain_text("尚未核对盖章及签注")

    # 4. The stamped materials are confirmed; approval goes through to 核准.
    for material in ("EMPLOYER-TAX", "INCOME-RECORDS"):
        row = reviewer.locator(f'article[data-material="{material}"]')
        row.get_by_label("材料无误").check()
        row.locator("input[name$='-stamp_confirmed']").check()
        row.get_by_role("button", name="记录审核结论").click()
    expect(reviewer.locator(".approval-blockers")).to_have_count(0)
    reviewer.get_by_label("审核通过").check()
    reviewer.get_by_role("button", name="提交审核结论").click()
    shot(reviewer, "district-approved")
    case.refresh_from_db()
    assert case.state == State.AWAITING_RATIFICATION
    assert not Permit.objects.filter(holder=world.applicant).exists()

    # 5. The applicant is told of 核准 and its time limit; no permit yet.
    applicant = browser_page(browser, live_server, world.applicant_user)
    applicant.goto(f"/cases/{case.public_id}/")
    expect(applicant.locator("[data-time-limit]")).to_contain_text("个工作日内核准")
    assert case.ratify_due_on is not None
    expect(applicant.locator("[data-ratify-due]")).to_have_text(case.ratify_due_on.isoformat())
    shot(applicant, "applicant-awaiting-ratification")

    # 6. The ratifier ticks it, confirms, and the permit is issued.
    ratifier = browser_page(browser, live_server, f.make_ratifier())
    ratifier.goto("/")
    ratifier.get_by_role("link", name="进入核准工作台").click()
    expect(ratifier.locator("[data-ratify-queue]")).to_contain_text(case.reference)
    shot(ratifier, "ratify-queue")
    ratify_in_browser(ratifier, case, shot)
    shot(ratifier, "ratified")
    case.refresh_from_db()
    assert case.state == State.APPROVED
    assert Permit.objects.filter(holder=world.applicant).exists()
    applicant.reload()
    expect(applicant.locator("[data-time-limit]")).to_contain_text("已签发")
    shot(applicant, "applicant-ratified")


def test_ratifier_returns_to_the_district_with_a_reason(browser, live_server, shot):
    world = f.make_world()
    today = timezone.localdate()
    case = f.accepted_case(world, today)
    case = services.approve(world.reviewer, case, version=case.version, today=today)
    ratifier = browser_page(browser, live_server, f.make_ratifier())
    ratifier.goto("/cases/ratify/")
    ratifier.get_by_role("link", name=case.reference).click()
    ratifier.get_by_role("button", name="退回区级复核").click()
    expect(ratifier.locator(".error-message, .error-summary").first).to_be_visible()
    ratifier.get_by_label("理由").fill("学历认证与学信网记录不一致，请复核")
    shot(ratifier, "return-to-district")
    ratifier.get_by_role("button", name="退回区级复核").click()
    assert "已退回区级复核" in ratifier.content()
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    reviewer = browser_page(browser, live_server, world.reviewer)
    reviewer.goto(f"/cases/review/{case.public_id}/")
    expect(reviewer.locator("ol.timeline")).to_contain_text("学历认证与学信网记录不一致")
    shot(reviewer, "returned-by-ratifier")


def test_inspection_refuses_a_future_reference_date(browser, live_server, shot):
    from accounts.models import Role
    from accounts.testing import make_user

    supervisor = browser_page(browser, live_server, make_user(Role.SUPERVISOR, display_name="李主管"))
    supervisor.goto("/")
    supervisor.get_by_role("link", name="发起年检").click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    supervisor.get_by_label("检查基准日").fill(tomorrow.isoformat())
    supervisor.get_by_role("button", name="开始年检").click()
    expect(supervisor.locator("#id_as_of-error")).to_contain_text("检查基准日不能晚于今天")
    shot(supervisor, "inspection-future-date-refused")
    from oversight.models import Inspection

    assert not Inspection.objects.exists()
