"""Renewal, employer change and information change: which rules apply (contract table), REN-*,
CHG-DEADLINE, and the deadlines object."""

from __future__ import annotations

from datetime import date

import pytest

from policy import CalendarYearUnpublished, WorkingDayCalendar, YearCalendar, evaluate, parse_facts
from policy.tests.helpers import base_case, check, months, parameters, renewal_case, run

RENEWAL_RULES = [
    "ORG-LEGAL-ENTITY",
    "ORG-HAIDIAN",
    "ORG-SANCTION",
    "APP-RETIREMENT",
    "APP-SAME-EMPLOYER",
    "APP-SOCIAL-INSURANCE",
    "APP-SANCTION",
    "REN-EXPIRED",
    "REN-WINDOW",
    "REN-DEADLINE",
    "REN-INCOME-3Y",
    "DOC-VALIDITY",
    "DOC-RECENCY",
    "CHILD-MINOR",
]
CHANGE_RULES = [
    "ORG-LEGAL-ENTITY",
    "ORG-HAIDIAN",
    "ORG-PERMISSION",
    "ORG-SANCTION",
    "APP-RETIREMENT",
    "APP-SAME-EMPLOYER",
    "APP-SANCTION",
    "REN-EXPIRED",
    "CHG-DEADLINE",
    "DOC-VALIDITY",
    "DOC-RECENCY",
    "CHILD-MINOR",
]
INFO_RULES = [
    "ORG-SANCTION",
    "APP-SANCTION",
    "APP-RESIDENCE",
    "REN-EXPIRED",
    "DOC-VALIDITY",
    "DOC-RECENCY",
    "CHILD-MINOR",
]
NEW_RULES = [
    "ORG-LEGAL-ENTITY",
    "ORG-HAIDIAN",
    "ORG-TAX-TENURE",
    "ORG-CAPITAL",
    "ORG-ANNUAL-TAX",
    "ORG-PERMISSION",
    "ORG-SANCTION",
    "APP-HUKOU",
    "APP-RETIREMENT",
    "APP-TENURE",
    "APP-RESIDENCE",
    "APP-SAME-EMPLOYER",
    "APP-SOCIAL-INSURANCE",
    "APP-INCOME-INTEGRITY",
    "APP-SANCTION",
    "DOC-VALIDITY",
    "DOC-RECENCY",
    "CHILD-MINOR",
]


def as_business(business: str) -> dict:
    data = renewal_case()
    data["business"] = business
    return data


@pytest.mark.parametrize(
    ("business", "rules"),
    [("renewal", RENEWAL_RULES), ("employer_change", CHANGE_RULES), ("info_change", INFO_RULES)],
)
def test_rules_applying_to_each_business(business: str, rules: list[str]) -> None:
    result = run(as_business(business))
    assert sorted(c["rule"] for c in result["checks"]) == sorted(rules)
    assert result["clauses"] == [] and result["qualifying_clauses"] == []


def test_rules_applying_to_new() -> None:
    assert sorted(c["rule"] for c in run(base_case())["checks"]) == sorted(NEW_RULES)
    assert run(base_case())["deadlines"] is None


def test_deadlines_object_for_renewal_and_employer_change_only() -> None:
    expected = {
        "complete_by": "2022-08-05",
        "window_opens": "2022-06-06",
        "latest_submission": "2022-07-10",
        "in_time": True,
        "estimated": False,
    }
    assert run(as_business("renewal"))["deadlines"] == expected
    assert run(as_business("employer_change"))["deadlines"] == expected
    assert run(as_business("info_change"))["deadlines"] is None


def at(data: dict, day: str) -> dict:
    data["as_of"] = data["submitted_on"] = day
    return data


def test_ren_window_first_and_last_day() -> None:
    assert check(run(at(renewal_case(), "2022-06-06")), "REN-WINDOW")["outcome"] == "pass"
    early = check(run(at(renewal_case(), "2022-06-05")), "REN-WINDOW")
    assert early["outcome"] == "fail" and "2022-06-06" in early["message"]
    late = run(at(renewal_case(), "2022-08-06"))
    assert check(late, "REN-WINDOW")["outcome"] == "fail"
    assert check(late, "REN-EXPIRED")["outcome"] == "pass"


def test_ren_deadline_guide_example_friday_monday() -> None:
    friday = check(run(at(renewal_case(), "2022-07-08")), "REN-DEADLINE")
    assert friday["outcome"] == "pass"
    monday = check(run(at(renewal_case(), "2022-07-11")), "REN-DEADLINE")
    assert monday["outcome"] == "fail"
    assert monday["facts"]["review_complete_on"] == "2022-08-08"
    for day in ("2022-07-11", "2022-08-08", "2022-08-05", "2022-07-10"):
        assert day in monday["message"]


