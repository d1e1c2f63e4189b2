"""parse_facts: the contract's input, strict, with field paths in errors."""

from __future__ import annotations

from datetime import date

import pytest

from policy import InvalidFacts, parse_facts
from policy.tests.helpers import base_case


def errors_of(data: dict) -> list[tuple[str, str]]:
    with pytest.raises(InvalidFacts) as raised:
        parse_facts(data)
    return raised.value.errors


def test_base_case_parses_with_dates_and_defaults() -> None:
    facts = parse_facts(base_case())
    assert facts.as_of == date(2025, 11, 20)
    assert facts.applicant.birth_date == date(1992, 4, 15)
    assert facts.claimed_clause is None
    assert facts.changes == []
    assert facts.applicant.residence is not None
    assert facts.applicant.residence.landlord == "other"
    assert facts.applicant.residence.co_owned is False
    assert facts.applicant.education_verification == "valid"
    assert facts.applicant.title_route is None
    assert facts.applicant.title_verifiable_online is True
    assert facts.applicant.award_verifiable_online is True
    assert facts.applicant.children[0].parents == "married"


def test_bad_date_names_field_and_value() -> None:
    data = base_case()
    data["applicant"]["birth_date"] = "1990-13-01"
    assert errors_of(data) == [("applicant.birth_date", "not a date: '1990-13-01'")]
    assert str(InvalidFacts(errors_of(data))) == "applicant.birth_date: not a date: '1990-13-01'"


@pytest.mark.parametrize("value", ["20251120", "2025-1-20", 20251120, "2025-11-20T00:00:00", None])
def test_as_of_must_be_iso_date(value: object) -> None:
    data = base_case()
    data["as_of"] = value
    [(path, message)] = errors_of(data)
    assert path == "as_of"
    assert message.startswith("not a date")


def test_unknown_key_is_an_error_with_its_path() -> None:
    data = base_case()
    data["applicant"]["favourite_colour"] = "blue"
    assert errors_of(data) == [("applicant.favourite_colour", "unknown key")]


def test_money_must_be_whole_yuan() -> None:
    data = base_case()
    data["applicant"]["monthly_income"][2]["amount"] = 21000.0
    data["employer"]["annual_tax"] = "800000"
    data["employer"]["registered_capital"] = -1
    errors = dict(errors_of(data))
    assert errors["applicant.monthly_income[2].amount"] == "not a whole number: 21000.0"
    assert errors["employer.annual_tax"] == "not a whole number: '800000'"
    assert "employer.registered_capital" in errors


def test_enums_are_strict() -> None:
    data = base_case()
    data["business"] = "renew"
    data["applicant"]["hukou"] = "Beijing"
    errors = dict(errors_of(data))
    assert "'renew' is not one of" in errors["business"]
    assert "'Beijing' is not one of" in errors["applicant.hukou"]


def test_booleans_are_strict_and_months_checked() -> None:
    data = base_case()
    data["employer"]["sanctioned"] = "false"
    data["applicant"]["monthly_income"][0]["month"] = "2025-13"
    errors = dict(errors_of(data))
    assert errors["employer.sanctioned"] == "not true or false: 'false'"
    assert errors["applicant.monthly_income[0].month"] == "not a month (YYYY-MM): '2025-13'"


def test_optional_materials_facts_are_accepted() -> None:
    data = base_case()
    data["claimed_clause"] = 2
    data["changes"] = ["child", "address"]
    data["applicant"]["residence"].update({"landlord": "rural_homestead", "co_owned": False})
    data["applicant"].update(
        {"education_verification": "manual", "title_route": "exam", "title_verifiable_online": False}
    )
    data["applicant"]["children"][0]["parents"] = "divorced"
    data["permit"] = {"expires_on": "2026-01-01", "employer_change_pending": False, "migrated": True}
    facts = parse_facts(data)
    assert facts.claimed_clause == 2
    assert facts.permit is not None and facts.permit.migrated is True
    data["claimed_clause"] = 9
    assert errors_of(data)[0][0] == "claimed_clause"


def test_missing_facts_default_to_none_not_an_error() -> None:
    facts = parse_facts({"business": "new", "as_of": "2025-11-20"})
    assert facts.employer.kind is None
    assert facts.applicant.monthly_income == []
    assert facts.submission_date == date(2025, 11, 20)


def test_business_and_as_of_are_required() -> None:
    assert dict(errors_of({})) == {"business": "required", "as_of": "required"}


def test_not_an_object() -> None:
    with pytest.raises(InvalidFacts):
        parse_facts([])  # type: ignore[arg-type]
