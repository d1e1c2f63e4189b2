"""The guided self-check (issue 10, item 5): short question pages that skip what does not apply,
answers carried as hidden fields, a plain answer without internal codes; required fields asked."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from eligibility.tests.test_selfcheck import form_data

URL = reverse("eligibility:self_check")
CODES = [
    re.compile(r"\b[A-Z]{2,}[0-9]*(?:-[A-Z0-9]+)+\b"),  # rule IDs (ORG-TAX-TENURE)
    re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z_]+\b"),  # field paths (employer.tax_registered_on)
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # enum values (not_provided)
    re.compile(r"\benterprise\b"),
    re.compile(r"\b\d+y\d+m\b"),  # raw durations (63y0m)
]


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible(response) -> str:
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def assert_no_codes(response) -> None:
    text = visible(response)
    for pattern in CODES:
        assert not pattern.search(text), (pattern.pattern, pattern.search(text))


def walk(client, answers: dict[str, str]) -> tuple[list[str], Any]:
    """Answers each page the flow shows with `answers` (the hidden fields carried) until the result."""
    response = client.get(URL)
    seen: list[str] = []
    for _i in range(30):
        if response.context.get("result") is not None:
            return seen, response
        step = response.context["step"]
        seen.append(step.name)
        assert not response.context["form"].errors, (step.name, response.context["form"].errors)
        post = {"step": step.name, "action": "next"}
        post.update(dict(response.context["carry"]))
        for name in step.fields:
            post.pop(name, None)
            if name in answers:
                post[name] = answers[name]
        response = client.post(URL, post)
    raise AssertionError(f"no result after {seen}")


def realistic(**overrides: str) -> dict[str, str]:
    data = form_data(clauses="1", has_children="yes")
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_flow_skips_what_does_not_apply(client):
    """A new case at an enterprise, clause 1 only, with a child: 12 short pages, none for the
    permit, the renewal income or the other clauses."""
    seen, response = walk(client, realistic())
    assert seen == [
        "business",
        "employer",
        "employer_size",
        "employer_field",
        "applicant",
        "residence",
        "income",
        "route",
        "clause1",
        "children_any",
        "children",
    ]
    assert response.context["result"]["decision"] == "eligible"
    assert response.context["answer"]["qualifying"][0]["number"] == 1


@pytest.mark.django_db
def test_flow_asks_the_clause_chosen_and_skips_children_when_none(client):
    data = realistic(employer_kind="public_institution", has_children="no", clauses="2", title="intermediate")
    data.pop("employer_capital")
    data.pop("employer_annual_tax")
    seen, response = walk(client, data)
    assert "employer_size" not in seen
    assert "clause2" in seen and "clause1" not in seen
    assert "children" not in seen
    assert response.context["answer"]["chosen"][0]["number"] == 2


@pytest.mark.django_db
def test_renewal_asks_for_the_permit(client):
    seen, _response = walk(client, realistic(business="renewal", permit_expires_on="2026-03-01"))
    assert {"permit", "renewal_income"} <= set(seen)


@pytest.mark.django_db
def test_plain_answer_shows_no_codes_and_the_shortfall_in_yuan(client):
    """APP-INCOME-RECENT one yuan short: the answer says 差 1 元, no rule IDs or enum values."""
    amounts = {f"income_amount_{i}": a for i, a in enumerate(["17641"] * 5 + ["17640"])}
    _seen, response = walk(client, realistic(**amounts))
    assert response.context["result"]["decision"] == "ineligible"
    text = visible(response)
    assert "差 1 元" in text
    assert "下一步怎么办" in text
    assert_no_codes(response)
    body = response.content.decode()
    assert "<details" in body and "查看逐条判断" in body


@pytest.mark.django_db
def test_plain_answer_shows_days_short(client):
    """APP-TENURE one day short: employed 2025-05-21, acceptance 2025-11-20."""
    _seen, response = walk(client, realistic(employed_since="2025-05-21"))
    assert "差 1 天" in visible(response)
    assert_no_codes(response)


@pytest.mark.django_db
def test_answers_near_retirement_show_ages_not_raw_durations(client):
    _seen, response = walk(client, realistic(birth_date="1963-01-01"))
    assert_no_codes(response)


@pytest.mark.django_db
def test_eligible_answer_has_no_codes(client):
    _seen, response = walk(client, realistic())
    assert_no_codes(response)
    assert "第 1 条" in visible(response)


@pytest.mark.django_db
def test_empty_form_asks_for_the_fields_instead_of_answering(client):
    response = client.post(URL, {})
    assert response.context.get("result") is None
    errors = response.context["form"].errors
    assert errors and response.context["step"].name == "employer"
    assert "employer_tax_since" in errors
    assert "不符合条件" not in response.content.decode()


@pytest.mark.django_db
def test_a_page_with_a_missing_answer_stays_with_the_error_next_to_it(client):
    response = client.get(URL)
    post = {"step": "employer", "action": "next", "employer_kind": "enterprise", "employer_haidian": "yes"}
    post.update({k: v for k, v in response.context["carry"] if k not in post})
    post["employer_tax_since"] = ""
    response = client.post(URL, post)
    assert response.context["step"].name == "employer"
    assert list(response.context["form"].errors) == ["employer_tax_since"]
    body = response.content.decode()
    assert 'class="error-message"' in body and 'href="#id_employer_tax_since"' in body


@pytest.mark.django_db
def test_route_needs_a_choice(client):
    response = client.post(URL, {"step": "route", "action": "next"})
    assert response.context["step"].name == "route"
    assert "clauses" in response.context["form"].errors


@pytest.mark.django_db
def test_back_keeps_what_was_typed(client):
    post = {"step": "applicant", "action": "back", "birth_date": "1990-02-03", "hukou": "non_beijing"}
    response = client.post(URL, post)
    assert response.context["step"].name == "employer_field"
    assert ("birth_date", "1990-02-03") in response.context["carry"]
    assert not response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["birth_date", "work_start", "employer_tax_since", "child_birth_0"])
def test_future_dates_are_refused_one_day_after_today(client, name):
    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).isoformat()
    response = client.post(URL, form_data(**{name: tomorrow, "as_of": today.isoformat()}))
    assert response.context.get("result") is None
    assert name in response.context["form"].errors
    assert "不能晚于今天" in str(response.context["form"].errors[name])
    ok = client.post(URL, form_data(**{name: today.isoformat(), "as_of": today.isoformat()}))
    assert name not in ok.context["form"].errors


@pytest.mark.django_db
def test_hiring_date_may_be_planned_up_to_the_acceptance_date(client):
    today = timezone.localdate()
    as_of = today + timedelta(days=30)
    ok = client.post(URL, form_data(as_of=as_of.isoformat(), employed_since=as_of.isoformat()))
    assert "employed_since" not in ok.context["form"].errors
    late = client.post(
        URL, form_data(as_of=as_of.isoformat(), employed_since=(as_of + timedelta(days=1)).isoformat())
    )
    assert "employed_since" in late.context["form"].errors


def test_plain_text_removes_codes():
    from eligibility.presentation import plain_text

    text = plain_text("ORG-TAX-TENURE 未提供：employer.tax_registered_on，类型 enterprise，年龄 63y0m")
    assert "ORG" not in text and "employer." not in text and "enterprise" not in text
    assert "63 周岁" in text


def test_dates_are_not_read_from_a_clock_in_the_validator():
    from core.dates import not_after, not_before

    assert not_after(date(2025, 1, 2), date(2025, 1, 1), "出生日期") is not None
    assert not_after(date(2025, 1, 1), date(2025, 1, 1), "出生日期") is None
    assert not_before(date(2025, 1, 2), date(2025, 1, 1), "开始日期", "结束日期") is not None
    assert not_before(date(2025, 1, 2), date(2025, 1, 2), "开始日期", "结束日期") is None


@pytest.mark.django_db
def test_professional_partnership_is_a_choice_of_the_flow(client):
    """h-rules' new employer kind: offered on the employer page, no capital page, a reviewer decides."""
    response = client.post(URL, {"step": "business", "action": "next"})
    assert 'value="professional_partnership"' in response.content.decode()
    data = realistic(employer_kind="professional_partnership")
    data.pop("employer_capital")
    data.pop("employer_annual_tax")
    seen, response = walk(client, data)
    assert "employer_size" not in seen
    assert response.context["result"]["decision"] == "needs_review"
    assert_no_codes(response)
    assert "需要人工判断的事项" in visible(response)
