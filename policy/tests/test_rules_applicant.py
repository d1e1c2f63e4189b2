"""Applicant basic conditions (APP-*) at their boundaries."""

from __future__ import annotations

import pytest

from policy.tests.helpers import base_case, check, clause_check, months, run


def with_applicant(**changes: object) -> dict:
    data = base_case()
    data["applicant"].update(changes)
    return data


@pytest.mark.parametrize(
    ("hukou", "outcome"),
    [
        ("non_beijing", "pass"),
        ("beijing", "fail"),
        ("beijing_collective", "fail"),
        ("beijing_school_temporary", "fail"),
    ],
)
def test_app_hukou(hukou: str, outcome: str) -> None:
    assert check(run(with_applicant(hukou=hukou)), "APP-HUKOU")["outcome"] == outcome


def test_app_hukou_collective_message_says_not_accepted() -> None:
    assert "不在受理范围" in check(run(with_applicant(hukou="beijing_collective")), "APP-HUKOU")["message"]


def test_app_retirement_one_day_before_and_on_the_retirement_date() -> None:
    # man born 1965-10-20: 60 years 3 months → retires 2026-01-20
    data = with_applicant(birth_date="1965-10-20", retirement_category="male")
    data["as_of"] = data["submitted_on"] = "2026-01-19"
    data["applicant"]["monthly_income"] = months("2025-07", 6, 21000)
    passing = check(run(data), "APP-RETIREMENT")
    assert passing["outcome"] == "pass"
    assert passing["facts"]["retirement_date"] == "2026-01-20"
    assert passing["facts"]["retirement_age"] == "60y3m"
    data["as_of"] = data["submitted_on"] = "2026-01-20"
    failing = check(run(data), "APP-RETIREMENT")
    assert failing["outcome"] == "fail"
    assert "2026-01-20" in failing["message"]


def test_app_retirement_female_50_category() -> None:
    data = with_applicant(birth_date="1975-06-15", retirement_category="female_50")
    # 1975-06: 5 months after Jan 1975 → delay 3 months → 50y3m → 2025-09-15
    assert check(run(data), "APP-RETIREMENT")["outcome"] == "fail"
    data = with_applicant(birth_date="1975-06-15", retirement_category="female_55")
    assert check(run(data), "APP-RETIREMENT")["outcome"] == "pass"


def test_app_tenure_one_day_each_side_of_six_months_short_is_review() -> None:
    """APP-TENURE: "一般应在申请单位工作满6个月" → short is `review` (edition 2)."""
    assert check(run(with_applicant(employed_since="2025-05-20")), "APP-TENURE")["outcome"] == "pass"
    short = check(run(with_applicant(employed_since="2025-05-21")), "APP-TENURE")
    assert short["outcome"] == "review"
    assert (short["facts"]["months"], short["facts"]["actual_months"], short["facts"]["short_months"]) == (
        6,
        5,
        1,
    )
    assert short["facts"]["reached_on"] == "2025-11-21"


def test_app_tenure_ai_youth_three_months_and_age_35_inclusive() -> None:
    data = with_applicant(employed_since="2025-08-20", birth_date="1990-11-21")  # 34 on as_of
    data["employer"]["ai_key_area"] = True
    assert check(run(data), "APP-TENURE")["outcome"] == "pass"
    data["applicant"]["birth_date"] = "1990-11-20"  # 35th birthday on as_of: still youth
    assert check(run(data), "APP-TENURE")["outcome"] == "pass"
    data["applicant"]["birth_date"] = "1989-11-20"  # 36 on as_of
    older = check(run(data), "APP-TENURE")
    assert older["outcome"] == "review" and older["facts"]["months"] == 6
    data["applicant"]["birth_date"] = "1990-11-20"
    data["applicant"]["employed_since"] = "2025-08-21"
    assert check(run(data), "APP-TENURE")["outcome"] == "review"


def test_app_tenure_three_months_needs_ai_employer() -> None:
    assert (
        check(run(with_applicant(employed_since="2025-08-20", birth_date="1995-01-01")), "APP-TENURE")[
            "outcome"
        ]
        == "review"
    )


