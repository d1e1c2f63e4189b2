"""Employer rules (rules.md section 2: 三（一）, 注册 1, 单位变更 注意事项 3)."""

from __future__ import annotations

from datetime import date

from policy.context import Context
from policy.dates import add_months, full_months_between
from policy.facts import Facts
from policy.result import Check

LEGAL_PERSONS = frozenset(
    {"enterprise", "public_institution", "private_non_enterprise", "social_organization"}
)
PARTNERSHIPS = frozenset({"professional_partnership"})
"""律师事务所、会计师事务所 … (三（一） "…等", 条款5): partnerships, not legal persons → review."""
HAIDIAN_NAMES = frozenset({"haidian", "海淀", "海淀区"})


def org_legal_entity(facts: Facts, ctx: Context) -> Check:
    """ORG-LEGAL-ENTITY: the employer is a legal person of one of the four kinds (三（一）
    "具有法人资格的企事业单位、民办非企业单位、社会团体等").

    Edition 2: a `professional_partnership` (律师事务所、会计师事务所 … named in 条款5) → `review`,
    since the list ends in 等; a receive-only employer outside business `new` → `not_applicable`
    (单位变更 注意事项 3: it receives existing holders without meeting the employer conditions).
    """
    rule = "ORG-LEGAL-ENTITY"
    if facts.business != "new" and facts.employer.receive_only is True:
        data = {"kind": facts.employer.kind, "receive_only": True, "business": facts.business}
        return ctx.check(rule, "not_applicable", f"{rule}.receive_only", data)
    kind = facts.employer.kind
    if kind is None:
        return ctx.not_provided(rule, "employer.kind")
    if kind in LEGAL_PERSONS:
        return ctx.check(rule, "pass", f"{rule}.pass", {"kind": kind})
    if kind in PARTNERSHIPS:
        return ctx.check(rule, "review", f"{rule}.review", {"kind": kind})
    return ctx.check(rule, "fail", f"{rule}.fail", {"kind": kind})


def org_haidian(facts: Facts, ctx: Context) -> Check:
    """ORG-HAIDIAN: registered (注册地) in Haidian."""
    rule = "ORG-HAIDIAN"
    district = facts.employer.registered_district
    if district is None:
        return ctx.not_provided(rule, "employer.registered_district")
    ok = district.strip().lower() in HAIDIAN_NAMES
    return ctx.check(
        rule,
        "pass" if ok else "fail",
        f"{rule}.{'pass' if ok else 'fail'}",
        {"registered_district": district},
    )


def org_tax_tenure(facts: Facts, ctx: Context) -> Check:
    """ORG-TAX-TENURE: registered and paying tax in Haidian ≥ 6 months (AI key-area ≥ 3) on `as_of`.

    Short → `review` (三（一） "原则上应在海淀区登记注册并缴纳税费满6个月"), with the months required,
    actual and short. A missing `ai_key_area` flag is read as false: the stricter 6 months apply.
    """
    rule = "ORG-TAX-TENURE"
    since = facts.employer.tax_registered_on
    if since is None:
        return ctx.not_provided(rule, "employer.tax_registered_on")
    ai = facts.employer.ai_key_area is True
    months = ctx.integer("P-ORG-TENURE-MONTHS-AI" if ai else "P-ORG-TENURE-MONTHS")
    return tenure_check(ctx, rule, "tax_registered_on", since, months, {"ai_key_area": ai})


def tenure_check(
    ctx: Context, rule: str, since_name: str, since: date, months: int, extra: dict[str, object]
) -> Check:
    """`pass` when `as_of >= since + months`, else `review` (原则上 / 一般) with the months required,
    the whole months reached on `as_of` and the months short (ORG-TAX-TENURE, APP-TENURE)."""
    reached_on = add_months(since, months)
    actual = full_months_between(since, ctx.as_of)
    ok = ctx.as_of >= reached_on
    data: dict[str, object] = {
        since_name: since.isoformat(),
        "months": months,
        **extra,
        "reached_on": reached_on.isoformat(),
        "as_of": ctx.as_of.isoformat(),
        "actual_months": actual,
        "short_months": 0 if ok else max(months - actual, 1),
    }
    return ctx.check(rule, "pass" if ok else "review", f"{rule}.{'pass' if ok else 'review'}", data)


