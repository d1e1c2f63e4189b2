"""evaluate(): output shape, decision rules, languages, parameters reported, errors."""

from __future__ import annotations

import json
from datetime import date

import pytest

from policy import ENGINE_VERSION, ParameterMissing, ParameterValue, evaluate, load_parameters, parse_facts
from policy.messages import MESSAGES
from policy.tests.helpers import base_case, check, parameters, run


def test_output_has_exactly_the_contract_keys() -> None:
    result = run(base_case())
    assert list(result) == [
        "decision",
        "business",
        "as_of",
        "checks",
        "clauses",
        "qualifying_clauses",
        "parameters",
        "deadlines",
    ]
    assert set(result["checks"][0]) == {"rule", "outcome", "message", "facts"}
    assert set(result["clauses"][0]) == {"clause", "outcome", "checks"}
    assert set(result["parameters"][0]) == {"id", "value", "effective_from", "fallback"}
    json.dumps(result, ensure_ascii=False)


def test_contract_example_check_facts() -> None:
    found = next(c for c in run(base_case())["clauses"][0]["checks"] if c["rule"] == "APP-INCOME-RECENT")
    assert {
        k: found["facts"][k] for k in ("multiple", "months", "threshold_total", "actual_total", "shortfall")
    } == {
        "multiple": "1.5",
        "months": 6,
        "threshold_total": 105846,
        "actual_total": 126000,
        "shortfall": 0,
    }


def test_result_carries_engine_version_and_parameter_hash_outside_the_json() -> None:
    result = evaluate(parse_facts(base_case()), parameters())
    assert result.engine_version == ENGINE_VERSION
    assert result.parameters_hash == parameters().snapshot_hash(result.as_of)
    assert "engine_version" not in result.model_dump(mode="json")


def test_same_input_same_bytes() -> None:
    first = json.dumps(run(base_case()), ensure_ascii=False, sort_keys=True)
    second = json.dumps(run(base_case()), ensure_ascii=False, sort_keys=True)
    assert first == second


def test_decision_ineligible_when_no_clause_qualifies() -> None:
    data = base_case()
    data["applicant"]["degree"] = "associate"
    result = run(data)
    assert all(c["outcome"] != "fail" for c in result["checks"])
    assert result["qualifying_clauses"] == [] and result["decision"] == "ineligible"


def test_decision_review_clause_does_not_hide_a_passing_one() -> None:
    data = base_case()
    data["applicant"]["ip"] = [{"kind": "invention_patent", "author_rank": 1}]
    data["applicant"]["ip_commercialised_in_beijing"] = True
    result = run(data)
    assert result["qualifying_clauses"] == [1, 6]
    assert result["decision"] == "eligible"


def test_english_messages() -> None:
    data = base_case()
    data["employer"]["registered_capital"] = 999_999
    found = check(run(data, lang="en"), "ORG-CAPITAL")
    assert (
        found["message"]
        == "registered capital 999999 yuan is below the threshold of 1000000 yuan, shortfall 1 yuan"
    )
    assert check(run(data), "ORG-CAPITAL")["message"] == "注册资本 999999 元，低于门槛 1000000 元，差额 1 元"
    assert check(run(data, lang="en-GB"), "ORG-CAPITAL")["message"].startswith("registered capital")


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    import string

    for key, (zh, en) in MESSAGES.items():
        names_zh = {f for _, f, _, _ in string.Formatter().parse(zh) if f}
        names_en = {f for _, f, _, _ in string.Formatter().parse(en) if f}
        assert names_zh == names_en, key
        assert zh != en, key


def test_every_message_renders_in_both_languages() -> None:
    import string

    from policy.messages import render

    for key, (zh, _) in MESSAGES.items():
        names = {f for _, f, _, _ in string.Formatter().parse(zh) if f}
        values = dict.fromkeys(names, 7)
        for lang in ("zh", "en"):
            text = render(key, lang, values)
            assert "{" not in text and text


