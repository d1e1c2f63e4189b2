"""rules.md edition 2 ("Changes in edition 2"): boundary tests of every changed row owned by the rules.

Each test names the rule and quotes the guide's words that make the outcome `review` rather than
`fail` (principle: 原则上 / 一般 / 可 / 等 → a person decides; 应 / 须 / 不得 and printed thresholds →
`fail`). Deadline rows (REN-DEADLINE, CHG-DEADLINE, REN-INCOME-3Y, CHG-ONE-BY-ONE, CAL-WORKING-DAYS,
BIZ-TIME-LIMIT) and overrides have their own tests.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from policy import (
    ENGINE_VERSION,
    InvalidFacts,
    ParameterValue,
    load_parameters,
    parse_facts,
    parse_facts_json,
)
from policy.tests.helpers import base_case, check, clause_check, months, renewal_case, run


def clause(result: dict[str, Any], number: int) -> dict[str, Any]:
    found: dict[str, Any] = result["clauses"][number - 1]
    return found


# --- facts (eligibility-contract.md, "Optional facts added in edition 2") -------------------------


def test_engine_version_is_edition_2() -> None:
    assert ENGINE_VERSION.startswith("2.")


def test_edition_2_optional_facts_are_accepted_with_their_defaults() -> None:
    data = base_case()
    data["employer"]["kind"] = "professional_partnership"
    data["applicant"]["awards"] = [{"level": "ministerial", "prize": 2, "field": "science"}]
    data["applicant"]["awards"].append(
        {"level": "provincial", "prize": 1, "field": "arts", "region": "beijing"}
    )
    data["applicant"]["monthly_income"][0]["original_amount"] = 20000
    data["applicant"]["children"][0].update({"added": True, "sole_custody": None})
    facts = parse_facts(data)
    assert facts.employer.kind == "professional_partnership"
    assert facts.applicant.awards[1].region == "beijing"
    assert facts.applicant.monthly_income[0].counted_amount == 20000
    assert facts.applicant.monthly_income[0].is_corrected
    renewal = renewal_case()
    renewal["permit"].update({"held_since": "2019-08-07", "intermediate_employers": 0, "migrated": True})
    permit = parse_facts(renewal).permit
    assert permit is not None and permit.held_since == date(2019, 8, 7) and permit.migrated
    plain = parse_facts(base_case())
    assert plain.applicant.awards == [] and plain.applicant.children[0].added is None
    assert plain.applicant.children[0].sole_custody is None
    assert plain.applicant.monthly_income[0].original_amount is None


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("employer", "kind"), "partnership"),
        (("applicant", "awards"), [{"level": "municipal", "prize": 1, "field": "science"}]),
        (("applicant", "awards"), [{"level": "provincial", "prize": 1, "field": "science", "region": "bj"}]),
        (("applicant", "monthly_income"), [{"month": "2025-10", "amount": 1, "original_amount": -1}]),
    ],
)
def test_edition_2_facts_are_strict(path: tuple[str, str], value: Any) -> None:
    data = base_case()
    data[path[0]][path[1]] = value
    with pytest.raises(InvalidFacts):
        parse_facts(data)


def test_as_of_before_submitted_on_is_refused_one_day_each_side() -> None:
    """Conventions: `as_of` before `submitted_on` is invalid input (contract, edition 2)."""
    data = base_case()
    data["submitted_on"] = "2025-11-20"
    data["as_of"] = "2025-11-20"
    parse_facts(data)  # the same day: valid
    data["as_of"] = "2025-11-19"
    with pytest.raises(InvalidFacts) as raised:
        parse_facts(data)
    assert raised.value.errors[0][0] == "submitted_on"
    assert "as_of" in raised.value.errors[0][1]
    with pytest.raises(InvalidFacts):
        parse_facts_json(json.dumps(data))
    data["as_of"] = "2025-11-21"
    parse_facts(data)


# --- as_of vs submitted_on: the authority's own delay -----------------------------------------------


def delayed(submitted_on: str, as_of: str, last_month: str) -> dict[str, Any]:
    data = base_case()
    data["submitted_on"], data["as_of"] = submitted_on, as_of
    year, month = int(last_month[:4]), int(last_month[5:])
    first = year * 12 + month - 1 - 5
    data["applicant"]["monthly_income"] = months(f"{first // 12:04d}-{first % 12 + 1:02d}", 6, 21000)
    data["documents"] = []
    return data


def test_income_stale_only_because_acceptance_came_later_is_review() -> None:
    """Conventions (四（九）, 三（二） 表头 申报月所处时期): records ending 2025-10 are fresh for a
    November submission; accepted in January they are stale → `review`, never `fail`."""
    result = run(delayed("2025-11-30", "2026-01-05", "2025-10"))
    income = clause_check(result, 1, "APP-INCOME-RECENT")
    assert income["outcome"] == "review"
    assert income["facts"]["submitted_on"] == "2025-11-30"
    assert "2025-11-30" in income["message"] and "2026-01-05" in income["message"]
    assert result["decision"] == "needs_review"
    # one day each side of the boundary: submitted on 2025-12-31 (December takes 2025-10 or 2025-11)
    # the records were fresh; submitted on 2026-01-01 they were already stale
    assert (
        clause_check(run(delayed("2025-12-31", "2026-01-05", "2025-10")), 1, "APP-INCOME-RECENT")["outcome"]
        == "review"
    )
    stale = clause_check(run(delayed("2026-01-01", "2026-01-05", "2025-10")), 1, "APP-INCOME-RECENT")
    assert stale["outcome"] == "fail" and "expected_last_month" in stale["facts"]


def test_income_stale_on_submission_too_stays_fail() -> None:
    result = run(delayed("2025-11-20", "2025-11-20", "2025-08"))
    assert clause_check(result, 1, "APP-INCOME-RECENT")["outcome"] == "fail"


def test_later_period_threshold_only_because_acceptance_came_later_is_review() -> None:
    """Conventions: a later period's wage (P-WAGE-MONTHLY 2026) that the total misses, while the
    submission period's (2025) is met → `review`; one yuan below the 2025 total stays `fail`."""
    params = load_parameters([ParameterValue("P-WAGE-MONTHLY", date(2026, 1, 1), 13000, "test")])
    data = delayed("2025-12-20", "2026-01-05", "2025-11")
    data["applicant"]["monthly_income"] = [
        *months("2025-06", 5, 17641),
        {"month": "2025-11", "amount": 17641},
    ]
    result = run(data, params=params)
    income = clause_check(result, 1, "APP-INCOME-RECENT")
    assert income["facts"]["threshold_total"] == 19500 * 6  # floor(13000 × 1.5) × 6
    assert income["outcome"] == "review"
    used = {(p["id"], p["effective_from"]) for p in result["parameters"]}
    assert ("P-WAGE-MONTHLY", "2025-01-01") in used and ("P-WAGE-MONTHLY", "2026-01-01") in used
    data["applicant"]["monthly_income"][-1]["amount"] = 17640
    assert clause_check(run(data, params=params), 1, "APP-INCOME-RECENT")["outcome"] == "fail"


