"""Property tests: more income never turns a pass into a fail; a later as_of never shortens a tenure."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from policy import InvalidFacts, evaluate, parse_facts
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
    # The month count agrees with add_months: `months` full months are reached exactly from
    # add_months(start, months) on, and once reached they stay reached on any later day.
    if first >= start:
        reached = full_months_between(start, first) >= months
        assert reached == (first >= add_months(start, months))
        if reached:
            assert full_months_between(start, second) >= months


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


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    out: list[tuple] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            out.append((*prefix, key))
            out.extend(_paths(inner, (*prefix, key)))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            out.extend(_paths(inner, (*prefix, index)))
    return out


BASE_PATHS = [p for p in _paths(base_case()) if p not in (("business",), ("as_of",))]


@settings(max_examples=200, deadline=None)
@given(
    removed=st.lists(st.sampled_from(BASE_PATHS), max_size=6),
    business=st.sampled_from(["new", "renewal", "employer_change", "info_change"]),
    permit=st.booleans(),
)
def test_missing_facts_never_crash_and_never_pass_the_rule_that_needs_them(
    removed: list[tuple], business: str, permit: bool
) -> None:
    data = base_case()
    data["business"] = business
    if permit:
        data["permit"] = {"expires_on": "2026-03-01", "employer_change_pending": False}
    for path in removed:
        node: object = data
        for step in path[:-1]:
            try:
                node = node[step]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if isinstance(node, dict):
            node.pop(path[-1], None)
        elif isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
            node.pop(path[-1])
    try:
        facts = parse_facts(data)
    except InvalidFacts as exc:
        # only the keys that identify a list item (a month, a year, a document kind …) are required
        assert all(message == "required" and "[" in path for path, message in exc.errors)
        return
    result = evaluate(facts, parameters()).model_dump(mode="json")
    for check in result["checks"]:
        if "not_provided" in check["facts"]:
            assert check["outcome"] == "fail"
    if any(c["outcome"] == "fail" for c in result["checks"]):
        assert result["decision"] == "ineligible"
