"""Renewal, employer change and information change: which rules apply (contract table), REN-*,
CHG-DEADLINE, and the deadlines object."""

from __future__ import annotations

from datetime import date

import pytest

from policy import WorkingDayCalendar, YearCalendar, evaluate, parse_facts
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
    "CHG-ONE-BY-ONE",
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
        "latest_working_day": "2022-07-08",
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
    assert check(run(at(renewal_case(), "2022-08-05")), "REN-WINDOW")["outcome"] == "pass"
    assert check(run(at(renewal_case(), "2022-08-06")), "REN-WINDOW")["outcome"] == "fail"


def test_ren_deadline_guide_example_friday_pass_monday_review_with_risk() -> None:
    """REN-DEADLINE (edition 2): "2022.8.5往前数20个工作日" = Fri 2022-07-08 passes; Mon 2022-07-11 is
    late but not refused: 未按时间提交申请导致审核未完成证件失效的，责任由申请单位及申请人承担 → review."""
    friday = check(run(at(renewal_case(), "2022-07-08")), "REN-DEADLINE")
    assert friday["outcome"] == "pass"
    assert friday["facts"]["latest_working_day"] == "2022-07-08"
    sunday = check(run(at(renewal_case(), "2022-07-10")), "REN-DEADLINE")
    assert sunday["outcome"] == "pass"
    monday = check(run(at(renewal_case(), "2022-07-11")), "REN-DEADLINE")
    assert monday["outcome"] == "review"
    assert monday["facts"]["late_risk"] is True
    assert monday["facts"]["review_complete_on"] == "2022-08-08"
    for day in ("2022-07-11", "2022-08-08", "2022-08-05", "2022-07-08"):
        assert day in monday["message"]
    assert "责任由申请单位及申请人承担" in monday["message"]
    assert "REN-" not in monday["message"]


def test_ren_deadline_the_day_before_complete_by_review_complete_by_fail() -> None:
    """REN-DEADLINE: S before complete_by (2022-08-05) → review; S on complete_by → fail (the
    review cannot finish before expiry); S on expires_on → not_applicable, REN-EXPIRED fails."""
    assert check(run(at(renewal_case(), "2022-08-04")), "REN-DEADLINE")["outcome"] == "review"
    assert check(run(at(renewal_case(), "2022-08-05")), "REN-DEADLINE")["outcome"] == "fail"
    on_expiry = run(at(renewal_case(), "2022-08-06"))
    assert check(on_expiry, "REN-DEADLINE")["outcome"] == "not_applicable"
    assert check(on_expiry, "REN-EXPIRED")["outcome"] == "fail"


def test_ren_expired_submission_day_decides_acceptance_after_expiry_is_review() -> None:
    """REN-EXPIRED: 一旦过期，无法恢复 — submitted on or after expires_on → fail; submitted the day
    before → pass; accepted after expiry though submitted before (the authority's delay) → review."""
    assert check(run(at(renewal_case(), "2022-08-05")), "REN-EXPIRED")["outcome"] == "pass"
    assert check(run(at(renewal_case(), "2022-08-06")), "REN-EXPIRED")["outcome"] == "fail"
    assert check(run(at(renewal_case(), "2022-08-07")), "REN-EXPIRED")["outcome"] == "fail"
    data = at(renewal_case(), "2022-07-08")
    data["as_of"] = "2022-08-06"
    assert check(run(data), "REN-EXPIRED")["outcome"] == "review"
    data["as_of"] = "2022-08-05"
    assert check(run(data), "REN-EXPIRED")["outcome"] == "pass"


def test_chg_deadline_employer_change() -> None:
    """CHG-DEADLINE: 单位变更 注意事项5 至少提前20个工作日 — same dates as REN-DEADLINE."""
    assert check(run(at(as_business("employer_change"), "2022-07-10")), "CHG-DEADLINE")["outcome"] == "pass"
    assert check(run(at(as_business("employer_change"), "2022-07-11")), "CHG-DEADLINE")["outcome"] == "review"
    assert check(run(at(as_business("employer_change"), "2022-08-05")), "CHG-DEADLINE")["outcome"] == "fail"


