"""Calendar arithmetic shared by the rules (rules.md Conventions)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """Days in a month of the Gregorian calendar."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


def add_months(day: date, months: int) -> date:
    """`day` plus calendar months, clamped to the month end (2025-01-31 + 1 month = 2025-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if day.day <= 28:
        return date(year, month0 + 1, day.day)
    return date(year, month0 + 1, min(day.day, days_in_month(year, month0 + 1)))


def add_years(day: date, years: int) -> date:
    """`day` plus calendar years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on `on` (a birthday is reached on the day itself)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


@lru_cache(maxsize=4096)
def month_index(month: str) -> int:
    """`YYYY-MM` as a running month number (consecutive months differ by 1); cached, cases share months."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_of(day: date) -> int:
    """The running month number of a date's month."""
    return day.year * 12 + day.month - 1


@lru_cache(maxsize=4096)
def month_label(index: int) -> str:
    """A running month number back as `YYYY-MM`."""
    year, month0 = divmod(index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def full_months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end`: the largest n with start + n months <= end."""
    if end < start:
        return 0
    n = (end.year - start.year) * 12 + end.month - start.month
    while n > 0 and add_months(start, n) > end:
        n -= 1
    return n
