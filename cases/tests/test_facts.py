"""cases.facts builds the eligibility contract's input from profile + employer + case."""

from __future__ import annotations

from datetime import date

from cases import services
from cases.facts import facts_for_case
from cases.tests import factories as f
from policy import parse_facts

TODAY = date(2025, 11, 20)


def test_facts_follow_the_contract_and_carry_case_entries(world):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = services.save_case_facts(
        world.applicant_user,
        case,
        version=case.version,
        data={
            "claimed_clause": 4,
            "evidence": {"awards": [{"level": "national", "prize": 2, "field": "science"}]},
        },
    )
    case = services.save_income(
        world.applicant_user,
        case,
        version=case.version,
        monthly=[(date(2025, 10, 1), 50_000, True)],
        annual=[(2022, 600_000), (2023, 610_000), (2024, 620_000)],
    )
    facts = facts_for_case(case, as_of=TODAY)
    parsed = parse_facts(facts)
    assert parsed.business == "new" and parsed.claimed_clause == 4
    assert facts["employer"]["kind"] == "enterprise" and facts["employer"]["sanctioned"] is False
    applicant = facts["applicant"]
    assert applicant["employed_since"] == "2023-03-01"  # from the association
    assert applicant["monthly_income"] == [{"month": "2025-10", "amount": 50000, "corrected": True}]
    assert [a["year"] for a in applicant["annual_income"]] == [2022, 2023, 2024]
    assert applicant["awards"] == [{"level": "national", "prize": 2, "field": "science"}]
    assert "same_employer" not in applicant  # not confirmed by the employer yet → "not provided"
    assert facts["permit"] is None


def test_employer_confirmation_and_dated_documents_enter_the_facts(world):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    case = f.fill_new_case(case, world.applicant_user, TODAY)
    case = services.submit(world.applicant_user, case, version=case.version, today=TODAY)
    case = f.employer_complete(case, world.operator, TODAY)
    facts = facts_for_case(case, as_of=TODAY)
    assert facts["applicant"]["same_employer"] == {
        "contract": True,
        "tax_withholding": True,
        "social_insurance": True,
    }
    kinds = {d["kind"] for d in facts["documents"]}
    assert {"lease", "labour_contract"} <= kinds
