"""Applicant basic conditions (rules.md section 3: 基本条件, 四（三）–（六）, 新办 注意事项)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from policy.context import Context
from policy.dates import age_on, month_label, month_of
from policy.errors import ParameterMissing
from policy.facts import Facts
from policy.money import monthly_threshold
from policy.result import Check
from policy.retirement import retirement_age_and_date
from policy.rules.employer import tenure_check

PUBLIC_KINDS = frozenset({"public_institution", "private_non_enterprise", "social_organization"})
REJECTED_HUKOU = frozenset({"beijing_collective", "beijing_school_temporary"})


def app_hukou(facts: Facts, ctx: Context) -> Check:
    """APP-HUKOU: household registration outside Beijing; collective and school hukou are refused."""
    rule = "APP-HUKOU"
    hukou = facts.applicant.hukou
    if hukou is None:
        return ctx.not_provided(rule, "applicant.hukou")
    data = {"hukou": hukou}
    if hukou == "non_beijing":
        return ctx.check(rule, "pass", f"{rule}.pass", data)
    if hukou in REJECTED_HUKOU:
        return ctx.check(rule, "fail", f"{rule}.collective", data)
    return ctx.check(rule, "fail", f"{rule}.fail", data)


def app_retirement(facts: Facts, ctx: Context) -> Check:
    """APP-RETIREMENT: the applicant has not reached statutory retirement age on `as_of` (四（三）)."""
    rule = "APP-RETIREMENT"
    birth = facts.applicant.birth_date
    category = facts.applicant.retirement_category
    if birth is None or category is None:
        missing = [
            name
            for name, value in (("applicant.birth_date", birth), ("applicant.retirement_category", category))
            if value is None
        ]
        return ctx.not_provided(rule, *missing)
    age_months, retires_on = retirement_age_and_date(birth, category)
    years, months = divmod(age_months, 12)
    data = {
        "birth_date": birth.isoformat(),
        "retirement_category": category,
        "retirement_age": f"{years}y{months}m",
        "retirement_date": retires_on.isoformat(),
        "as_of": ctx.as_of.isoformat(),
    }
    ok = ctx.as_of < retires_on
    return ctx.check(
        rule, "pass" if ok else "fail", f"{rule}.{'pass' if ok else 'fail'}", data, years=years, months=months
    )


def app_tenure(facts: Facts, ctx: Context) -> Check:
    """APP-TENURE: ≥ 6 months at the employer on `as_of`; ≥ 3 for AI key-area youth (age ≤ 35).

    Short → `review` (基本条件 "一般应在申请单位工作满6个月"), with the months required, actual and
    short; the relaxed figure for AI youth (可放宽至3个月) is simply that group's threshold.
    Without a birth date (or the AI flag) the general 6 months apply, never the relaxed 3.
    """
    rule = "APP-TENURE"
    since = facts.applicant.employed_since
    if since is None:
        return ctx.not_provided(rule, "applicant.employed_since")
    ai = facts.employer.ai_key_area is True
    birth = facts.applicant.birth_date
    youth = False
    age = None
    if ai and birth is not None:
        age = age_on(birth, ctx.as_of)
        youth = age <= ctx.integer("P-YOUTH-AGE")
    months = ctx.integer("P-APP-TENURE-MONTHS-AI-YOUTH" if youth else "P-APP-TENURE-MONTHS")
    return tenure_check(ctx, rule, "employed_since", since, months, {"ai_key_area": ai, "age": age})


def app_residence(facts: Facts, ctx: Context) -> Check:
    """APP-RESIDENCE: a lawful stable residence in Beijing, residential (新办 6, 注意事项 4)."""
    rule = "APP-RESIDENCE"
    residence = facts.applicant.residence
    if residence is None:
        return ctx.not_provided(rule, "applicant.residence")
    missing = [
        f"applicant.residence.{name}"
        for name in ("kind", "in_beijing", "residential")
        if getattr(residence, name) is None
    ]
    if missing:
        return ctx.not_provided(rule, *missing)
    data = {"kind": residence.kind, "in_beijing": residence.in_beijing, "residential": residence.residential}
    if not residence.in_beijing:
        return ctx.check(rule, "fail", f"{rule}.outside", data)
    if not residence.residential:
        return ctx.check(rule, "fail", f"{rule}.not_residential", data)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def app_same_employer(facts: Facts, ctx: Context) -> Check:
    """APP-SAME-EMPLOYER: contract, tax withholding and social insurance all by the applying employer."""
    rule = "APP-SAME-EMPLOYER"
    same = facts.applicant.same_employer
    if same is None:
        return ctx.not_provided(rule, "applicant.same_employer")
    parts = {
        "contract": same.contract,
        "tax_withholding": same.tax_withholding,
        "social_insurance": same.social_insurance,
    }
    missing = [f"applicant.same_employer.{k}" for k, v in parts.items() if v is None]
    if missing:
        return ctx.not_provided(rule, *missing)
    others = [k for k, v in parts.items() if not v]
    data: dict[str, object] = {**parts, "not_same": others}
    if others:
        return ctx.check(rule, "fail", f"{rule}.fail", data, which=", ".join(others))
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def app_social_insurance(facts: Facts, ctx: Context) -> Check:
    """APP-SOCIAL-INSURANCE: social insurance paid in full and continuously by the employer (四（四）)."""
    rule = "APP-SOCIAL-INSURANCE"
    value = facts.applicant.social_insurance_continuous
    if value is None:
        return ctx.not_provided(rule, "applicant.social_insurance_continuous")
    data = {"social_insurance_continuous": value}
    return ctx.check(rule, "pass" if value else "fail", f"{rule}.{'pass' if value else 'fail'}", data)


def app_sanction(facts: Facts, ctx: Context) -> Check:
    """APP-SANCTION: the applicant is not blacklisted or disqualified (四（六）)."""
    rule = "APP-SANCTION"
    value = facts.applicant.sanctioned
    if value is None:
        return ctx.not_provided(rule, "applicant.sanctioned")
    data = {"sanctioned": value}
    return ctx.check(rule, "fail" if value else "pass", f"{rule}.{'fail' if value else 'pass'}", data)


# --- income (APP-INCOME-INTEGRITY, APP-INCOME-RECENT) -------------------------------------------


@dataclass(frozen=True, slots=True)
class IncomeWindow:
    """The window of APP-INCOME-RECENT: `months` consecutive calendar months ending at the latest
    month supplied. `missing`, `zero` and `corrected` list the months that break integrity; `total`
    counts a corrected month's `original_amount` when given (更正无效)."""

    months: int
    first: int
    last: int
    total: int
    missing: tuple[str, ...]
    zero: tuple[str, ...]
    corrected: tuple[str, ...]