def org_capital(facts: Facts, ctx: Context) -> Check:
    """ORG-CAPITAL: an enterprise's registered capital ≥ 1,000,000 (注册资本应不低于100万元); not
    applicable to other kinds, professional partnerships included."""
    rule = "ORG-CAPITAL"
    kind = facts.employer.kind
    if kind is None:
        return ctx.not_provided(rule, "employer.kind")
    if kind != "enterprise":
        return ctx.check(rule, "not_applicable", "not_enterprise", {"kind": kind})
    capital = facts.employer.registered_capital
    if capital is None:
        return ctx.not_provided(rule, "employer.registered_capital")
    threshold = ctx.integer("P-ORG-CAPITAL")
    data = {"threshold": threshold, "actual": capital, "shortfall": max(threshold - capital, 0)}
    ok = capital >= threshold
    return ctx.check(rule, "pass" if ok else "fail", f"{rule}.{'pass' if ok else 'fail'}", data)


def org_annual_tax(facts: Facts, ctx: Context) -> Check:
    """ORG-ANNUAL-TAX: an enterprise's annual tax ≥ 200,000 (AI key-area ≥ 100,000).

    Below the threshold → `review` (年纳税额原则上不低于20万元); the message names the growth-type
    tech flag (成长型科技类企业可适当放宽条件) as the guide's ground for relaxing when it is set.
    """
    rule = "ORG-ANNUAL-TAX"
    kind = facts.employer.kind
    if kind is None:
        return ctx.not_provided(rule, "employer.kind")
    if kind != "enterprise":
        return ctx.check(rule, "not_applicable", "not_enterprise", {"kind": kind})
    tax = facts.employer.annual_tax
    if tax is None:
        return ctx.not_provided(rule, "employer.annual_tax")
    ai = facts.employer.ai_key_area is True
    threshold = ctx.integer("P-ORG-TAX-AI" if ai else "P-ORG-TAX")
    data = {
        "threshold": threshold,
        "actual": tax,
        "shortfall": max(threshold - tax, 0),
        "ai_key_area": ai,
        "growth_tech": facts.employer.growth_tech is True,
    }
    if tax >= threshold:
        return ctx.check(rule, "pass", f"{rule}.pass", data)
    if facts.employer.growth_tech is True:
        return ctx.check(rule, "review", f"{rule}.review_growth", data)
    return ctx.check(rule, "review", f"{rule}.review", data)


def org_permission(facts: Facts, ctx: Context) -> Check:
    """ORG-PERMISSION: a receive-only employer (承诺书) may not file new applications.

    For an employer change, full and receive-only permission both pass (contract table).
    """
    rule = "ORG-PERMISSION"
    receive_only = facts.employer.receive_only
    data: dict[str, object]
    if facts.business != "new":
        data = {"receive_only": receive_only, "business": facts.business}
        return ctx.check(rule, "pass", f"{rule}.receive", data)
    if receive_only is None:
        return ctx.not_provided(rule, "employer.receive_only")
    data = {"receive_only": receive_only, "business": facts.business}
    if receive_only:
        return ctx.check(rule, "fail", f"{rule}.fail", data)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def org_sanction(facts: Facts, ctx: Context) -> Check:
    """ORG-SANCTION: a blacklisted employer, or one whose filing rights or quota are gone, may not file."""
    rule = "ORG-SANCTION"
    sanctioned = facts.employer.sanctioned
    if sanctioned is None:
        return ctx.not_provided(rule, "employer.sanctioned")
    data = {"sanctioned": sanctioned}
    return ctx.check(
        rule, "fail" if sanctioned else "pass", f"{rule}.{'fail' if sanctioned else 'pass'}", data
    )
