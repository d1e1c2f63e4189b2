"""Overrides (rules.md edition 2, opening principle and row "overrides"): which checks, four eyes,
effective outcomes and decision."""

from __future__ import annotations

import pytest

from policy import overrides as o
from policy.tests.helpers import base_case, run


def chk(rule: str, outcome: str, **facts: object) -> dict:
    return {"rule": rule, "outcome": outcome, "message": "", "facts": facts}


@pytest.mark.parametrize(
    "rule", ["ORG-HAIDIAN", "ORG-SANCTION", "APP-SANCTION", "APP-HUKOU", "APP-RETIREMENT", "REN-EXPIRED"]
)
@pytest.mark.parametrize("business", ["new", "renewal", "employer_change", "info_change"])
def test_never_overridable_rules_of_the_principle(rule: str, business: str) -> None:
    for outcome in ("pass", "fail", "review"):
        assert o.never_overridable(business, chk(rule, outcome))
        assert not o.overridable(business, chk(rule, outcome))


def test_org_permission_is_never_overridable_for_new_only() -> None:
    assert not o.overridable("new", chk("ORG-PERMISSION", "fail"))
    assert o.overridable("employer_change", chk("ORG-PERMISSION", "fail"))


def test_child_minor_age_and_hukou_parts_are_never_overridable_but_custody_is() -> None:
    assert not o.overridable("new", chk("CHILD-MINOR", "fail", adults=[0], beijing_hukou=[]))
    assert not o.overridable("info_change", chk("CHILD-MINOR", "fail", adults=[], beijing_hukou=[1]))
    # sole custody absent → review, or false → fail: a person may decide (需由申请人单独抚养)
    assert o.overridable("new", chk("CHILD-MINOR", "review", adults=[], beijing_hukou=[]))
    assert o.overridable("new", chk("CHILD-MINOR", "fail", adults=[], beijing_hukou=[]))


@pytest.mark.parametrize("outcome", ["pass", "fail", "review"])
def test_other_rules_are_overridable_from_any_computed_outcome(outcome: str) -> None:
    assert o.overridable("new", chk("ORG-TAX-TENURE", outcome))
    assert o.overridable("renewal", chk("REN-DEADLINE", outcome))


def test_not_applicable_is_not_overridable() -> None:
    assert not o.overridable("renewal", chk("CHILD-MINOR", "not_applicable"))


@pytest.mark.parametrize(
    ("original", "outcome", "second"),
    [
        ("fail", "pass", True),
        ("pass", "fail", True),
        ("review", "fail", True),
        ("review", "pass", False),
    ],
)
def test_to_or_from_fail_needs_a_supervisor(original: str, outcome: str, second: bool) -> None:
    assert o.needs_second_approval(original, outcome) is second
    assert o.initial_status(original, outcome) == (o.PROPOSED if second else o.APPROVED)


def test_targets_are_pass_or_fail_and_differ_from_the_computed_outcome() -> None:
    assert o.valid_target("review", "pass") and o.valid_target("fail", "pass")
    assert not o.valid_target("pass", "pass")
    assert not o.valid_target("fail", "review")
    assert not o.valid_target("fail", "maybe")


RESULT = {
    "business": "new",
    "checks": [chk("ORG-TAX-TENURE", "fail"), chk("APP-TENURE", "review")],
    "clauses": [
        {"clause": 1, "outcome": "fail", "checks": [chk("CL1-DEGREE-EXPERIENCE", "fail")]},
        {
            "clause": 2,
            "outcome": "review",
            "checks": [chk("CL2-TITLE", "review"), chk("APP-INCOME-RECENT", "pass")],
        },
    ],
}


def test_only_overrides_in_force_change_the_outcome_and_the_latest_wins() -> None:
    proposed = o.Override("ORG-TAX-TENURE", None, "fail", "pass", o.PROPOSED)
    refused = o.Override("ORG-TAX-TENURE", None, "fail", "pass", o.REFUSED)
    assert o.effective_outcomes(RESULT, [proposed, refused])[("ORG-TAX-TENURE", None)] == "fail"
    assert o.effective_decision(RESULT, [proposed, refused]) == "ineligible"
    approved = o.Override("ORG-TAX-TENURE", None, "fail", "pass", o.APPROVED)
    later = o.Override("APP-TENURE", None, "review", "pass", o.APPROVED)
    outcomes = o.effective_outcomes(RESULT, [refused, approved, later])
    assert outcomes[("ORG-TAX-TENURE", None)] == "pass"
    assert outcomes[("APP-TENURE", None)] == "pass"
    # clause 2 is still review: the decision needs a person
    assert o.effective_decision(RESULT, [approved, later]) == "needs_review"
    clause = o.Override("CL2-TITLE", 2, "review", "pass", o.APPROVED)
    assert o.effective_decision(RESULT, [approved, later, clause]) == "eligible"
    assert o.waiting([proposed, refused, approved]) == [proposed]


def test_an_override_of_an_unknown_check_is_ignored() -> None:
    stray = o.Override("CL2-TITLE", None, "review", "pass", o.APPROVED)
    assert ("CL2-TITLE", None) not in o.effective_outcomes(RESULT, [stray])


def test_effective_decision_without_overrides_is_the_engines_decision() -> None:
    result = run(base_case())
    assert o.effective_decision(result, []) == result["decision"]
