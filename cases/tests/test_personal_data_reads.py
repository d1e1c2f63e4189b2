"""Issue 11, Medium 5: every read of an applicant's personal data by anyone but the applicant is
logged with the reader, the client address and the TOTP state, and the case's 个人信息查阅记录
panel shows them all: case pages, the case's files, profile and association reads, by staff and by
the employer's operators. List pages (queues) are logged too."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from accounts.testing import login_staff
from cases import services
from cases.models import Case
from cases.selectors import personal_data_reads
from cases.tests import factories as f
from cases.tests.factories import World
from core.models import PersonalDataAccess

TODAY = date(2025, 11, 20)
ADDRESS = "203.0.113.7"


def _submitted(world: World) -> Case:
    return f.new_case_with_authority(world, TODAY)


def _applicant_document(case: Case):
    return next(
        link.document for link in case.documents.select_related("document") if link.uploader == "applicant"
    )


def _client(user, *, staff: bool = False) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    if staff:
        login_staff(client, user)
    else:
        client.force_login(user)
    return client


def test_operator_reads_of_the_applicants_case_and_files_are_logged_with_address(world):
    case = _submitted(world)
    operator = _client(world.operator)
    assert operator.get(reverse("cases:detail", args=[case.public_id])).status_code == 200
    document = _applicant_document(case)
    assert operator.get(reverse("materials:download", args=[document.public_id])).status_code == 200
    reads = PersonalDataAccess.objects.filter(user=world.operator)
    assert {(r.object_type, r.object_id) for r in reads} == {
        ("cases.case", str(case.pk)),
        ("materials.document", str(document.pk)),
    }
    for read in reads:
        assert read.client_address == ADDRESS
        assert read.totp_verified is False  # operators have no second factor
        assert read.subject_applicant_id == world.applicant.pk


def test_the_applicants_own_reads_are_not_logged(world):
    case = _submitted(world)
    applicant = _client(world.applicant_user)
    applicant.get(reverse("cases:detail", args=[case.public_id]))
    applicant.get(reverse("materials:download", args=[_applicant_document(case).public_id]))
    assert not PersonalDataAccess.objects.filter(user=world.applicant_user).exists()


def test_operator_association_pages_are_logged(world):
    operator = _client(world.operator)
    operator.get(reverse("employers:associations"))
    operator.get(reverse("employers:association_detail", args=[world.association.public_id]))
    rows = PersonalDataAccess.objects.filter(user=world.operator)
    assert {r.object_type for r in rows} == {"list:employers.associations", "employers.association"}
    detail = rows.get(object_type="employers.association")
    assert detail.subject_applicant_id == world.applicant.pk and detail.client_address == ADDRESS


def test_staff_list_pages_are_logged_with_totp_state(world):
    reviewer = _client(world.reviewer, staff=True)
    assert reviewer.get(reverse("cases:queue")).status_code == 200
    read = PersonalDataAccess.objects.get(user=world.reviewer)
    assert read.object_type == "list:cases.queue"
    assert read.totp_verified is True and read.client_address == ADDRESS


def test_the_case_panel_shows_document_profile_and_operator_reads(world):
    case = _submitted(world)
    case = services.accept(world.reviewer, case, version=case.version, today=TODAY)
    document = _applicant_document(case)
    reviewer = _client(world.reviewer, staff=True)
    reviewer.get(reverse("materials:download", args=[document.public_id]))
    reviewer.get(reverse("applicants:staff_detail", args=[world.applicant.public_id]))
    _client(world.operator).get(reverse("cases:facts", args=[case.public_id]))
    kinds = {(r.user_id, r.object_type) for r in personal_data_reads(case)}
    assert {
        (world.reviewer.pk, "materials.document"),
        (world.reviewer.pk, "applicants.applicant"),
        (world.operator.pk, "cases.case"),
    } <= kinds
    page = reviewer.get(reverse("cases:review_detail", args=[case.public_id])).content.decode()
    panel = page[page.index('id="h-reads"') :]
    assert "材料文件" in panel and "个人信息" in panel and str(world.operator) in panel
    assert ADDRESS in panel
    # the panel does not show another applicant's reads
    other = f.make_applicant()
    reviewer.get(reverse("applicants:staff_detail", args=[other.public_id]))
    assert all(r.subject_applicant_id != other.pk for r in personal_data_reads(case))
