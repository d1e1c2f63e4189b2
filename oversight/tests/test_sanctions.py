"""SAN-MEASURES: proposed by a reviewer, approved by another supervisor (four eyes), lifted the same way."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.testing import login_staff, make_user
from core.models import PersonalDataAccess
from oversight import selectors, services
from oversight.models import Sanction, SanctionEvent, SanctionKind, SanctionStatus
from permits.models import PermitStatus
from permits.tests.factories import make_applicant, make_employer, make_permit

pytestmark = pytest.mark.django_db
TODAY = date(2025, 11, 3)


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%evidence\n", content_type="application/pdf")


@pytest.fixture
def reviewer():
    return make_user(Role.REVIEWER)


@pytest.fixture
def supervisor():
    return make_user(Role.SUPERVISOR)


def _propose(actor, **kwargs):
    kwargs.setdefault("kind", SanctionKind.BLACKLIST)
    kwargs.setdefault("reason", "协助申请人提供虚假材料")
    kwargs.setdefault("starts_on", TODAY)
    if "employer" not in kwargs and "applicant" not in kwargs:
        kwargs["employer"] = make_employer()
    return services.propose_sanction(actor, evidence=pdf(), **kwargs)


def test_proposed_sanction_not_in_force_until_approved(reviewer, supervisor):
    sanction = _propose(reviewer)
    assert sanction.evidence.material == "SANCTION-EVIDENCE"
    assert sanction.evidence.employer_id is None  # the sanctioned party cannot read the evidence
    assert not selectors.employer_sanctioned(sanction.employer, TODAY)
    services.decide_sanction(sanction, supervisor, approve=True, today=TODAY)
    assert selectors.employer_sanctioned(sanction.employer, TODAY)
    assert list(sanction.events.values_list("action", flat=True)) == ["proposed", "approved"]


def test_four_eyes_proposer_cannot_approve(supervisor):
    sanction = _propose(supervisor)
    with pytest.raises(PermissionDenied):
        services.decide_sanction(sanction, supervisor, approve=True, today=TODAY)
    sanction.refresh_from_db()
    assert sanction.status == SanctionStatus.PROPOSED


def test_four_eyes_also_in_the_database(supervisor):
    sanction = _propose(supervisor)
    with pytest.raises(IntegrityError):
        Sanction.objects.filter(pk=sanction.pk).update(decided_by=supervisor, status=SanctionStatus.ACTIVE)


def test_reviewer_cannot_approve_and_applicant_cannot_propose(reviewer):
    sanction = _propose(reviewer)
    with pytest.raises(PermissionDenied):
        services.decide_sanction(sanction, make_user(Role.REVIEWER), approve=True, today=TODAY)
    with pytest.raises(PermissionDenied):
        _propose(make_applicant().user)


def test_rejection_needs_a_note(reviewer, supervisor):
    sanction = _propose(reviewer)
    with pytest.raises(ValidationError):
        services.decide_sanction(sanction, supervisor, approve=False, note=" ", today=TODAY)
    services.decide_sanction(sanction, supervisor, approve=False, note="证据不足", today=TODAY)
    sanction.refresh_from_db()
    assert sanction.status == SanctionStatus.REJECTED


def test_quota_and_permit_cancellation_targets(reviewer):
    with pytest.raises(ValidationError):
        _propose(reviewer, kind=SanctionKind.REDUCED_QUOTA)
    with pytest.raises(ValidationError):
        _propose(reviewer, kind=SanctionKind.PERMIT_CANCELLATION)
    with pytest.raises(ValidationError):
        _propose(reviewer, ends_on=date(2025, 11, 2))


def test_permit_cancellation_cancels_current_permit_on_approval(reviewer, supervisor):
    permit = make_permit()
    sanction = _propose(reviewer, applicant=permit.holder, kind=SanctionKind.PERMIT_CANCELLATION)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.VALID
    services.decide_sanction(sanction, supervisor, approve=True, today=TODAY)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.CANCELLED
    assert permit.cancelled_on == TODAY
    assert permit.cancel_reason == "协助申请人提供虚假材料"


def test_lifting_needs_another_supervisor(reviewer, supervisor):
    applicant = make_applicant()
    sanction = _propose(reviewer, applicant=applicant, kind=SanctionKind.DISQUALIFICATION)
    services.decide_sanction(sanction, supervisor, approve=True, today=TODAY)
    services.propose_lift(
        sanction, supervisor, reason="已整改", lift_on=date(2026, 1, 1), evidence=pdf("lift.pdf")
    )
    assert selectors.applicant_sanctioned(applicant, date(2026, 1, 2))
    with pytest.raises(PermissionDenied):
        services.decide_lift(sanction, supervisor, approve=True)
    services.decide_lift(sanction, make_user(Role.SUPERVISOR), approve=True)
    assert selectors.applicant_sanctioned(applicant, date(2025, 12, 31))
    assert not selectors.applicant_sanctioned(applicant, date(2026, 1, 1))
    assert SanctionEvent.objects.filter(sanction=sanction).count() == 4


# --- pages --------------------------------------------------------------------------------------


def _staff(user) -> Client:
    client = Client()
    login_staff(client, user)
    return client


def test_propose_page_errors_at_the_field_and_saves_nothing(reviewer):
    client = _staff(reviewer)
    response = client.post(
        reverse("oversight:sanction_new"),
        {
            "target": "employer",
            "credit_code": "91110108000000000X",
            "kind": "reduced_quota",
            "reason": "x",
            "starts_on": "2025-11-03",
            "evidence": pdf(),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "未找到该统一社会信用代码对应的单位" in body
    assert "请填写压减后的办理数量上限" in body
    assert not Sanction.objects.exists()


def test_propose_and_approve_through_pages(reviewer, supervisor):
    employer = make_employer()
    response = _staff(reviewer).post(
        reverse("oversight:sanction_new"),
        {
            "target": "employer",
            "credit_code": employer.credit_code,
            "kind": "reduced_quota",
            "quota": "2",
            "reason": "推诿拖延",
            "starts_on": "2025-11-03",
            "evidence": pdf(),
        },
    )
    sanction = Sanction.objects.get()
    assert response.status_code == 302
    own = (
        _staff(reviewer).get(reverse("oversight:sanction_detail", args=[sanction.public_id])).content.decode()
    )
    assert "提交审批结果" not in own
    client = _staff(supervisor)
    page = client.get(reverse("oversight:sanction_detail", args=[sanction.public_id])).content.decode()
    assert "提交审批结果" in page
    client.post(reverse("oversight:sanction_decide", args=[sanction.public_id]), {"decision": "approve"})
    sanction.refresh_from_db()
    assert sanction.status == SanctionStatus.ACTIVE
    assert selectors.employer_quota(employer, TODAY) == 2


def test_applicant_sanction_detail_masks_id_and_logs_the_read(reviewer):
    applicant = make_applicant()
    sanction = _propose(reviewer, applicant=applicant, kind=SanctionKind.BLACKLIST)
    body = (
        _staff(reviewer).get(reverse("oversight:sanction_detail", args=[sanction.public_id])).content.decode()
    )
    assert applicant.id_number not in body
    assert applicant.id_number[-4:] in body
    assert PersonalDataAccess.objects.filter(user=reviewer, object_id=str(applicant.pk)).exists()


@pytest.mark.parametrize(
    "name",
    [
        "oversight:index",
        "oversight:sanction_list",
        "oversight:sanction_new",
        "oversight:inspection_list",
        "oversight:stats",
    ],
)
def test_oversight_pages_closed_to_non_staff(name):
    anonymous = Client().get(reverse(name))
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    for user in (make_applicant().user, make_user(Role.OPERATOR)):
        client = Client()
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 404


def test_staff_without_second_factor_is_sent_to_otp(reviewer):
    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("oversight:sanction_list"))
    assert response.status_code == 302
    assert "/accounts/otp/" in response["Location"]


def test_reviewer_cannot_open_supervisor_pages(reviewer):
    assert _staff(reviewer).get(reverse("oversight:inspection_list")).status_code == 404
    assert _staff(reviewer).get(reverse("oversight:stats")).status_code == 404


def test_sanction_detail_closed_to_applicants_operators_and_anonymous(reviewer):
    from permits.tests.factories import make_operator

    applicant = make_applicant()
    sanction = _propose(reviewer, applicant=applicant)
    url = reverse("oversight:sanction_detail", args=[sanction.public_id])
    assert reverse("accounts:login") in Client().get(url)["Location"]
    for user in (applicant.user, make_operator(make_employer())):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404
        assert applicant.name not in response.content.decode()
