"""Renewal and employer-change rules (rules.md section 6: 续签 / 单位变更业务办理规范)."""

from __future__ import annotations

from policy.context import Context
from policy.dates import month_label, month_of
from policy.deadlines import Deadlines, renewal_deadlines
from policy.facts import Facts
from policy.result import Check


def permit_deadlines(facts: Facts, ctx: Context) -> Deadlines | None:
    """The REN-WINDOW / REN-DEADLINE dates for the permit, or None when its expiry is not provided.

    Whether the submission is in time is always exact; a latest submission day in a year whose
    calendar is not published is a marked estimate (`estimated`). The review period itself falling
    in an unpublished year raises `CalendarYearUnpublished` (CAL-WORKING-DAYS: never silent).
    """
    if "deadlines" in ctx.memo:
        cached: Deadlines | None = ctx.memo["deadlines"]
        return cached
    if facts.permit is None or facts.permit.expires_on is None or ctx.calendar is None:
        found = None
    else:
        found = _compute(facts, ctx)
    ctx.memo["deadlines"] = found
    return found


def _compute(facts: Facts, ctx: Context) -> Deadlines:
    assert facts.permit is not None and facts.permit.expires_on is not None and ctx.calendar is not None
    return renewal_deadlines(
        facts.permit.expires_on,
        ctx.submitted_on,
        ctx.calendar,
        estimate_latest=True,
        window_days=ctx.integer("P-RENEWAL-WINDOW-DAYS"),
        lead_working_days=ctx.integer("P-LEAD-WORKING-DAYS"),
    )


def ren_expired(facts: Facts, ctx: Context) -> Check:
    """REN-EXPIRED: an expired permit cannot be renewed or restored (expired when as_of > expires_on)."""
    rule = "REN-EXPIRED"
    if facts.permit is None or facts.permit.expires_on is None:
        return ctx.not_provided(rule, "permit.expires_on")
    expires = facts.permit.expires_on
    data = {"expires_on": expires.isoformat(), "as_of": ctx.as_of.isoformat()}
    ok = ctx.as_of <= expires
    return ctx.check(rule, "pass" if ok else "fail", f"{rule}.{'pass' if ok else 'fail'}", data)


def ren_window(facts: Facts, ctx: Context) -> Check:
    """REN-WINDOW: submitted within `complete_by − 60 days … complete_by`, complete_by = expiry − 1 day."""
    rule = "REN-WINDOW"
    deadlines = permit_deadlines(facts, ctx)
    if deadlines is None:
        return ctx.not_provided(rule, "permit.expires_on")
    data = {
        "submitted_on": ctx.submitted_on.isoformat(),
        "window_opens": deadlines.window_opens.isoformat(),
        "complete_by": deadlines.complete_by.isoformat(),
    }
    if ctx.submitted_on < deadlines.window_opens:
        return ctx.check(rule, "fail", f"{rule}.early", data)
    if ctx.submitted_on > deadlines.complete_by:
        return ctx.check(rule, "fail", f"{rule}.late", data)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def _deadline(rule: str, facts: Facts, ctx: Context) -> Check:
    deadlines = permit_deadlines(facts, ctx)
    if deadlines is None:
        return ctx.not_provided(rule, "permit.expires_on")
    assert ctx.calendar is not None
    days = ctx.integer("P-LEAD-WORKING-DAYS")
    review_done = ctx.calendar.add_working_days(ctx.submitted_on, days)
    data = {
        "submitted_on": ctx.submitted_on.isoformat(),
        "lead_working_days": days,
        "review_complete_on": review_done.isoformat(),
        "complete_by": deadlines.complete_by.isoformat(),
        "latest_submission": deadlines.latest_submission.isoformat(),
    }
    suffix = ""
    if deadlines.estimated:
        data["latest_submission_estimated"] = True
        suffix = "_estimated"
    ok = deadlines.in_time
    return ctx.check(rule, "pass" if ok else "fail", f"REN-DEADLINE.{'pass' if ok else 'fail'}{suffix}", data)


def ren_deadline(facts: Facts, ctx: Context) -> Check:
    """REN-DEADLINE: in time when add_working_days(submitted_on, 20) <= complete_by."""
    return _deadline("REN-DEADLINE", facts, ctx)


def chg_deadline(facts: Facts, ctx: Context) -> Check:
    """CHG-DEADLINE: an employer change is also submitted ≥ 20 working days before expiry."""
    return _deadline("CHG-DEADLINE", facts, ctx)


def ren_income_3y(facts: Facts, ctx: Context) -> Check:
    """REN-INCOME-3Y: over the 36 consecutive months ending at the latest month supplied (fresh as
    for APP-INCOME-RECENT), income is present, never zero and never corrected; and no employer
    change is pending (the employer is unchanged or the change was filed)."""
    rule = "REN-INCOME-3Y"
    records = ctx.income_by_month()
    if not records:
        return ctx.not_provided(rule, "applicant.monthly_income")
    if facts.permit is None or facts.permit.employer_change_pending is None:
        return ctx.not_provided(rule, "permit.employer_change_pending")
    months = ctx.integer("P-RENEWAL-INCOME-MONTHS")
    last = max(records)
    first = last - months + 1
    missing, zero, corrected = [], [], []
    for index in range(first, last + 1):
        record = records.get(index)
        if record is None:
            missing.append(month_label(index))
        else:
            if record.amount <= 0:
                zero.append(record.month)
            if record.corrected:
                corrected.append(record.month)
    current = month_of(ctx.as_of)
    data: dict[str, object] = {
        "months": months,
        "from": month_label(first),
        "to": month_label(last),
        "missing_months": missing,
        "zero_months": zero,
        "corrected_months": corrected,
        "employer_change_pending": facts.permit.employer_change_pending,
        "as_of": ctx.as_of.isoformat(),
    }
    if last not in (current - 1, current - 2):
        data["expected_last_month"] = [month_label(current - 2), month_label(current - 1)]
        return ctx.check(rule, "fail", f"{rule}.stale", data)
    for kind, found in (("missing", missing), ("zero", zero), ("corrected", corrected)):
        if found:
            return ctx.check(rule, "fail", f"APP-INCOME-INTEGRITY.{kind}", data, list=", ".join(found))
    if facts.permit.employer_change_pending:
        return ctx.check(rule, "fail", f"{rule}.change_pending", data)
    return ctx.check(rule, "pass", f"{rule}.pass", data)