def test_ren_expired_day_after_expiry() -> None:
    data = at(renewal_case(), "2022-08-07")
    assert check(run(data), "REN-EXPIRED")["outcome"] == "fail"
    assert check(run(at(renewal_case(), "2022-08-06")), "REN-EXPIRED")["outcome"] == "pass"


def test_chg_deadline_employer_change() -> None:
    assert check(run(at(as_business("employer_change"), "2022-07-08")), "CHG-DEADLINE")["outcome"] == "pass"
    assert check(run(at(as_business("employer_change"), "2022-07-11")), "CHG-DEADLINE")["outcome"] == "fail"


def test_org_permission_receive_only_passes_for_employer_change() -> None:
    data = as_business("employer_change")
    data["employer"]["receive_only"] = True
    assert check(run(data), "ORG-PERMISSION")["outcome"] == "pass"


def test_ren_income_3y_continuous_never_zero_never_corrected() -> None:
    data = renewal_case()
    data["applicant"]["monthly_income"] = months("2019-06", 36, 20000)
    assert check(run(data), "REN-INCOME-3Y")["outcome"] == "pass"
    data["applicant"]["monthly_income"][0]["amount"] = 0
    found = check(run(data), "REN-INCOME-3Y")
    assert found["outcome"] == "fail" and found["facts"]["zero_months"] == ["2019-06"]
    data["applicant"]["monthly_income"] = months("2019-07", 35, 20000)
    assert check(run(data), "REN-INCOME-3Y")["facts"]["missing_months"] == ["2019-06"]
    data["applicant"]["monthly_income"] = months("2019-06", 36, 20000)
    data["applicant"]["monthly_income"][10]["corrected"] = True
    assert check(run(data), "REN-INCOME-3Y")["outcome"] == "fail"


def test_ren_income_3y_must_be_fresh() -> None:
    data = renewal_case()
    data["applicant"]["monthly_income"] = months("2019-05", 36, 20000)  # ends 2022-04, as_of July
    assert check(run(data), "REN-INCOME-3Y")["outcome"] == "fail"


def test_ren_income_3y_employer_change_pending() -> None:
    data = renewal_case()
    data["permit"]["employer_change_pending"] = True
    assert check(run(data), "REN-INCOME-3Y")["outcome"] == "fail"
    del data["permit"]["employer_change_pending"]
    assert check(run(data), "REN-INCOME-3Y")["facts"] == {"not_provided": ["permit.employer_change_pending"]}


def test_renewal_without_permit_fails_not_provided() -> None:
    data = renewal_case()
    data["permit"] = None
    result = run(data)
    for rule in ("REN-EXPIRED", "REN-WINDOW", "REN-DEADLINE"):
        assert check(result, rule)["facts"] == {"not_provided": ["permit.expires_on"]}
    assert result["deadlines"] is None and result["decision"] == "ineligible"


def test_renewal_in_unpublished_calendar_year_is_an_error() -> None:
    data = renewal_case()
    data["permit"]["expires_on"] = "2027-02-01"
    data["as_of"] = data["submitted_on"] = "2026-12-20"
    data["applicant"]["monthly_income"] = months("2023-11", 36, 20000)
    with pytest.raises(CalendarYearUnpublished):
        evaluate(parse_facts(data), parameters())
    entered = WorkingDayCalendar({2027: YearCalendar(2027, holidays={date(2027, 1, 1)})})
    result = evaluate(parse_facts(data), parameters(), calendar=entered)
    assert result.deadlines is not None and result.deadlines.complete_by.isoformat() == "2027-01-31"


def test_chg_deadline_exact_for_a_permit_expiring_in_an_unpublished_year() -> None:
    """CHG-DEADLINE / CAL-WORKING-DAYS: an employer change filed now for a permit expiring in 2028 is
    judged exactly (its review ends within published years); only the latest submission day, which
    lies in 2028, is a marked estimate, never an error that blocks the case."""
    data = at(as_business("employer_change"), "2026-11-30")
    data["permit"]["expires_on"] = "2028-06-30"
    result = run(data)
    change = check(result, "CHG-DEADLINE")
    assert change["outcome"] == "pass"
    assert change["facts"]["latest_submission_estimated"] is True
    assert "估算" in change["message"]
    assert result["deadlines"]["in_time"] is True
    assert result["deadlines"]["estimated"] is True
    assert result["deadlines"]["complete_by"] == "2028-06-29"


def test_ren_deadline_published_latest_day_is_not_marked_estimated() -> None:
    result = run(at(renewal_case(), "2022-07-08"))
    assert result["deadlines"]["estimated"] is False
    assert "latest_submission_estimated" not in check(result, "REN-DEADLINE")["facts"]
