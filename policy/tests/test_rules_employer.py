"""Employer rules (ORG-*) at their boundaries."""

from __future__ import annotations

import pytest

from policy.tests.helpers import base_case, check, run


def with_employer(**changes: object) -> dict:
    data = base_case()
    data["employer"].update(changes)
    return data


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        ("enterprise", "pass"),
        ("public_institution", "pass"),
        ("private_non_enterprise", "pass"),
        ("social_organization", "pass"),
        ("professional_partnership", "review"),
        ("other", "fail"),
    ],
)
def test_org_legal_entity(kind: str, outcome: str) -> None:
    assert check(run(with_employer(kind=kind)), "ORG-LEGAL-ENTITY")["outcome"] == outcome


def test_org_haidian() -> None:
    assert check(run(with_employer(registered_district="haidian")), "ORG-HAIDIAN")["outcome"] == "pass"
    result = run(with_employer(registered_district="chaoyang"))
    assert check(result, "ORG-HAIDIAN")["outcome"] == "fail"
    assert result["decision"] == "ineligible"


def test_org_tax_tenure_one_day_before_and_on_six_months_short_is_review() -> None:
    """ORG-TAX-TENURE: "原则上应在海淀区登记注册并缴纳税费满6个月" → short is `review` (edition 2)."""
    # as_of 2025-11-20: registered 2025-05-20 reaches 6 months exactly; 2025-05-21 is one day short
    on = check(run(with_employer(tax_registered_on="2025-05-20")), "ORG-TAX-TENURE")
    short = check(run(with_employer(tax_registered_on="2025-05-21")), "ORG-TAX-TENURE")
    assert on["outcome"] == "pass"
    assert short["outcome"] == "review"
    assert short["facts"]["reached_on"] == "2025-11-21"
    assert (short["facts"]["months"], short["facts"]["actual_months"], short["facts"]["short_months"]) == (
        6,
        5,
        1,
    )
    assert "2025-11-21" in short["message"] and "2025-05-21" in short["message"]


def test_org_tax_tenure_ai_key_area_three_months() -> None:
    assert (
        check(run(with_employer(tax_registered_on="2025-08-20", ai_key_area=True)), "ORG-TAX-TENURE")[
            "outcome"
        ]
        == "pass"
    )
    assert (
        check(run(with_employer(tax_registered_on="2025-08-21", ai_key_area=True)), "ORG-TAX-TENURE")[
            "outcome"
        ]
        == "review"
    )
    assert check(run(with_employer(tax_registered_on="2025-08-20")), "ORG-TAX-TENURE")["outcome"] == "review"


def test_org_tax_tenure_month_end_clamp() -> None:
    data = with_employer(tax_registered_on="2025-05-31")
    data["as_of"] = data["submitted_on"] = "2025-11-30"
    assert check(run(data), "ORG-TAX-TENURE")["outcome"] == "pass"
    data["as_of"] = data["submitted_on"] = "2025-11-29"
    assert check(run(data), "ORG-TAX-TENURE")["outcome"] == "review"


def test_org_capital_one_yuan_each_side() -> None:
    assert check(run(with_employer(registered_capital=1_000_000)), "ORG-CAPITAL")["outcome"] == "pass"
    below = check(run(with_employer(registered_capital=999_999)), "ORG-CAPITAL")
    assert below["outcome"] == "fail"
    assert below["facts"] == {"threshold": 1_000_000, "actual": 999_999, "shortfall": 1}
    assert "1000000" in below["message"] and "999999" in below["message"] and "差额 1 元" in below["message"]


def test_org_capital_not_applicable_to_non_enterprise() -> None:
    result = run(with_employer(kind="public_institution", registered_capital=0))
    assert check(result, "ORG-CAPITAL")["outcome"] == "not_applicable"
    assert check(result, "ORG-ANNUAL-TAX")["outcome"] == "not_applicable"


def test_org_annual_tax_one_yuan_each_side_below_is_review() -> None:
    """ORG-ANNUAL-TAX: "年纳税额原则上不低于20万元" → below is `review` (edition 2)."""
    assert check(run(with_employer(annual_tax=200_000)), "ORG-ANNUAL-TAX")["outcome"] == "pass"
    below = check(run(with_employer(annual_tax=199_999)), "ORG-ANNUAL-TAX")
    assert below["outcome"] == "review"
    assert "成长型" not in below["message"]
    assert (below["facts"]["threshold"], below["facts"]["actual"], below["facts"]["shortfall"]) == (
        200_000,
        199_999,
        1,
    )


def test_org_annual_tax_ai_key_area() -> None:
    data = with_employer(annual_tax=100_000, ai_key_area=True)
    assert check(run(data), "ORG-ANNUAL-TAX")["outcome"] == "pass"
    data = with_employer(annual_tax=99_999, ai_key_area=True)
    assert check(run(data), "ORG-ANNUAL-TAX")["outcome"] == "review"


def test_org_annual_tax_growth_tech_is_review_not_fail() -> None:
    result = run(with_employer(annual_tax=199_999, growth_tech=True))
    assert check(result, "ORG-ANNUAL-TAX")["outcome"] == "review"
    assert check(result, "ORG-ANNUAL-TAX")["facts"]["shortfall"] == 1
    assert "成长型科技类企业可适当放宽" in check(result, "ORG-ANNUAL-TAX")["message"]
    assert result["decision"] == "needs_review"


def test_org_permission_receive_only_cannot_file_new() -> None:
    result = run(with_employer(receive_only=True))
    assert check(result, "ORG-PERMISSION")["outcome"] == "fail"
    assert result["decision"] == "ineligible"
    assert check(run(with_employer(receive_only=False)), "ORG-PERMISSION")["outcome"] == "pass"


def test_org_sanction() -> None:
    assert check(run(with_employer(sanctioned=True)), "ORG-SANCTION")["outcome"] == "fail"
    assert check(run(with_employer(sanctioned=False)), "ORG-SANCTION")["outcome"] == "pass"


@pytest.mark.parametrize(
    ("field", "rule"),
    [
        ("kind", "ORG-LEGAL-ENTITY"),
        ("registered_district", "ORG-HAIDIAN"),
        ("tax_registered_on", "ORG-TAX-TENURE"),
        ("registered_capital", "ORG-CAPITAL"),
        ("annual_tax", "ORG-ANNUAL-TAX"),
        ("receive_only", "ORG-PERMISSION"),
        ("sanctioned", "ORG-SANCTION"),
    ],
)
def test_org_missing_fact_fails_not_provided(field: str, rule: str) -> None:
    data = base_case()
    del data["employer"][field]
    found = check(run(data, lang="en"), rule)
    assert found["outcome"] == "fail"
    assert found["message"] == f"not provided: employer.{field}"
    assert found["facts"] == {"not_provided": [f"employer.{field}"]}
