"""Reads of the oversight context; other contexts call these to enforce sanctions (SAN-MEASURES)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from oversight.models import BARRING_KINDS, Sanction, SanctionKind, SanctionStatus

if TYPE_CHECKING:
    from applicants.models import Applicant
    from employers.models import Employer

# Approved measures stay in force while their lifting awaits approval.
IN_FORCE_STATUSES = (SanctionStatus.ACTIVE, SanctionStatus.LIFT_PROPOSED, SanctionStatus.LIFTED)


def in_force_on(on: date) -> Q:
    """Approved, started on or before `on`, not ended before it, not lifted on or before it."""
    return (
        Q(status__in=IN_FORCE_STATUSES, starts_on__lte=on)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        & ~Q(status=SanctionStatus.LIFTED, lift_on__lte=on)
    )


def sanctions_in_force(on: date) -> QuerySet[Sanction]:
    return Sanction.objects.filter(in_force_on(on))


def employer_sanctioned(employer: Employer, on: date) -> bool:
    """ORG-SANCTION: the employer is blacklisted or disqualified on `on` and may not file."""
    return sanctions_in_force(on).filter(employer=employer, kind__in=BARRING_KINDS).exists()


def applicant_sanctioned(applicant: Applicant, on: date) -> bool:
    """APP-SANCTION: the applicant is blacklisted or disqualified on `on` (四（六）)."""
    return sanctions_in_force(on).filter(applicant=applicant, kind__in=BARRING_KINDS).exists()


def employer_quota(employer: Employer, on: date) -> int | None:
    """The employer's reduced quota (压减办理数量) in force on `on`; None when not reduced."""
    quotas = sanctions_in_force(on).filter(employer=employer, kind=SanctionKind.REDUCED_QUOTA)
    values = [q for q in quotas.values_list("quota", flat=True) if q is not None]
    return min(values) if values else None
