"""A receive-only employer (承诺书, ORG-PERMISSION) that now meets the employer conditions (三（一）:
ORG-LEGAL-ENTITY, ORG-HAIDIAN, ORG-TAX-TENURE, ORG-CAPITAL, ORG-ANNUAL-TAX) requests full rights; a
reviewer decides as for the first request (issue 10, item 8): history, notification, wrong users."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.testing import login_staff, make_user
from core.models import Notification
from employers import selectors, services
from employers.models import Employer, RightsEvent, RightsKind, RightsStatus
from employers.tests import factories

pytestmark = pytest.mark.django_db
URL = "/employers/profile/rights/full/"


def receive_only(*, meets: bool) -> tuple[Employer, User]:
    """An approved receive-only employer with the materials of a full request; `meets`: it now meets
    the employer conditions (registered in Haidian, capital, tax tenure and annual tax)."""
    fields: dict[str, Any] = {"registered_district": "haidian", "registered_capital": 5_000_000}
    if meets:
        fields.update(tax_registered_on=date(2020, 1, 1), annual_tax=500_000)
    else:
        fields.update(registered_capital=10_000)
    employer = factories.make_employer(rights=RightsStatus.APPROVED, kind=RightsKind.RECEIVE_ONLY, **fields)
    admin = factories.operator(employer)
    factories.upload_registration_materials(employer, admin, receive_only=True)
    return employer, admin


@pytest.fixture
def reviewer():
    return make_user(Role.REVIEWER)


def test_org_permission_a_receive_only_employer_that_meets_the_conditions_requests_full_rights(reviewer):
    employer, admin = receive_only(meets=True)
    assert selectors.condition_shortfalls(employer, timezone.localdate()) == []
    employer = services.request_full_rights(actor=admin, today=timezone.localdate())
    assert employer.upgrade_status == RightsStatus.PENDING
    # It keeps receiving holders while the district decides.
    assert employer.rights_status == RightsStatus.APPROVED and employer.rights_kind == RightsKind.RECEIVE_ONLY
    assert employer in selectors.pending_rights_requests()
    with pytest.raises(ValidationError, match="正在审核中"):
        services.request_full_rights(actor=admin, today=timezone.localdate())
    employer = services.decide_full_rights(
        actor=reviewer, employer=employer, approve=True, reason="已符合条件", today=timezone.localdate()
    )
    assert employer.rights_kind == RightsKind.FULL and employer.can_file_new
    assert employer.upgrade_status == RightsStatus.APPROVED and employer.upgrade_decided_by == reviewer
    actions = list(RightsEvent.objects.filter(employer=employer).values_list("action", flat=True))
    assert actions == ["upgrade_request", "upgrade_approve"]
    assert Notification.objects.filter(user=admin, subject__contains="全部业务权限已开通").exists()
    assert employer not in selectors.pending_rights_requests()


def test_a_rejection_needs_a_reason_and_keeps_the_receive_only_rights(reviewer):
    employer, admin = receive_only(meets=True)
    employer = services.request_full_rights(actor=admin, today=timezone.localdate())
    with pytest.raises(ValidationError):
        services.decide_full_rights(
            actor=reviewer, employer=employer, approve=False, reason=" ", today=date.today()
        )
    employer = services.decide_full_rights(
        actor=reviewer, employer=employer, approve=False, reason="年纳税额材料不清晰", today=date.today()
    )
    assert (
        employer.upgrade_status == RightsStatus.REJECTED and employer.rights_kind == RightsKind.RECEIVE_ONLY
    )
    assert not employer.can_file_new and employer.rights_status == RightsStatus.APPROVED
    assert Notification.objects.filter(user=admin, body__contains="年纳税额材料不清晰").exists()
    assert RightsEvent.objects.filter(
        employer=employer, action="upgrade_reject", reason="年纳税额材料不清晰"
    ).exists()
    # After a rejection it may ask again.
    assert services.request_full_rights(actor=admin, today=timezone.localdate()).upgrade_status == "pending"


def test_an_employer_that_does_not_meet_the_conditions_is_refused_with_the_shortfalls():
    employer, admin = receive_only(meets=False)
    shortfalls = selectors.condition_shortfalls(employer, timezone.localdate())
    assert shortfalls and not any("employer." in item for item in shortfalls)  # no field paths
    with pytest.raises(ValidationError) as refused:
        services.request_full_rights(actor=admin, today=timezone.localdate())
    assert "尚不符合单位申请条件" in refused.value.messages[0]
    employer.refresh_from_db()
    assert employer.upgrade_status == RightsStatus.NONE
    assert not RightsEvent.objects.filter(employer=employer).exists()


def test_only_a_receive_only_employer_may_ask_and_only_reviewers_decide(reviewer):
    full = factories.make_employer(rights=RightsStatus.APPROVED, kind=RightsKind.FULL)
    with pytest.raises(ValidationError, match="仅接收已持证人员"):
        services.request_full_rights(actor=factories.operator(full), today=timezone.localdate())
    employer, admin = receive_only(meets=True)
    employer = services.request_full_rights(actor=admin, today=timezone.localdate())
    for wrong in (admin, make_user(Role.APPLICANT), factories.operator()):
        with pytest.raises(PermissionDenied):
            services.decide_full_rights(
                actor=wrong, employer=employer, approve=True, reason="", today=date.today()
            )
    with pytest.raises(PermissionDenied):
        services.request_full_rights(actor=make_user(Role.APPLICANT), today=timezone.localdate())


def test_the_profile_page_requests_and_the_review_page_decides(reviewer):
    employer, admin = receive_only(meets=True)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("employers:profile")).content.decode()
    assert 'id="full-rights"' in page and reverse("employers:request_full_rights") in page
    response = client.post(URL)
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.upgrade_status == RightsStatus.PENDING
    staff = Client()
    login_staff(staff, reviewer)
    assert employer.name in staff.get("/employers/review/").content.decode()
    detail = f"/employers/review/{employer.credit_code}/"
    assert "data-upgrade-request" in staff.get(detail).content.decode()
    response = staff.post(detail, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    response = staff.post(detail, {"decision": "approve", "reason": "符合条件"})
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.rights_kind == RightsKind.FULL
    assert "全部业务权限审核通过" in client.get(reverse("employers:profile")).content.decode()


def test_the_profile_shows_the_refusal_with_the_shortfalls():
    _employer, admin = receive_only(meets=False)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("employers:profile")).content.decode()
    assert 'id="upgrade-shortfalls"' in page
    response = client.post(URL)
    assert response.status_code == 400 and "尚不符合单位申请条件" in response.content.decode()


def test_wrong_users_of_the_new_route(reviewer):
    employer, _admin = receive_only(meets=True)
    anonymous = Client().post(URL)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    applicant = Client()
    applicant.force_login(make_user(Role.APPLICANT))
    assert applicant.post(URL).status_code in (403, 404)
    staff = Client()
    staff.force_login(reviewer)  # staff without TOTP
    assert staff.post(URL).status_code in (302, 403, 404)
    other = Client()
    other.force_login(factories.operator())  # another employer's operator: its own employer, never this one
    other.post(URL)
    employer.refresh_from_db()
    assert employer.upgrade_status == RightsStatus.NONE
    assert Client().get(reverse("employers:profile")).status_code == 302
