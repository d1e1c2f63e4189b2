"""Every page showing an employer, association or document: 404 to the wrong user, login for anonymous."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from accounts.testing import login_staff, make_user
from core.models import PersonalDataAccess
from employers import materials_catalogue as mc
from employers.tests import factories
from materials.services import store_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    employer = factories.make_employer(rights="approved", code="WORLD234")
    hr = factories.operator(employer)
    person = factories.applicant(name="赵敏")
    association = factories.association(person, employer, status="pending")
    other_hr = factories.operator(factories.make_employer(rights="approved"))
    outsider = factories.applicant()
    pending = factories.make_employer(rights="pending")
    return {
        "employer": employer,
        "hr": hr,
        "person": person,
        "association": association,
        "other_hr": other_hr,
        "outsider": outsider,
        "pending": pending,
    }


def operator_pages(world):
    return [
        "/employers/profile/",
        "/employers/operators/",
        "/employers/associations/",
        f"/employers/associations/{world['association'].public_id}/",
    ]


def staff_pages(world):
    return ["/employers/review/", f"/employers/review/{world['pending'].credit_code}/"]


def test_anonymous_is_sent_to_login(client, world):
    pages = [*operator_pages(world), *staff_pages(world), "/employers/associate/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/?next="), url


def test_association_detail_is_404_to_another_employers_operator(client, world):
    client.force_login(world["other_hr"])
    url = f"/employers/associations/{world['association'].public_id}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "reject", "reason": "x"}).status_code == 404
    world["association"].refresh_from_db()
    assert world["association"].status == "pending"
    html = client.get("/employers/associations/").content.decode()
    assert "赵**" not in html


def test_operator_pages_are_404_to_applicants_and_staff(client, world):
    for user in (world["person"].user, world["outsider"].user):
        client.force_login(user)
        for url in operator_pages(world):
            assert client.get(url).status_code == 404, url
    reviewer = make_user(Role.REVIEWER)
    login_staff(client, reviewer)
    for url in operator_pages(world):
        assert client.get(url).status_code == 404, url


def test_review_pages_are_404_to_operators_and_applicants(client, world):
    for user in (world["hr"], world["person"].user):
        client.force_login(user)
        for url in staff_pages(world):
            assert client.get(url).status_code == 404, url


def test_review_detail_of_unknown_code_is_404(client):
    login_staff(client, make_user(Role.REVIEWER))
    assert client.get("/employers/review/91110108551385082Q/").status_code == 404


def test_associate_page_is_404_to_operators(client, world):
    client.force_login(world["hr"])
    assert client.get("/employers/associate/").status_code == 404


def test_withdraw_of_someone_elses_request_is_404(client, world):
    client.force_login(world["outsider"].user)
    response = client.post(f"/employers/associate/{world['association'].public_id}/withdraw/")
    assert response.status_code == 404
    world["association"].refresh_from_db()
    assert world["association"].status == "pending"


def download(client, document):
    return client.get(f"/materials/files/{document.public_id}/")


def pdf():
    return SimpleUploadedFile("a.pdf", factories.pdf_bytes(), content_type="application/pdf")


def test_employer_documents_are_404_to_others(client, world):
    document = factories.upload(world["employer"], world["hr"], mc.BUSINESS_LICENCE)
    client.force_login(world["hr"])
    assert download(client, document).status_code == 200
    for user in (world["other_hr"], world["person"].user, world["outsider"].user):
        client.force_login(user)
        assert download(client, document).status_code == 404
    client.logout()
    assert download(client, document).status_code == 302


def test_operators_read_documents_of_applicants_with_pending_or_approved_association(client, world):
    person = world["person"]
    document = store_upload(
        uploaded_file=pdf(), material="DEGREE-CERT", uploaded_by=person.user, applicant=person
    )
    client.force_login(world["hr"])
    assert download(client, document).status_code == 200  # pending
    world["association"].status = "approved"
    world["association"].save()
    assert download(client, document).status_code == 200  # approved
    client.force_login(world["other_hr"])
    assert download(client, document).status_code == 404  # not their employee
    world["association"].status = "dissociated"
    world["association"].save()
    client.force_login(world["hr"])
    assert download(client, document).status_code == 404  # no longer associated
    client.force_login(world["outsider"].user)
    assert download(client, document).status_code == 404


def test_labour_contract_readable_by_both_parties_only(client, world):
    contract = store_upload(
        uploaded_file=pdf(),
        material=mc.LABOUR_CONTRACT,
        uploaded_by=world["hr"],
        employer=world["employer"],
        applicant=world["person"],
    )
    for user, status in (
        (world["hr"], 200),
        (world["person"].user, 200),
        (world["other_hr"], 404),
        (world["outsider"].user, 404),
    ):
        client.force_login(user)
        assert download(client, contract).status_code == status


def test_new_employer_reads_the_former_employers_resignation_certificate_but_not_its_contract(client, world):
    former = factories.make_employer(rights="approved")
    former_hr = factories.operator(former)
    person = world["person"]
    contract, certificate = (
        store_upload(
            uploaded_file=pdf(), material=material, uploaded_by=former_hr, employer=former, applicant=person
        )
        for material in (mc.LABOUR_CONTRACT, mc.RESIGNATION_CERT)
    )
    client.force_login(world["hr"])  # the new employer, association pending
    assert download(client, certificate).status_code == 200
    assert download(client, contract).status_code == 404


def test_staff_read_goes_through_the_logged_download(client, world):
    document = factories.upload(world["employer"], world["hr"], mc.HANDLER_ID)
    reviewer = make_user(Role.REVIEWER)
    login_staff(client, reviewer)
    assert download(client, document).status_code == 200
    assert PersonalDataAccess.objects.filter(user=reviewer, object_id=str(document.pk)).exists()
