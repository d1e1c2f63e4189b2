"""Renewal and employer-change deadlines (REN-WINDOW, REN-DEADLINE, CHG-DEADLINE, CAL-WORKING-DAYS).

Every figure comes from the parameter set in force (P-RENEWAL-WINDOW-DAYS, P-LEAD-WORKING-DAYS): the
caller passes `window_days` and `lead_working_days`, there is no default here.

- `complete_by = expires_on − 1 day`; the window opens `window_days` before it (REN-WINDOW); guide
  example with the shipped figures: expiry 2022-08-06 → 2022-06-06 … 2022-08-05.
- A submission on day S is in time when `add_working_days(S, lead) <= complete_by`; S itself is not
  counted (REN-DEADLINE). `latest_submission` is the last calendar day that is in time;
  `latest_working_day` the last working day in time — the guide's "8.5往前数20个工作日" (Fri
  2022-07-08), the day shown to people and aimed at by reminders.
- CAL-WORKING-DAYS: when the count reaches into a year whose calendar is not published, the dates
  are computed on the conservative estimated calendar (`policy.calendar.estimated_rest_days`) and
  then moved `ESTIMATE_MARGIN_WORKING_DAYS` working days earlier; `estimated` says so. Never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from policy.calendar import WorkingDayCalendar

ESTIMATE_MARGIN_WORKING_DAYS = 2
"""CAL-WORKING-DAYS (rules.md edition 2): an estimated deadline is moved this many working days
earlier, a margin for the bridge days (调休) that only the published calendar will add. This is the
spec's own figure, not the guide's."""


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates of REN-WINDOW / REN-DEADLINE for one permit and submission (contract `deadlines`)."""

    complete_by: date
    window_opens: date
    latest_working_day: date
    latest_submission: date
    in_time: bool
    estimated: bool


def latest_in_time_submission(
    complete_by: date,
    calendar: WorkingDayCalendar,
    lead_working_days: int,
    *,
    estimate: bool = True,
) -> tuple[date, bool]:
    """The last calendar day S with add_working_days(S, n) <= complete_by, and whether it was estimated.

    Counting back n working days from `complete_by` gives the first late day D; every calendar day
    before D down to the previous working day is in time, because the days between are not working
    days and are not counted. With an estimated year on the way (CAL-WORKING-DAYS) the count is
    redone with `ESTIMATE_MARGIN_WORKING_DAYS` more working days.
    """
    day, estimated = _count_back(complete_by, calendar, lead_working_days, estimate)
    if estimated:
        day, _ = _count_back(
            complete_by, calendar, lead_working_days + ESTIMATE_MARGIN_WORKING_DAYS, estimate
        )
    return day - timedelta(days=1), estimated


def _count_back(complete_by: date, calendar: WorkingDayCalendar, n: int, estimate: bool) -> tuple[date, bool]:
    day = complete_by
    estimated = False
    found = 0
    while True:
        working, guessed = calendar._is_working(day, estimate)
        estimated = estimated or guessed
        if working:
            found += 1
            if found >= n:
                return day, estimated
        day -= timedelta(days=1)


def previous_working_day(calendar: WorkingDayCalendar, day: date) -> tuple[date, bool]:
    """The last working day on or before `day` (estimated calendar for unpublished years)."""
    estimated = False
    while True:
        working, guessed = calendar._is_working(day, True)
        estimated = estimated or guessed
        if working:
            return day, estimated
        day -= timedelta(days=1)


def renewal_deadlines(
    expires_on: date,
    submitted_on: date,
    calendar: WorkingDayCalendar,
    *,
    window_days: int,
    lead_working_days: int,
) -> Deadlines:
    """REN-WINDOW / REN-DEADLINE (also CHG-DEADLINE, which uses the same dates).

    `in_time` is `submitted_on <= latest_submission`: on the published calendar that is exactly
    `add_working_days(submitted_on, lead) <= complete_by`; on an estimated one it is measured against
    the moved latest day (CAL-WORKING-DAYS). Never raises for an unpublished year.
    """
    complete_by = expires_on - timedelta(days=1)
    window_opens = complete_by - timedelta(days=window_days)
    latest, estimated = latest_in_time_submission(complete_by, calendar, lead_working_days)
    latest_working, guessed = previous_working_day(calendar, latest)
    return Deadlines(
        complete_by=complete_by,
        window_opens=window_opens,
        latest_working_day=latest_working,
        latest_submission=latest,
        in_time=submitted_on <= latest,
        estimated=estimated or guessed,
    )


def review_due_date(
    submitted_on: date, calendar: WorkingDayCalendar, *, lead_working_days: int
) -> tuple[date, bool]:
    """The day the lead time ends: `lead_working_days` working days after submission (the day itself
    not counted), and whether it was estimated (CAL-WORKING-DAYS: never an error)."""
    reached = calendar.add_working_days_counted(submitted_on, lead_working_days, estimate=True)
    assert isinstance(reached.value, date)
    return reached.value, reached.estimated
