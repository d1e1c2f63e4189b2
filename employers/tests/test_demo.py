"""employers/demo.py: idempotent demo employers of each kind, operators and associations."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Role, User
from accounts.testing import make_user
from applicants.models import Applicant
from core.demo import DEMO_PASSWORD
from employers import demo, selectors
from employers.models import Association, Employer

pytestmark = pytest.mark.django_db


def demo_applicant(username: str, n: int) -> Applicant:
    user = make_user(Role.APPLICANT, username=username)
    return Applicant.objects.create(
        user=user,
        name=f"演示{n}",
        id_number=f"1101081990010100{n:02d}",
        birth_date="1990-01-01",
        sex="male",
        identity_verified_at=timezone.now(),
    )


def employer_of(username: str) -> Employer:
    employer = selectors.employer_for_operator(User.objects.get(username=username))
    assert employer is not None
    return employer


def current(applicant: Applicant) -> Employer:
    employer = selectors.current_employer_for(applicant)
    assert employer is not None
    return employer


def test_load_without_demo_applicants():
    logins = demo.load()
    assert [login.username for login in logins] == ["hr_tech", "hr_ai", "hr_inst", "hr_receive", "hr_outside"]
    for login in logins:
        user = User.objects.get(username=login.username)
        assert user.role == Role.OPERATOR and user.check_password(DEMO_PASSWORD)
    by_user = {login.username: employer_of(login.username) for login in logins}
    assert by_user["hr_tech"].rights_status == "approved" and by_user["hr_tech"].rights_kind == "full"
    assert by_user["hr_ai"].ai_key_area
    assert by_user["hr_inst"].registry.legal_person_kind == "public_institution"
    assert by_user["hr_receive"].rights_kind == "receive_only" and not by_user["hr_receive"].can_file_new
    assert by_user["hr_outside"].registry.registered_district != "haidian"
    assert by_user["hr_outside"].rights_status == "pending"
    for login in logins[:4]:
        assert (
            selectors.missing_rights_materials(
                by_user[login.username], by_user[login.username].rights_kind, timezone.localdate()
            )
            == []
        )
    assert not Association.objects.exists()


def test_load_is_idempotent_and_associates_demo_applicants():
    a1, a2, a4 = (
        demo_applicant("applicant1", 1),
        demo_applicant("applicant2", 2),
        demo_applicant("applicant4", 4),
    )
    demo.load()
    codes = dict(Employer.objects.values_list("pk", "association_code"))
    counts = (Employer.objects.count(), Association.objects.count(), User.objects.count())
    demo.load()
    assert (Employer.objects.count(), Association.objects.count(), User.objects.count()) == counts
    assert dict(Employer.objects.values_list("pk", "association_code")) == codes
    assert current(a1).credit_code == "91110108MA01HX0015"
    assert current(a2).ai_key_area
    approved = selectors.approved_association_for(a1)
    assert approved is not None and approved.labour_contract is not None
    pending = selectors.pending_association_for(a4)
    assert pending is not None and pending.employer.credit_code == "91110108MA01HX0015"
    assert selectors.current_employer_for(a4) is None
