"""Writes of the permits context: issue, renew, change, cancel (each with a history row).

The cases app calls `apply_case_decision` when the municipal authority ratifies (核准) the district's
approval of a case (BIZ-FLOW, BIZ-TIME-LIMIT). Nothing
else creates a permit (BIZ-CONFIRMATION, 四（八）).
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Association, AssociationStatus
from permits import parameters
from permits.models import (
    CURRENT_STATUSES,
    EventKind,
    Permit,
    PermitEvent,
    PermitNumberSequence,
    PermitStatus,
)

if TYPE_CHECKING:
    from accounts.models import User
    from applicants.models import Applicant
    from employers.models import Employer


class CaseLike(Protocol):
    """What this module reads from a case: cases.Case satisfies it."""

    pk: Any
    kind: str
    applicant: Applicant
    employer: Employer


class PermitError(ValidationError):
    """A decision that cannot be applied to the permit (for example renewing an expired one)."""


def add_years(day: date, years: int) -> date:
    """Same calendar day `years` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def contract_end(applicant: Applicant, employer: Employer) -> date | None:
    """The labour-contract end of the holder's approved association with the employer, if known."""
    association = (
        Association.objects.filter(applicant=applicant, employer=employer, status=AssociationStatus.APPROVED)
        .order_by("-decided_at", "-id")
        .first()
    )
    return association.contract_ends_on if association else None


def term_end(start: date, applicant: Applicant, employer: Employer, case: Any = None) -> date:
    """P-PERMIT-VALIDITY-YEARS (in force on `start`) from `start`, never beyond the labour contract's end.

    The contract end is the case's own association when it has one, else the holder's approved one.
    """
    end = add_years(start, parameters.validity_years(start))
    association = getattr(case, "association", None)
    ends = association.contract_ends_on if association is not None else contract_end(applicant, employer)
    if ends is not None and ends < end:
        end = ends
    return end


def next_number(year: int) -> str:
    """京工居 + year + six-digit sequence; the sequence row is locked so numbers never repeat."""
    PermitNumberSequence.objects.get_or_create(year=year)
    sequence = PermitNumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{parameters.NUMBER_PREFIX}{year}{sequence.last:06d}"


def _record(
    permit: Permit, kind: str, on: date, actor: User | None, case: Any = None, **details: Any
) -> PermitEvent:
    event = PermitEvent(permit=permit, kind=kind, on=on, actor=actor, details=details)
    if case is not None and case.pk is not None:
        event.case_id = case.pk
    event.save(force_insert=True)
    return event


def _current(applicant: Applicant, *, lock: bool = True) -> Permit | None:
    qs = Permit.objects.filter(holder=applicant, status__in=CURRENT_STATUSES)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def _check_decider(actor: User) -> None:
    """The authority decides: the municipal ratifier at 核准 (BIZ-TIME-LIMIT), or district staff."""
    if not (getattr(actor, "is_district_staff", False) or getattr(actor, "is_ratifier", False)):
        raise PermissionDenied(_("只有审核人员可以作出审批决定。"))


