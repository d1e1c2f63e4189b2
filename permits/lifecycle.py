"""The permits' daily job: status changes and renewal reminders (REN-WINDOW, REN-DEADLINE, REN-EXPIRED).

- valid → renewal_due on the day the renewal window opens (`expires_on − 1 day − P-RENEWAL-WINDOW-DAYS`);
- valid / renewal_due → expired the day after `expires_on` (REN-EXPIRED: cannot be renewed);
- reminders (inbox + e-mail) to the holder and the employer's operators when the window opens and
  `DEADLINE_REMINDER_WORKING_DAYS` working days before the latest working day (REN-DEADLINE edition 2:
  `latest_working_day` is the day shown and aimed at; CAL-WORKING-DAYS).

Every figure is the parameter in force on the day of the run (back office included).

Idempotent: status changes filter on the old status, and each reminder is recorded in
`SentReminder` (unique per permit, kind and expiry) in the same transaction as its inbox rows, so a
job run twice or interrupted halfway never sends anything twice. "Today" is always passed in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.notifications import notify
from permits import parameters
from permits.models import (
    CURRENT_STATUSES,
    EventKind,
    Permit,
    PermitEvent,
    PermitStatus,
    ReminderKind,
    SentReminder,
)
from policy.calendar import WorkingDayCalendar
from policy.deadlines import Deadlines, renewal_deadlines

logger = logging.getLogger(__name__)
CHUNK = 1000


@dataclass
class DailyResult:
    expired: int = 0
    renewal_due: int = 0
    reminders: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ReminderKind.values, 0))


def window_opens(expires_on: date, on: date | None = None) -> date:
    """REN-WINDOW: expiry 2022-08-06 → window opens 2022-06-06 (P-RENEWAL-WINDOW-DAYS in force on `on`)."""
    return expires_on - timedelta(days=1 + parameters.renewal_window_days(on))


def _transition(queryset_filter: dict[str, object], new_status: str, kind: str, today: date) -> int:
    """Move permits matching the filter to `new_status` in chunks, one history row each."""
    moved = 0
    while True:
        with transaction.atomic():
            pairs = list(
                Permit.objects.select_for_update(skip_locked=True)
                .filter(**queryset_filter)
                .order_by("pk")
                .values_list("pk", "expires_on")[:CHUNK]
            )
            if not pairs:
                return moved
            Permit.objects.filter(pk__in=[pk for pk, _ in pairs]).update(
                status=new_status, updated_at=timezone.now()
            )
            PermitEvent.objects.bulk_create(
                [
                    PermitEvent(
                        permit_id=pk, kind=kind, on=today, details={"expires_on": expires.isoformat()}
                    )
                    for pk, expires in pairs
                ]
            )
            moved += len(pairs)


def update_statuses(today: date, result: DailyResult) -> None:
    result.expired = _transition(
        {"status__in": CURRENT_STATUSES, "expires_on__lt": today},
        PermitStatus.EXPIRED,
        EventKind.EXPIRED,
        today,
    )
    last_expiry_in_window = today + timedelta(days=1 + parameters.renewal_window_days(today))
    result.renewal_due = _transition(
        {"status": PermitStatus.VALID, "expires_on__lte": last_expiry_in_window, "expires_on__gte": today},
        PermitStatus.RENEWAL_DUE,
        EventKind.RENEWAL_DUE,
        today,
    )


def _recipients(permit: Permit) -> list[User]:
    users = [permit.holder.user]
    users.extend(
        User.objects.filter(operator__employer_id=permit.employer_id, is_active=True).exclude(
            pk=permit.holder.user_id
        )
    )
    return [user for user in users if user.is_active]


def _send(permit: Permit, kind: str, today: date, deadlines: Deadlines) -> bool:
    """Record and send one reminder; False when it was already sent (by this or an earlier run)."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(permit=permit, kind=kind, expires_on=permit.expires_on, sent_on=today)
            key = "permit_renewal_window" if kind == ReminderKind.WINDOW_OPEN else "permit_renewal_deadline"
            notify(
                _recipients(permit),
                key,
                {
                    "permit": permit,
                    "holder_name": permit.holder.name,
                    "number": permit.number,
                    "employer_name": permit.employer.name,
                    "expires_on": permit.expires_on,
                    "window_opens": deadlines.window_opens,
                    "complete_by": deadlines.complete_by,
                    "latest_submission": deadlines.latest_submission,
                    "latest_working_day": deadlines.latest_working_day,
                    "lead_days": parameters.lead_working_days(today),
                    "near_days": parameters.DEADLINE_REMINDER_WORKING_DAYS,
                    "estimated": deadlines.estimated,
                },
                url=reverse("permits:detail", args=[permit.public_id]),
            )
    except IntegrityError:
        return False
    return True


