"""Three doors, one answer: for generated valid facts the CLI prints exactly the API's body bytes,
which are exactly `dumps(evaluate_json(facts))` (eligibility-contract.md)."""

from __future__ import annotations

import copy
import io
import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from eligibility import services
from eligibility.tests.conftest import example

API_URL = "/api/v1/eligibility/check"
BASE = example("base-eligible-clause1")["input"]


def months_before(as_of: date, count: int) -> list[str]:
    year, month = as_of.year, as_of.month
    out = []
    for _i in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(f"{year:04d}-{month:02d}")
    return list(reversed(out))


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    business = draw(st.sampled_from(["new", "new", "renewal", "employer_change", "info_change"]))
    as_of = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 6, 30)))
    data["business"] = business
    data["as_of"] = data["submitted_on"] = as_of.isoformat()
    employer = data["employer"]
    employer["kind"] = draw(
        st.sampled_from(
            [
                "enterprise",
                "public_institution",
                "private_non_enterprise",
                "social_organization",
                "professional_partnership",
                "other",
            ]
        )
    )
    employer["registered_district"] = draw(st.sampled_from(["haidian", "chaoyang"]))
    employer["tax_registered_on"] = (as_of - timedelta(days=draw(st.integers(0, 900)))).isoformat()
    employer["registered_capital"] = draw(st.integers(0, 3_000_000))
    employer["annual_tax"] = draw(st.integers(0, 400_000))
    for flag in (
        "ai_key_area",
        "growth_tech",
        "innovation_entity",
        "service_entity",
        "receive_only",
        "sanctioned",
    ):
        employer[flag] = draw(st.booleans())
    applicant = data["applicant"]
    applicant["birth_date"] = draw(
        st.dates(min_value=date(1958, 1, 1), max_value=date(2004, 1, 1))
    ).isoformat()
    applicant["retirement_category"] = draw(st.sampled_from(["male", "female_55", "female_50"]))
    applicant["hukou"] = draw(
        st.sampled_from(["non_beijing", "beijing", "beijing_collective", "beijing_school_temporary"])
    )
    applicant["employed_since"] = (as_of - timedelta(days=draw(st.integers(0, 1500)))).isoformat()
    applicant["degree"] = draw(st.sampled_from(["none", "associate", "bachelor", "master", "doctor"]))
    applicant["title"] = draw(st.sampled_from([None, "junior", "intermediate", "senior", "equivalent"]))
    count = 36 if business == "renewal" else draw(st.sampled_from([3, 6]))
    amount = draw(st.integers(0, 120_000))
    applicant["monthly_income"] = [
        {"month": m, "amount": amount, "corrected": draw(st.booleans()) and draw(st.booleans())}
        for m in months_before(as_of, count)
    ]
    applicant["annual_income"] = [
        {"year": as_of.year - k, "amount": draw(st.integers(400_000, 1_200_000))} for k in (3, 2, 1)
    ]
    applicant["children"] = [
        {
            "birth_date": draw(st.dates(min_value=date(2005, 1, 1), max_value=as_of)).isoformat(),
            "hukou": draw(st.sampled_from(["non_beijing", "beijing"])),
        }
        for _i in range(draw(st.integers(0, 2)))
    ]
    if business != "new":
        expires = as_of + timedelta(days=draw(st.integers(-10, 90)))
        data["permit"] = {"expires_on": expires.isoformat(), "employer_change_pending": draw(st.booleans())}
    return data


def cli_bytes(data: dict[str, Any], lang: str) -> tuple[int, bytes, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "eligibility",
            "check",
            "-",
            "--lang",
            lang,
            stdin=io.StringIO(json.dumps(data)),
            stdout=out,
            stderr=err,
        )
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue().encode("utf-8"), err.getvalue()


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=facts(), lang=st.sampled_from(["zh", "en"]))
def test_cli_api_and_function_give_identical_bytes(client, settings, data, lang):
    settings.ELIGIBILITY_RATE_LIMIT = 10_000
    code, cli, err = cli_bytes(data, lang)
    response = client.post(
        API_URL, data=json.dumps(data), content_type="application/json", headers={"Accept-Language": lang}
    )
    if code == 0:
        assert response.status_code == 200
        assert response.content == cli
        assert cli.decode("utf-8") == services.dumps(services.evaluate_json(data, lang=lang))
        assert json.loads(cli)["decision"] in ("eligible", "needs_review", "ineligible")
    else:
        assert code == 2
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert err.strip() == "; ".join(f"{d['loc']}: {d['msg']}" for d in detail)
