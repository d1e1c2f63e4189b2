"""Policy simulation (issue 14): a draft overlays parameter values without touching the set in force."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policy import evaluate, load_parameters, parse_facts
from policy.errors import ParameterMissing
from policy.parameters import InvalidParameterFile, ParameterValue
from policy.simulation import compare, monthly_income, overlay, subject_traits
from policy.tests.helpers import base_case


def _wage(value: object, on: date = date(2025, 1, 1)) -> ParameterValue:
    return ParameterValue("P-WAGE-MONTHLY", on, value, "草案")  # type: ignore[arg-type]


def test_baseline_results_equal_the_engines_normal_results() -> None:
    """A run's baseline is the set in force: an empty overlay gives byte-identical results."""
    live = load_parameters()
    facts = parse_facts(base_case())
    normal = evaluate(facts, live).model_dump(mode="json")
    assert evaluate(facts, overlay(live, [])).model_dump(mode="json") == normal


def test_overlay_never_changes_the_values_in_force() -> None:
    live = load_parameters()
    facts = parse_facts(base_case())
    before = evaluate(facts, live).model_dump(mode="json")
    reform = overlay(live, [_wage(30000)])
    assert reform.lookup("P-WAGE-MONTHLY", date(2025, 11, 20)).value == 30000
    assert live.lookup("P-WAGE-MONTHLY", date(2025, 11, 20)).value == 11761
    assert evaluate(facts, live).model_dump(mode="json") == before


def test_app_income_recent_flips_with_the_average_wage_and_reports_the_shortfall() -> None:
    """APP-INCOME-RECENT: window total ≥ months × floor(P-WAGE-MONTHLY × 1.5); 105,846 passes at
    11,761 and fails at 11,762 (one yuan above) with the shortfall of the reform's threshold."""
    data = base_case()
    for record in data["applicant"]["monthly_income"]:
        record["amount"] = 17641
    facts = parse_facts(data)
    live = load_parameters()
    before = evaluate(facts, live)
    after = evaluate(facts, overlay(live, [_wage(11762)]))
    assert before.decision == "eligible"
    assert after.decision == "ineligible"
    comparison = compare(before, after)
    assert comparison.flipped
    change = next(c for c in comparison.changes if c.rule == "APP-INCOME-RECENT" and c.clause == 1)
    assert (change.before, change.after) == ("pass", "fail")
    assert change.threshold_before == 105846
    assert change.actual_before == change.actual_after == 105846
    assert change.shortfall_before == 0
    assert change.threshold_after == 6 * int(Decimal(11762) * Decimal("1.5"))
    assert change.shortfall_after == int(change.threshold_after or 0) - 105846
    assert monthly_income(before) == (17641, 17641)
    assert subject_traits(facts) == ("enterprise", False)


def test_an_overlay_from_a_later_date_leaves_earlier_cases_alone() -> None:
    """P-FALLBACK: a value from 2026-01-01 is not in force on a 2025 acceptance date."""
    live = load_parameters()
    facts = parse_facts(base_case())
    reform = overlay(live, [_wage(12300, date(2026, 1, 1))])
    assert compare(evaluate(facts, live), evaluate(facts, reform)).changes == []
    assert reform.lookup("P-WAGE-MONTHLY", date(2026, 3, 1)).value == 12300


@pytest.mark.parametrize(
    "value",
    [
        ParameterValue("P-WAGE-MONTHLY", date(2026, 1, 1), 12300.0, "草案"),  # type: ignore[arg-type]  # a float
        ParameterValue("P-WAGE-MONTHLY", date(2026, 1, 1), 12300, ""),  # no citation
        ParameterValue("P-WAGE-MONTHLY", date(2026, 1, 1), "abc", "x"),  # type: ignore[arg-type]
    ],
)
def test_overlay_values_are_validated_by_the_parameter_schema(value: ParameterValue) -> None:
    with pytest.raises(InvalidParameterFile):
        overlay(load_parameters(), [value])


def test_overlay_of_an_unknown_or_retired_parameter_is_refused() -> None:
    live = load_parameters()
    with pytest.raises(ParameterMissing):
        overlay(live, [ParameterValue("P-NOPE", date(2026, 1, 1), 1, "x")])
    with pytest.raises(ParameterMissing):
        overlay(live, [ParameterValue("P-REVIEW-WORKING-DAYS", date(2026, 1, 1), 5, "x")])
