"""Renewal and employer-change deadlines (REN-WINDOW, REN-DEADLINE, CHG-DEADLINE, P-LEAD-WORKING-DAYS).

- `complete_by = expires_on − 1 day`; the window opens `complete_by − 60 days` (REN-WINDOW);
  guide example: expiry 2022-08-06 → 2022-06-06 … 2022-08-05.
- A submission on day S is in time when `add_working_days(S, 20) <= complete_by`; S itself is not
  counted (REN-DEADLINE). `latest_submission` is the last calendar day that is in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from policy.calendar import WorkingDayCalendar
from policy.errors import CalendarYearUnpublished

RENEWAL_WINDOW_DAYS = 60
LEAD_WORKING_DAYS = 20


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates of REN-WINDOW / REN-DEADLINE for one permit and submission."""

    complete_by: date
    window_opens: date
    latest_submission: date
    in_time: bool
    estimated: bool


def latest_in_time_submission(
    complete_by: date,
    calendar: WorkingDayCalendar,
    lead_working_days: int = LEAD_WORKING_DAYS,
    *,
    estimate: bool = False,
) -> tuple[date, bool]:
    """The last calendar day S with add_working_days(S, n) <= complete_by, and whether it was estimated.

    Counting back n working days from `complete_by` gives the first candidate D; every calendar day
    from D up to (not including) the next working day after D is also in time, because the days
    between are not working days and are not counted.
    """
    day = complete_by
    estimated = False
    found = 0
    while found < lead_working_days:
        working, guessed = calendar._is_working(day, estimate)
        estimated = estimated or guessed
        if working:
            found += 1
        if found < lead_working_days:
            day -= timedelta(days=1)
    # `day` is the n-th working day counting back from complete_by (complete_by included when working),
    # so a submission on the day before it reaches complete_by exactly; a submission on `day` itself
    # or later is late. The latest in-time day is the day before `day`.
    return day - timedelta(days=1), estimated


def renewal_deadlines(
    expires_on: date,
    submitted_on: date,
    calendar: WorkingDayCalendar,
    *,
    estimate: bool = False,
    estimate_latest: bool = False,
    window_days: int = RENEWAL_WINDOW_DAYS,
    lead_working_days: int = LEAD_WORKING_DAYS,
) -> Deadlines:
    """REN-WINDOW / REN-DEADLINE (also CHG-DEADLINE, which uses the same dates).

    Whether a submission is in time needs the calendar only from `submitted_on` to the end of its
    review, so it stays exact for a permit expiring in a year whose calendar is not yet published.
    `latest_submission` counts back from `complete_by` and needs that year: with `estimate_latest`
    it is then estimated from weekends only and `estimated` says so (CAL-WORKING-DAYS: marked,
    never silent); without it the unpublished year is an error.
    """
    complete_by = expires_on - timedelta(days=1)
    window_opens = complete_by - timedelta(days=window_days)
    reached = calendar.add_working_days_counted(submitted_on, lead_working_days, estimate=estimate)
    assert isinstance(reached.value, date)
    try:
        latest, estimated_latest = latest_in_time_submission(
            complete_by, calendar, lead_working_days, estimate=estimate
        )
    except CalendarYearUnpublished:
        if not estimate_latest:
            raise
        latest, estimated_latest = latest_in_time_submission(
            complete_by, calendar, lead_working_days, estimate=True
        )
    return Deadlines(
        complete_by=complete_by,
        window_opens=window_opens,
        latest_submission=latest,
        in_time=reached.value <= complete_by,
        estimated=estimated_latest or reached.estimated,
    )


def review_due_date(
    submitted_on: date,
    calendar: WorkingDayCalendar,
    *,
    estimate: bool = False,
    lead_working_days: int = LEAD_WORKING_DAYS,
) -> date:
    """P-LEAD-WORKING-DAYS: the review is due `lead_working_days` working days after submission."""
    return calendar.add_working_days(submitted_on, lead_working_days, estimate=estimate)