@transaction.atomic
def apply_case_decision(case: CaseLike, *, decided_on: date, actor: User) -> Permit:
    """Apply an approved case to the holder's permit (BIZ-CONFIRMATION, REN-WINDOW, REN-EXPIRED).

    new → issue; renewal → extend from the old expiry; employer_change → change the employer;
    info_change → a history row only. Applying the same case twice changes nothing the second time.
    """
    _check_decider(actor)
    applicant, employer = case.applicant, case.employer
    already = (
        PermitEvent.objects.filter(case_id=case.pk).select_related("permit").first()
        if case.pk is not None
        else None
    )
    if already is not None:
        return already.permit
    current = _current(applicant)
    if current is not None and current.expires_on < decided_on:
        # The daily job has not run yet: the permit has lapsed all the same (REN-EXPIRED).
        _expire(current, on=decided_on)
        current = None

    if case.kind == "new":
        if current is not None:
            raise PermitError(
                _("申请人已持有有效的工作居住证（%(number)s），不能新办。") % {"number": current.number}
            )
        permit = Permit.objects.create(
            number=next_number(decided_on.year),
            holder=applicant,
            employer=employer,
            issued_on=decided_on,
            expires_on=term_end(decided_on, applicant, employer, case),
            status=PermitStatus.VALID,
        )
        _set_case(permit, case)
        _record(permit, EventKind.ISSUED, decided_on, actor, case, expires_on=permit.expires_on.isoformat())
        return permit

    if current is None:
        raise PermitError(_("申请人没有有效的工作居住证；证件一旦过期，无法恢复（REN-EXPIRED）。"))

    if case.kind == "renewal":
        old_expiry = current.expires_on
        new_expiry = term_end(old_expiry, applicant, employer, case)
        if new_expiry <= old_expiry:
            raise PermitError(_("劳动合同截止日期早于或等于现有效期，无法续签。"))
        current.expires_on = new_expiry
        current.status = PermitStatus.VALID
        current.employer = employer
        _set_case(current, case)
        current.save()
        _record(
            current,
            EventKind.RENEWED,
            decided_on,
            actor,
            case,
            old_expires_on=old_expiry.isoformat(),
            expires_on=new_expiry.isoformat(),
        )
        return current

    if case.kind == "employer_change":
        old_employer = current.employer
        if old_employer.pk == employer.pk:
            raise PermitError(_("新聘用单位与现聘用单位相同。"))
        current.employer = employer
        _set_case(current, case)
        current.save()
        _record(
            current,
            EventKind.EMPLOYER_CHANGED,
            decided_on,
            actor,
            case,
            old_employer=old_employer.credit_code,
            new_employer=employer.credit_code,
        )
        return current

    if case.kind == "info_change":
        _record(current, EventKind.INFO_CHANGED, decided_on, actor, case)
        return current

    raise PermitError(_("未知的业务类型：%(kind)s") % {"kind": case.kind})


def _set_case(permit: Permit, case: Any) -> None:
    if case.pk is not None:
        permit.case_id = case.pk


def _expire(permit: Permit, *, on: date) -> None:
    permit.status = PermitStatus.EXPIRED
    permit.save(update_fields=["status", "updated_at"])
    _record(permit, EventKind.EXPIRED, on, None, expires_on=permit.expires_on.isoformat())


@transaction.atomic
def cancel_permit(permit: Permit, *, on: date, reason: str, actor: User, **details: Any) -> Permit:
    """Cancel (注销) a current permit with a reason (SAN-MEASURES, INSPECTION)."""
    if not getattr(actor, "is_supervisor", False):
        raise PermissionDenied(_("只有主管人员可以注销证件。"))
    if not reason.strip():
        raise PermitError(_("请填写注销原因。"))
    permit = Permit.objects.select_for_update().get(pk=permit.pk)
    if permit.status == PermitStatus.CANCELLED:
        return permit
    permit.status = PermitStatus.CANCELLED
    permit.cancelled_on = on
    permit.cancel_reason = reason.strip()
    permit.save(update_fields=["status", "cancelled_on", "cancel_reason", "updated_at"])
    _record(permit, EventKind.CANCELLED, on, actor, reason=reason.strip(), **details)
    return permit


def cancel_permits_bulk(
    permit_ids: list[int], *, on: date, reason: str, actor: User, **details: Any
) -> list[int]:
    """Cancel many permits set-based (INSPECTION): one UPDATE and one bulk INSERT of history.

    Already cancelled permits are skipped, so a repeated call cancels nothing twice. Must run
    inside the caller's transaction. Returns the ids actually cancelled.
    """
    if not getattr(actor, "is_supervisor", False):
        raise PermissionDenied(_("只有主管人员可以注销证件。"))
    reason = reason.strip()
    if not reason:
        raise PermitError(_("请填写注销原因。"))
    ids = list(
        Permit.objects.select_for_update()
        .filter(pk__in=permit_ids)
        .exclude(status=PermitStatus.CANCELLED)
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    Permit.objects.filter(pk__in=ids).update(
        updated_at=timezone.now(), status=PermitStatus.CANCELLED, cancelled_on=on, cancel_reason=reason
    )
    PermitEvent.objects.bulk_create(
        [
            PermitEvent(
                permit_id=pk,
                kind=EventKind.CANCELLED,
                on=on,
                actor=actor,
                details={"reason": reason, **details},
            )
            for pk in ids
        ],
        batch_size=1000,
    )
    return ids