def cl4_delayed(amounts: dict[int, int]) -> dict[str, Any]:
    data = delayed("2025-12-20", "2026-01-05", "2025-11")
    data["employer"]["innovation_entity"] = True
    data["applicant"]["monthly_income"] = months("2025-06", 6, 47044)
    data["applicant"]["annual_income"] = [{"year": y, "amount": a} for y, a in amounts.items()]
    return data


def test_cl4_years_before_submission_year_pass_is_review() -> None:
    """CL4-INNOVATION-INCOME: "passing only for the years before `submitted_on`'s year → review"."""
    years_2022_2024 = {2022: 510144, 2023: 542256, 2024: 564528}
    own = clause_check(run(cl4_delayed(years_2022_2024)), 4, "CL4-INNOVATION-INCOME")
    assert own["outcome"] == "review"
    assert [y["year"] for y in own["facts"]["submission_years"]] == [2022, 2023, 2024]
    short = {**years_2022_2024, 2022: 510143}
    assert clause_check(run(cl4_delayed(short)), 4, "CL4-INNOVATION-INCOME")["outcome"] == "fail"


def test_cl8_years_before_submission_year_pass_is_review() -> None:
    data = delayed("2025-12-20", "2026-01-05", "2025-11")
    data["applicant"]["freelancer_annual_tax"] = [
        {"year": 2022, "amount": 200000},
        {"year": 2023, "amount": 200000},
        {"year": 2024, "amount": 200000},
    ]
    own = clause_check(run(data), 8, "CL8-FREELANCER")
    assert own["outcome"] == "review" and own["facts"]["submitted_on"] == "2025-12-20"
    data["applicant"]["freelancer_annual_tax"][0]["amount"] = 199999
    assert clause_check(run(data), 8, "CL8-FREELANCER")["outcome"] == "fail"