def test_chg_one_by_one_intermediate_employer_fails_none_passes() -> None:
    """CHG-ONE-BY-ONE: 单位变更 注意事项2 — several changes are filed one by one, in order."""
    data = as_business("employer_change")
    assert check(run(data), "CHG-ONE-BY-ONE")["outcome"] == "pass"
    data["permit"]["intermediate_employers"] = 1
    found = check(run(data), "CHG-ONE-BY-ONE")
    assert found["outcome"] == "fail" and "逐一" in found["message"]
    assert found["facts"] == {"intermediate_employers": 1}


def test_org_permission_receive_only_passes_for_employer_change() -> None:
    data = as_business("employer_change")
    data["employer"]["receive_only"] = True
    assert check(run(data), "ORG-PERMISSION")["outcome"] == "pass"


def income_case(start: str, count: int, **permit: object) -> dict:
    data = renewal_case()  # submitted 2022-07-08: S = 2019-01, latest month 2022-06
    data["applicant"]["monthly_income"] = months(start, count, 20000)
    data["permit"].update(permit)
    return data


def set_month(data: dict, month: str, **values: object) -> dict:
    for record in data["applicant"]["monthly_income"]:
        if record["month"] == month:
            record.update(values)
    return data


def test_ren_income_3y_from_january_of_year_minus_3_to_latest_month() -> None:
    """REN-INCOME-3Y: "2022年1月至今" for 2025 → here 2019-01 … 2022-06 (42 months) passes."""
    found = check(run(income_case("2019-01", 42)), "REN-INCOME-3Y")
    assert found["outcome"] == "pass"
    assert (found["facts"]["from"], found["facts"]["strict_from"], found["facts"]["to"]) == (
        "2019-01",
        "2019-07",
        "2022-06",
    )


def test_ren_income_3y_inside_36_months_missing_or_zero_fails_corrected_reviews() -> None:
    """持证期间近三年应税收入应连续正常缴纳不为零: first month of the 36 (2019-07) is strict."""
    data = set_month(income_case("2019-01", 42), "2019-07", amount=0)
    found = check(run(data), "REN-INCOME-3Y")
    assert found["outcome"] == "fail" and found["facts"]["zero_months"] == ["2019-07"]
    data = income_case("2019-01", 42)
    data["applicant"]["monthly_income"] = [
        r for r in data["applicant"]["monthly_income"] if r["month"] != "2019-07"
    ]
    assert check(run(data), "REN-INCOME-3Y")["facts"]["missing_months"] == ["2019-07"]
    assert check(run(data), "REN-INCOME-3Y")["outcome"] == "fail"
    data = set_month(income_case("2019-01", 42), "2020-05", corrected=True)
    assert check(run(data), "REN-INCOME-3Y")["outcome"] == "review"


def test_ren_income_3y_before_the_36_months_is_review_not_fail() -> None:
    """Months from S up to the 36 (2019-01 … 2019-06): missing, zero or corrected → review."""
    data = set_month(income_case("2019-01", 42), "2019-06", amount=0)
    found = check(run(data), "REN-INCOME-3Y")
    assert found["outcome"] == "review" and found["facts"]["earlier_irregular_months"] == ["2019-06"]
    found = check(run(income_case("2019-07", 36)), "REN-INCOME-3Y")
    assert found["outcome"] == "review"
    assert found["facts"]["earlier_irregular_months"][0] == "2019-01"


def test_ren_income_3y_never_before_the_permit_was_held() -> None:
    """Months before `held_since` are never required; the month held is (inclusive)."""
    data = income_case("2020-03", 28, held_since="2020-03-15")
    found = check(run(data), "REN-INCOME-3Y")
    assert found["outcome"] == "pass" and found["facts"]["from"] == "2020-03"
    data = income_case("2020-04", 27, held_since="2020-03-15")
    found = check(run(data), "REN-INCOME-3Y")
    assert found["outcome"] == "fail" and found["facts"]["missing_months"] == ["2020-03"]


