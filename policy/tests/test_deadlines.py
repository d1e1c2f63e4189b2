"""REN-WINDOW, REN-DEADLINE, CHG-DEADLINE dates and P-LEAD-WORKING-DAYS."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from policy import CalendarYearUnpublished, WorkingDayCalendar
from policy.deadlines import renewal_deadlines, review_due_date

CAL = WorkingDayCalendar()


def test_ren_window_guide_example() -> None:
    found = renewal_deadlines(date(2022, 8, 6), date(2022, 7, 8), CAL)
    assert found.complete_by == date(2022, 8, 5)
    assert found.window_opens == date(2022, 6, 6)
    assert found.estimated is False


def test_ren_deadline_guide_example_friday_in_time_monday_late() -> None:
    assert renewal_deadlines(date(2022, 8, 6), date(2022, 7, 8), CAL).in_time is True
    assert renewal_deadlines(date(2022, 8, 6), date(2022, 7, 11), CAL).in_time is False


def test_ren_deadline_latest_submission_is_last_calendar_day_in_time() -> None:
    found = renewal_deadlines(date(2022, 8, 6), date(2022, 7, 8), CAL)
    assert found.latest_submission == date(2022, 7, 10)  # the Sunday after Friday 8 July
    assert renewal_deadlines(date(2022, 8, 6), date(2022, 7, 10), CAL).in_time is True
    assert renewal_deadlines(date(2022, 8, 6), date(2022, 7, 11), CAL).in_time is False


@pytest.mark.parametrize("offset", range(0, 400, 7))
def test_ren_deadline_latest_submission_matches_brute_force(offset: int) -> None:
    expires = date(2024, 1, 3) + timedelta(days=offset)
    found = renewal_deadlines(expires, expires, CAL)
    day = found.complete_by
    while CAL.add_working_days(day, 20) > found.complete_by:
        day -= timedelta(days=1)
    assert found.latest_submission == day
    assert renewal_deadlines(expires, day, CAL).in_time is True
    assert renewal_deadlines(expires, day + timedelta(days=1), CAL).in_time is False


def test_ren_deadline_across_national_day() -> None:
    found = renewal_deadlines(date(2025, 10, 31), date(2025, 9, 20), CAL)
    assert found.complete_by == date(2025, 10, 30)
    assert CAL.add_working_days(found.latest_submission, 20) <= found.complete_by
    assert CAL.add_working_days(found.latest_submission + timedelta(days=1), 20) > found.complete_by


def test_ren_deadline_unpublished_year_is_an_error_or_an_estimate() -> None:
    with pytest.raises(CalendarYearUnpublished):
        renewal_deadlines(date(2027, 2, 1), date(2026, 12, 1), CAL)
    estimated = renewal_deadlines(date(2027, 2, 1), date(2026, 12, 1), CAL, estimate=True)
    assert estimated.estimated is True
    assert estimated.complete_by == date(2027, 1, 31)


def test_ren_deadline_in_time_stays_exact_when_only_the_latest_day_is_unpublished() -> None:
    """CAL-WORKING-DAYS: the review of a 2026-11-02 submission ends in 2026 (published), so in_time
    is exact; the latest day before a 2028 expiry needs 2028 and is estimated only when asked."""
    with pytest.raises(CalendarYearUnpublished):
        renewal_deadlines(date(2028, 6, 30), date(2026, 11, 2), CAL)
    found = renewal_deadlines(date(2028, 6, 30), date(2026, 11, 2), CAL, estimate_latest=True)
    assert found.in_time is True
    assert found.estimated is True
    assert found.latest_submission.year == 2028
    with pytest.raises(CalendarYearUnpublished):
        renewal_deadlines(date(2028, 6, 30), date(2026, 12, 20), CAL, estimate_latest=True)


def test_p_lead_working_days_due_date() -> None:
    assert review_due_date(date(2022, 7, 8), CAL) == date(2022, 8, 5)
    assert review_due_date(date(2022, 7, 11), CAL) == date(2022, 8, 8)