# --- ORG-LEGAL-ENTITY: professional partnerships, receive-only employers --------------------------


def test_professional_partnership_is_review_with_the_enterprise_multiple() -> None:
    """ORG-LEGAL-ENTITY: "具有法人资格的企事业单位、民办非企业单位、社会团体等" and 条款5 "律师事务所、
    会计师事务所…" → `review`; basic multiple 1.5 (其他除第4、5条件以外的为1.5倍): 105846 passes,
    105845 fails; ORG-CAPITAL and ORG-ANNUAL-TAX do not apply (具有法人资格的企业)."""
    data = base_case()
    data["employer"]["kind"] = "professional_partnership"
    data["applicant"]["monthly_income"] = [
        *months("2025-05", 5, 17641),
        {"month": "2025-10", "amount": 17641},
    ]
    result = run(data)
    assert check(result, "ORG-LEGAL-ENTITY")["outcome"] == "review"
    assert check(result, "ORG-CAPITAL")["outcome"] == "not_applicable"
    assert check(result, "ORG-ANNUAL-TAX")["outcome"] == "not_applicable"
    income = clause_check(result, 1, "APP-INCOME-RECENT")
    assert (income["facts"]["multiple"], income["facts"]["threshold_total"]) == ("1.5", 105846)
    assert income["outcome"] == "pass"
    assert result["decision"] == "needs_review"
    data["applicant"]["monthly_income"][-1]["amount"] = 17640
    assert clause_check(run(data), 1, "APP-INCOME-RECENT")["outcome"] == "fail"
    en = check(run(data, lang="en"), "ORG-LEGAL-ENTITY")["message"]
    assert "professional_partnership" not in en and "law firm" in en


@pytest.mark.parametrize("business", ["renewal", "employer_change"])
def test_receive_only_employer_outside_new_is_not_applicable(business: str) -> None:
    """ORG-LEGAL-ENTITY: 单位变更 注意事项3 — a receive-only employer receives existing holders without
    meeting the employer conditions."""
    data = renewal_case()
    data["business"] = business
    data["employer"].update({"receive_only": True, "kind": "other"})
    assert check(run(data), "ORG-LEGAL-ENTITY")["outcome"] == "not_applicable"
    data["employer"]["receive_only"] = False
    assert check(run(data), "ORG-LEGAL-ENTITY")["outcome"] == "fail"


def test_receive_only_does_not_relax_legal_entity_for_new() -> None:
    data = base_case()
    data["employer"].update({"receive_only": True, "kind": "other"})
    result = run(data)
    assert check(result, "ORG-LEGAL-ENTITY")["outcome"] == "fail"
    assert check(result, "ORG-PERMISSION")["outcome"] == "fail"


# --- principle: short tenure is review, the printed capital stays fail ------------------------------


