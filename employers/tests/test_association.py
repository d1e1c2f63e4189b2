"""BIZ-ONE-EMPLOYER (申请人关联单位) and CHG-RESIGNATION (单位变更 解除关联)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Notification
from employers import selectors, services
from employers.models import Association, AssociationStatus
from employers.tests import factories
from materials.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return factories.make_employer(rights="approved", code="HDTEST23")


@pytest.fixture
def hr(employer):
    return factories.operator(employer)


@pytest.fixture
def person():
    return factories.applicant(name="王小明")


def today():
    return timezone.localdate()


def request(person, code="HDTEST23", day=None):
    return services.request_association(actor=person.user, code=code, today=day or today())


# --- applicant side ------------------------------------------------------------------------------


def test_request_with_the_code_creates_a_pending_association(person, employer, hr):
    association = request(person, code=" hdtest23 ")
    assert association.status == AssociationStatus.PENDING
    assert association.employer == employer
    assert Notification.objects.filter(user=hr, subject="新的员工关联申请").exists()


def test_wrong_code(person, employer):
    with pytest.raises(ValidationError) as caught:
        request(person, code="HDTEST99")
    assert caught.value.message_dict == {"code": ["关联码不正确，请向单位经办人核对。"]}


def test_code_expiry_boundary(person, employer):
    employer.association_code_expires_on = today()
    employer.save()
    assert request(person).status == "pending"  # valid on the last day
    services.withdraw_association(actor=person.user, public_id=Association.objects.get().public_id)
    with pytest.raises(ValidationError) as caught:
        request(person, day=today() + timedelta(days=1))
    assert "已过期" in caught.value.message_dict["code"][0]


def test_code_of_an_employer_without_rights_is_wrong(person):
    factories.make_employer(rights="rejected", association_code="OLDCODE2")
    with pytest.raises(ValidationError):
        request(person, code="OLDCODE2")


def test_biz_one_employer_withdraw_and_choose_another_before_approval(person, employer):
    other = factories.make_employer(rights="approved", code="OTHER234")
    first = request(person)
    with pytest.raises(ValidationError, match="请等待单位确认"):
        request(person, code="OTHER234")
    services.withdraw_association(actor=person.user, public_id=first.public_id)
    second = request(person, code="OTHER234")
    assert second.employer == other
    first.refresh_from_db()
    assert first.status == AssociationStatus.WITHDRAWN


def test_biz_one_employer_approved_applicant_cannot_start_another(person, employer):
    factories.association(person, employer, status="approved")
    factories.make_employer(rights="approved", code="OTHER234")
    with pytest.raises(ValidationError, match="仅可关联一家单位"):
        request(person, code="OTHER234")


def test_biz_one_employer_database_constraints(person, employer):
    other = factories.make_employer(rights="approved")
    factories.association(person, employer, status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.association(person, other, status="approved")
    factories.association(person, other, status="pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.association(person, employer, status="pending")


def test_only_the_applicant_withdraws_and_only_pending(person, employer):
    association = request(person)
    intruder = factories.applicant()
    with pytest.raises(PermissionDenied):
        services.withdraw_association(actor=intruder.user, public_id=association.public_id)
    Association.objects.filter(pk=association.pk).update(status="approved")
    with pytest.raises(ValidationError):
        services.withdraw_association(actor=person.user, public_id=association.public_id)


def test_associate_page(client, person, employer):
    client.force_login(person.user)
    response = client.post("/employers/associate/", {"code": "WRONG234"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_code-error"' in html and "关联码不正确" in html
    assert client.post("/employers/associate/", {"code": "HDTEST23"}).status_code == 302
    html = client.get("/employers/associate/").content.decode()
    assert employer.name in html and "撤回申请" in html
    association = Association.objects.get()
    assert client.post(f"/employers/associate/{association.public_id}/withdraw/").status_code == 302
    assert Association.objects.get().status == "withdrawn"


def test_associate_page_without_applicant_profile(client):
    from accounts.testing import make_user

    client.force_login(make_user("applicant"))
    response = client.get("/employers/associate/")
    assert "请先完成实名认证" in response.content.decode()


# --- employer side -------------------------------------------------------------------------------


def approve(hr, association, **overrides):
    values = {
        "actor": hr,
        "public_id": association.public_id,
        "employed_since": date(2024, 3, 1),
        "contract_ends_on": date(2027, 2, 28),
        "contract_file": factories.pdf_file("contract.pdf"),
        "today": today(),
    }
    values.update(overrides)
    return services.approve_association(**values)


def test_employer_approves_with_contract(person, employer, hr):
    association = approve(hr, request(person))
    assert association.status == AssociationStatus.APPROVED
    assert association.employed_since == date(2024, 3, 1)
    contract = association.labour_contract
    assert contract is not None
    assert contract.material == "LABOUR-CONTRACT"
    assert contract.applicant == person and contract.employer == employer
    assert contract.valid_until == date(2027, 2, 28)
    assert selectors.current_employer_for(person) == employer
    assert selectors.approved_association_for(person) == association
    assert Notification.objects.filter(user=person.user).exists()


def test_contract_must_end_after_the_start_and_start_not_in_future(person, hr):
    association = request(person)
    with pytest.raises(ValidationError) as caught:
        approve(hr, association, employed_since=date(2024, 3, 1), contract_ends_on=date(2024, 3, 1))
    assert "contract_ends_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        approve(hr, association, employed_since=today() + timedelta(days=1))
    assert "employed_since" in caught.value.message_dict
    assert approve(hr, association, employed_since=today()).status == "approved"


def test_bad_contract_file_rolls_back(person, hr):
    association = request(person)
    bad = SimpleUploadedFile("c.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        approve(hr, association, contract_file=bad)
    assert "只能上传 PDF 文件" in caught.value.message_dict["contract_file"][0]
    association.refresh_from_db()
    assert association.status == "pending"
    assert not Document.objects.exists()


def test_another_employers_operator_cannot_decide(person, hr):
    association = request(person)
    stranger = factories.operator(factories.make_employer(rights="approved"))
    with pytest.raises(PermissionDenied):
        approve(stranger, association)
    with pytest.raises(PermissionDenied):
        services.reject_association(actor=stranger, public_id=association.public_id, reason="x")


def test_reject_needs_a_reason_and_the_applicant_may_try_again(person, employer, hr):
    association = request(person)
    with pytest.raises(ValidationError):
        services.reject_association(actor=hr, public_id=association.public_id, reason=" ")
    services.reject_association(actor=hr, public_id=association.public_id, reason="查无此人")
    association.refresh_from_db()
    assert association.status == "rejected" and association.reason == "查无此人"
    assert "查无此人" in Notification.objects.get(user=person.user).body
    assert request(person).status == "pending"


def test_chg_resignation_dissociate_with_certificate(person, employer, hr):
    association = approve(hr, request(person))
    with pytest.raises(ValidationError) as caught:
        services.dissociate(
            actor=hr,
            public_id=association.public_id,
            left_on=today() + timedelta(days=1),
            certificate_file=factories.pdf_file(),
            today=today(),
        )
    assert "left_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.dissociate(
            actor=hr,
            public_id=association.public_id,
            left_on=date(2024, 2, 29),
            certificate_file=factories.pdf_file(),
            today=today(),
        )
    assert "left_on" in caught.value.message_dict
    association = services.dissociate(
        actor=hr,
        public_id=association.public_id,
        left_on=today(),
        certificate_file=factories.pdf_file(),
        today=today(),
    )
    assert association.status == AssociationStatus.DISSOCIATED
    assert association.left_on == today()
    certificate = association.resignation_certificate
    assert certificate is not None
    assert certificate.material == "RESIGNATION-CERT" and certificate.issued_on == today()
    assert selectors.current_employer_for(person) is None
    # free to associate with the next employer (CHG-RESIGNATION)
    factories.make_employer(rights="approved", code="NEXT2345")
    assert request(person, code="NEXT2345").status == "pending"


def test_only_approved_can_be_dissociated(person, hr):
    association = request(person)
    with pytest.raises(ValidationError):
        services.dissociate(
            actor=hr,
            public_id=association.public_id,
            left_on=today(),
            certificate_file=factories.pdf_file(),
            today=today(),
        )


def test_operator_pages(client, person, employer, hr):
    association = request(person)
    client.force_login(hr)
    html = client.get("/employers/associations/").content.decode()
    assert "王**" in html and "王小明" not in html
    assert person.id_number not in html
    url = f"/employers/associations/{association.public_id}/"
    html = client.get(url).content.decode()
    assert "王**" in html and person.id_number not in html
    response = client.post(url, {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason-error"' in response.content.decode()
    response = client.post(
        url,
        {
            "action": "approve",
            "employed_since": "2024-03-01",
            "contract_ends_on": "2024-02-01",
            "contract_file": factories.pdf_file(),
        },
    )
    assert response.status_code == 400
    assert 'id="id_contract_ends_on-error"' in response.content.decode()
    response = client.post(
        url,
        {
            "action": "approve",
            "employed_since": "2024-03-01",
            "contract_ends_on": "2027-02-28",
            "contract_file": factories.pdf_file(),
        },
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "/materials/files/" in html and "解除关联" in html
    response = client.post(
        url,
        {"action": "dissociate", "left_on": today().isoformat(), "certificate_file": factories.pdf_file()},
    )
    assert response.status_code == 302
    assert Association.objects.get().status == "dissociated"
