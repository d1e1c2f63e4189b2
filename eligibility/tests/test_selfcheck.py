"""The public self-check page: plain-Chinese questions, the same evaluate_json as the API and CLI."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from eligibility import forms, services
from eligibility.tests.conftest import example

URL = reverse("eligibility:self_check")


def form_data(**overrides: str) -> dict[str, str]:
    """The answers of the base example (clause 1, enterprise, 21000 a month) as the form posts them."""
    data = {
        "business": "new",
        "as_of": "2025-11-20",
        "employer_kind": "enterprise",
        "employer_haidian": "yes",
        "employer_tax_since": "2019-05-01",
        "employer_capital": "5000000",
        "employer_annual_tax": "800000",
        "employer_ai_key_area": "no",
        "employer_growth_tech": "no",
        "employer_innovation_entity": "no",
        "employer_service_entity": "no",
        "employer_receive_only": "no",
        "birth_date": "1992-04-15",
        "retirement_category": "male",
        "hukou": "non_beijing",
        "employed_since": "2023-03-01",
        "residence_kind": "rented",
        "residence_in_beijing": "yes",
        "residence_residential": "yes",
        "same_contract": "yes",
        "same_tax": "yes",
        "same_social": "yes",
        "social_insurance_continuous": "yes",
        "degree": "master",
        "work_start": "2018-07-01",
        "title": "",
        "award_level": "",
        "award_field": "science",
        "ip_commercialised": "no",
        "renewal_income_continuous": "yes",
        "child_birth_0": "2019-09-01",
        "child_hukou_0": "non_beijing",
        "child_hukou_1": "non_beijing",
        "child_hukou_2": "non_beijing",
    }
    for i, month in enumerate(["2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10"]):
        data[f"income_month_{i}"] = month
        data[f"income_amount_{i}"] = "21000"
    data.update(overrides)
    return data


def test_form_builds_the_same_facts_as_the_example():
    form = forms.SelfCheckForm(form_data(), today=date(2025, 11, 20))
    assert form.is_valid(), form.errors
    facts = form.facts()
    expected = example("base-eligible-clause1")["input"]
    assert facts["employer"] == expected["employer"]
    for key in ("birth_date", "hukou", "employed_since", "residence", "same_employer", "monthly_income"):
        assert facts["applicant"][key] == expected["applicant"][key], key
    assert facts["applicant"]["work_periods"] == expected["applicant"]["work_periods"]
    assert facts["applicant"]["children"] == expected["applicant"]["children"]


@pytest.mark.django_db
def test_form_answer_equals_evaluate_json_of_its_facts(client):
    response = client.post(URL, form_data())
    form = forms.SelfCheckForm(form_data(), today=date(2025, 11, 20))
    assert form.is_valid()
    assert response.context["result"]["decision"] == services.evaluate_json(form.facts())["decision"]


@pytest.mark.django_db
def test_get_shows_the_questions_with_today_as_default(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "资格自测" in body
    assert "受理日期" in body
    assert "办理业务" in body
    assert 'type="month"' not in body  # one short page at a time: the incomes come later
    assert "第 1 步" in body
    as_of = re.search(r'<input[^>]*name="as_of"[^>]*>', body)
    assert as_of and f'value="{timezone.localdate().isoformat()}"' in as_of.group(0)


@pytest.mark.django_db
def test_first_page_is_rendered_once_per_language_and_day(client):
    """Issue 12: the first page's questions are cached per (language, day); the page stays the same
    page, with its own CSRF token, and the English page stays English."""
    first = client.get(URL).content.decode()
    again = client.get(URL).content.decode()
    strip = lambda text: re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", text)  # noqa: E731
    assert strip(first) == strip(again) and "受理日期" in again
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "受理日期" not in english and 'name="as_of"' in english
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        later = client.get(URL).content.decode()
    assert f'value="{(timezone.localdate() + timedelta(days=2)).isoformat()}"' in later


@pytest.mark.django_db
def test_eligible_case_shows_decision_and_clause(client):
    response = client.post(URL, form_data())
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["result"]["decision"] == "eligible"
    assert "符合条件" in body
    assert "CL1-DEGREE-EXPERIENCE" in body
    assert "ORG-HAIDIAN" in body
    assert 'data-clause="1"' in body


@pytest.mark.django_db
def test_income_one_yuan_short_shows_the_shortfall(client):
    """APP-INCOME-RECENT at the boundary: 105845 over six months is 1 yuan short of 105846."""
    amounts = ["17641"] * 5 + ["17640"]
    data = form_data(**{f"income_amount_{i}": a for i, a in enumerate(amounts)})
    response = client.post(URL, data)
    result = response.context["result"]
    assert result["decision"] == "ineligible"
    assert result["qualifying"] == []
    clause1 = result["clauses"][0]
    income = next(c for c in clause1["checks"] if c.rule == "APP-INCOME-RECENT")
    assert income.outcome == "fail"
    assert income.shortfall == 1
    body = response.content.decode()
    assert "105846" in body
    assert "差 1 元" in body


@pytest.mark.django_db
def test_income_exact_threshold_passes(client):
    data = form_data(**{f"income_amount_{i}": "17641" for i in range(6)})
    assert client.post(URL, data).context["result"]["decision"] == "eligible"


@pytest.mark.django_db
def test_errors_are_summarised_and_nothing_typed_is_lost(client):
    data = form_data(birth_date="1990-13-01", employer_capital="一百万", income_month_2="2025/07")
    response = client.post(URL, data)
    assert response.context.get("result") is None
    # the first page with a problem is shown, its errors next to the fields and in the summary
    assert response.context["step"].name == "employer_size"
    assert set(response.context["form"].errors) == {"employer_capital"}
    body = response.content.decode()
    assert "error-summary" in body
    assert 'href="#id_employer_capital"' in body
    # every other answer travels on as a hidden field: nothing typed is lost
    for typed in ("1990-13-01", "一百万", "2025/07", "2019-05-01", "21000"):
        assert typed in body


@pytest.mark.django_db
def test_renewal_needs_the_expiry(client):
    response = client.post(URL, form_data(business="renewal"))
    assert "permit_expires_on" in response.context["form"].errors


@pytest.mark.django_db
def test_renewal_in_time_and_late_at_the_guide_example(client):
    """REN-DEADLINE via the form: expiry 2022-08-06, Fri 07-08 in time, Mon 07-11 late → review
    (edition 2: 责任由申请单位及申请人承担, not refused)."""
    common = {
        "business": "renewal",
        "permit_expires_on": "2022-08-06",
        "employed_since": "2018-01-01",
        "birth_date": "1988-01-01",
        "child_birth_0": "",
    }
    months = ["2021-12", "2022-01", "2022-02", "2022-03", "2022-04", "2022-05"]
    common.update({f"income_month_{i}": m for i, m in enumerate(months)})
    in_time = client.post(URL, form_data(as_of="2022-07-08", **common)).context["result"]
    late = client.post(URL, form_data(as_of="2022-07-11", **common)).context["result"]
    outcomes_in_time = {c.rule: c.outcome for c in in_time["checks"]}
    outcomes_late = {c.rule: c.outcome for c in late["checks"]}
    assert outcomes_in_time["REN-DEADLINE"] == "pass"
    assert outcomes_in_time["REN-INCOME-3Y"] == "pass"
    assert outcomes_late["REN-DEADLINE"] == "review"
    assert late["decision"] == "needs_review"


@pytest.mark.django_db
def test_date_before_the_first_parameter_is_reported_at_the_acceptance_date(client):
    response = client.post(URL, form_data(as_of="2018-06-01"))
    assert response.context.get("result") is None
    assert response.context["step"].name == "business"
    assert "as_of" in response.context["form"].errors


@pytest.mark.django_db
def test_english_page(client):
    client.cookies["django_language"] = "en"
    response = client.post(URL, form_data(), headers={"Accept-Language": "en"})
    result = response.context["result"]
    assert all(c.message.isascii() for c in result["checks"])


@pytest.mark.django_db
def test_tenure_short_shows_the_days_missing(client):
    """APP-TENURE boundary: employed 2025-05-21 reaches 6 months on 2025-11-21, one day after as_of;
    short is `review` in edition 2 (一般应在申请单位工作满6个月), the days missing still shown."""
    response = client.post(URL, form_data(employed_since="2025-05-21"))
    result = response.context["result"]
    tenure = next(c for c in result["checks"] if c.rule == "APP-TENURE")
    assert tenure.outcome == "review"
    assert (tenure.shortfall, tenure.shortfall_unit) == (1, "天")
    assert "差 1 天" in response.content.decode()
    on_time = client.post(URL, form_data(employed_since="2025-05-20")).context["result"]
    assert next(c for c in on_time["checks"] if c.rule == "APP-TENURE").outcome == "pass"


@pytest.mark.django_db
def test_evaluation_record_keeps_engine_version_and_parameter_hash(supervisor):
    from policy import ENGINE_VERSION, evaluate, parse_facts

    facts = parse_facts(example("base-eligible-clause1")["input"])
    parameters = services.current_parameters()
    result = evaluate(facts, parameters, calendar=services.current_calendar())
    record = services.evaluation_record(result, parameters, facts.as_of)
    assert record["engine_version"] == ENGINE_VERSION
    assert record["parameters_hash"] == parameters.snapshot_hash(facts.as_of)
    assert record["result"] == result.model_dump(mode="json")
    # a value entered later for a later date does not change the snapshot of a 2025 case …
    services.add_parameter_value(
        supervisor,
        parameter_id="P-WAGE-MONTHLY",
        effective_from=date(2026, 1, 1),
        value="12500",
        citation="x",
    )
    newer = services.current_parameters()
    assert (
        services.evaluation_record(result, newer, facts.as_of)["parameters_hash"] == record["parameters_hash"]
    )
    # … but does change it for a 2026 case
    assert newer.snapshot_hash(date(2026, 2, 1)) != parameters.snapshot_hash(date(2026, 2, 1))


@pytest.mark.django_db
def test_entered_wage_changes_the_threshold_from_its_date_only(supervisor):
    """P-FALLBACK via evaluate_json: 2026-01-01 value used for as_of 2026-02-01, not for 2025-12-01."""
    services.add_parameter_value(
        supervisor,
        parameter_id="P-WAGE-MONTHLY",
        effective_from=date(2026, 1, 1),
        value="12500",
        citation="x",
    )

    def threshold(as_of: str, months: list[str]) -> tuple[int, dict]:
        data = example("base-eligible-clause1")["input"]
        data["as_of"] = data["submitted_on"] = as_of
        data["applicant"]["monthly_income"] = [
            {"month": m, "amount": 21000, "corrected": False} for m in months
        ]
        result = services.evaluate_json(data)
        income = next(c for c in result["clauses"][0]["checks"] if c["rule"] == "APP-INCOME-RECENT")
        wage = next(p for p in result["parameters"] if p["id"] == "P-WAGE-MONTHLY")
        return income["facts"]["threshold_total"], wage

    total_2026, wage_2026 = threshold(
        "2026-02-01", ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]
    )
    total_2025, wage_2025 = threshold(
        "2025-12-01", ["2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10"]
    )
    assert wage_2026 == {
        "id": "P-WAGE-MONTHLY",
        "value": 12500,
        "effective_from": "2026-01-01",
        "fallback": False,
    }
    assert total_2026 == 18750 * 6  # floor(12500 × 1.5) × 6
    assert wage_2025["value"] == 11761
    assert total_2025 == 105846


@pytest.mark.django_db
def test_self_check_is_rate_limited_and_keeps_the_answers(client, settings):
    settings.ELIGIBILITY_RATE_LIMIT = 1
    assert client.post(URL, form_data()).context["result"] is not None
    response = client.post(URL, form_data(birth_date="1991-01-02"))
    assert response.context.get("result") is None
    body = response.content.decode()
    assert "提交过于频繁" in body
    assert "1991-01-02" in body


@pytest.mark.django_db
def test_evaluate_for_storage_matches_evaluate_json():
    from policy import ENGINE_VERSION

    data = example("base-eligible-clause1")["input"]
    record = services.evaluate_for_storage(data)
    assert record["result"] == services.evaluate_json(data)
    assert record["engine_version"] == ENGINE_VERSION
    assert record["parameters_hash"] == services.current_parameters().snapshot_hash(date(2025, 11, 20))
    assert record["as_of"] == "2025-11-20"
    bad = dict(data, as_of="2025-02-30")
    with pytest.raises(services.EvaluationError) as info:
        services.evaluate_for_storage(bad)
    assert info.value.errors[0].loc == "as_of"


@pytest.mark.parametrize(
    ("level", "award"),
    [
        ("national", {"level": "national", "prize": 2, "field": "science"}),
        ("ministerial", {"level": "ministerial", "prize": 2, "field": "science"}),
        ("provincial_beijing", {"level": "provincial", "prize": 2, "field": "science", "region": "beijing"}),
        ("provincial_other", {"level": "provincial", "prize": 2, "field": "science", "region": "other"}),
    ],
)
def test_award_choices_give_the_edition_2_award_facts(level, award):
    """CL3-AWARD (edition 2): 国家和本市 — the form tells a Beijing provincial award from another region's."""
    form = forms.SelfCheckForm(
        form_data(award_level=level, award_prize="2", award_field="science"), today=date(2025, 11, 20)
    )
    assert form.is_valid(), form.errors
    assert form.facts()["applicant"]["awards"] == [award]


@pytest.mark.django_db
def test_professional_partnership_is_a_choice_and_reaches_review(client):
    """ORG-LEGAL-ENTITY (edition 2): 律师事务所、会计师事务所 … → review, never a refusal by the system."""
    response = client.post(URL, form_data(employer_kind="professional_partnership"))
    assert "合伙制专业服务机构" in response.content.decode()
    result = response.context["result"]
    legal = next(c for c in result["checks"] if c.rule == "ORG-LEGAL-ENTITY")
    assert legal.outcome == "review"
    assert result["decision"] == "needs_review"