def window_months(facts: Facts, ctx: Context) -> int:
    """P-INCOME-MONTHS, or P-INCOME-MONTHS-AI for an AI key-area employer."""
    ai = facts.employer.ai_key_area is True
    return ctx.integer("P-INCOME-MONTHS-AI" if ai else "P-INCOME-MONTHS")


def income_window(ctx: Context, months: int) -> IncomeWindow | None:
    """The window of `months` ending at the latest month supplied; None when nothing is supplied."""
    key = ("income_window", months)
    if key in ctx.memo:
        found: IncomeWindow | None = ctx.memo[key]
        return found
    ctx.memo[key] = found = _income_window(ctx, months)
    return found


def is_stale(last: int, on: date) -> bool:
    """Stale (rules.md, Decision): the last month must be one of the two calendar months before the
    month of `on` (tax for month M is declared in M+1)."""
    current = month_of(on)
    return last not in (current - 1, current - 2)


def _income_window(ctx: Context, months: int) -> IncomeWindow | None:
    records = ctx.income_by_month()
    if not records:
        return None
    last = max(records)
    first = last - months + 1
    total = 0
    missing: list[str] = []
    zero: list[str] = []
    corrected: list[str] = []
    for index in range(first, last + 1):
        record = records.get(index)
        if record is None:
            missing.append(month_label(index))
            continue
        amount = record.counted_amount
        total += amount
        if amount <= 0:
            zero.append(record.month)
        if record.is_corrected:
            corrected.append(record.month)
    return IncomeWindow(months, first, last, total, tuple(missing), tuple(zero), tuple(corrected))


