"""Shared steps of the case journeys: the reviewer's verdict on every document (DOC-STAMPED
confirmations, failed checks accepted with a reason: cases.guards) and the municipal 核准
(BIZ-TIME-LIMIT) in the ratifier's browser."""

from __future__ import annotations

from cases.models import Case


def accept_every_document(page) -> None:
    """Record 材料无误 on every document without an accepting verdict, confirming the seal where the
    material is stamped and accepting a failed automatic check with a reason."""
    # The workbench lists the documents needing attention first and re-sorts after each verdict:
    # always take the first one still without an accepting verdict.
    pending = page.locator('article.document-review:not(:has([data-verdict="accepted"]))')
    for _attempt in range(100):
        if not pending.count():
            break
        article = pending.first
        article.get_by_label("材料无误").check()
        stamp = article.locator("input[name$='-stamp_confirmed']")
        if stamp.count():
            stamp.check()
        failed = article.locator("input[name$='-accept_failed_check']")
        if failed.count():
            failed.check()
            article.locator("textarea[name$='-reason']").fill("已核对原件，内容清晰完整")
        article.get_by_role("button", name="记录审核结论").click()
        page.wait_for_load_state()
        assert "已记录《" in page.content()


def ratify_in_browser(page, case: Case, shot=None) -> None:
    """The ratifier ticks the case in the 核准 queue, confirms, and the permit is issued."""
    page.goto("/cases/ratify/")
    page.locator(f"#pick-{case.public_id}").check()
    page.get_by_role("button", name="下一步：确认核准").click()
    assert case.reference in page.locator("[data-ratify-confirm]").inner_text()
    if shot is not None:
        shot(page, "ratifier-confirm")
    page.get_by_role("button", name="确认核准").click()
    assert "已核准 1 笔" in page.content()
