"""Qualifying clauses CL1…CL8 (rules.md section 4, 申报条款 1–8).

Each function returns the clause's own check; `evaluate` pairs it with APP-INCOME-RECENT at the
clause's multiple.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from policy.context import Context
from policy.dates import full_months_between
from policy.errors import ParameterMissing
from policy.facts import AnnualIncome, Facts
from policy.messages import render
from policy.money import annual_threshold
from policy.result import Check

DEGREES_WITH_BACHELOR = frozenset({"bachelor", "master", "doctor"})
QUALIFYING_TITLES = frozenset({"intermediate", "deputy_senior", "senior"})
EQUIVALENT_TITLES = frozenset({"equivalent"})
SECOND_PRIZE = 2
"""CL3-AWARD: 省部级二等奖以上 (a prize number ≤ 2)."""
OTHER_PATENTS = frozenset({"utility_model", "design_patent"})
_SEPARATOR = {"zh": "；", "en": "; "}


def experience_months(facts: Facts, as_of: date) -> int:
    """Work experience in whole months: the union of declared work periods up to `as_of`.

    A period runs from `start` up to and including `end` (ongoing: up to `as_of`); overlapping or
    adjacent periods are merged; each merged stretch counts its whole calendar months.
    """
    spans: list[tuple[date, date]] = []
    for period in facts.applicant.work_periods:
        stop = as_of if period.end is None else min(period.end + timedelta(days=1), as_of)
        if stop > period.start:
            spans.append((period.start, stop))
    spans.sort()
    merged: list[tuple[date, date]] = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            if stop > merged[-1][1]:
                merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return sum(full_months_between(start, stop) for start, stop in merged)


def cl1_degree_experience(facts: Facts, ctx: Context) -> Check:
    """CL1-DEGREE-EXPERIENCE: bachelor's degree or higher and ≥ 24 months of work experience."""
    rule = "CL1-DEGREE-EXPERIENCE"
    degree = facts.applicant.degree
    if degree is None:
        return ctx.not_provided(rule, "applicant.degree")
    required = ctx.integer("P-CL1-EXPERIENCE-MONTHS")
    months = experience_months(facts, ctx.as_of)
    data = {"degree": degree, "experience_months": months, "required_months": required}
    if degree not in DEGREES_WITH_BACHELOR:
        return ctx.check(rule, "fail", f"{rule}.degree", data)
    if months < required:
        return ctx.check(rule, "fail", f"{rule}.experience", data)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def cl2_title(facts: Facts, ctx: Context) -> Check:
    """CL2-TITLE: intermediate title or higher → pass; an equivalent qualification (相当资格、资质)
    → `review`, a person judges the equivalence (edition 2); null: no title → fail."""
    rule = "CL2-TITLE"
    title = facts.applicant.title
    data = {"title": title}
    if title in QUALIFYING_TITLES:
        return ctx.check(rule, "pass", f"{rule}.pass", data)
    if title in EQUIVALENT_TITLES:
        return ctx.check(rule, "review", f"{rule}.equivalent", data)
    return ctx.check(rule, "fail", f"{rule}.fail", data)


def cl3_award(facts: Facts, ctx: Context) -> Check:
    """CL3-AWARD: "国家和本市…类奖项省部级二等奖以上" (edition 2).

    `national` (an award of the State) qualifies at any prize; `ministerial` and a `provincial`
    award of Beijing (`region` `beijing`) at prize ≤ 2; a `provincial` award of another region
    never; a `provincial` award without `region` at prize ≤ 2 → `review` (never a silent pass).
    Several awards: the best outcome counts.
    """
    rule = "CL3-AWARD"
    max_prize = SECOND_PRIZE
    qualifying: list[dict[str, object]] = []
    unknown_region: list[dict[str, object]] = []
    for award in facts.applicant.awards:
        if award.level == "national":
            qualifying.append(award.model_dump())
        elif award.prize > max_prize:
            continue
        elif award.level == "ministerial" or award.region == "beijing":
            qualifying.append(award.model_dump())
        elif award.region is None:
            unknown_region.append(award.model_dump())
    data = {
        "awards": len(facts.applicant.awards),
        "qualifying_awards": qualifying,
        "region_unknown": unknown_region,
        "max_prize": max_prize,
    }
    if qualifying:
        return ctx.check(rule, "pass", f"{rule}.pass", data)
    if unknown_region:
        return ctx.check(rule, "review", f"{rule}.region_unknown", data)
    return ctx.check(rule, "fail", f"{rule}.fail", data)


def _annual_years(on: date) -> list[int]:
    year = on.year
    return [year - 3, year - 2, year - 1]


def _by_year(records: list[AnnualIncome]) -> dict[int, int]:
    return {r.year: r.amount for r in records}


