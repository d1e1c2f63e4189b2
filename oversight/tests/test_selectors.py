"""Sanction selectors (SAN-MEASURES, ORG-SANCTION, APP-SANCTION) at their date boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Role
from accounts.testing import make_user
from oversight import selectors
from oversight.models import Sanction, SanctionKind, SanctionStatus
from permits.tests.factories import make_applicant, make_employer

pytestmark = pytest.mark.django_db


def _sanction(**fields):
    fields.setdefault("proposed_by", make_user(Role.REVIEWER))
    fields.setdefault("reason", "提供虚假材料")
    fields.setdefault("starts_on", date(2025, 3, 1))
    return Sanction.objects.create(**fields)


def test_employer_blacklist_in_force_between_start_and_end():
    employer = make_employer()
    _sanction(
        employer=employer,
        kind=SanctionKind.BLACKLIST,
        status=SanctionStatus.ACTIVE,
        ends_on=date(2025, 6, 30),
    )
    assert not selectors.employer_sanctioned(employer, date(2025, 2, 28))
    assert selectors.employer_sanctioned(employer, date(2025, 3, 1))
    assert selectors.employer_sanctioned(employer, date(2025, 6, 30))
    assert not selectors.employer_sanctioned(employer, date(2025, 7, 1))


def test_proposed_or_rejected_sanction_is_not_in_force():
    employer = make_employer()
    _sanction(employer=employer, kind=SanctionKind.BLACKLIST)
    _sanction(employer=employer, kind=SanctionKind.DISQUALIFICATION, status=SanctionStatus.REJECTED)
    assert not selectors.employer_sanctioned(employer, date(2025, 4, 1))


def test_lifted_sanction_ends_on_lift_day():
    applicant = make_applicant()
    _sanction(
        applicant=applicant,
        kind=SanctionKind.DISQUALIFICATION,
        status=SanctionStatus.LIFTED,
        lift_on=date(2025, 5, 1),
    )
    assert selectors.applicant_sanctioned(applicant, date(2025, 4, 30))
    assert not selectors.applicant_sanctioned(applicant, date(2025, 5, 1))


def test_lift_awaiting_approval_keeps_sanction_in_force():
    applicant = make_applicant()
    _sanction(
        applicant=applicant,
        kind=SanctionKind.BLACKLIST,
        status=SanctionStatus.LIFT_PROPOSED,
        lift_on=date(2025, 5, 1),
    )
    assert selectors.applicant_sanctioned(applicant, date(2025, 5, 2))


def test_referral_and_quota_do_not_bar_filing_but_quota_is_reported():
    employer = make_employer()
    _sanction(employer=employer, kind=SanctionKind.REFERRAL, status=SanctionStatus.ACTIVE)
    _sanction(employer=employer, kind=SanctionKind.REDUCED_QUOTA, quota=5, status=SanctionStatus.ACTIVE)
    _sanction(
        employer=employer,
        kind=SanctionKind.REDUCED_QUOTA,
        quota=3,
        status=SanctionStatus.ACTIVE,
        starts_on=date(2025, 4, 1),
    )
    assert not selectors.employer_sanctioned(employer, date(2025, 4, 1))
    assert selectors.employer_quota(employer, date(2025, 3, 31)) == 5
    assert selectors.employer_quota(employer, date(2025, 4, 1)) == 3
    assert selectors.employer_quota(make_employer(), date(2025, 4, 1)) is None


def test_one_target_only():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        _sanction(employer=make_employer(), applicant=make_applicant(), kind=SanctionKind.BLACKLIST)