def app_income_integrity(facts: Facts, ctx: Context) -> Check:
    """APP-INCOME-INTEGRITY: the window holds consecutive months, each paid normally (> 0) (四（五）
    "应连续正常缴纳且不可更正，更正无效").

    A gap, a zero month or a month listed twice → `fail`. A corrected month (更正申报) → `review`
    (edition 2): the correction does not count, so a person applies the original declaration; when
    the month carries `original_amount` the money rules use it (a zero original is a zero month).
    """
    rule = "APP-INCOME-INTEGRITY"
    months = window_months(facts, ctx)
    window = income_window(ctx, months)
    if window is None:
        return ctx.not_provided(rule, "applicant.monthly_income")
    duplicates = _duplicate_months(facts)
    data = {
        "months": months,
        "from": month_label(window.first),
        "to": month_label(window.last),
        "missing_months": list(window.missing),
        "zero_months": list(window.zero),
        "corrected_months": list(window.corrected),
        "duplicate_months": duplicates,
    }
    problems = []
    if window.missing:
        problems.append(("missing", ", ".join(window.missing)))
    if window.zero:
        problems.append(("zero", ", ".join(window.zero)))
    if duplicates:
        problems.append(("duplicate", ", ".join(duplicates)))
    if problems:
        kind, months_text = problems[0]
        return ctx.check(rule, "fail", f"{rule}.{kind}", data, list=months_text)
    if window.corrected:
        return ctx.check(rule, "review", f"{rule}.corrected_review", data, list=", ".join(window.corrected))
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def _duplicate_months(facts: Facts) -> list[str]:
    seen: set[str] = set()
    twice: list[str] = []
    for record in facts.applicant.monthly_income:
        if record.month in seen and record.month not in twice:
            twice.append(record.month)
        seen.add(record.month)
    return twice


def basic_multiple(facts: Facts, ctx: Context) -> int | Decimal | None:
    """1.2 for public institutions, private non-enterprise units and social organisations; 1.5 for
    enterprises, professional partnerships (edition 2) and all others (其他除第4、5条件以外的为1.5倍)."""
    kind = facts.employer.kind
    if kind is None:
        return None
    return ctx.number("P-MULT-PUBLIC" if kind in PUBLIC_KINDS else "P-MULT-ENTERPRISE")


def app_income_recent(facts: Facts, ctx: Context, multiple: int | Decimal | None) -> Check:
    """APP-INCOME-RECENT: window total ≥ window months × floor(P-WAGE-MONTHLY × multiple).

    `multiple` is the one of the clause being evaluated (1.2 / 1.5 / 4 / 8); None when it cannot
    be determined (employer kind missing). Judged on `as_of`; a window that fails on `as_of` only
    because time passed since `submitted_on` (stale records, a later period's wage) but passes on
    `submitted_on` → `review` (rules.md Conventions: 四（九）, 三（二） 表头 申报月所处时期).
    """
    rule = "APP-INCOME-RECENT"
    if multiple is None:
        return ctx.not_provided(rule, "employer.kind")
    months = window_months(facts, ctx)
    window = income_window(ctx, months)
    if window is None:
        return ctx.not_provided(rule, "applicant.monthly_income")
    wage = ctx.lookup("P-WAGE-MONTHLY")
    monthly = monthly_threshold(wage.value, multiple)
    threshold_total = monthly * months
    data: dict[str, object] = {
        "multiple": str(multiple),
        "months": months,
        "monthly_wage": int(wage.value),
        "monthly_threshold": monthly,
        "threshold_total": threshold_total,
        "actual_total": window.total,
        "shortfall": max(threshold_total - window.total, 0),
        "from": month_label(window.first),
        "to": month_label(window.last),
        "as_of": ctx.as_of.isoformat(),
    }
    stale = is_stale(window.last, ctx.as_of)
    if not stale and window.total >= threshold_total:
        return ctx.check(rule, "pass", f"{rule}.pass", data)
    if ctx.submitted_on < ctx.as_of and _passes_on_submission(ctx, window, multiple, months):
        data["submitted_on"] = ctx.submitted_on.isoformat()
        return ctx.check(rule, "review", f"{rule}.authority_delay", data)
    if stale:
        current = month_of(ctx.as_of)
        data["expected_last_month"] = [month_label(current - 2), month_label(current - 1)]
        return ctx.check(rule, "fail", f"{rule}.stale", data)
    return ctx.check(rule, "fail", f"{rule}.fail", data)


def _passes_on_submission(ctx: Context, window: IncomeWindow, multiple: int | Decimal, months: int) -> bool:
    """Would the window pass if judged on `submitted_on` (fresh then, that period's wage)?"""
    if is_stale(window.last, ctx.submitted_on):
        return False
    try:
        wage = ctx.parameters.lookup("P-WAGE-MONTHLY", ctx.submitted_on)
    except ParameterMissing:
        return False
    if window.total < monthly_threshold(wage.value, multiple) * months:
        return False
    ctx.lookup("P-WAGE-MONTHLY", ctx.submitted_on)  # reported among the parameters used
    return True
