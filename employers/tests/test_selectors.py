"""Selectors other apps use; facts_for maps onto the eligibility contract's `employer` (ORG-*)."""

from __future__ import annotations

from datetime import date

import pytest

from employers import selectors
from employers.tests import factories

pytestmark = pytest.mark.django_db
CONTRACT_KEYS = {
    "kind",
    "registered_district",
    "tax_registered_on",
    "registered_capital",
    "annual_tax",
    "ai_key_area",
    "growth_tech",
    "innovation_entity",
    "service_entity",
    "receive_only",
    "sanctioned",
}


def test_facts_for_an_enterprise_matches_the_contract_example():
    employer = factories.make_employer(
        rights="approved",
        registered_capital=5_000_000,
        tax_registered_on=date(2019, 5, 1),
        annual_tax=800_000,
    )
    facts = selectors.facts_for(employer)
    assert set(facts) == CONTRACT_KEYS
    assert facts == {
        "kind": "enterprise",
        "registered_district": "haidian",
        "tax_registered_on": "2019-05-01",
        "registered_capital": 5_000_000,
        "annual_tax": 800_000,
        "ai_key_area": False,
        "growth_tech": False,
        "innovation_entity": False,
        "service_entity": False,
        "receive_only": False,
        "sanctioned": False,
    }


@pytest.mark.parametrize(
    ("category", "innovation", "service"),
    [
        ("high_tech", True, False),
        ("new_rnd", True, False),
        ("innovative_hq", True, False),
        ("law_firm", False, True),
        ("financial", False, True),
        ("other", False, False),
    ],
)
def test_categories_map_to_cl4_and_cl5(category, innovation, service):
    facts = selectors.facts_for(factories.make_employer(category=category))
    assert facts["innovation_entity"] is innovation
    assert facts["service_entity"] is service


def test_receive_only_only_when_approved_as_such():
    assert selectors.facts_for(factories.make_employer(rights="approved", kind="receive_only"))[
        "receive_only"
    ]
    assert not selectors.facts_for(factories.make_employer(rights="pending", kind="receive_only"))[
        "receive_only"
    ]


def test_public_institution_and_flags():
    employer = factories.make_employer(
        legal_person_kind="public_institution",
        registered_district="chaoyang",
        ai_key_area=True,
        growth_tech=True,
    )
    facts = selectors.facts_for(employer)
    assert facts["kind"] == "public_institution"
    assert facts["registered_district"] == "chaoyang"
    assert facts["ai_key_area"] and facts["growth_tech"]
    assert facts["tax_registered_on"] is None and facts["annual_tax"] is None


def test_employer_and_association_selectors():
    employer = factories.make_employer(rights="approved")
    hr = factories.operator(employer)
    person = factories.applicant()
    assert selectors.employer_for_operator(hr) == employer
    assert selectors.employer_for_operator(person.user) is None
    assert selectors.current_employer_for(person) is None
    factories.association(person, employer, status="pending")
    assert selectors.current_employer_for(person) is None
    pending = selectors.pending_association_for(person)
    assert pending is not None and pending.employer == employer
    assert selectors.approved_association_for(person) is None
    approved = factories.association(person, factories.make_employer(rights="approved"), status="approved")
    assert selectors.approved_association_for(person) == approved
    assert selectors.current_employer_for(person) == approved.employer