def test_five_months_at_employer_is_review_not_ineligible() -> None:
    """APP-TENURE: "一般应在申请单位工作满6个月" — 5 months can be approved by a person."""
    data = base_case()
    data["applicant"]["employed_since"] = "2025-06-20"
    result = run(data)
    tenure = check(result, "APP-TENURE")
    assert tenure["outcome"] == "review"
    assert (tenure["facts"]["actual_months"], tenure["facts"]["short_months"]) == (5, 1)
    assert result["decision"] == "needs_review"


def test_capital_below_printed_threshold_still_fails() -> None:
    """ORG-CAPITAL: "注册资本应不低于100万元" (应) stays `fail`."""
    data = base_case()
    data["employer"]["registered_capital"] = 999_999
    assert check(run(data), "ORG-CAPITAL")["outcome"] == "fail"


# --- APP-INCOME-INTEGRITY: corrected months ---------------------------------------------------------


def test_corrected_month_is_review_and_original_amount_counts() -> None:
    """APP-INCOME-INTEGRITY: "应连续正常缴纳且不可更正，更正无效" — the correction does not count: a
    person applies the original declaration; the money rules use `original_amount`."""
    data = base_case()
    data["applicant"]["monthly_income"] = months("2025-05", 6, 17641)
    data["applicant"]["monthly_income"][5].update(
        {"corrected": True, "amount": 30000, "original_amount": 17641}
    )
    result = run(data)
    assert check(result, "APP-INCOME-INTEGRITY")["outcome"] == "review"
    income = clause_check(result, 1, "APP-INCOME-RECENT")
    assert income["facts"]["actual_total"] == 105846 and income["outcome"] == "pass"
    data["applicant"]["monthly_income"][5]["original_amount"] = 17640
    income = clause_check(run(data), 1, "APP-INCOME-RECENT")
    assert income["outcome"] == "fail" and income["facts"]["shortfall"] == 1


def test_corrected_month_with_zero_original_is_a_zero_month() -> None:
    data = base_case()
    data["applicant"]["monthly_income"][2].update({"corrected": True, "original_amount": 0})
    found = check(run(data), "APP-INCOME-INTEGRITY")
    assert found["outcome"] == "fail" and found["facts"]["zero_months"] == ["2025-07"]


def test_corrected_without_original_amount_keeps_amount_and_is_review() -> None:
    data = base_case()
    data["applicant"]["monthly_income"][2]["corrected"] = True
    result = run(data)
    assert check(result, "APP-INCOME-INTEGRITY")["outcome"] == "review"
    assert clause_check(result, 1, "APP-INCOME-RECENT")["facts"]["actual_total"] == 126000
    assert result["decision"] == "needs_review"


# --- CL3-AWARD ------------------------------------------------------------------------------------


def test_cl3_provincial_award_without_region_makes_clause_3_review() -> None:
    """CL3-AWARD: "国家和本市…省部级二等奖以上" — a provincial award whose region is unknown is never a
    silent pass."""
    data = base_case()
    data["applicant"]["awards"] = [{"level": "provincial", "prize": 2, "field": "science"}]
    result = run(data)
    assert clause(result, 3)["outcome"] == "review"
    assert 3 in result["qualifying_clauses"]
    data["applicant"]["awards"].append(
        {"level": "provincial", "prize": 2, "field": "arts", "region": "beijing"}
    )
    assert clause_check(run(data), 3, "CL3-AWARD")["outcome"] == "pass"


# --- CL8-FREELANCER ------------------------------------------------------------------------------


def freelancer(tax: int = 200_000, claimed: int | None = 8) -> dict[str, Any]:
    data = base_case()
    data["claimed_clause"] = claimed
    data["employer"].update(
        {"kind": "other", "tax_registered_on": "2025-10-01", "registered_capital": 0, "annual_tax": 0}
    )
    data["applicant"]["employed_since"] = "2025-10-01"
    data["applicant"]["same_employer"]["contract"] = False
    data["applicant"]["freelancer_annual_tax"] = [
        {"year": 2022, "amount": tax},
        {"year": 2023, "amount": 200_000},
        {"year": 2024, "amount": 200_000},
    ]
    return data


