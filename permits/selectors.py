"""Reads of the permits context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet

from permits.models import CURRENT_STATUSES, Permit

if TYPE_CHECKING:
    from accounts.models import User
    from applicants.models import Applicant
    from employers.models import Employer


def current_permit_for(applicant: Applicant) -> Permit | None:
    """The holder's valid or renewal-due permit, if any (at most one: a DB constraint)."""
    return (
        Permit.objects.filter(holder=applicant, status__in=CURRENT_STATUSES)
        .select_related("employer__registry")
        .first()
    )


def permits_for_employer(employer: Employer) -> QuerySet[Permit]:
    """Every permit whose holder the employer currently employs (all statuses, newest first)."""
    return Permit.objects.filter(employer=employer).select_related("holder", "employer__registry")


def permits_for_user(user: User) -> QuerySet[Permit]:
    """Permits a user may see: a holder their own; an operator their employer's. Anyone else none."""
    qs = Permit.objects.select_related("holder", "employer__registry")
    applicant = getattr(user, "applicant", None) if user.is_authenticated else None
    if user.is_authenticated and user.is_applicant and applicant is not None:
        return qs.filter(holder=applicant)
    operator = getattr(user, "operator", None) if user.is_authenticated else None
    if user.is_authenticated and user.is_operator and operator is not None:
        return qs.filter(employer_id=operator.employer_id)
    return qs.none()


@dataclass
class PermitPage:
    rows: list[Permit]
    next_cursor: str
    has_next: bool


def permit_page(user: User, *, cursor: str = "", limit: int = 50) -> PermitPage:
    """The permits a user may see, newest first, keyset-paginated on (issued_on, id): a large
    employer's thousands of permits are read a page at a time (index (employer, issued_on, id))."""
    qs = permits_for_user(user).select_related(None).select_related("holder", "employer__registry")
    qs = qs.only(
        "public_id", "number", "expires_on", "issued_on", "status", "holder__name", "employer__registry__name"
    )
    try:
        day, pk = cursor.split("_", 1) if cursor else ("", "")
        position = (date.fromisoformat(day), int(pk)) if cursor else None
    except ValueError:
        position = None
    if position is not None:
        qs = qs.filter(Q(issued_on__lt=position[0]) | Q(issued_on=position[0], id__lt=position[1]))
    rows = list(qs.order_by("-issued_on", "-id")[: limit + 1])
    has_next = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows and has_next else None
    return PermitPage(rows, f"{last.issued_on.isoformat()}_{last.pk}" if last else "", has_next)


def permit_for_user(user: User, public_id: UUID | str) -> Permit | None:
    return permits_for_user(user).filter(public_id=public_id).first()


# --- policy simulation (issue 14): current holders, streamed by id range --------------------------


def simulation_current_permits(first_id: int, last_id: int) -> QuerySet[Permit]:
    """Current permits (valid or renewal due) with ids in [first_id, last_id]."""
    return (
        Permit.objects.filter(pk__gte=first_id, pk__lte=last_id, status__in=CURRENT_STATUSES)
        .select_related("holder", "employer__registry")
        .order_by("pk")
    )


def simulation_current_permit_ids() -> tuple[int | None, int | None]:
    from django.db.models import Max, Min

    agg = Permit.objects.filter(status__in=CURRENT_STATUSES).aggregate(lo=Min("id"), hi=Max("id"))
    return agg["lo"], agg["hi"]