@pytest.mark.parametrize(
    ("changes", "outcome"),
    [
        ({}, "pass"),
        ({"in_beijing": False}, "fail"),
        ({"residential": False}, "fail"),
        ({"kind": "relatives", "co_owned": True}, "pass"),
    ],
)
def test_app_residence(changes: dict, outcome: str) -> None:
    data = base_case()
    data["applicant"]["residence"].update(changes)
    assert check(run(data), "APP-RESIDENCE")["outcome"] == outcome


@pytest.mark.parametrize("part", ["contract", "tax_withholding", "social_insurance"])
def test_app_same_employer_each_part(part: str) -> None:
    data = base_case()
    data["applicant"]["same_employer"][part] = False
    found = check(run(data), "APP-SAME-EMPLOYER")
    assert found["outcome"] == "fail"
    assert found["facts"]["not_same"] == [part]


def test_app_social_insurance() -> None:
    assert (
        check(run(with_applicant(social_insurance_continuous=False)), "APP-SOCIAL-INSURANCE")["outcome"]
        == "fail"
    )
    assert check(run(base_case()), "APP-SOCIAL-INSURANCE")["outcome"] == "pass"


def test_app_sanction() -> None:
    assert check(run(with_applicant(sanctioned=True)), "APP-SANCTION")["outcome"] == "fail"
    assert check(run(base_case()), "APP-SANCTION")["outcome"] == "pass"


# --- APP-INCOME-INTEGRITY -------------------------------------------------------------------------


def test_app_income_integrity_gap_zero_corrected() -> None:
    data = base_case()
    del data["applicant"]["monthly_income"][2]  # 2025-07 missing
    found = check(run(data), "APP-INCOME-INTEGRITY")
    assert found["outcome"] == "fail" and found["facts"]["missing_months"] == ["2025-07"]
    data = base_case()
    data["applicant"]["monthly_income"][3]["amount"] = 0
    assert check(run(data), "APP-INCOME-INTEGRITY")["facts"]["zero_months"] == ["2025-08"]
    data = base_case()
    data["applicant"]["monthly_income"][5]["corrected"] = True
    found = check(run(data), "APP-INCOME-INTEGRITY")
    assert found["outcome"] == "review" and "更正" in found["message"]
    data["applicant"]["monthly_income"][5]["amount"] = 1
    data["applicant"]["monthly_income"][5]["corrected"] = False
    assert check(run(data), "APP-INCOME-INTEGRITY")["outcome"] == "pass"


def test_app_income_integrity_only_the_window_counts() -> None:
    data = base_case()
    data["applicant"]["monthly_income"] = [
        {"month": "2024-01", "amount": 0, "corrected": True},
        *months("2025-05", 6, 21000),
    ]
    assert check(run(data), "APP-INCOME-INTEGRITY")["outcome"] == "pass"


def test_app_income_integrity_duplicate_month() -> None:
    data = base_case()
    data["applicant"]["monthly_income"].append({"month": "2025-10", "amount": 21000, "corrected": False})
    assert check(run(data), "APP-INCOME-INTEGRITY")["facts"]["duplicate_months"] == ["2025-10"]


# --- APP-INCOME-RECENT ----------------------------------------------------------------------------


def income_case(
    amounts: list[int], kind: str = "enterprise", ai: bool = False, start: str = "2025-05"
) -> dict:
    data = base_case()
    data["employer"]["kind"] = kind
    data["employer"]["ai_key_area"] = ai
    data["applicant"]["monthly_income"] = [
        {**m, "amount": a} for m, a in zip(months(start, len(amounts), 0), amounts, strict=True)
    ]
    return data


def test_app_income_recent_enterprise_105846_passes_105845_fails() -> None:
    at = clause_check(run(income_case([17641] * 6)), 1, "APP-INCOME-RECENT")
    assert at["outcome"] == "pass" and at["facts"]["threshold_total"] == 105846
    below = clause_check(run(income_case([17641] * 5 + [17640])), 1, "APP-INCOME-RECENT")
    assert below["outcome"] == "fail"
    assert below["facts"]["shortfall"] == 1 and below["facts"]["actual_total"] == 105845
    assert "105846" in below["message"] and "105845" in below["message"] and "差额 1 元" in below["message"]


