"""Property tests: more income never turns a pass into a fail; a later as_of never shortens a tenure."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from policy import evaluate, parse_facts
from policy.dates import add_months, full_months_between
from policy.facts import Facts
from policy.rules.clauses import experience_months
from policy.tests.helpers import base_case, parameters

RANK = {"fail": 0, "not_applicable": 1, "review": 2, "pass": 3}
DECISION = {"ineligible": 0, "needs_review": 1, "eligible": 2}

amounts = st.lists(st.integers(min_value=0, max_value=60000), min_size=6, max_size=6)
kinds = st.sampled_from(["enterprise", "public_institution", "social_organization"])


def outcomes(result: dict) -> dict[str, str]:
    out = {c["rule"]: c["outcome"] for c in result["checks"]}
    for clause in result["clauses"]:
        out[f"clause-{clause['clause']}"] = clause["outcome"]
        for c in clause["checks"]:
            out[f"{clause['clause']}:{c['rule']}"] = c["outcome"]
    return out


def income_result(values: list[int], kind: str, ai: bool, annual: int) -> dict:
    data = base_case()
    data["employer"]["kind"] = kind
    data["employer"]["ai_key_area"] = ai
    data["employer"]["innovation_entity"] = True
    for record, value in zip(data["applicant"]["monthly_income"], values, strict=True):
        record["amount"] = value
    data["applicant"]["annual_income"] = [{"year": y, "amount": annual} for y in (2022, 2023, 2024)]
    return evaluate(parse_facts(data), parameters()).model_dump(mode="json")


@settings(max_examples=150, deadline=None)
@given(
    values=amounts,
    kind=kinds,
    ai=st.booleans(),
    annual=st.integers(min_value=0, max_value=800000),
    month=st.integers(min_value=0, max_value=5),
    extra=st.integers(min_value=1, max_value=100000),
    extra_annual=st.integers(min_value=0, max_value=100000),
)
def test_more_income_never_turns_a_pass_into_a_fail(
    values: list[int], kind: str, ai: bool, annual: int, month: int, extra: int, extra_annual: int
) -> None:
    before = income_result(values, kind, ai, annual)
    raised = list(values)
    raised[month] += extra
    after = income_result(raised, kind, ai, annual + extra_annual)
    was, now = outcomes(before), outcomes(after)
    for key, outcome in was.items():
        assert RANK[now[key]] >= RANK[outcome], (key, outcome, now[key])
    assert DECISION[after["decision"]] >= DECISION[before["decision"]]
    assert set(after["qualifying_clauses"]) >= set(before["qualifying_clauses"])


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    start=days,
    first=days,
    later=st.integers(min_value=0, max_value=2000),
    months=st.integers(min_value=0, max_value=36),
)
def test_later_as_of_never_shortens_a_tenure(start: date, first: date, later: int, months: int) -> None:
    second = first + timedelta(days=later)
    assert full_months_between(start, second) >= full_months_between(start, first)
    reached = add_months(start, months)
    if first >= reached:
        assert second >= reached


@settings(max_examples=200, deadline=None)
@given(
    periods=st.lists(
        st.tuples(days, st.one_of(st.none(), st.integers(min_value=0, max_value=3000))),
        min_size=0,
        max_size=4,
    ),
    first=days,
    later=st.integers(min_value=0, max_value=2000),
)
def test_later_as_of_never_shortens_work_experience(
    periods: list[tuple[date, int | None]], first: date, later: int
) -> None:
    data = base_case()
    data["applicant"]["work_periods"] = [
        {"start": s.isoformat(), "end": None if n is None else (s + timedelta(days=n)).isoformat()}
        for s, n in periods
    ]
    facts: Facts = parse_facts(data)
    assert experience_months(facts, first + timedelta(days=later)) >= experience_months(facts, first)


@settings(max_examples=100, deadline=None)
@given(employed=days, later=st.integers(min_value=0, max_value=400))
def test_later_as_of_never_turns_app_tenure_into_a_fail(employed: date, later: int) -> None:
    def tenure(as_of: date) -> str:
        data = base_case()
        data["applicant"]["employed_since"] = employed.isoformat()
        data["as_of"] = data["submitted_on"] = as_of.isoformat()
        result = evaluate(parse_facts(data), parameters()).model_dump(mode="json")
        return next(c["outcome"] for c in result["checks"] if c["rule"] == "APP-TENURE")

    first = date(2025, 1, 10)
    if tenure(first) == "pass":
        assert tenure(first + timedelta(days=later)) == "pass"