def _candidates(kind: str, today: date) -> Iterable[Permit]:
    sent = SentReminder.objects.filter(permit=OuterRef("pk"), kind=kind, expires_on=OuterRef("expires_on"))
    return (
        Permit.objects.filter(status=PermitStatus.RENEWAL_DUE, expires_on__gte=today)
        .exclude(Exists(sent))
        .select_related("holder__user", "employer__registry")
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )


def send_reminders(today: date, calendar: WorkingDayCalendar, result: DailyResult) -> None:
    window_days = parameters.renewal_window_days(today)
    lead_days = parameters.lead_working_days(today)

    @lru_cache(maxsize=512)
    def deadlines_for(expires_on: date) -> Deadlines:
        # An unpublished year is a conservative estimate and the mail says so (CAL-WORKING-DAYS).
        return renewal_deadlines(
            expires_on, today, calendar, window_days=window_days, lead_working_days=lead_days
        )

    @lru_cache(maxsize=512)
    def deadline_near(expires_on: date) -> bool:
        # REN-DEADLINE (edition 2): reminders aim at the latest working day, not a weekend.
        latest = deadlines_for(expires_on).latest_working_day
        if today > latest:
            return False
        left = calendar.working_days_between(today, latest, estimate=True)
        return left <= parameters.DEADLINE_REMINDER_WORKING_DAYS

    for permit in _candidates(ReminderKind.WINDOW_OPEN, today):
        if window_opens(permit.expires_on, today) <= today and _send(
            permit, ReminderKind.WINDOW_OPEN, today, deadlines_for(permit.expires_on)
        ):
            result.reminders[ReminderKind.WINDOW_OPEN] += 1
    for permit in _candidates(ReminderKind.DEADLINE_NEAR, today):
        if deadline_near(permit.expires_on) and _send(
            permit, ReminderKind.DEADLINE_NEAR, today, deadlines_for(permit.expires_on)
        ):
            result.reminders[ReminderKind.DEADLINE_NEAR] += 1


def latest_working_day(deadlines: Deadlines) -> date:
    """REN-DEADLINE (edition 2): the last working day in time, the day shown and aimed at."""
    return deadlines.latest_working_day


def deadlines_on(expires_on: date, today: date, calendar: WorkingDayCalendar | None = None) -> Deadlines:
    """The permit's REN-WINDOW / REN-DEADLINE dates with the parameters in force on `today`."""
    return renewal_deadlines(
        expires_on,
        today,
        calendar or default_calendar(),
        window_days=parameters.renewal_window_days(today),
        lead_working_days=parameters.lead_working_days(today),
    )


def default_calendar() -> WorkingDayCalendar:
    """The shipped calendar extended by the years the authority entered (CAL-WORKING-DAYS)."""
    from eligibility.services import current_calendar

    calendar: WorkingDayCalendar = current_calendar()
    return calendar


def run_daily(today: date, calendar: WorkingDayCalendar | None = None) -> DailyResult:
    """Statuses first (so a permit expiring today gets no reminder), then reminders."""
    result = DailyResult()
    update_statuses(today, result)
    send_reminders(today, calendar or default_calendar(), result)
    logger.info(
        "permits_daily %s: expired=%s renewal_due=%s reminders=%s",
        today,
        result.expired,
        result.renewal_due,
        result.reminders,
    )
    return result
