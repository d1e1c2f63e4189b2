"""apply_case_decision and cancellation (BIZ-CONFIRMATION, REN-WINDOW, REN-EXPIRED, SAN-MEASURES)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from accounts.testing import make_user
from permits import selectors, services
from permits.models import AppendOnlyError, EventKind, Permit, PermitEvent, PermitStatus
from permits.tests.factories import FakeCase, associate, make_applicant, make_employer, make_permit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return make_user(Role.REVIEWER)


def test_biz_confirmation_no_permit_until_approved(reviewer):
    applicant, employer = make_applicant(), make_employer()
    associate(applicant, employer)
    assert selectors.current_permit_for(applicant) is None
    permit = services.apply_case_decision(
        FakeCase("new", applicant, employer), decided_on=date(2025, 11, 3), actor=reviewer
    )
    assert permit.status == PermitStatus.VALID
    assert permit.issued_on == date(2025, 11, 3)
    assert permit.expires_on == date(2028, 11, 3)
    assert permit.number.startswith("京工居2025")
    assert selectors.current_permit_for(applicant) == permit
    assert list(permit.events.values_list("kind", flat=True)) == [EventKind.ISSUED]
    assert permit.events.get().actor == reviewer


def test_new_permit_capped_at_contract_end_one_day_each_side(reviewer):
    applicant, employer = make_applicant(), make_employer()
    associate(applicant, employer, contract_ends_on=date(2028, 11, 2))
    permit = services.apply_case_decision(
        FakeCase("new", applicant, employer), decided_on=date(2025, 11, 3), actor=reviewer
    )
    assert permit.expires_on == date(2028, 11, 2)

    other, employer2 = make_applicant(), make_employer()
    associate(other, employer2, contract_ends_on=date(2028, 11, 4))
    permit2 = services.apply_case_decision(
        FakeCase("new", other, employer2), decided_on=date(2025, 11, 3), actor=reviewer
    )
    assert permit2.expires_on == date(2028, 11, 3)


def test_leap_day_approval_runs_to_28_february():
    assert services.add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_numbers_are_sequential_per_year_and_unique(reviewer):
    numbers = set()
    for _ in range(3):
        a, e = make_applicant(), make_employer()
        numbers.add(
            services.apply_case_decision(
                FakeCase("new", a, e), decided_on=date(2026, 1, 5), actor=reviewer
            ).number
        )
    assert numbers == {"京工居2026000001", "京工居2026000002", "京工居2026000003"}


def test_new_refused_when_holder_already_has_current_permit(reviewer):
    permit = make_permit()
    with pytest.raises(services.PermitError):
        services.apply_case_decision(
            FakeCase("new", permit.holder, permit.employer), decided_on=date(2025, 1, 1), actor=reviewer
        )


def test_only_staff_decide():
    applicant, employer = make_applicant(), make_employer()
    with pytest.raises(PermissionDenied):
        services.apply_case_decision(
            FakeCase("new", applicant, employer), decided_on=date(2025, 1, 1), actor=applicant.user
        )
    assert not Permit.objects.exists()


def test_renewal_extends_from_old_expiry(reviewer):
    permit = make_permit(expires_on=date(2027, 1, 10), status=PermitStatus.RENEWAL_DUE)
    renewed = services.apply_case_decision(
        FakeCase("renewal", permit.holder, permit.employer), decided_on=date(2026, 12, 1), actor=reviewer
    )
    assert renewed.pk == permit.pk
    assert renewed.expires_on == date(2030, 1, 10)
    assert renewed.status == PermitStatus.VALID
    event = renewed.events.get(kind=EventKind.RENEWED)
    assert event.details == {"old_expires_on": "2027-01-10", "expires_on": "2030-01-10"}


def test_ren_expired_renewal_refused_day_after_expiry(reviewer):
    permit = make_permit(expires_on=date(2027, 1, 10))
    with pytest.raises(services.PermitError):
        services.apply_case_decision(
            FakeCase("renewal", permit.holder, permit.employer), decided_on=date(2027, 1, 11), actor=reviewer
        )
    permit.refresh_from_db()
    assert permit.expires_on == date(2027, 1, 10)
    assert not permit.events.filter(kind=EventKind.RENEWED).exists()


def test_ren_expired_renewal_on_expiry_day_still_applies(reviewer):
    permit = make_permit(expires_on=date(2027, 1, 10))
    renewed = services.apply_case_decision(
        FakeCase("renewal", permit.holder, permit.employer), decided_on=date(2027, 1, 10), actor=reviewer
    )
    assert renewed.expires_on == date(2030, 1, 10)


def test_employer_change_and_info_change(reviewer):
    permit = make_permit()
    old = permit.employer
    new_employer = make_employer()
    changed = services.apply_case_decision(
        FakeCase("employer_change", permit.holder, new_employer), decided_on=date(2025, 3, 1), actor=reviewer
    )
    assert changed.employer == new_employer
    assert changed.expires_on == permit.expires_on
    event = changed.events.get(kind=EventKind.EMPLOYER_CHANGED)
    assert event.details == {"old_employer": old.credit_code, "new_employer": new_employer.credit_code}
    same = services.apply_case_decision(
        FakeCase("info_change", permit.holder, new_employer), decided_on=date(2025, 4, 1), actor=reviewer
    )
    assert same.expires_on == permit.expires_on
    assert same.events.filter(kind=EventKind.INFO_CHANGED).count() == 1


def test_change_without_permit_refused(reviewer):
    with pytest.raises(services.PermitError):
        services.apply_case_decision(
            FakeCase("employer_change", make_applicant(), make_employer()),
            decided_on=date(2025, 1, 1),
            actor=reviewer,
        )


def test_history_is_append_only():
    permit = make_permit()
    event = PermitEvent.objects.create(permit=permit, kind=EventKind.ISSUED, on=date(2024, 1, 10))
    event.details = {"x": 1}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        PermitEvent.objects.filter(pk=event.pk).update(on=date(2020, 1, 1))
    with pytest.raises(AppendOnlyError):
        PermitEvent.objects.filter(pk=event.pk).delete()


def test_cancel_by_supervisor_only_with_reason():
    permit = make_permit()
    supervisor = make_user(Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.cancel_permit(permit, on=date(2025, 1, 1), reason="x", actor=make_user(Role.REVIEWER))
    with pytest.raises(services.PermitError):
        services.cancel_permit(permit, on=date(2025, 1, 1), reason="  ", actor=supervisor)
    cancelled = services.cancel_permit(permit, on=date(2025, 1, 2), reason="提供虚假材料", actor=supervisor)
    assert cancelled.status == PermitStatus.CANCELLED
    assert cancelled.cancelled_on == date(2025, 1, 2)
    assert selectors.current_permit_for(permit.holder) is None
    services.cancel_permit(permit, on=date(2025, 1, 3), reason="again", actor=supervisor)
    assert permit.events.filter(kind=EventKind.CANCELLED).count() == 1


def test_bulk_cancel_skips_already_cancelled():
    supervisor = make_user(Role.SUPERVISOR)
    permits = [make_permit() for _ in range(3)]
    ids = [p.pk for p in permits]
    assert sorted(
        services.cancel_permits_bulk(ids[:2], on=date(2025, 1, 1), reason="年检", actor=supervisor)
    ) == sorted(ids[:2])
    assert services.cancel_permits_bulk(ids, on=date(2025, 1, 1), reason="年检", actor=supervisor) == [ids[2]]
    assert PermitEvent.objects.filter(kind=EventKind.CANCELLED).count() == 3


def test_selectors_for_employer():
    permit = make_permit()
    make_permit()
    assert list(selectors.permits_for_employer(permit.employer)) == [permit]


def test_real_case_applied_once_and_linked(reviewer):
    from cases.models import Case

    applicant, employer = make_applicant(), make_employer()
    association = associate(applicant, employer, contract_ends_on=date(2027, 6, 30))
    case = Case.objects.create(
        reference="HD2025000001",
        kind="new",
        applicant=applicant,
        employer=employer,
        association=association,
        created_by=applicant.user,
    )
    permit = services.apply_case_decision(case, decided_on=date(2025, 11, 3), actor=reviewer)
    again = services.apply_case_decision(case, decided_on=date(2025, 11, 4), actor=reviewer)
    assert again.pk == permit.pk
    assert Permit.objects.count() == 1
    assert permit.case_id == case.pk
    assert permit.expires_on == date(2027, 6, 30)
    assert permit.events.get().case_id == case.pk