def test_app_income_recent_total_not_each_month() -> None:
    assert (
        clause_check(run(income_case([1, 1, 1, 1, 1, 105841])), 1, "APP-INCOME-RECENT")["outcome"] == "pass"
    )


@pytest.mark.parametrize("kind", ["public_institution", "private_non_enterprise", "social_organization"])
def test_app_income_recent_public_84678(kind: str) -> None:
    assert clause_check(run(income_case([14113] * 6, kind)), 1, "APP-INCOME-RECENT")["outcome"] == "pass"
    below = clause_check(run(income_case([14113] * 5 + [14112], kind)), 1, "APP-INCOME-RECENT")
    assert below["outcome"] == "fail" and below["facts"]["threshold_total"] == 84678


def test_app_income_recent_ai_three_months_52923() -> None:
    data = income_case([17641] * 3, ai=True, start="2025-08")
    data["employer"]["tax_registered_on"] = "2025-01-01"
    assert clause_check(run(data), 1, "APP-INCOME-RECENT")["facts"]["threshold_total"] == 52923
    assert clause_check(run(data), 1, "APP-INCOME-RECENT")["outcome"] == "pass"
    data = income_case([17641, 17641, 17640], ai=True, start="2025-08")
    assert clause_check(run(data), 1, "APP-INCOME-RECENT")["outcome"] == "fail"


def test_app_income_recent_ai_public_institution_uses_1_2_over_3_months() -> None:
    data = income_case([14113] * 3, kind="public_institution", ai=True, start="2025-08")
    found = clause_check(run(data), 1, "APP-INCOME-RECENT")
    assert found["facts"]["threshold_total"] == 42339 and found["outcome"] == "pass"


def test_app_income_recent_window_is_latest_months() -> None:
    data = income_case([1] + [17641] * 6, start="2025-04")
    assert clause_check(run(data), 1, "APP-INCOME-RECENT")["facts"]["from"] == "2025-05"
    assert clause_check(run(data), 1, "APP-INCOME-RECENT")["outcome"] == "pass"


def test_app_income_recent_staleness_two_months_before_as_of_month() -> None:
    # as_of 2025-11-20: last month may be 2025-10 or 2025-09, not 2025-08
    assert (
        clause_check(run(income_case([21000] * 6, start="2025-04")), 1, "APP-INCOME-RECENT")["outcome"]
        == "pass"
    )
    stale = clause_check(run(income_case([21000] * 6, start="2025-03")), 1, "APP-INCOME-RECENT")
    assert stale["outcome"] == "fail"
    assert stale["facts"]["expected_last_month"] == ["2025-09", "2025-10"]
    future = clause_check(run(income_case([21000] * 6, start="2025-06")), 1, "APP-INCOME-RECENT")
    assert future["outcome"] == "fail"


def test_app_income_recent_missing_month_counts_as_zero() -> None:
    data = income_case([21000] * 6)
    del data["applicant"]["monthly_income"][0]
    data["applicant"]["monthly_income"].insert(0, {"month": "2025-04", "amount": 21000, "corrected": False})
    found = clause_check(run(data), 1, "APP-INCOME-RECENT")
    assert found["facts"]["actual_total"] == 105000 and found["outcome"] == "fail"


def test_app_income_recent_no_records_not_provided() -> None:
    data = income_case([])
    result = run(data)
    assert clause_check(result, 1, "APP-INCOME-RECENT")["facts"] == {
        "not_provided": ["applicant.monthly_income"]
    }
    assert check(result, "APP-INCOME-INTEGRITY")["outcome"] == "fail"
    assert result["decision"] == "ineligible"


@pytest.mark.parametrize(
    "path",
    [
        ("birth_date",),
        ("retirement_category",),
        ("hukou",),
        ("employed_since",),
        ("residence",),
        ("same_employer",),
        ("social_insurance_continuous",),
        ("sanctioned",),
    ],
)
def test_app_missing_fact_fails_not_provided(path: tuple[str]) -> None:
    data = base_case()
    del data["applicant"][path[0]]
    result = run(data, lang="en")
    failing = [c for c in result["checks"] if c["outcome"] == "fail"]
    assert failing and all(c["message"].startswith("not provided: ") for c in failing)
    assert any(f"applicant.{path[0]}" in c["message"] for c in failing)
    assert result["decision"] == "ineligible"
