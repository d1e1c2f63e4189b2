"""REN-WINDOW, REN-DEADLINE, CHG-DEADLINE dates, P-LEAD-WORKING-DAYS and CAL-WORKING-DAYS estimates.

The figures come from the shipped parameters (`LEAD`, `WINDOW`), never from a literal in the engine.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from policy import WorkingDayCalendar
from policy.calendar import estimated_rest_days
from policy.deadlines import ESTIMATE_MARGIN_WORKING_DAYS, renewal_deadlines, review_due_date
from policy.tests.helpers import parameters

CAL = WorkingDayCalendar()
ON = date(2025, 11, 20)
LEAD = int(parameters().lookup("P-LEAD-WORKING-DAYS", ON).value)
WINDOW = int(parameters().lookup("P-RENEWAL-WINDOW-DAYS", ON).value)


def deadlines(expires: date, submitted: date, *, lead: int = LEAD, window: int = WINDOW):  # type: ignore[no-untyped-def]
    return renewal_deadlines(expires, submitted, CAL, window_days=window, lead_working_days=lead)


def test_ren_window_guide_example() -> None:
    """REN-WINDOW: 证件有效期2022.8.6则应在2022.6.6至2022.8.5 … 申请."""
    found = deadlines(date(2022, 8, 6), date(2022, 7, 8))
    assert found.complete_by == date(2022, 8, 5)
    assert found.window_opens == date(2022, 6, 6)
    assert found.estimated is False


def test_ren_deadline_guide_example_friday_in_time_monday_late() -> None:
    """REN-DEADLINE: "2022.8.5往前数20个工作日" is Friday 2022-07-08."""
    assert deadlines(date(2022, 8, 6), date(2022, 7, 8)).in_time is True
    assert deadlines(date(2022, 8, 6), date(2022, 7, 11)).in_time is False


def test_ren_deadline_latest_working_day_is_the_guides_friday_latest_submission_the_sunday() -> None:
    """REN-DEADLINE (edition 2): `latest_working_day` = Fri 2022-07-08 (the day shown and reminded),
    `latest_submission` = Sun 2022-07-10 (the last calendar day in time)."""
    found = deadlines(date(2022, 8, 6), date(2022, 7, 8))
    assert found.latest_working_day == date(2022, 7, 8)
    assert found.latest_submission == date(2022, 7, 10)
    assert deadlines(date(2022, 8, 6), date(2022, 7, 10)).in_time is True
    assert deadlines(date(2022, 8, 6), date(2022, 7, 11)).in_time is False


@pytest.mark.parametrize("offset", range(0, 400, 7))
def test_ren_deadline_latest_submission_matches_brute_force(offset: int) -> None:
    expires = date(2024, 1, 3) + timedelta(days=offset)
    found = deadlines(expires, expires)
    day = found.complete_by
    while CAL.add_working_days(day, LEAD) > found.complete_by:
        day -= timedelta(days=1)
    assert found.latest_submission == day
    assert CAL.is_working_day(found.latest_working_day)
    assert found.latest_working_day <= day
    assert all(
        not CAL.is_working_day(found.latest_working_day + timedelta(days=k))
        for k in range(1, (day - found.latest_working_day).days + 1)
    )
    assert deadlines(expires, day).in_time is True
    assert deadlines(expires, day + timedelta(days=1)).in_time is False


def test_ren_deadline_across_national_day() -> None:
    found = deadlines(date(2025, 10, 31), date(2025, 9, 20))
    assert found.complete_by == date(2025, 10, 30)
    assert CAL.add_working_days(found.latest_submission, LEAD) <= found.complete_by
    assert CAL.add_working_days(found.latest_submission + timedelta(days=1), LEAD) > found.complete_by


def test_parameters_are_read_not_copied() -> None:
    """One door: another lead time or window moves the dates."""
    base = deadlines(date(2022, 8, 6), date(2022, 7, 8))
    longer = deadlines(date(2022, 8, 6), date(2022, 7, 8), lead=LEAD + 1, window=WINDOW + 10)
    assert longer.window_opens == base.window_opens - timedelta(days=10)
    assert longer.latest_working_day == date(2022, 7, 7)
    assert longer.in_time is False


def test_cal_working_days_estimate_holidays_2027() -> None:
    """CAL-WORKING-DAYS: fixed and lunar festivals; a holiday on a weekend gives the next weekday off.
    2027: 春节 Sat 02-06 (除夕 Fri 02-05, 初一–初三 Sat–Mon) → Tue 02-09 and Wed 02-10 also off;
    劳动节 Sat–Sun 05-01/02 → Mon 05-03, Tue 05-04; 国庆 Fri–Sun 10-01/03 → Mon 10-04, Tue 10-05;
    清明 Mon 04-05; 端午 Wed 06-09; 中秋 Wed 09-15."""
    rest = estimated_rest_days(2027)
    for day in (
        "2027-01-01",
        "2027-02-05",
        "2027-02-08",
        "2027-02-09",
        "2027-02-10",
        "2027-04-05",
        "2027-05-03",
        "2027-05-04",
        "2027-06-09",
        "2027-09-15",
        "2027-10-04",
        "2027-10-05",
    ):
        assert date.fromisoformat(day) in rest, day
    assert date(2027, 2, 11) not in rest
    assert not CAL.is_working_day(date(2027, 2, 9), estimate=True)
    assert CAL.is_working_day(date(2027, 2, 11), estimate=True)


@pytest.mark.parametrize("year", [2025, 2026])
def test_cal_working_days_estimate_is_never_more_than_the_published_holidays(year: int) -> None:
    """The estimate for a published year rests only on days the State Council also gave off."""
    for day in estimated_rest_days(year):
        if day.weekday() < 5:
            assert not CAL.is_working_day(day), day


def test_cal_working_days_make_up_saturdays_not_counted() -> None:
    """CAL-WORKING-DAYS: in an estimated year every Saturday rests (make-up days are not guessed)."""
    assert not CAL.is_working_day(date(2027, 2, 20), estimate=True)


def test_cal_working_days_unpublished_year_is_a_marked_estimate_with_margin_never_an_error() -> None:
    """CAL-WORKING-DAYS (edition 2): expiry 2027-02-01 (unpublished) → estimated; the latest day is
    the estimated count moved ESTIMATE_MARGIN_WORKING_DAYS working days earlier."""
    found = deadlines(date(2027, 2, 1), date(2026, 12, 1))
    assert found.estimated is True
    assert found.complete_by == date(2027, 1, 31)
    # On the estimated calendar (1 January off), LEAD + margin working days back from Sun 01-31.
    day = found.complete_by
    count = 0
    while count < LEAD + ESTIMATE_MARGIN_WORKING_DAYS:
        if CAL.is_working_day(day, estimate=True):
            count += 1
        if count < LEAD + ESTIMATE_MARGIN_WORKING_DAYS:
            day -= timedelta(days=1)
    assert found.latest_submission == day - timedelta(days=1)
    assert CAL.is_working_day(found.latest_working_day, estimate=True)
    assert deadlines(date(2027, 2, 1), found.latest_submission).in_time is True
    assert deadlines(date(2027, 2, 1), found.latest_submission + timedelta(days=1)).in_time is False


def test_cal_working_days_latest_day_in_later_unpublished_year_is_estimated() -> None:
    """A 2028 expiry: the latest day lies in 2028 and is estimated; a submission in 2026 is in time."""
    found = deadlines(date(2028, 6, 30), date(2026, 11, 2))
    assert found.in_time is True
    assert found.estimated is True
    assert found.latest_submission.year == 2028


def test_p_lead_working_days_due_date() -> None:
    assert review_due_date(date(2022, 7, 8), CAL, lead_working_days=LEAD) == (date(2022, 8, 5), False)
    assert review_due_date(date(2022, 7, 11), CAL, lead_working_days=LEAD) == (date(2022, 8, 8), False)
    due, estimated = review_due_date(date(2026, 12, 20), CAL, lead_working_days=LEAD)
    assert estimated is True and due.year == 2027
