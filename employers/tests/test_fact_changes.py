"""Issue 11, Low: ORG-AI-KEY-AREA, ORG-GROWTH-TECH and ORG-ANNUAL-TAX facts (ai_key_area, growth_tech,
annual_tax) change decisions. Once the handling rights are approved, an operator's change of one is a
pending change with history; the value in force stays until a reviewer approves it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.testing import login_staff, make_user
from employers.models import Employer, EmployerFactChange, FactChangeStatus, RightsStatus
from employers.tests import factories

pytestmark = pytest.mark.django_db
URL = "/employers/profile/"
PROFILE = {
    "category": "other",
    "tax_registered_on": "2020-05-01",
    "annual_tax": "250000",
    "office_address": "北京市海淀区中关村大街1号",
    "contact_name": "刘经办",
    "contact_phone": "010-68940680",
}


@pytest.fixture
def approved():
    employer = factories.make_employer(
        rights=RightsStatus.APPROVED, annual_tax=250_000, tax_registered_on=None
    )
    user = factories.operator(employer)
    client = Client()
    client.force_login(user)
    return employer, user, client


def _reviewer() -> tuple[object, Client]:
    reviewer = make_user(Role.REVIEWER)
    client = Client()
    login_staff(client, reviewer)
    return reviewer, client


def test_after_approval_changes_wait_for_a_reviewer_and_the_values_in_force_stay(approved):
    employer, user, client = approved
    response = client.post(
        URL, {**PROFILE, "annual_tax": "9000000", "ai_key_area": "on", "growth_tech": "on"}
    )
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.annual_tax == 250_000 and not employer.ai_key_area and not employer.growth_tech
    assert employer.contact_name == "刘经办"  # other fields are saved at once
    pending = {c.field: c for c in EmployerFactChange.objects.filter(status=FactChangeStatus.PENDING)}
    assert set(pending) == {"annual_tax", "ai_key_area", "growth_tech"}
    assert pending["annual_tax"].old_value == 250_000 and pending["annual_tax"].new_value == 9_000_000
    assert pending["annual_tax"].proposed_by == user
    page = client.get(URL).content.decode()
    assert "待审核" in page and 'id="pending-fact-changes"' in page


def test_saving_other_fields_keeps_a_pending_change_waiting(approved):
    _employer, _user, client = approved
    client.post(URL, {**PROFILE, "annual_tax": "9000000"})
    client.post(URL, {**PROFILE, "contact_phone": "010-11112222"})  # the form shows the value in force
    assert EmployerFactChange.objects.get().status == FactChangeStatus.PENDING


def test_a_reviewer_approves_and_the_value_comes_into_force_with_history(approved):
    employer, _user, client = approved
    client.post(URL, {**PROFILE, "annual_tax": "9000000"})
    change = EmployerFactChange.objects.get()
    reviewer, staff = _reviewer()
    detail = staff.get(reverse("employers:review_detail", args=[employer.credit_code])).content.decode()
    assert "9000000" in detail and "同意变更" in detail
    assert employer.name in staff.get(reverse("employers:review_queue")).content.decode()
    url = reverse("employers:fact_change_decide", args=[employer.credit_code, change.pk])
    assert staff.post(url, {"decision": "approve"}).status_code == 302
    employer.refresh_from_db()
    change.refresh_from_db()
    assert employer.annual_tax == 9_000_000
    assert change.status == FactChangeStatus.APPROVED and change.decided_by == reviewer


def test_a_refusal_needs_a_reason_and_keeps_the_value(approved):
    employer, _user, client = approved
    client.post(URL, {**PROFILE, "ai_key_area": "on"})
    change = EmployerFactChange.objects.get()
    _reviewer_user, staff = _reviewer()
    url = reverse("employers:fact_change_decide", args=[employer.credit_code, change.pk])
    staff.post(url, {"decision": "refuse"})
    change.refresh_from_db()
    assert change.status == FactChangeStatus.PENDING
    staff.post(url, {"decision": "refuse", "reason": "未见重点领域认定文件"})
    change.refresh_from_db()
    employer.refresh_from_db()
    assert change.status == FactChangeStatus.REFUSED and not employer.ai_key_area


def test_before_approval_the_profile_is_saved_directly(client):
    user = factories.operator()
    client.force_login(user)
    client.post(URL, {**PROFILE, "ai_key_area": "on"})
    assert Employer.objects.get(pk=user.operator.employer_id).ai_key_area
    assert not EmployerFactChange.objects.exists()


def test_wrong_users_cannot_decide(approved):
    employer, _user, client = approved
    client.post(URL, {**PROFILE, "annual_tax": "9000000"})
    change = EmployerFactChange.objects.get()
    url = reverse("employers:fact_change_decide", args=[employer.credit_code, change.pk])
    other_operator = Client()
    other_operator.force_login(factories.operator())
    unverified = Client()
    unverified.force_login(make_user(Role.REVIEWER))
    for attempt in (client, other_operator, unverified, Client()):
        response = attempt.post(url, {"decision": "approve"})
        assert response.status_code in (302, 403, 404)
        location = response.get("Location", "")
        assert not location or location.startswith(("/accounts/login/", "/accounts/otp/"))
    other_employer = factories.make_employer(rights=RightsStatus.APPROVED)
    _reviewer_user, staff = _reviewer()
    wrong = reverse("employers:fact_change_decide", args=[other_employer.credit_code, change.pk])
    assert staff.post(wrong, {"decision": "approve"}).status_code == 404
    change.refresh_from_db()
    employer.refresh_from_db()
    assert change.status == FactChangeStatus.PENDING and employer.annual_tax == 250_000
