"""`evaluate(facts, parameters)`: what the guide decides for a case on its acceptance date, and why.

Which rules apply to which business, and how the decision follows from the checks, is the
contract's ("Which rules apply to which business", "Output").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from policy.calendar import WorkingDayCalendar
from policy.context import Context
from policy.facts import Facts
from policy.parameters import Lookup, ParameterSet
from policy.result import (
    Check,
    ClauseResult,
    Deadlines,
    Decision,
    Outcome,
    ParameterUsed,
    Result,
    new_clause_result,
)
from policy.rules import applicant, clauses, documents, employer
from policy.rules import deadlines as renewal

Rule = Callable[[Facts, Context], Check]

ENGINE_VERSION = "2.0.0"
"""rules.md edition 2 (2026-11-30)."""

# Top-level rules per business, in output order (contract, "Which rules apply to which business").
NEW: tuple[Rule, ...] = (
    employer.org_legal_entity,
    employer.org_haidian,
    employer.org_tax_tenure,
    employer.org_capital,
    employer.org_annual_tax,
    employer.org_permission,
    employer.org_sanction,
    applicant.app_hukou,
    applicant.app_retirement,
    applicant.app_tenure,
    applicant.app_residence,
    applicant.app_same_employer,
    applicant.app_social_insurance,
    applicant.app_income_integrity,
    applicant.app_sanction,
    documents.doc_validity,
    documents.doc_recency,
    documents.child_minor,
)
RENEWAL: tuple[Rule, ...] = (
    employer.org_legal_entity,
    employer.org_haidian,
    employer.org_sanction,
    applicant.app_retirement,
    applicant.app_same_employer,
    applicant.app_social_insurance,
    applicant.app_sanction,
    renewal.ren_expired,
    renewal.ren_window,
    renewal.ren_deadline,
    renewal.ren_income_3y,
    documents.doc_validity,
    documents.doc_recency,
    documents.child_minor,
)
EMPLOYER_CHANGE: tuple[Rule, ...] = (
    employer.org_legal_entity,
    employer.org_haidian,
    employer.org_permission,
    employer.org_sanction,
    applicant.app_retirement,
    applicant.app_same_employer,
    applicant.app_sanction,
    renewal.ren_expired,
    renewal.chg_one_by_one,
    renewal.chg_deadline,
    documents.doc_validity,
    documents.doc_recency,
    documents.child_minor,
)
INFO_CHANGE: tuple[Rule, ...] = (
    employer.org_sanction,
    applicant.app_sanction,
    applicant.app_residence,
    renewal.ren_expired,
    documents.doc_validity,
    documents.doc_recency,
    documents.child_minor,
)
RULES: dict[str, tuple[Rule, ...]] = {
    "new": NEW,
    "renewal": RENEWAL,
    "employer_change": EMPLOYER_CHANGE,
    "info_change": INFO_CHANGE,
}

CLAUSE_RULES: tuple[Rule, ...] = (
    clauses.cl1_degree_experience,
    clauses.cl2_title,
    clauses.cl3_award,
    clauses.cl4_innovation_income,
    clauses.cl5_service_income,
    clauses.cl6_ip,
    clauses.cl7_startup,
    clauses.cl8_freelancer,
)
CLAUSE_MULTIPLES = {4: "P-MULT-CL4", 5: "P-MULT-CL5"}

FREELANCER_CLAUSE = 8
FREELANCER_RELAXED = frozenset(
    {
        "ORG-LEGAL-ENTITY",
        "ORG-TAX-TENURE",
        "ORG-CAPITAL",
        "ORG-ANNUAL-TAX",
        "APP-TENURE",
        "APP-SAME-EMPLOYER",
    }
)
"""CL8-FREELANCER: the top-level checks a freelancer or individual business owner cannot meet by
nature (自由职业者、个体工商户等人员): `fail` → `review` when clause 8 is claimed and holds."""


_USED: dict[tuple[int, ...], tuple[tuple[Lookup, ...], tuple[ParameterUsed, ...]]] = {}


def _parameters_used(used: dict[int, Lookup]) -> list[ParameterUsed]:
    """The output entries of the looked-up values, in lookup order (a new list; the entries are
    shared between results: treat them as read-only).

    Cases mostly use the same parameters, so the entries are cached per sequence of lookups, keyed by
    identity (lookups are interned); the cache holds the lookups, so their ids cannot be reused.
    """
    key = tuple(used)
    cached = _USED.get(key)
    if cached is None:
        lookups = tuple(used.values())
        entries = tuple(
            ParameterUsed.build(
                id=found.parameter_id,
                value=found.value,
                effective_from=found.effective_from,
                fallback=found.fallback,
            )
            for found in lookups
        )
        if len(_USED) > 1024:
            _USED.clear()
        cached = _USED[key] = (lookups, entries)
    return list(cached[1])


@lru_cache(maxsize=1)
def default_calendar() -> WorkingDayCalendar:
    """The calendar of the installed chinese-calendar package, without entered years."""
    return WorkingDayCalendar()


def _combine(own: Outcome, income: Outcome) -> Outcome:
    """A clause fails if either of its checks fails, else needs review if either does, else passes."""
    if own == "fail" or income == "fail":
        return "fail"
    if own == "review" or income == "review":
        return "review"
    return "pass"


def _clauses(facts: Facts, ctx: Context) -> list[ClauseResult]:
    basic = applicant.basic_multiple(facts, ctx)
    basic_income = applicant.app_income_recent(facts, ctx, basic)
    out = []
    for number, rule in enumerate(CLAUSE_RULES, start=1):
        own = rule(facts, ctx)
        multiple_id = CLAUSE_MULTIPLES.get(number)
        income = (
            basic_income
            if multiple_id is None
            else applicant.app_income_recent(facts, ctx, ctx.number(multiple_id))
        )
        out.append(new_clause_result(number, _combine(own.outcome, income.outcome), [own, income]))
    return out


def _freelancer(
    facts: Facts, ctx: Context, checks: list[Check], clause_results: list[ClauseResult]
) -> list[Check]:
    """CL8-FREELANCER (edition 2): when `claimed_clause` is 8 and CL8-FREELANCER itself is `pass` or
    `review`, each failing check of `FREELANCER_RELAXED` becomes `review`, citing 条款8."""
    if facts.claimed_clause != FREELANCER_CLAUSE:
        return checks
    own = clause_results[FREELANCER_CLAUSE - 1].checks[0]
    if own.outcome not in ("pass", "review"):
        return checks
    out = []
    for check in checks:
        if check.rule in FREELANCER_RELAXED and check.outcome == "fail":
            relaxed = ctx.check(
                check.rule,
                "review",
                "freelancer_relaxed",
                {**check.facts, "clause": FREELANCER_CLAUSE, "outcome_without_clause": "fail"},
                original=check.message,
            )
            out.append(relaxed)
        else:
            out.append(check)
    return out


def _decision(business: str, checks: list[Check], clause_results: list[ClauseResult]) -> Decision:
    outcomes = {c.outcome for c in checks}
    if "fail" in outcomes:
        return "ineligible"
    if business == "new":
        qualifying = [c for c in clause_results if c.outcome in ("pass", "review")]
        if not qualifying:
            return "ineligible"
        if all(c.outcome == "review" for c in qualifying):
            return "needs_review"
    if "review" in outcomes:
        return "needs_review"
    return "eligible"


def evaluate(
    facts: Facts,
    parameters: ParameterSet,
    *,
    calendar: WorkingDayCalendar | None = None,
    lang: str = "zh",
) -> Result:
    """Evaluate `facts` on `facts.as_of`.

    Raises `ParameterMissing` when a parameter has no value in force on the case's dates; the
    contract reports it as invalid input, never as a decision. A deadline in a year whose calendar
    is not published is a marked estimate, never an error (CAL-WORKING-DAYS, edition 2).
    """
    ctx = Context(facts, parameters, calendar or default_calendar(), lang)
    business = facts.business
    clause_results: list[ClauseResult] = []
    deadline_out: Deadlines | None = None
    checks = [rule(facts, ctx) for rule in RULES[business]]
    if business == "new":
        clause_results = _clauses(facts, ctx)
        checks = _freelancer(facts, ctx, checks, clause_results)
    elif business in ("renewal", "employer_change"):
        dates = renewal.permit_deadlines(facts, ctx)
        if dates is not None:
            deadline_out = Deadlines.build(
                complete_by=dates.complete_by,
                window_opens=dates.window_opens,
                latest_working_day=dates.latest_working_day,
                latest_submission=dates.latest_submission,
                in_time=dates.in_time,
                estimated=dates.estimated,
            )
    used = _parameters_used(ctx.used)
    return Result.build(
        decision=_decision(business, checks, clause_results),
        business=business,
        as_of=facts.as_of,
        checks=checks,
        clauses=clause_results,
        qualifying_clauses=[c.clause for c in clause_results if c.outcome in ("pass", "review")],
        parameters=used,
        deadlines=deadline_out,
        engine_version=ENGINE_VERSION,
        parameters_hash=parameters.snapshot_hash(facts.as_of),
    )
