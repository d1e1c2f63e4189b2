"""Journeys (issue 10, items 6 and 7).

Income without retyping (REN-INCOME-3Y): the employer pastes the tax bureau's 36-month printout on a
renewal, the preview names the one bad line and column, nothing is saved; the line is fixed, the
preview is clean, the employer confirms and the 36 months are on the income page.

The reviewer's workbench: the document needing attention first and shown in the viewer beside the
facts and checks, the decision panel still in reach at the bottom of the page, one column on a
narrow screen.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import selectors, services
from cases.models import Case, IncomeRecord, Kind
from cases.tests import factories as f
from e2e.test_cases_new import browser_page
from eligibility.services import add_calendar_year, current_calendar
from materials.models import CheckStatus, Document
from permits.models import Permit
from permits.services import next_number

pytestmark = pytest.mark.django_db(transaction=True)


def printout(months: list[date], bad_index: int | None = None) -> str:
    lines = ["税款所属期\t收入额"]
    for index, month in enumerate(months):
        amount = "18,OOO.00" if index == bad_index else "¥18,000.00"
        lines.append(f"{month:%Y年%m月}\t{amount}")
    lines.append(f"合计\t{18000 * len(months):,}.00")
    return "\n".join(lines)


def test_employer_pastes_36_months_on_a_renewal(browser, live_server, shot):
    today = timezone.localdate()
    world = f.make_world()
    world.association.contract_ends_on = today + timedelta(days=5 * 365)
    world.association.save()
    Permit.objects.create(
        number=next_number(today.year - 3),
        holder=world.applicant,
        employer=world.employer,
        issued_on=today - timedelta(days=3 * 365),
        expires_on=today + timedelta(days=40),
    )
    if not current_calendar().published(today.year + 1):
        add_calendar_year(
            world.supervisor,
            year=today.year + 1,
            holidays=[date(today.year + 1, 1, 1)],
            workdays=[],
            citation="国务院办公厅关于节假日安排的通知（测试数据）",
        )
    case = services.start_employer_case(
        world.operator, applicant=world.applicant, kind=Kind.RENEWAL, today=today
    )
    window = selectors.income_window(case, today)
    assert len(window) == 36
    operator = browser_page(browser, live_server, world.operator)

    operator.goto(f"/cases/{case.public_id}/income/")
    operator.get_by_role("link", name="从纳税记录粘贴或导入表格文件").click()
    operator.get_by_label("粘贴纳税记录").fill(printout(window, bad_index=10))
    operator.get_by_role("button", name="预览").click()
    summary = operator.locator(".error-summary")
    summary.wait_for()
    # The one bad line is named with its column (the heading is line 1), the focus is on the summary.
    assert "第 12 行 · 金额" in summary.inner_text()
    assert operator.evaluate("document.activeElement.classList.contains('error-summary')")
    assert operator.locator("[data-line-error]").count() == 1
    assert operator.get_by_role("button", name="确认保存").count() == 0
    shot(operator, "paste-preview-one-bad-line")
    assert not IncomeRecord.objects.filter(case=case).exists()
    # What was pasted is still there; the link leads to the line in the preview.
    assert "18,OOO.00" in operator.get_by_label("粘贴纳税记录").input_value()
    summary.get_by_role("link").first.click()
    assert operator.evaluate("document.activeElement.id") == "line-12-amount"

    operator.get_by_label("粘贴纳税记录").fill(printout(window))
    operator.get_by_role("button", name="预览").click()
    assert operator.locator("[data-import-ok]").is_visible()
    assert "36" in operator.locator("[data-import-ok]").inner_text()
    shot(operator, "paste-preview-clean")
    assert not IncomeRecord.objects.filter(case=case).exists()  # nothing saved before the confirmation
    operator.get_by_role("button", name="确认保存 36 个月").click()
    operator.wait_for_load_state()
    assert "已保存导入的应税收入记录" in operator.content()
    amounts = operator.locator("input[name$='-amount']")
    assert amounts.count() == 36
    assert {amounts.nth(i).input_value() for i in range(36)} == {"18000"}
    shot(operator, "income-page-after-confirm")
    assert IncomeRecord.objects.filter(case=case).count() == 36
    assert Case.objects.get(pk=case.pk).events.filter(action="income_import").count() == 1


def test_reviewer_workbench(browser, live_server, shot):
    world = f.make_world()
    case = f.accepted_case(world, date(2025, 11, 20), confirm=False)
    links = list(case.documents.select_related("document"))
    failing = links[-1].document
    Document.objects.filter(pk=failing.pk).update(check_status=CheckStatus.FAILED)
    page = browser_page(browser, live_server, world.reviewer)
    page.goto(f"/cases/review/{case.public_id}/")

    # The failing document comes first and is the one in the viewer.
    queue = page.locator(".wb-doc-list li")
    assert queue.first.get_attribute("data-attention") == "0"
    assert "未通过检查" in queue.first.inner_text()
    viewer = page.locator("#viewer")
    assert viewer.locator(f"#doc-{failing.public_id}").count() == 1
    # Viewer and facts side by side; the decision panel beside them.
    viewer_box = viewer.bounding_box()
    facts_box = page.locator(".wb-facts").bounding_box()
    decide_box = page.locator(".wb-decide").bounding_box()
    assert viewer_box["x"] < facts_box["x"] < decide_box["x"]
    shot(page, "workbench")

    # Keyboard: choose another document from the list; it opens in the viewer.
    second = queue.nth(1).get_by_role("link")
    name = second.inner_text()
    second.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert name in page.locator("#h-viewer").inner_text()
    assert page.locator(".wb-doc-list a[aria-current='page']").inner_text() == name

    # Halfway down the long facts the decision panel is still at the top of the screen; at the
    # bottom of the page it is still on screen.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    heading = page.get_by_role("heading", name="审核结论", exact=True).bounding_box()
    assert 0 <= heading["y"] <= 100
    shot(page, "workbench-halfway-decision-in-reach")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    aside = page.locator(".wb-decide").bounding_box()
    assert min(aside["y"] + aside["height"], 900) - max(aside["y"], 0) > 400

    # A narrow screen falls back to one column, in reading order.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/cases/review/{case.public_id}/")
    xs = {round(page.locator(sel).bounding_box()["x"]) for sel in ("#viewer", ".wb-facts", ".wb-decide")}
    assert len(xs) == 1
    assert page.locator("#viewer").bounding_box()["y"] < page.locator(".wb-decide").bounding_box()["y"]
    shot(page, "workbench-narrow")
