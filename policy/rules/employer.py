"""Employer rules (rules.md section 2: 三（一）, 注册 1, 单位变更 注意事项 3)."""

from __future__ import annotations

from policy.context import Context
from policy.dates import add_months
from policy.facts import Facts
from policy.result import Check

LEGAL_PERSONS = frozenset(
    {"enterprise", "public_institution", "private_non_enterprise", "social_organization"}
)
HAIDIAN_NAMES = frozenset({"haidian", "海淀", "海淀区"})


def org_legal_entity(facts: Facts, ctx: Context) -> Check:
    """ORG-LEGAL-ENTITY: the employer is a legal person of one of the four kinds."""
    rule = "ORG-LEGAL-ENTITY"
    kind = facts.employer.kind
    if kind is None:
        return ctx.not_provided(rule, "employer.kind")
    if kind in LEGAL_PERSONS:
        return ctx.check(rule, "pass", "ORG-LEGAL-ENTITY.pass", {"kind": kind})
    return ctx.check(rule, "fail", "ORG-LEGAL-ENTITY.fail", {"kind": kind})


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

    A missing `ai_key_area` flag is read as false: the stricter 6 months apply.
    """
    rule = "ORG-TAX-TENURE"
    since = facts.employer.tax_registered_on
    if since is None:
        return ctx.not_provided(rule, "employer.tax_registered_on")
    ai = facts.employer.ai_key_area is True
    months = ctx.integer("P-ORG-TENURE-MONTHS-AI" if ai else "P-ORG-TENURE-MONTHS")
    reached_on = add_months(since, months)
    data = {
        "tax_registered_on": since.isoformat(),
        "months": months,
        "ai_key_area": ai,
        "reached_on": reached_on.isoformat(),
        "as_of": ctx.as_of.isoformat(),
    }
    ok = ctx.as_of >= reached_on
    return ctx.check(rule, "pass" if ok else "fail", f"{rule}.{'pass' if ok else 'fail'}", data)


def org_capital(facts: Facts, ctx: Context) -> Check:
    """ORG-CAPITAL: an enterprise's registered capital ≥ 1,000,000; not applicable to others."""
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

    Below the threshold the outcome is `review` when the employer is flagged a growth-type tech
    enterprise (成长型科技类企业可适当放宽), else `fail`.
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
        return ctx.check(rule, "review", f"{rule}.review", data)
    return ctx.check(rule, "fail", f"{rule}.fail", data)


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
