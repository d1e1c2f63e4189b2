"""Issue 10 (9): what the employer gave when it confirmed the association is not asked for again.

The labour contract uploaded at association fills the case's LABOUR-CONTRACT item (DOC-CHECKLIST) as
its current version with its original uploader, and 入职日期 is prefilled from the association (or,
failing that, from the applicant's current work period at that employer)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Kind
from cases.tests import factories as f
from cases.tests.factories import World
from employers import services as employer_services
from permits.models import Permit
from permits.services import next_number

TODAY = date(2025, 11, 20)


def _associate_through_the_employer(world: World, *, contract_ends_on: date = date(2028, 2, 29)):
    """The real flow: the applicant enters the employer's code, the operator confirms with the
    employment data and the signed contract."""
    applicant = f.make_applicant()
    world.employer.association_code = "ABCD2345"
    world.employer.association_code_expires_on = TODAY + timedelta(days=30)
    world.employer.save()
    pending = employer_services.request_association(actor=applicant.user, code="ABCD2345", today=TODAY)
    association = employer_services.approve_association(
        actor=world.operator,
        public_id=pending.public_id,
        employed_since=date(2023, 3, 1),
        contract_ends_on=contract_ends_on,
        contract_file=f.pdf("合同.pdf"),
        today=TODAY,
    )
    return applicant, association


def test_contract_uploaded_at_association_fills_the_new_cases_item_and_hiring_date_is_prefilled(
    world: World,
):
    applicant, association = _associate_through_the_employer(world)
    case = services.start_new_case(applicant.user, today=TODAY)
    assert case.employed_since == date(2023, 3, 1)
    current = services.current_documents(case)
    assert current[("LABOUR-CONTRACT", None)] == association.labour_contract
    link = case.documents.get(material="LABOUR-CONTRACT")
    assert link.uploader == "employer" and link.added_by == world.operator  # its original uploader
    # Not asked again: neither the employer's missing list nor the submission problems name it.
    assert "LABOUR-CONTRACT" not in [i.id for i in services.missing_materials(case, TODAY, ["employer"])]
    # The applicant's facts page shows the hiring date filled in.
    client = Client()
    client.force_login(applicant.user)
    page = client.get(reverse("cases:facts", args=[case.public_id])).content.decode()
    assert 'value="2023-03-01"' in page


def test_the_latest_version_of_a_replaced_contract_is_reused(world: World):
    from materials.services import store_upload

    applicant, association = _associate_through_the_employer(world)
    newer = store_upload(
        uploaded_file=f.pdf("续订合同.pdf"),
        material="LABOUR-CONTRACT",
        uploaded_by=world.operator,
        employer=world.employer,
        applicant=applicant,
        replaces=association.labour_contract,
        valid_until=date(2029, 2, 28),
    )
    case = services.start_new_case(applicant.user, today=TODAY)
    assert services.current_documents(case)[("LABOUR-CONTRACT", None)] == newer


def test_an_expired_contract_is_not_reused(world: World):
    applicant, _association = _associate_through_the_employer(world, contract_ends_on=date(2025, 12, 31))
    case = services.start_new_case(applicant.user, today=date(2026, 1, 5))
    assert ("LABOUR-CONTRACT", None) not in services.current_documents(case)
    missing = [i.id for i in services.missing_materials(case, date(2026, 1, 5), ["employer"])]
    assert "LABOUR-CONTRACT" in missing


def test_a_contract_from_an_operator_who_left_the_employer_is_not_reused(world: World):
    applicant, _association = _associate_through_the_employer(world)
    world.operator.operator.employer = world.other_employer
    world.operator.operator.save()
    case = services.start_new_case(applicant.user, today=TODAY)
    assert ("LABOUR-CONTRACT", None) not in services.current_documents(case)


def test_renewal_reuses_the_association_contract(world: World):
    applicant, association = _associate_through_the_employer(world)
    Permit.objects.create(
        number=next_number(2023),
        holder=applicant,
        employer=world.employer,
        issued_on=date(2023, 1, 1),
        expires_on=date(2026, 1, 10),
    )
    case = services.start_employer_case(world.operator, applicant=applicant, kind=Kind.RENEWAL, today=TODAY)
    assert case.employed_since == date(2023, 3, 1)
    assert services.current_documents(case)[("LABOUR-CONTRACT", None)] == association.labour_contract


def test_hiring_date_falls_back_to_the_current_work_period_at_the_employer(world: World):
    world.association.employed_since = None
    world.association.save()
    world.applicant.periods.create(
        kind="work", organisation=world.employer.name, start=date(2024, 4, 15), role="工程师"
    )
    world.applicant.periods.create(kind="work", organisation="别的单位", start=date(2025, 1, 1))
    case = services.start_new_case(world.applicant_user, today=TODAY)
    assert case.employed_since == date(2024, 4, 15)


@pytest.mark.parametrize("end", [date(2024, 12, 31)])
def test_a_finished_work_period_is_not_a_hiring_date(world: World, end):
    world.association.employed_since = None
    world.association.save()
    world.applicant.periods.create(
        kind="work", organisation=world.employer.name, start=date(2020, 1, 1), end=end
    )
    case = services.start_new_case(world.applicant_user, today=TODAY)
    assert case.employed_since is None
