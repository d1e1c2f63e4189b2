"""CAL-WORKING-DAYS: chinese-calendar years, entered years, unpublished years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from policy import CalendarYearUnpublished, WorkingDayCalendar, YearCalendar
from policy.calendar import package_years


def test_cal_working_days_package_covers_2004_to_2026() -> None:
    years = package_years()
    assert min(years) == 2004 and max(years) == 2026
    assert set(range(2004, 2027)) <= years


def test_cal_working_days_holiday_and_make_up_day() -> None:
    cal = WorkingDayCalendar()
    assert cal.is_working_day(date(2025, 10, 1)) is False  # National Day
    assert cal.is_working_day(date(2025, 9, 28)) is True  # Sunday make-up working day (调休)
    assert cal.is_working_day(date(2025, 10, 11)) is True  # Saturday make-up working day
    assert cal.is_working_day(date(2025, 11, 22)) is False  # ordinary Saturday
    assert cal.is_working_day(date(2025, 11, 21)) is True


def test_cal_working_days_unpublished_year_raises_naming_the_year() -> None:
    cal = WorkingDayCalendar()
    with pytest.raises(CalendarYearUnpublished) as raised:
        cal.is_working_day(date(2027, 3, 1))
    assert raised.value.year == 2027 and "2027" in str(raised.value)
    with pytest.raises(CalendarYearUnpublished):
        cal.add_working_days(date(2026, 12, 20), 20)


def test_cal_working_days_estimate_uses_statutory_holidays_and_says_so() -> None:
    """CAL-WORKING-DAYS (edition 2): the estimate rests on 元旦 2027-01-01 as well as on weekends."""
    cal = WorkingDayCalendar()
    counted = cal.add_working_days_counted(date(2026, 12, 25), 10, estimate=True)
    assert counted.estimated is True
    assert counted.value == date(2027, 1, 11)
    inside = cal.add_working_days_counted(date(2025, 11, 20), 5, estimate=True)
    assert inside.estimated is False


def test_cal_working_days_entered_year() -> None:
    entered = YearCalendar(2027, holidays={date(2027, 1, 1)}, workdays={date(2027, 1, 2)})
    cal = WorkingDayCalendar({2027: entered})
    assert cal.is_working_day(date(2027, 1, 1)) is False
    assert cal.is_working_day(date(2027, 1, 2)) is True  # a Saturday made a working day
    assert cal.is_working_day(date(2027, 1, 4)) is True
    assert cal.published(2027) and not cal.published(2028)


def test_cal_working_days_entered_year_is_checked() -> None:
    with pytest.raises(ValueError):
        YearCalendar(2027, holidays={date(2026, 12, 31)})
    with pytest.raises(ValueError):
        YearCalendar(2027, holidays={date(2027, 1, 1)}, workdays={date(2027, 1, 1)})
    with pytest.raises(ValueError):
        WorkingDayCalendar({2028: YearCalendar(2027)})


def test_cal_working_days_add_does_not_count_start_day() -> None:
    cal = WorkingDayCalendar()
    assert cal.add_working_days(date(2025, 11, 20), 1) == date(2025, 11, 21)
    assert cal.add_working_days(date(2025, 11, 21), 1) == date(2025, 11, 24)
    assert cal.add_working_days(date(2025, 11, 20), 0) == date(2025, 11, 20)
    # across National Day 2025 (1–8 October off; 28 Sept and 11 Oct worked)
    assert cal.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_cal_working_days_between_is_half_open() -> None:
    cal = WorkingDayCalendar()
    assert cal.working_days_between(date(2025, 11, 17), date(2025, 11, 21)) == 4
    assert cal.working_days_between(date(2025, 11, 21), date(2025, 11, 17)) == 0
    start = date(2022, 7, 8)
    assert cal.working_days_between(start, cal.add_working_days(start, 20)) == 20


def test_cal_working_days_between_marks_estimates() -> None:
    cal = WorkingDayCalendar()
    counted = cal.working_days_between_counted(date(2026, 12, 30), date(2027, 1, 5), estimate=True)
    assert counted.estimated is True and counted.value == 3  # 31 Dec, 4, 5 Jan (1 Jan: 元旦, estimated)
    assert cal.is_estimate(date(2027, 1, 1)) and not cal.is_estimate(date(2026, 1, 1))
    assert cal.working_days_between_counted(date(2025, 11, 17), date(2025, 11, 21)).estimated is False


def _counted_day_by_day(cal: WorkingDayCalendar, a: date, b: date, estimate: bool) -> tuple[int, bool]:
    count, estimated, day = 0, False, a
    while day < b:
        day += timedelta(days=1)
        estimated = estimated or cal.is_estimate(day)
        count += cal.is_working_day(day, estimate=estimate)
    return count, estimated


def test_working_days_between_matches_counting_day_by_day() -> None:
    """CAL-WORKING-DAYS: the per-year cumulative counts give what a walk over every day gives, across
    published, entered and estimated years (issue 12: the reviewer queue counts these for every row)."""
    import random

    entered = YearCalendar(2027, holidays={date(2027, 1, 1), date(2027, 5, 3)}, workdays={date(2027, 1, 2)})
    cal = WorkingDayCalendar({2027: entered})
    rng = random.Random(12)
    for _ in range(300):
        a = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 4000))
        b = a + timedelta(days=rng.randrange(-20, 900))
        got = cal.working_days_between_counted(a, b, estimate=True)
        assert (got.value, got.estimated) == _counted_day_by_day(cal, a, b, True), (a, b)
    with pytest.raises(CalendarYearUnpublished):
        cal.working_days_between_counted(date(2027, 12, 1), date(2029, 1, 10))
