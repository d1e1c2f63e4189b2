"""Issue 11, High 1 (DOC-CHECKLIST `uploader`): an upload slot comes from the case's checklist, its
uploader from the checklist item, and a slot's current document only from its rightful uploader.

Before the fix, `POST /cases/<id>/materials/` with hidden `material=LABOUR-CONTRACT&uploader=applicant`
let the applicant replace the employer's labour contract (and `NOT-A-MATERIAL` was accepted).
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import services
from cases.models import CaseDocument, State
from cases.tests import factories as f
from cases.tests.factories import World

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def _returned_to_applicant(world: World):
    case = f.accepted_case(world, TODAY)
    return services.return_case(
        world.reviewer, case, to="applicant", version=case.version, today=TODAY, opinion="请补正。"
    )


def _post(client: Client, case, **fields) -> None:
    data = {"file": f.pdf("mine.pdf"), **fields}
    client.post(reverse("cases:materials", args=[case.public_id]), data)


@pytest.mark.parametrize(
    "fields",
    [
        {"material": "LABOUR-CONTRACT", "uploader": "applicant"},
        {"material": "LABOUR-CONTRACT", "uploader": "employer"},
        {"material": "EMPLOYER-TAX", "uploader": "applicant"},
        {"material": "NOT-A-MATERIAL", "uploader": "applicant"},
    ],
)
def test_doc_checklist_applicant_cannot_upload_into_an_employer_slot_or_a_made_up_one(world, fields):
    case = _returned_to_applicant(world)
    assert case.state == State.RETURNED_TO_APPLICANT
    contract = services.current_documents(case)[("LABOUR-CONTRACT", None)]
    links = CaseDocument.objects.filter(case=case).count()
    client = Client()
    client.force_login(world.applicant_user)
    _post(client, case, **fields)
    assert CaseDocument.objects.filter(case=case).count() == links
    case.refresh_from_db()
    assert services.current_documents(case)[("LABOUR-CONTRACT", None)] == contract
    assert ("NOT-A-MATERIAL", None) not in services.current_documents(case)


def test_doc_checklist_the_uploader_comes_from_the_item_not_from_the_form(world):
    case = _returned_to_applicant(world)
    client = Client()
    client.force_login(world.applicant_user)
    _post(client, case, material="LEASE", uploader="employer")
    link = CaseDocument.objects.filter(case=case, material="LEASE").latest("id")
    assert link.uploader == "applicant"
    assert link.added_by == world.applicant_user
    assert link.document.employer_id is None
    assert link.document.version == 2
    assert services.current_documents(case)[("LEASE", None)] == link.document


def test_doc_checklist_service_refuses_a_slot_not_on_the_checklist(world):
    case = _returned_to_applicant(world)
    with pytest.raises(services.CaseError):
        services.attach_document(
            world.applicant_user,
            case,
            material="LABOUR-CONTRACT",
            uploader="applicant",
            child=None,
            uploaded_file=f.pdf(),
            today=TODAY,
        )
    with pytest.raises(services.CaseError):
        services.attach_document(
            world.applicant_user,
            case,
            material="LEASE",
            uploader="applicant",
            child=7,
            uploaded_file=f.pdf(),
            today=TODAY,
        )


def test_doc_checklist_a_wrongful_link_never_becomes_current_and_the_reviewer_sees_who_uploaded(world):
    """A link stored before the fix (the applicant's file in the employer's slot) is not current."""
    case = _returned_to_applicant(world)
    contract = services.current_documents(case)[("LABOUR-CONTRACT", None)]
    forged = services.attach_document(
        world.applicant_user,
        case,
        material="LEASE",
        uploader="applicant",
        child=None,
        uploaded_file=f.pdf("forged.pdf"),
        today=TODAY,
    )
    CaseDocument.objects.filter(pk=forged.pk).update(material="LABOUR-CONTRACT", uploader="employer")
    case.refresh_from_db()
    assert services.current_documents(case)[("LABOUR-CONTRACT", None)] == contract
    client = Client()
    login_staff(client, world.reviewer)
    page = client.get(reverse("cases:review_detail", args=[case.public_id])).content.decode()
    assert f'id="doc-{contract.public_id}"' in page
    assert f'id="doc-{forged.document.public_id}"' not in page
    # Who uploaded each version: the operator for the contract, the applicant's forged link flagged.
    assert world.operator.display_name in page
    assert "非该项材料的上传方" in page
