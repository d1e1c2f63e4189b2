"""Journey (issue 13; APP-INCOME-INTEGRITY, APP-SAME-EMPLOYER, DOC-STAMPED): the applicant uploads a
generated 36-month scan of the 《申报收入查询记录》, sees the table read from it with the amount they
had mistyped flagged, corrects what was misread, accepts it into the monthly income; the reviewer
sees the findings with their boxes on the page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.tests import factories as f
from e2e.test_cases_new import browser_page
from materials.ocr import corpus
from materials.ocr.crosscheck import yuan

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.ocr]


def test_scan_read_corrected_accepted_and_reviewed(browser, live_server, shot, settings, tmp_path):
    settings.MATERIALS_EXTRACT_INCOME = False  # the set-up's placeholder uploads are not read
    today = timezone.localdate()
    world = f.make_world()
    case = services.start_new_case(world.applicant_user, today=today)
    case = f.fill_new_case(case, world.applicant_user, today)
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    sample = corpus.sample(
        31, months=36, pages=1, last=last, agent=world.employer.registry.name, second_agent=True
    )
    truth = sample.expected_rows
    typo = 20
    entered = [(date.fromisoformat(t["month"] + "-01"), yuan(t["amount"]) or 0, False) for t in truth]
    entered[typo] = (entered[typo][0], entered[typo][1] + 1000, False)
    case = services.save_income(world.applicant_user, case, version=case.version, monthly=entered)
    scan = tmp_path / "申报收入查询记录.pdf"
    scan.write_bytes(sample.pdf)
    settings.MATERIALS_EXTRACT_INCOME = True

    applicant = browser_page(browser, live_server, world.applicant_user)
    applicant.goto(f"/cases/{case.public_id}/materials/")
    form = applicant.locator("form.upload:has(input[name=material][value=INCOME-RECORDS])")
    form.locator("input[type=file]").set_input_files(str(scan))
    applicant.set_default_timeout(600_000)  # checks, then OCR of the page, in the request (tasks inline)
    form.locator("button[type=submit]").click()
    applicant.wait_for_load_state()
    applicant.set_default_timeout(15_000)
    applicant.goto(f"/cases/{case.public_id}/income/")
    shot(applicant, "income-with-scan")
    applicant.locator("a[data-income-scan]").click()
    expect(applicant.locator("h1")).to_have_text("核对收入记录扫描件")
    rows = applicant.locator("tbody tr[data-row]")
    expect(rows).to_have_count(36)
    flagged = applicant.locator('tr:has([data-flag="AMOUNT-DIFFERS"])')
    expect(flagged.first.locator("input[name$=-month]")).to_have_value(truth[typo]["month"])
    flagged.first.get_by_role("link", name="定位").last.click()
    shot(applicant, "flagged-amount-located")

    # Correct whatever was misread (a person compares with the page), then accept.
    fixed = 0
    for i, want in enumerate(truth):
        cell = applicant.locator(f"#r{i}-amount")
        if cell.input_value().replace(",", "") != want["amount"]:
            cell.fill(want["amount"])
            fixed += 1
        month = applicant.locator(f"#r{i}-month")
        if month.input_value() != want["month"]:
            month.fill(want["month"])
    shot(applicant, "checked")
    applicant.get_by_role("button", name="核对无误，采用").click()
    expect(applicant.locator("body")).to_contain_text("已按扫描件填写 36 个月的收入。")
    case.refresh_from_db()
    records = {f"{r.month:%Y-%m}": r.amount for r in case.income_records.all()}
    assert all(records[t["month"]] == yuan(t["amount"]) for t in truth)
    assert fixed <= 1  # the OCR floor: at most one amount of 36 needed a hand
    shot(applicant, "accepted")

    case = services.submit(world.applicant_user, case, version=case.version, today=today)
    case = f.employer_complete(case, world.operator, today)
    case = services.employer_submit(world.operator, case, version=case.version, today=today)
    reviewer = browser_page(browser, live_server, world.reviewer)
    reviewer.goto(f"/cases/review/{case.public_id}/")
    panel = reviewer.locator("details[data-income-scan]")
    expect(panel).to_contain_text("已由上传方核对采用")
    other = panel.locator('[data-finding="AGENT-OTHER"]')
    expect(other.first).to_be_visible()
    assert reviewer.locator("rect.scan-mark").count() >= other.count() > 0
    other.first.get_by_role("link", name="在页面上查看").click()
    shot(reviewer, "reviewer-finding-box")
