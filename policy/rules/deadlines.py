"""Renewal and employer-change rules (rules.md section 6: 续签 / 单位变更业务办理规范), edition 2."""

from __future__ import annotations

from policy.context import Context
from policy.dates import month_label, month_of
from policy.deadlines import ESTIMATE_MARGIN_WORKING_DAYS, Deadlines, renewal_deadlines
from policy.facts import Facts
from policy.result import Check


def permit_deadlines(facts: Facts, ctx: Context) -> Deadlines | None:
    """The REN-WINDOW / REN-DEADLINE dates for the permit, or None when its expiry is not provided.

    A date in a year whose calendar is not published is a conservative, marked estimate
    (CAL-WORKING-DAYS, edition 2): never an error.
    """
    if "deadlines" in ctx.memo:
        cached: Deadlines | None = ctx.memo["deadlines"]
        return cached
    if facts.permit is None or facts.permit.expires_on is None or ctx.calendar is None:
        found = None
    else:
        found = renewal_deadlines(
            facts.permit.expires_on,
            ctx.submitted_on,
            ctx.calendar,
            window_days=ctx.integer("P-RENEWAL-WINDOW-DAYS"),
            lead_working_days=ctx.integer("P-LEAD-WORKING-DAYS"),
        )
    ctx.memo["deadlines"] = found
    return found


def ren_expired(facts: Facts, ctx: Context) -> Check:
    """REN-EXPIRED: an expired permit cannot be renewed or restored (一旦过期，无法恢复).

    Submitted on or after `expires_on` → fail. Submitted before it but accepted after it: the permit
    lapsed while the authority had the case → review (四（九）, the authority's own delay), a person
    decides. Never overridable (rules.md, opening principle)."""
    rule = "REN-EXPIRED"
    if facts.permit is None or facts.permit.expires_on is None:
        return ctx.not_provided(rule, "permit.expires_on")
    expires = facts.permit.expires_on
    data = {
        "expires_on": expires.isoformat(),
        "submitted_on": ctx.submitted_on.isoformat(),
        "as_of": ctx.as_of.isoformat(),
    }
    if ctx.submitted_on >= expires:
        return ctx.check(rule, "fail", f"{rule}.fail", data)
    if ctx.as_of >= expires:
        return ctx.check(rule, "review", f"{rule}.lapsed_in_review", data)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def ren_window(facts: Facts, ctx: Context) -> Check:
    """REN-WINDOW: submitted within `window_opens … complete_by`, complete_by = expiry − 1 day and
    window_opens = complete_by − P-RENEWAL-WINDOW-DAYS."""
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
    """REN-DEADLINE / CHG-DEADLINE (edition 2).

    - S ≤ latest_submission → pass (on an estimated calendar, measured against the moved day);
    - later but before `complete_by` → review: the guide puts the risk of a lapse on the employer
      and the applicant (未按时间提交申请导致审核未完成证件失效的，责任由申请单位及申请人承担), it does
      not refuse; with an estimated calendar the answer also depends on the estimate;
    - on or after `complete_by`, before `expires_on` → fail (cannot be completed before expiry);
    - on or after `expires_on` → not_applicable (REN-EXPIRED fails).
    """
    deadlines = permit_deadlines(facts, ctx)
    if deadlines is None:
        return ctx.not_provided(rule, "permit.expires_on")
    assert ctx.calendar is not None and facts.permit is not None and facts.permit.expires_on is not None
    days = ctx.integer("P-LEAD-WORKING-DAYS")
    reached = ctx.calendar.add_working_days_counted(ctx.submitted_on, days, estimate=True)
    data: dict[str, object] = {
        "submitted_on": ctx.submitted_on.isoformat(),
        "lead_working_days": days,
        "review_complete_on": reached.value.isoformat(),  # type: ignore[union-attr]
        "complete_by": deadlines.complete_by.isoformat(),
        "latest_working_day": deadlines.latest_working_day.isoformat(),
        "latest_submission": deadlines.latest_submission.isoformat(),
    }
    suffix = ""
    if deadlines.estimated or reached.estimated:
        data["estimated"] = True
        data["margin_working_days"] = ESTIMATE_MARGIN_WORKING_DAYS
        suffix = "_estimated"
    if ctx.submitted_on >= facts.permit.expires_on:
        return ctx.check(rule, "not_applicable", "REN-DEADLINE.expired", data)
    if ctx.submitted_on >= deadlines.complete_by:
        return ctx.check(rule, "fail", f"REN-DEADLINE.fail{suffix}", data)
    if deadlines.in_time:
        return ctx.check(rule, "pass", f"REN-DEADLINE.pass{suffix}", data)
    data["late_risk"] = True
    return ctx.check(rule, "review", f"REN-DEADLINE.late{suffix}", data)


def ren_deadline(facts: Facts, ctx: Context) -> Check:
    """REN-DEADLINE: in time when add_working_days(submitted_on, P-LEAD-WORKING-DAYS) <= complete_by;
    a late submission before `complete_by` is `review` (the submitter acknowledged the risk)."""
    return _deadline("REN-DEADLINE", facts, ctx)