RELAXED = ("ORG-LEGAL-ENTITY", "ORG-TAX-TENURE", "APP-TENURE", "APP-SAME-EMPLOYER")


def test_cl8_claimed_and_holding_relaxes_the_employer_checks_to_review() -> None:
    """CL8-FREELANCER: "自由职业者、个体工商户等人员" cannot meet the employer conditions by nature."""
    result = run(freelancer())
    for rule in RELAXED:
        assert check(result, rule)["outcome"] == "review", rule
    for rule in ("ORG-LEGAL-ENTITY", "APP-SAME-EMPLOYER"):  # fail without clause 8
        found = check(result, rule)
        assert (found["facts"]["clause"], found["facts"]["outcome_without_clause"]) == (8, "fail")
    assert "申报条件8" in check(result, "ORG-LEGAL-ENTITY")["message"]
    assert result["decision"] == "needs_review"
    assert 8 in result["qualifying_clauses"]


def test_cl8_one_yuan_below_or_not_claimed_keeps_the_fails() -> None:
    below = run(freelancer(tax=199_999))
    assert clause_check(below, 8, "CL8-FREELANCER")["outcome"] == "fail"
    assert check(below, "ORG-LEGAL-ENTITY")["outcome"] == "fail"
    assert below["decision"] == "ineligible"
    unclaimed = run(freelancer(claimed=None))
    assert check(unclaimed, "APP-SAME-EMPLOYER")["outcome"] == "fail"
    assert check(run(freelancer(claimed=1)), "ORG-LEGAL-ENTITY")["outcome"] == "fail"


def test_cl8_never_relaxes_the_other_checks() -> None:
    data = freelancer()
    data["employer"]["registered_district"] = "chaoyang"
    data["employer"]["kind"] = "enterprise"
    data["employer"]["registered_capital"] = 999_999
    result = run(data)
    assert check(result, "ORG-HAIDIAN")["outcome"] == "fail"
    assert check(result, "ORG-CAPITAL")["outcome"] == "review"
    assert result["decision"] == "ineligible"


# --- DOC-VALIDITY, DOC-RECENCY --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valid_until", "outcome"),
    [
        ("2025-11-19", "fail"),  # expired the day before submission: 材料应真实有效
        ("2025-11-20", "review"),  # still valid on the submission day
        ("2026-02-19", "review"),  # 一般应在有效期截止前3个月以上: one day short
        ("2026-02-20", "pass"),
    ],
)
def test_doc_validity_expired_fails_under_three_months_is_review(valid_until: str, outcome: str) -> None:
    data = base_case()
    data["documents"] = [{"kind": "labour_contract", "valid_until": valid_until, "issued_on": None}]
    found = check(run(data), "DOC-VALIDITY")
    assert found["outcome"] == outcome
    if outcome != "pass":
        assert "有效聘用（劳动）合同" in found["message"]


def test_doc_validity_lease_two_and_a_half_months_from_its_end_is_review() -> None:
    data = base_case()
    data["documents"] = [{"kind": "lease", "valid_until": "2026-02-05", "issued_on": None}]
    result = run(data)
    assert check(result, "DOC-VALIDITY")["outcome"] == "review"
    assert result["decision"] == "needs_review"


@pytest.mark.parametrize(
    ("kind", "issued_on", "outcome"),
    [
        ("tax_enquiry_notice", "2025-10-20", "pass"),
        ("tax_enquiry_notice", "2025-10-19", "fail"),
        ("income_records", "2025-11-21", "fail"),  # dated after submission
        ("employer_tax", "2025-10-19", "fail"),  # EMPLOYER-TAX as the case flow names it
        ("income_records_3y", "2025-10-20", "pass"),
        ("resignation_cert", "2024-01-01", "not_applicable"),
        ("resignation_certificate", "2024-01-01", "not_applicable"),  # a certificate of a past fact
        ("RESIGNATION-CERT", "2024-01-01", "not_applicable"),
        ("degree_cert", "2015-07-01", "not_applicable"),
        ("employer_integrity", "2025-01-01", "pass"),  # 需按申报年度更新
        ("employer_integrity", "2024-12-31", "fail"),
    ],
)
def test_doc_recency_only_materials_produced_for_the_application(
    kind: str, issued_on: str, outcome: str
) -> None:
    data = base_case()
    data["documents"] = [{"kind": kind, "valid_until": None, "issued_on": issued_on}]
    assert check(run(data), "DOC-RECENCY")["outcome"] == outcome


