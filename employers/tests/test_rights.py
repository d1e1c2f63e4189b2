"""Handling rights (注册 1; 单位变更 注意事项 3 receive-only with 承诺书; ORG-PERMISSION) and review."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from accounts.testing import login_staff, make_user
from core.models import Notification, PersonalDataAccess
from employers import materials_catalogue as mc
from employers import services
from employers.models import Employer, RightsStatus
from employers.tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2025, 11, 20)


@pytest.fixture
def admin():
    return factories.operator()


@pytest.fixture
def reviewer():
    return make_user(Role.REVIEWER)


def test_request_lists_missing_materials(admin):
    with pytest.raises(services.MissingMaterials) as caught:
        services.request_rights(actor=admin, kind="full", today=TODAY)
    assert caught.value.missing == [
        mc.BUSINESS_LICENCE,
        mc.EMPLOYER_TAX,
        mc.HANDLER_ID,
        mc.EMPLOYER_INTEGRITY,
    ]
    assert "营业执照" in caught.value.messages[0]


def test_full_rights_request_becomes_pending(admin):
    factories.upload_registration_materials(admin.operator.employer, admin)
    employer = services.request_rights(actor=admin, kind="full", today=timezone.localdate())
    assert employer.rights_status == RightsStatus.PENDING and employer.rights_kind == "full"
    with pytest.raises(ValidationError, match="正在审核中"):
        services.request_rights(actor=admin, kind="full", today=timezone.localdate())


def test_receive_only_needs_the_commitment_letter(admin):
    employer = admin.operator.employer
    factories.upload_registration_materials(employer, admin)
    with pytest.raises(services.MissingMaterials) as caught:
        services.request_rights(actor=admin, kind="receive_only", today=timezone.localdate())
    assert caught.value.missing == [mc.COMMITMENT_LETTER]
    factories.upload(employer, admin, mc.COMMITMENT_LETTER)
    assert services.request_rights(
        actor=admin, kind="receive_only", today=timezone.localdate()
    ).rights_kind == ("receive_only")


def test_claimed_category_needs_the_qualification_certificate(admin):
    employer = admin.operator.employer
    factories.upload_registration_materials(employer, admin)
    Employer.objects.filter(pk=employer.pk).update(category="high_tech")
    with pytest.raises(services.MissingMaterials) as caught:
        services.request_rights(actor=admin, kind="full", today=timezone.localdate())
    assert caught.value.missing == [mc.QUALIFICATION_CERT]


def test_last_years_integrity_statement_counts_as_missing(admin):
    employer = admin.operator.employer
    factories.upload_registration_materials(employer, admin)
    year = timezone.localdate().year
    # valid to 31 Dec: on that day present, one day later missing
    with pytest.raises(services.MissingMaterials) as caught:
        services.request_rights(actor=admin, kind="full", today=date(year + 1, 1, 1))
    assert caught.value.missing == [mc.EMPLOYER_INTEGRITY]
    assert (
        services.request_rights(actor=admin, kind="full", today=date(year, 12, 31)).rights_status == "pending"
    )


def test_request_view_shows_missing_at_the_field(client, admin):
    client.force_login(admin)
    response = client.post("/employers/profile/rights/", {"kind": "receive_only"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_kind-error"' in html
    assert "承诺书" in html


def pending_employer(admin):
    factories.upload_registration_materials(admin.operator.employer, admin)
    return services.request_rights(actor=admin, kind="full", today=timezone.localdate())


def test_reviewer_approves_and_code_is_issued(admin, reviewer):
    employer = pending_employer(admin)
    employer = services.decide_rights(actor=reviewer, employer=employer, approve=True, reason="", today=TODAY)
    assert employer.rights_status == RightsStatus.APPROVED
    assert employer.rights_decided_by == reviewer
    code = employer.association_code
    assert code is not None
    assert len(code) == 8 and set(code) <= set(services.CODE_ALPHABET)
    assert not set(code) & set("01OIL")
    assert employer.association_code_expires_on == TODAY + timedelta(days=365)
    note = Notification.objects.get(user=admin)
    assert "已开通" in note.subject
    assert employer.can_file_new


def test_rejection_needs_a_reason(admin, reviewer):
    employer = pending_employer(admin)
    with pytest.raises(ValidationError) as caught:
        services.decide_rights(actor=reviewer, employer=employer, approve=False, reason="  ", today=TODAY)
    assert "reason" in caught.value.message_dict
    employer = services.decide_rights(
        actor=reviewer, employer=employer, approve=False, reason="注册地不在海淀区", today=TODAY
    )
    assert employer.rights_status == RightsStatus.REJECTED and employer.association_code is None
    assert "注册地不在海淀区" in Notification.objects.get(user=admin).body
    # after a rejection the employer may apply again
    assert (
        services.request_rights(actor=admin, kind="full", today=timezone.localdate()).rights_status
        == "pending"
    )


def test_only_reviewers_decide(admin):
    employer = pending_employer(admin)
    with pytest.raises(PermissionDenied):
        services.decide_rights(actor=admin, employer=employer, approve=True, reason="", today=TODAY)


def test_org_permission_receive_only_employer_cannot_file_new(admin, reviewer):
    factories.upload_registration_materials(admin.operator.employer, admin, receive_only=True)
    employer = services.request_rights(actor=admin, kind="receive_only", today=timezone.localdate())
    employer = services.decide_rights(actor=reviewer, employer=employer, approve=True, reason="", today=TODAY)
    assert not employer.can_file_new  # ORG-PERMISSION
    assert employer.association_code


def test_regenerate_code(admin, reviewer):
    employer = services.decide_rights(
        actor=reviewer, employer=pending_employer(admin), approve=True, reason="", today=TODAY
    )
    old = employer.association_code
    employer = services.regenerate_code(actor=admin, today=TODAY + timedelta(days=400))
    assert employer.association_code != old
    assert employer.association_code_expires_on == TODAY + timedelta(days=765)


def test_regenerate_needs_rights(admin):
    with pytest.raises(ValidationError):
        services.regenerate_code(actor=admin, today=TODAY)


def test_review_queue_and_decision_view(client, admin, reviewer):
    employer = pending_employer(admin)
    other = factories.make_employer()  # not pending: not in the queue
    login_staff(client, reviewer)
    html = client.get("/employers/review/").content.decode()
    assert employer.name in html and other.name not in html
    detail = f"/employers/review/{employer.credit_code}/"
    html = client.get(detail).content.decode()
    assert employer.registry.legal_representative in html
    assert "营业执照" in html and "/materials/files/" in html
    assert PersonalDataAccess.objects.filter(user=reviewer, object_type="employers.employer").exists()
    response = client.post(detail, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason-error"' in response.content.decode()
    response = client.post(detail, {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.rights_status == "approved"


def test_review_detail_shows_the_employer_conditions(client, reviewer):
    employer = factories.make_employer(
        rights="pending",
        registered_district="chaoyang",
        registered_capital=999_999,
        tax_registered_on=date(2020, 1, 1),
        annual_tax=200_000,
    )
    login_staff(client, reviewer)
    html = client.get(f"/employers/review/{employer.credit_code}/").content.decode()
    assert "ORG-HAIDIAN" in html and "不在海淀区" in html
    assert "ORG-CAPITAL" in html and "999999" in html
    assert "ORG-ANNUAL-TAX" in html


def test_org_capital_and_org_tax_tenure_at_the_boundaries():
    """ORG-CAPITAL at 1,000,000 passes and one yuan less fails (应不低于); ORG-TAX-TENURE at six
    months, one day short is `review` (原则上, edition 2)."""
    from employers import selectors

    employer = factories.make_employer(registered_capital=1_000_000, tax_registered_on=date(2025, 5, 20))
    outcomes = {c.rule: c.outcome for c in selectors.organisation_checks(employer, TODAY)}
    assert outcomes["ORG-CAPITAL"] == "pass"
    assert outcomes["ORG-TAX-TENURE"] == "pass"
    employer.registry.registered_capital = 999_999
    employer.registry.save()
    outcomes = {c.rule: c.outcome for c in selectors.organisation_checks(employer, TODAY - timedelta(days=1))}
    assert outcomes["ORG-CAPITAL"] == "fail"
    assert outcomes["ORG-TAX-TENURE"] == "review"


def test_reviewer_without_second_factor_is_sent_to_otp(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/employers/review/")
    assert response.status_code == 302 and response.url.startswith("/accounts/otp/")


def test_profile_shows_code_and_receive_only_note(client, admin, reviewer):
    employer = factories.make_employer(rights="approved", kind="receive_only", code="ABCD2345")
    user = factories.operator(employer)
    client.force_login(user)
    html = client.get("/employers/profile/").content.decode()
    assert "ABCD2345" in html
    assert "不能办理新办业务" in html
    response = client.post("/employers/profile/code/")
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.association_code != "ABCD2345"