def chg_deadline(facts: Facts, ctx: Context) -> Check:
    """CHG-DEADLINE: an employer change keeps the same lead time, counted exactly as REN-DEADLINE."""
    return _deadline("CHG-DEADLINE", facts, ctx)


def chg_one_by_one(facts: Facts, ctx: Context) -> Check:
    """CHG-ONE-BY-ONE: several employer changes are filed one by one, in order (单位变更 注意事项 2:
    如涉及多次单位变更，需逐一办理). `permit.intermediate_employers` > 0 → fail, naming the change to
    file first (from the permit's employer to the next one)."""
    rule = "CHG-ONE-BY-ONE"
    if facts.permit is None:
        return ctx.not_provided(rule, "permit")
    count = facts.permit.intermediate_employers
    data = {"intermediate_employers": count}
    if count > 0:
        return ctx.check(rule, "fail", f"{rule}.fail", data)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def ren_income_3y(facts: Facts, ctx: Context) -> Check:
    """REN-INCOME-3Y (edition 2): 持证期间近三年应税收入应连续正常缴纳不为零.

    The records run from S = the later of January of (year of `submitted_on` − P-RENEWAL-INCOME-MONTHS
    in years) ("2022年1月至今" for 2025) and the month of `permit.held_since`, to the latest month
    supplied, which is fresh as for APP-INCOME-RECENT (stale on `as_of` but fresh on `submitted_on` →
    review). An unfiled employer change (`employer_change_pending`) → fail (不在受理范围之内).
    Inside the P-RENEWAL-INCOME-MONTHS months ending at the latest month, from the month held on: a
    missing or zero month → fail; a corrected month → review. Earlier months from S: missing, zero or
    corrected → review. Months before the permit was held are never required. A corrected month
    that carries `original_amount` is judged on it (更正无效)."""
    rule = "REN-INCOME-3Y"
    records = ctx.income_by_month()
    if not records:
        return ctx.not_provided(rule, "applicant.monthly_income")
    if facts.permit is None or facts.permit.employer_change_pending is None:
        return ctx.not_provided(rule, "permit.employer_change_pending")
    months = ctx.integer("P-RENEWAL-INCOME-MONTHS")
    years = months // 12
    last = max(records)
    start = month_of(ctx.submitted_on.replace(year=ctx.submitted_on.year - years, month=1, day=1))
    held = month_of(facts.permit.held_since) if facts.permit.held_since is not None else None
    if held is not None:
        start = max(start, held)
    inner = last - months + 1
    if held is not None:
        inner = max(inner, held)
    missing, zero, corrected = [], [], []
    earlier: list[str] = []
    for index in range(min(start, inner), last + 1):
        if held is not None and index < held:
            continue
        record = records.get(index)
        amount = (
            None
            if record is None
            else (record.amount if record.original_amount is None else record.original_amount)
        )
        is_corrected = record is not None and (record.corrected or record.original_amount is not None)
        if index < inner:
            if record is None or amount is None or amount <= 0 or is_corrected:
                earlier.append(month_label(index))
            continue
        if record is None:
            missing.append(month_label(index))
        else:
            if amount is not None and amount <= 0:
                zero.append(record.month)
            if is_corrected:
                corrected.append(record.month)
    current = month_of(ctx.as_of)
    data: dict[str, object] = {
        "months": months,
        "from": month_label(min(start, inner)),
        "strict_from": month_label(inner),
        "to": month_label(last),
        "held_since": facts.permit.held_since.isoformat() if facts.permit.held_since else None,
        "missing_months": missing,
        "zero_months": zero,
        "corrected_months": corrected,
        "earlier_irregular_months": earlier,
        "employer_change_pending": facts.permit.employer_change_pending,
        "as_of": ctx.as_of.isoformat(),
    }
    if facts.permit.employer_change_pending:
        return ctx.check(rule, "fail", f"{rule}.change_pending", data)
    stale_review = False
    if last not in (current - 1, current - 2):
        submitted = month_of(ctx.submitted_on)
        data["expected_last_month"] = [month_label(current - 2), month_label(current - 1)]
        if last not in (submitted - 1, submitted - 2):
            return ctx.check(rule, "fail", f"{rule}.stale", data)
        stale_review = True
    for kind, found in (("missing", missing), ("zero", zero)):
        if found:
            return ctx.check(rule, "fail", f"APP-INCOME-INTEGRITY.{kind}", data, list=", ".join(found))
    if stale_review:
        return ctx.check(rule, "review", f"{rule}.stale_since_submission", data)
    if corrected:
        return ctx.check(rule, "review", f"{rule}.corrected", data, list=", ".join(corrected))
    if earlier:
        return ctx.check(rule, "review", f"{rule}.earlier", data, list=", ".join(earlier))
    return ctx.check(rule, "pass", f"{rule}.pass", data)