def test_resignation_certificate_of_a_holder_who_left_long_ago_never_blocks_the_change() -> None:
    data = renewal_case()
    data["business"] = "employer_change"
    data["documents"].append(
        {"kind": "resignation_certificate", "valid_until": None, "issued_on": "2022-05-01"}
    )
    assert check(run(data), "DOC-RECENCY")["outcome"] == "not_applicable"


# --- CHILD-MINOR --------------------------------------------------------------------------------


def with_child(business: str, child: dict[str, Any], changes: list[str] | None = None) -> dict[str, Any]:
    data = base_case() if business == "new" else renewal_case()
    data["business"] = business
    data["applicant"]["children"] = [child]
    if changes is not None:
        data["changes"] = changes
    return data


ADULT = {"birth_date": "2004-07-08", "hukou": "non_beijing"}  # 18 on 2022-07-08 (renewal example)


@pytest.mark.parametrize("business", ["renewal", "employer_change"])
def test_child_of_age_never_blocks_renewal_or_employer_change(business: str) -> None:
    """CHILD-MINOR: "办理随往国内非京籍子女的，子女应未成年" applies to children being added; a child
    who came of age simply leaves the permit."""
    result = run(with_child(business, ADULT))
    found = check(result, "CHILD-MINOR")
    assert found["outcome"] == "not_applicable"
    assert found["facts"]["children"] == [{"child": 1, "birth_date": "2004-07-08"}]


def test_info_change_judges_children_being_added() -> None:
    assert check(run(with_child("info_change", ADULT, ["child"])), "CHILD-MINOR")["outcome"] == "fail"
    assert (
        check(run(with_child("info_change", ADULT, ["address"])), "CHILD-MINOR")["outcome"]
        == "not_applicable"
    )
    assert (
        check(run(with_child("info_change", {**ADULT, "added": True}, ["address"])), "CHILD-MINOR")["outcome"]
        == "fail"
    )
    assert (
        check(run(with_child("info_change", {**ADULT, "added": False}, ["child"])), "CHILD-MINOR")["outcome"]
        == "not_applicable"
    )
    minor = {"birth_date": "2004-07-09", "hukou": "non_beijing"}  # 18 one day after as_of
    assert check(run(with_child("info_change", minor, ["child"])), "CHILD-MINOR")["outcome"] == "pass"


def test_new_ignores_added_every_child_is_being_added() -> None:
    data = base_case()
    data["applicant"]["children"] = [{"birth_date": "2007-11-20", "hukou": "non_beijing", "added": False}]
    assert check(run(data), "CHILD-MINOR")["outcome"] == "fail"


@pytest.mark.parametrize(("sole_custody", "outcome"), [(True, "pass"), (False, "fail"), (None, "review")])
def test_divorced_parents_need_sole_custody(sole_custody: bool | None, outcome: str) -> None:
    """CHILD-MINOR: 新办 申请人上传 7③ "需由申请人单独抚养"."""
    data = base_case()
    data["applicant"]["children"] = [
        {"birth_date": "2019-09-01", "hukou": "non_beijing"},
        {
            "birth_date": "2019-09-01",
            "hukou": "non_beijing",
            "parents": "divorced",
            "sole_custody": sole_custody,
        },
    ]
    found = check(run(data), "CHILD-MINOR")
    assert found["outcome"] == outcome
    if outcome != "pass":
        assert "第 2 个随往子女" in found["message"]