def test_ren_income_3y_corrected_month_uses_original_amount() -> None:
    """APP-INCOME-INTEGRITY edition 2 (更正无效): a corrected month counts its original declaration."""
    data = set_month(income_case("2019-01", 42), "2021-01", corrected=True, original_amount=0)
    found = check(run(data), "REN-INCOME-3Y")
    assert found["outcome"] == "fail" and found["facts"]["zero_months"] == ["2021-01"]
    data = set_month(income_case("2019-01", 42), "2021-01", original_amount=15000)
    assert check(run(data), "REN-INCOME-3Y")["outcome"] == "review"


def test_ren_income_3y_must_be_fresh() -> None:
    data = income_case("2018-11", 42)  # ends 2022-04, submitted and accepted in July
    assert check(run(data), "REN-INCOME-3Y")["outcome"] == "fail"
    data = income_case("2019-01", 42)  # ends 2022-06: fresh on submission 2022-07-08
    data["as_of"] = "2022-09-01"
    found = check(run(data), "REN-INCOME-3Y")
    assert found["outcome"] == "review"


def test_ren_income_3y_employer_change_pending_still_fails() -> None:
    """续签 注意事项3: 未按要求做聘用单位变更业务的不在受理范围之内."""
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


def test_renewal_in_unpublished_calendar_year_is_an_estimate_never_an_error() -> None:
    """CAL-WORKING-DAYS (edition 2): an expiry in unpublished 2027 gives a marked estimate; once the
    year is entered, the same case is exact."""
    data = renewal_case()
    data["permit"]["expires_on"] = "2027-02-01"
    data["as_of"] = data["submitted_on"] = "2026-12-20"
    data["applicant"]["monthly_income"] = months("2023-01", 47, 20000)
    result = evaluate(parse_facts(data), parameters())
    assert result.deadlines is not None and result.deadlines.estimated is True
    assert result.deadlines.complete_by.isoformat() == "2027-01-31"
    entered = WorkingDayCalendar({2027: YearCalendar(2027, holidays={date(2027, 1, 1)})})
    exact = evaluate(parse_facts(data), parameters(), calendar=entered)
    assert exact.deadlines is not None and exact.deadlines.estimated is False
    assert exact.deadlines.latest_submission > result.deadlines.latest_submission


def test_ren_deadline_late_on_an_estimated_calendar_is_review_never_blocking() -> None:
    """CAL-WORKING-DAYS: after the moved latest day but before complete_by → review, marked estimated."""
    data = at(renewal_case(), "2027-01-10")
    data["permit"]["expires_on"] = "2027-02-01"
    found = check(run(data), "REN-DEADLINE")
    assert found["outcome"] == "review" and found["facts"]["estimated"] is True
    assert "估算" in found["message"]


def test_chg_deadline_for_a_permit_expiring_in_an_unpublished_year() -> None:
    """CHG-DEADLINE / CAL-WORKING-DAYS: an employer change filed now for a permit expiring in 2028 is
    in time; the latest day, in 2028, is a marked estimate, never an error that blocks the case."""
    data = at(as_business("employer_change"), "2026-11-30")
    data["permit"]["expires_on"] = "2028-06-30"
    result = run(data)
    change = check(result, "CHG-DEADLINE")
    assert change["outcome"] == "pass"
    assert change["facts"]["estimated"] is True
    assert "估算" in change["message"]
    assert result["deadlines"]["in_time"] is True
    assert result["deadlines"]["estimated"] is True
    assert result["deadlines"]["complete_by"] == "2028-06-29"


def test_ren_deadline_published_latest_day_is_not_marked_estimated() -> None:
    result = run(at(renewal_case(), "2022-07-08"))
    assert result["deadlines"]["estimated"] is False
    assert "estimated" not in check(result, "REN-DEADLINE")["facts"]