def test_labels_in_chinese_messages() -> None:
    data = base_case()
    data["applicant"]["hukou"] = "beijing_collective"
    assert "北京市集体户口" in check(run(data), "APP-HUKOU")["message"]


def test_parameters_used_are_reported_with_effective_dates() -> None:
    params = {p["id"]: p for p in run(base_case())["parameters"]}
    assert params["P-WAGE-MONTHLY"] == {
        "id": "P-WAGE-MONTHLY",
        "value": 11761,
        "effective_from": "2025-01-01",
        "fallback": False,
    }
    assert params["P-MULT-ENTERPRISE"]["value"] == "1.5"


def test_next_year_wage_is_a_reported_fallback() -> None:
    data = base_case()
    data["as_of"] = data["submitted_on"] = "2026-01-15"
    data["applicant"]["monthly_income"] = [
        {"month": f"2025-{m:02d}", "amount": 21000, "corrected": False} for m in range(7, 13)
    ]
    wage = next(p for p in run(data)["parameters"] if p["id"] == "P-WAGE-MONTHLY")
    assert wage == {"id": "P-WAGE-MONTHLY", "value": 11761, "effective_from": "2025-01-01", "fallback": True}


def test_entered_wage_is_used_once_published() -> None:
    data = base_case()
    data["as_of"] = data["submitted_on"] = "2026-01-15"
    data["applicant"]["monthly_income"] = [
        {"month": f"2025-{m:02d}", "amount": 21000, "corrected": False} for m in range(7, 13)
    ]
    params = load_parameters([ParameterValue("P-WAGE-MONTHLY", date(2026, 1, 1), 14000, "2026 公布")])
    result = run(data, params=params)
    found = next(c for c in result["clauses"][0]["checks"] if c["rule"] == "APP-INCOME-RECENT")
    assert found["facts"]["threshold_total"] == 21000 * 6 and found["outcome"] == "pass"
    assert result["decision"] == "eligible"


def test_case_before_first_wage_entry_is_parameter_missing() -> None:
    data = base_case()
    data["as_of"] = data["submitted_on"] = "2024-11-20"
    data["applicant"]["monthly_income"] = [
        {"month": f"2024-{m:02d}", "amount": 21000, "corrected": False} for m in range(5, 11)
    ]
    with pytest.raises(ParameterMissing) as raised:
        evaluate(parse_facts(data), parameters())
    assert "P-WAGE-MONTHLY" in str(raised.value) and "2024-11-20" in str(raised.value)


def test_empty_new_case_never_crashes_and_never_passes() -> None:
    result = run({"business": "new", "as_of": "2025-11-20"}, lang="en")
    assert result["decision"] == "ineligible"
    for c in result["checks"]:
        if c["rule"] == "DOC-VALIDITY":  # edition 2: nothing to judge is `pass`
            assert c["outcome"] == "pass"
            continue
        assert c["outcome"] in ("fail", "not_applicable"), c
    assert result["qualifying_clauses"] == []


@pytest.mark.parametrize("business", ["renewal", "employer_change", "info_change"])
def test_empty_other_cases_never_crash(business: str) -> None:
    result = run({"business": business, "as_of": "2025-11-20"})
    assert result["decision"] == "ineligible"


@pytest.mark.parametrize("business", ["new", "renewal", "employer_change", "info_change"])
def test_result_built_without_validation_is_valid(business: str) -> None:
    from policy.result import Result
    from policy.tests.helpers import renewal_case

    data = base_case() if business == "new" else {**renewal_case(), "business": business}
    result = evaluate(parse_facts(data), parameters())
    dumped = result.model_dump(mode="json")
    again = Result.model_validate(dumped).model_dump(mode="json")
    assert {k: v for k, v in again.items() if k != "parameters"} == {
        k: v for k, v in dumped.items() if k != "parameters"
    }
    assert [p["id"] for p in again["parameters"]] == [p["id"] for p in dumped["parameters"]]
