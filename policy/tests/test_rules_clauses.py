"""Qualifying clauses CL1…CL8 at their boundaries, each with its APP-INCOME-RECENT multiple."""

from __future__ import annotations

import pytest

from policy.tests.helpers import base_case, clause_check, months, run


def clause(result: dict, number: int) -> dict:
    entry = result["clauses"][number - 1]
    assert entry["clause"] == number
    return entry


def test_all_eight_clauses_in_order_for_new() -> None:
    result = run(base_case())
    assert [c["clause"] for c in result["clauses"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    rules = [c["checks"][0]["rule"] for c in result["clauses"]]
    assert rules == [
        "CL1-DEGREE-EXPERIENCE",
        "CL2-TITLE",
        "CL3-AWARD",
        "CL4-INNOVATION-INCOME",
        "CL5-SERVICE-INCOME",
        "CL6-IP",
        "CL7-STARTUP",
        "CL8-FREELANCER",
    ]
    assert all(c["checks"][1]["rule"] == "APP-INCOME-RECENT" for c in result["clauses"])


# --- CL1 ------------------------------------------------------------------------------------------


def test_cl1_degree_experience_contract_example_88_months() -> None:
    found = clause_check(run(base_case()), 1, "CL1-DEGREE-EXPERIENCE")
    assert found["facts"]["experience_months"] == 88 and found["outcome"] == "pass"


@pytest.mark.parametrize(
    ("degree", "outcome"), [("bachelor", "pass"), ("doctor", "pass"), ("associate", "fail"), ("none", "fail")]
)
def test_cl1_degree_experience_degree(degree: str, outcome: str) -> None:
    data = base_case()
    data["applicant"]["degree"] = degree
    assert clause_check(run(data), 1, "CL1-DEGREE-EXPERIENCE")["outcome"] == outcome


def test_cl1_degree_experience_24_months_one_day_each_side() -> None:
    data = base_case()
    data["applicant"]["work_periods"] = [{"start": "2023-11-20", "end": None}]
    assert clause_check(run(data), 1, "CL1-DEGREE-EXPERIENCE")["outcome"] == "pass"
    data["applicant"]["work_periods"] = [{"start": "2023-11-21", "end": None}]
    found = clause_check(run(data), 1, "CL1-DEGREE-EXPERIENCE")
    assert found["outcome"] == "fail" and found["facts"]["experience_months"] == 23


def test_cl1_degree_experience_union_of_periods() -> None:
    data = base_case()
    data["applicant"]["work_periods"] = [
        {"start": "2020-01-01", "end": "2020-12-31"},  # 12 months
        {"start": "2020-06-01", "end": "2020-09-30"},  # inside the first: no extra
        {"start": "2022-01-01", "end": "2022-12-31"},  # 12 months
    ]
    assert clause_check(run(data), 1, "CL1-DEGREE-EXPERIENCE")["facts"]["experience_months"] == 24
    data["applicant"]["work_periods"][2]["end"] = "2022-12-30"
    assert clause_check(run(data), 1, "CL1-DEGREE-EXPERIENCE")["outcome"] == "fail"


def test_cl1_degree_experience_ignores_time_after_as_of() -> None:
    data = base_case()
    data["applicant"]["work_periods"] = [{"start": "2024-01-01", "end": "2030-01-01"}]
    assert clause_check(run(data), 1, "CL1-DEGREE-EXPERIENCE")["facts"]["experience_months"] == 22


# --- CL2, CL3 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "outcome"),
    [
        (None, "fail"),
        ("junior", "fail"),
        ("intermediate", "pass"),
        ("deputy_senior", "pass"),
        ("senior", "pass"),
        ("equivalent", "review"),
    ],
)
def test_cl2_title(title: str | None, outcome: str) -> None:
    data = base_case()
    data["applicant"]["title"] = title
    assert clause_check(run(data), 2, "CL2-TITLE")["outcome"] == outcome


@pytest.mark.parametrize(
    ("awards", "outcome"),
    [
        ([], "fail"),
        ([{"level": "provincial", "prize": 3, "field": "science", "region": "beijing"}], "fail"),
        ([{"level": "provincial", "prize": 2, "field": "arts", "region": "beijing"}], "pass"),
        ([{"level": "provincial", "prize": 1, "field": "social_science", "region": "beijing"}], "pass"),
        ([{"level": "provincial", "prize": 1, "field": "science", "region": "other"}], "fail"),
        ([{"level": "provincial", "prize": 2, "field": "science"}], "review"),
        ([{"level": "provincial", "prize": 3, "field": "science"}], "fail"),
        ([{"level": "ministerial", "prize": 2, "field": "science"}], "pass"),
        ([{"level": "ministerial", "prize": 3, "field": "science"}], "fail"),
        ([{"level": "national", "prize": 3, "field": "science"}], "pass"),
    ],
)
def test_cl3_award(awards: list, outcome: str) -> None:
    data = base_case()
    data["applicant"]["awards"] = awards
    assert clause_check(run(data), 3, "CL3-AWARD")["outcome"] == outcome


# --- CL4, CL5 -------------------------------------------------------------------------------------


def annual_case(flag: str, amounts: tuple[int, int, int], monthly: int) -> dict:
    data = base_case()
    data["employer"][flag] = True
    data["applicant"]["annual_income"] = [
        {"year": y, "amount": a} for y, a in zip((2022, 2023, 2024), amounts, strict=True)
    ]
    data["applicant"]["monthly_income"] = months("2025-05", 6, monthly)
    return data


def test_cl4_innovation_income_exact_thresholds_and_one_yuan_below() -> None:
    result = run(annual_case("innovation_entity", (510144, 542256, 564528), 47044))
    assert clause(result, 4)["outcome"] == "pass"
    years = clause_check(result, 4, "CL4-INNOVATION-INCOME")["facts"]["years"]
    assert [y["threshold"] for y in years] == [510144, 542256, 564528]
    below = clause_check(
        run(annual_case("innovation_entity", (510144, 542255, 564528), 47044)), 4, "CL4-INNOVATION-INCOME"
    )
    assert below["outcome"] == "fail"
    assert (below["facts"]["threshold"], below["facts"]["actual"], below["facts"]["shortfall"]) == (
        542256,
        542255,
        1,
    )
    assert "2023" in below["message"] and "542256" in below["message"]


def test_cl4_recent_window_at_4x() -> None:
    at = clause_check(run(annual_case("innovation_entity", (600000,) * 3, 47044)), 4, "APP-INCOME-RECENT")
    assert at["outcome"] == "pass" and at["facts"]["threshold_total"] == 47044 * 6
    below = run(annual_case("innovation_entity", (600000,) * 3, 47043))
    assert clause_check(below, 4, "APP-INCOME-RECENT")["outcome"] == "fail"
    assert clause(below, 4)["outcome"] == "fail"
    assert 4 not in below["qualifying_clauses"]


def test_cl4_needs_innovation_entity_and_every_year() -> None:
    data = annual_case("innovation_entity", (600000,) * 3, 50000)
    data["employer"]["innovation_entity"] = False
    assert clause_check(run(data), 4, "CL4-INNOVATION-INCOME")["outcome"] == "fail"
    data = annual_case("innovation_entity", (600000,) * 3, 50000)
    data["applicant"]["annual_income"].pop(0)
    found = clause_check(run(data), 4, "CL4-INNOVATION-INCOME")
    assert found["outcome"] == "fail" and found["facts"]["years"][0]["actual"] is None


def test_cl5_service_income_8x() -> None:
    result = run(annual_case("service_entity", (1020288, 1084512, 1129056), 94088))
    assert clause(result, 5)["outcome"] == "pass"
    assert 5 in result["qualifying_clauses"]
    below = run(annual_case("service_entity", (1020288, 1084512, 1129055), 94088))
    assert clause_check(below, 5, "CL5-SERVICE-INCOME")["facts"]["shortfall"] == 1
    assert (
        clause_check(run(annual_case("service_entity", (2000000,) * 3, 94087)), 5, "APP-INCOME-RECENT")[
            "outcome"
        ]
        == "fail"
    )


def test_cl4_income_year_uses_previous_year_wage_with_fallback_reported() -> None:
    data = annual_case("innovation_entity", (600000,) * 3, 50000)
    data["as_of"] = data["submitted_on"] = "2026-02-10"
    data["applicant"]["monthly_income"] = months("2025-07", 6, 50000)
    data["applicant"]["annual_income"] = [{"year": y, "amount": 600000} for y in (2023, 2024, 2025)]
    result = run(data)
    years = clause_check(result, 4, "CL4-INNOVATION-INCOME")["facts"]["years"]
    # income year 2025 compares with the 2024 wage, not published: the 2023 figure applies (P-FALLBACK)
    assert years[-1]["wage_year"] == 2024 and years[-1]["annual_wage"] == 141132
    wage = next(p for p in result["parameters"] if p["id"] == "P-WAGE-MONTHLY")
    assert wage["fallback"] is True
    assert any(p["id"] == "P-WAGE-ANNUAL" and p["fallback"] for p in result["parameters"])


# --- CL6 ------------------------------------------------------------------------------------------


def ip_case(ip: list[dict], commercialised: bool | None = True) -> dict:
    data = base_case()
    data["applicant"]["ip"] = ip
    data["applicant"]["ip_commercialised_in_beijing"] = commercialised
    return data


def test_cl6_ip_one_invention_second_author_is_review() -> None:
    result = run(ip_case([{"kind": "invention_patent", "author_rank": 2}]))
    assert clause_check(result, 6, "CL6-IP")["outcome"] == "review"
    assert clause(result, 6)["outcome"] == "review"
    assert 6 in result["qualifying_clauses"]


def test_cl6_ip_third_author_does_not_count() -> None:
    assert (
        clause_check(run(ip_case([{"kind": "invention_patent", "author_rank": 3}])), 6, "CL6-IP")["outcome"]
        == "fail"
    )


@pytest.mark.parametrize("kind", ["utility_model", "software_copyright"])
def test_cl6_ip_three_others_two_not_enough(kind: str) -> None:
    three = [{"kind": kind, "author_rank": 1}] * 3
    assert clause_check(run(ip_case(three)), 6, "CL6-IP")["outcome"] == "review"
    assert clause_check(run(ip_case(three[:2])), 6, "CL6-IP")["outcome"] == "fail"


def test_cl6_ip_mixed_patents_count_together_copyrights_apart() -> None:
    mixed = [{"kind": "utility_model", "author_rank": 1}, {"kind": "design_patent", "author_rank": 2}] * 2
    assert clause_check(run(ip_case(mixed[:3])), 6, "CL6-IP")["outcome"] == "review"
    split = [{"kind": "utility_model", "author_rank": 1}] * 2 + [
        {"kind": "software_copyright", "author_rank": 1}
    ]
    assert clause_check(run(ip_case(split)), 6, "CL6-IP")["outcome"] == "fail"


def test_cl6_ip_must_be_commercialised() -> None:
    ip = [{"kind": "invention_patent", "author_rank": 1}]
    assert clause_check(run(ip_case(ip, False)), 6, "CL6-IP")["outcome"] == "fail"
    assert clause_check(run(ip_case(ip, None)), 6, "CL6-IP")["facts"] == {
        "not_provided": ["applicant.ip_commercialised_in_beijing"]
    }


def test_only_review_clauses_make_needs_review() -> None:
    data = ip_case([{"kind": "invention_patent", "author_rank": 1}])
    data["applicant"]["degree"] = "associate"
    result = run(data)
    assert result["qualifying_clauses"] == [6]
    assert result["decision"] == "needs_review"


# --- CL7 ------------------------------------------------------------------------------------------


def startup_case(**startup: object) -> dict:
    data = base_case()
    base = {
        "self_investment_3y": 0,
        "equity_financing": 0,
        "average_annual_tax_3y": 0,
        "shareholding_percent": 5,
        "shareholder_rank": 5,
    }
    data["applicant"]["startup"] = {**base, **startup}
    return data


@pytest.mark.parametrize(
    ("startup", "outcome"),
    [
        ({"self_investment_3y": 5_000_001}, "pass"),
        ({"self_investment_3y": 5_000_000}, "fail"),
        ({"equity_financing": 10_000_001}, "pass"),
        ({"equity_financing": 10_000_000}, "fail"),
        ({"average_annual_tax_3y": 5_000_000}, "pass"),
        ({"average_annual_tax_3y": 4_999_999}, "fail"),
        ({"self_investment_3y": 6_000_000, "shareholding_percent": 4.99}, "fail"),
        ({"self_investment_3y": 6_000_000, "shareholding_percent": 5}, "pass"),
        ({"self_investment_3y": 6_000_000, "shareholder_rank": 6}, "fail"),
    ],
)
def test_cl7_startup_boundaries(startup: dict, outcome: str) -> None:
    assert clause_check(run(startup_case(**startup)), 7, "CL7-STARTUP")["outcome"] == outcome


def test_cl7_startup_none_and_missing() -> None:
    assert clause_check(run(base_case()), 7, "CL7-STARTUP")["outcome"] == "fail"
    data = startup_case(self_investment_3y=6_000_000)
    del data["applicant"]["startup"]["shareholder_rank"]
    assert clause_check(run(data), 7, "CL7-STARTUP")["facts"] == {
        "not_provided": ["applicant.startup.shareholder_rank"]
    }


# --- CL8 ------------------------------------------------------------------------------------------


def test_cl8_freelancer_each_year_200000_then_review() -> None:
    data = base_case()
    data["applicant"]["freelancer_annual_tax"] = [{"year": y, "amount": 200000} for y in (2022, 2023, 2024)]
    assert clause_check(run(data), 8, "CL8-FREELANCER")["outcome"] == "review"
    data["applicant"]["freelancer_annual_tax"][1]["amount"] = 199999
    found = clause_check(run(data), 8, "CL8-FREELANCER")
    assert found["outcome"] == "fail"
    assert (found["facts"]["threshold"], found["facts"]["actual"], found["facts"]["shortfall"]) == (
        200000,
        199999,
        1,
    )
    assert "2023" in found["message"]


def test_cl7_startup_failed_money_route_states_threshold_actual_shortfall() -> None:
    found = clause_check(
        run(startup_case(self_investment_3y=5_000_000, average_annual_tax_3y=4_999_999)), 7, "CL7-STARTUP"
    )
    assert found["facts"]["self_investment_threshold"] == 5_000_000
    assert found["facts"]["self_investment_shortfall"] == 1
    assert found["facts"]["average_annual_tax_shortfall"] == 1
    assert found["facts"]["equity_financing_shortfall"] == 10_000_001
    assert "5000000" in found["message"] and "差额 1 元" in found["message"]