def _annual_income_clause(
    facts: Facts, ctx: Context, rule: str, flag: bool | None, flag_name: str, multiple_id: str
) -> Check:
    if flag is None:
        return ctx.not_provided(rule, flag_name)
    if not flag:
        return ctx.check(rule, "fail", f"{rule}.entity", {flag_name.split(".")[-1]: False})
    multiple = ctx.number(multiple_id)
    incomes = _by_year(facts.applicant.annual_income)

    def years_on(on: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        years: list[dict[str, Any]] = []
        failing: list[dict[str, Any]] = []
        for year in _annual_years(on):
            wage = ctx.lookup("P-WAGE-ANNUAL", date(year - 1, 1, 1))
            threshold = annual_threshold(wage.value, multiple)
            actual = incomes.get(year)
            shortfall = threshold if actual is None else max(threshold - actual, 0)
            entry: dict[str, Any] = {
                "year": year,
                "wage_year": year - 1,
                "annual_wage": int(wage.value),
                "threshold": threshold,
                "actual": actual,
                "shortfall": shortfall,
            }
            years.append(entry)
            if actual is None or actual < threshold:
                failing.append(entry)
        return years, failing

    years, failing = years_on(ctx.as_of)
    data = {"multiple": str(multiple), "years": years}
    if failing:
        delayed = _passes_in_submission_years(ctx, years_on)
        if delayed is not None:
            return ctx.check(rule, "review", "annual_authority_delay", {**data, **delayed})
        first = failing[0]
        data_fail = {**data, "threshold": first["threshold"], "actual": first["actual"] or 0}
        data_fail["shortfall"] = first["shortfall"]
        details = _SEPARATOR[ctx.lang].join(
            year_detail(ctx, e["year"], e["threshold"], e["actual"], e["shortfall"]) for e in failing
        )
        return ctx.check(rule, "fail", f"{rule}.fail", data_fail, details=details)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def _passes_in_submission_years(
    ctx: Context, years_on: Callable[[date], tuple[list[dict[str, Any]], list[dict[str, Any]]]]
) -> dict[str, Any] | None:
    """rules.md Conventions (四（九）): the three years before `as_of`'s year fail, but those before
    `submitted_on`'s year (the case was submitted in an earlier year) all pass → the facts for the
    `review` outcome; None otherwise."""
    if ctx.submitted_on.year >= ctx.as_of.year:
        return None
    try:
        years, failing = years_on(ctx.submitted_on)
    except ParameterMissing:
        return None
    if failing:
        return None
    return {
        "submitted_on": ctx.submitted_on.isoformat(),
        "as_of": ctx.as_of.isoformat(),
        "submission_years": years,
    }


def year_detail(ctx: Context, year: int, threshold: int, actual: int | None, shortfall: int) -> str:
    """One year's comparison, in the context's language."""
    return _year_text(ctx.lang, year, threshold, actual, shortfall)


@lru_cache(maxsize=4096)
def _year_text(lang: str, year: int, threshold: int, actual: int | None, shortfall: int) -> str:
    """Cached: most cases repeat the same few texts (a year not provided, the same thresholds)."""
    key = "year_missing" if actual is None else "year_short"
    return render(
        key, lang, {"year": year, "threshold": threshold, "actual": actual or 0, "shortfall": shortfall}
    )


def cl4_innovation_income(facts: Facts, ctx: Context) -> Check:
    """CL4-INNOVATION-INCOME: 科技创新主体 employer; each of the 3 years ≥ floor(4 × previous year's wage)."""
    return _annual_income_clause(
        facts,
        ctx,
        "CL4-INNOVATION-INCOME",
        facts.employer.innovation_entity,
        "employer.innovation_entity",
        "P-MULT-CL4",
    )


def cl5_service_income(facts: Facts, ctx: Context) -> Check:
    """CL5-SERVICE-INCOME: 科技创新服务主体 employer; each year ≥ floor(8 × previous year's wage)."""
    return _annual_income_clause(
        facts,
        ctx,
        "CL5-SERVICE-INCOME",
        facts.employer.service_entity,
        "employer.service_entity",
        "P-MULT-CL5",
    )


def cl6_ip(facts: Facts, ctx: Context) -> Check:
    """CL6-IP: as first or second author, 1 invention patent or 3 other patents or 3 software
    copyrights; commercialised in Beijing → `review` (较好经济社会效益 is judged by a person)."""
    rule = "CL6-IP"
    max_rank = ctx.integer("P-CL6-AUTHOR-RANK")
    needed = ctx.integer("P-CL6-OTHER-IP-COUNT")
    counted = [ip for ip in facts.applicant.ip if ip.author_rank <= max_rank]
    inventions = sum(1 for ip in counted if ip.kind == "invention_patent")
    others = sum(1 for ip in counted if ip.kind in OTHER_PATENTS)
    software = sum(1 for ip in counted if ip.kind == "software_copyright")
    data: dict[str, object] = {
        "invention_patents": inventions,
        "other_patents": others,
        "software_copyrights": software,
        "required_other": needed,
        "max_author_rank": max_rank,
        "commercialised_in_beijing": facts.applicant.ip_commercialised_in_beijing,
    }
    if not (inventions >= 1 or others >= needed or software >= needed):
        return ctx.check(rule, "fail", f"{rule}.fail", data)
    commercialised = facts.applicant.ip_commercialised_in_beijing
    if commercialised is None:
        return ctx.not_provided(rule, "applicant.ip_commercialised_in_beijing")
    if not commercialised:
        return ctx.check(rule, "fail", f"{rule}.not_commercialised", data)
    return ctx.check(rule, "review", f"{rule}.review", data)


def cl7_startup(facts: Facts, ctx: Context) -> Check:
    """CL7-STARTUP: self-investment > 5,000,000, or equity financing > 10,000,000, or average
    annual tax ≥ 5,000,000; and the applicant holds ≥ 5 % and is among the top five shareholders."""
    rule = "CL7-STARTUP"
    startup = facts.applicant.startup
    if startup is None:
        return ctx.check(rule, "fail", f"{rule}.none", {"startup": None})
    investment_limit = ctx.integer("P-CL7-SELF-INVESTMENT")
    financing_limit = ctx.integer("P-CL7-EQUITY-FINANCING")
    tax_limit = ctx.integer("P-CL7-AVERAGE-TAX")
    percent_limit = ctx.number("P-CL7-SHAREHOLDING-PERCENT")
    rank_limit = ctx.integer("P-CL7-SHAREHOLDER-RANK")
    routes = {
        "self_investment_3y": None
        if startup.self_investment_3y is None
        else startup.self_investment_3y > investment_limit,
        "equity_financing": None
        if startup.equity_financing is None
        else startup.equity_financing > financing_limit,
        "average_annual_tax_3y": None
        if startup.average_annual_tax_3y is None
        else startup.average_annual_tax_3y >= tax_limit,
    }
    data: dict[str, object] = {
        "self_investment_3y": startup.self_investment_3y,
        "self_investment_threshold": investment_limit,
        "equity_financing": startup.equity_financing,
        "equity_financing_threshold": financing_limit,
        "average_annual_tax_3y": startup.average_annual_tax_3y,
        "average_annual_tax_threshold": tax_limit,
        "shareholding_percent": None
        if startup.shareholding_percent is None
        else str(startup.shareholding_percent),
        "shareholding_threshold": str(percent_limit),
        "shareholder_rank": startup.shareholder_rank,
        "shareholder_rank_limit": rank_limit,
        "routes_met": [k for k, v in routes.items() if v],
    }
    if not any(routes.values()):
        # 超过 / 大于 exclude the bound: one yuan more than the limit is needed; 以上 includes it.
        data["self_investment_shortfall"] = _short(investment_limit + 1, startup.self_investment_3y)
        data["equity_financing_shortfall"] = _short(financing_limit + 1, startup.equity_financing)
        data["average_annual_tax_shortfall"] = _short(tax_limit, startup.average_annual_tax_3y)
    if not any(routes.values()):
        unknown = [f"applicant.startup.{k}" for k, v in routes.items() if v is None]
        if unknown:
            return ctx.not_provided(rule, *unknown)
        return ctx.check(rule, "fail", f"{rule}.route", data)
    missing = [
        f"applicant.startup.{k}"
        for k, v in (
            ("shareholding_percent", startup.shareholding_percent),
            ("shareholder_rank", startup.shareholder_rank),
        )
        if v is None
    ]
    if missing:
        return ctx.not_provided(rule, *missing)
    assert startup.shareholding_percent is not None and startup.shareholder_rank is not None
    if startup.shareholding_percent < percent_limit or startup.shareholder_rank > rank_limit:
        return ctx.check(rule, "fail", f"{rule}.shareholder", data)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def _short(needed: int, actual: int | None) -> int:
    return max(needed - (actual or 0), 0)


def cl8_freelancer(facts: Facts, ctx: Context) -> Check:
    """CL8-FREELANCER: tax ≥ 200,000 in each of the last three calendar years; the outstanding
    contribution is judged by a person → `review` when the tax condition holds."""
    rule = "CL8-FREELANCER"
    threshold = ctx.integer("P-CL8-ANNUAL-TAX")
    taxes = _by_year(facts.applicant.freelancer_annual_tax)

    def years_on(on: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        years: list[dict[str, Any]] = []
        failing: list[dict[str, Any]] = []
        for year in _annual_years(on):
            actual = taxes.get(year)
            entry: dict[str, Any] = {
                "year": year,
                "threshold": threshold,
                "actual": actual,
                "shortfall": threshold if actual is None else max(threshold - actual, 0),
            }
            years.append(entry)
            if actual is None or actual < threshold:
                failing.append(entry)
        return years, failing

    years, failing = years_on(ctx.as_of)
    data: dict[str, object] = {"years": years, "threshold": threshold}
    if failing:
        delayed = _passes_in_submission_years(ctx, years_on)
        if delayed is not None:
            return ctx.check(rule, "review", f"{rule}.authority_delay", {**data, **delayed})
        first = failing[0]
        data.update({"actual": first["actual"] or 0, "shortfall": first["shortfall"]})
        details = _SEPARATOR[ctx.lang].join(
            year_detail(ctx, e["year"], threshold, e["actual"], e["shortfall"]) for e in failing
        )
        return ctx.check(rule, "fail", f"{rule}.fail", data, details=details)
    return ctx.check(rule, "review", f"{rule}.review", data)
