"""Reads of the cases context: which cases a user may see, the reviewer queue, timelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import F, Q, QuerySet
from django.http import Http404

from cases.models import AUTHORITY_STATES, Case, CaseEvent
from cases.workflow import Action
from core.models import PersonalDataAccess

if TYPE_CHECKING:
    from accounts.models import User


def _base() -> QuerySet[Case]:
    return Case.objects.select_related("applicant__user", "employer__registry", "assigned_to", "association")


def cases_for_user(user: User) -> QuerySet[Case]:
    """An applicant sees their own cases; an operator their employer's. Anyone else: none."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_applicant:
        return _base().filter(applicant__user=user)
    if user.is_operator:
        operator = getattr(user, "operator", None)
        if operator is not None:
            return _base().filter(employer_id=operator.employer_id)
    return Case.objects.none()


def case_for_participant(user: User, public_id: UUID) -> Case:
    """The case if the user is its applicant or an operator of its employer; 404 otherwise."""
    case = cases_for_user(user).filter(public_id=public_id).first()
    if case is None:
        raise Http404
    return case


def case_for_staff(public_id: UUID) -> Case:
    case = _base().filter(public_id=public_id).first()
    if case is None:
        raise Http404
    return case


def timeline(case: Case, *, full: bool) -> list[CaseEvent]:
    """Applicant and employer see the steps (transitions); staff see every event."""
    events = case.events.select_related("actor").order_by("at", "id")
    if not full:
        events = events.exclude(action__in=["assign", "override"])
    return list(events)


def personal_data_reads(case: Case) -> QuerySet[PersonalDataAccess]:
    """Who among staff read this case's personal data (core.audit rows for the case)."""
    return (
        PersonalDataAccess.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .select_related("user")
        .order_by("-at")
    )


def latest_opinion(case: Case) -> CaseEvent | None:
    """The return or rejection that put the case in its current state, with the binding opinion (or
    the employer's reason) and the non-binding tips (BIZ-FLOW). Once the case has moved on (resubmitted,
    approved) it is no longer shown as the current opinion; the timeline keeps it."""
    last = case.events.exclude(to_state=F("from_state")).order_by("-at", "-id").first()
    if last is None or not (last.opinion or last.action == Action.EMPLOYER_RETURN):
        return None
    return last


@dataclass
class QueueFilters:
    kind: str = ""
    state: str = ""
    employer: str = ""
    clause: int | None = None
    due_before: date | None = None
    overdue_on: date | None = None
    assigned_to: int | None = None


@dataclass
class QueuePage:
    rows: list[Case]
    next_cursor: str
    has_next: bool


def encode_cursor(case: Case) -> str:
    return f"{case.due_on.isoformat() if case.due_on else ''}_{case.pk}"


def decode_cursor(cursor: str) -> tuple[date, int] | None:
    try:
        due, pk = cursor.split("_", 1)
        return date.fromisoformat(due), int(pk)
    except ValueError:
        return None


def queue(filters: QueueFilters, *, cursor: str = "", limit: int = 25) -> QueuePage:
    """The reviewer queue: cases with the authority, due date first (overdue first), keyset-paginated.

    One query for the rows (select_related), no OFFSET: the cursor is (due_on, id) of the last row.
    """
    qs = _base().filter(submitted_on__isnull=False, due_on__isnull=False)
    if filters.state:
        qs = qs.filter(state=filters.state)
    else:
        qs = qs.filter(state__in=[str(s) for s in AUTHORITY_STATES])
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.employer:
        qs = qs.filter(
            Q(employer__registry__credit_code=filters.employer)
            | Q(employer__registry__name__icontains=filters.employer)
        )
    if filters.clause:
        qs = qs.filter(claimed_clause=filters.clause)
    if filters.due_before is not None:
        qs = qs.filter(due_on__lte=filters.due_before)
    if filters.overdue_on is not None:
        qs = qs.filter(due_on__lt=filters.overdue_on)
    if filters.assigned_to is not None:
        qs = qs.filter(assigned_to_id=filters.assigned_to)
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        due, pk = position
        qs = qs.filter(Q(due_on__gt=due) | Q(due_on=due, id__gt=pk))
    rows = list(qs.order_by("due_on", "id")[: limit + 1])
    has_next = len(rows) > limit
    rows = rows[:limit]
    return QueuePage(rows, encode_cursor(rows[-1]) if has_next and rows else "", has_next)


def working_days_left(calendar: Any, today: date, due_on: date) -> int:
    """Working days from today to the due date; negative when overdue (unpublished years estimated)."""
    if due_on >= today:
        return int(calendar.working_days_between(today, due_on, estimate=True))
    return -int(calendar.working_days_between(due_on, today, estimate=True))


def queue_cases_by_ids(public_ids: list[str]) -> QuerySet[Case]:
    """The cases ticked in the queue (invalid ids are ignored)."""
    valid: list[UUID] = []
    for value in public_ids[:200]:
        try:
            valid.append(UUID(value))
        except ValueError:
            continue
    return _base().filter(public_id__in=valid).order_by("due_on", "id")
