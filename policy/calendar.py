"""CAL-WORKING-DAYS: Mon–Fri minus statutory holidays plus official make-up working days (调休).

The years covered by the installed `chinese-calendar` package come from it; later years come from
calendars a supervisor enters once the State Council publishes them (`YearCalendar`). A date in a
year that neither covers raises `CalendarYearUnpublished`, unless the caller asks for an estimate
(`estimate=True`): the estimate is conservative (CAL-WORKING-DAYS, edition 2) and the answer says it
is an estimate: the statutory holidays of 《全国年节及纪念日放假办法》 (元旦, 春节 除夕–初三, 清明,
劳动节 5月1–2日, 端午, 中秋, 国庆 10月1–3日; the lunar and solar-term dates from `lunar-python`)
are non-working, a holiday falling on a weekend also makes the next weekday non-working, and
make-up Saturdays are not counted as working (weekends always rest).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from lunar_python import Lunar, Solar

from policy.errors import CalendarYearUnpublished


@dataclass(frozen=True)
class YearCalendar:
    """One year's published calendar: statutory holidays and make-up working days (调休)."""

    year: int
    holidays: frozenset[date] | set[date] = field(default_factory=frozenset)
    workdays: frozenset[date] | set[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for day in (*self.holidays, *self.workdays):
            if day.year != self.year:
                raise ValueError(f"{day.isoformat()} is not in {self.year}")
        overlap = set(self.holidays) & set(self.workdays)
        if overlap:
            days = ", ".join(sorted(d.isoformat() for d in overlap))
            raise ValueError(f"days both holiday and working day: {days}")


@lru_cache(maxsize=1)
def package_years() -> frozenset[int]:
    """The years for which the installed chinese-calendar has data (it raises NotImplementedError else)."""
    years = set()
    for year in range(1990, 2101):
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


@lru_cache(maxsize=256)
def estimated_rest_days(year: int) -> frozenset[date]:
    """CAL-WORKING-DAYS estimate for a year whose calendar is not published: the statutory holidays
    (fixed and lunar dates) plus, for each one falling on a weekend, the next weekday not already off."""
    spring = Lunar.fromYmd(year, 1, 1).getSolar()
    spring_day = date(spring.getYear(), spring.getMonth(), spring.getDay())
    festivals: list[date] = [
        date(year, 1, 1),
        *(spring_day + timedelta(days=k) for k in (-1, 0, 1, 2)),
        date(year, 5, 1),
        date(year, 5, 2),
        date(year, 10, 1),
        date(year, 10, 2),
        date(year, 10, 3),
    ]
    for month, day in ((5, 5), (8, 15)):
        solar = Lunar.fromYmd(year, month, day).getSolar()
        festivals.append(date(solar.getYear(), solar.getMonth(), solar.getDay()))
    qingming = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    festivals.append(date(qingming.getYear(), qingming.getMonth(), qingming.getDay()))
    # The day before the lunar new year (除夕) of the next year may fall in this year's December,
    # and this year's 除夕 in the previous December; keep the days of `year` only.
    next_spring = Lunar.fromYmd(year + 1, 1, 1).getSolar()
    festivals.append(
        date(next_spring.getYear(), next_spring.getMonth(), next_spring.getDay()) - timedelta(days=1)
    )
    rest = {d for d in festivals if d.year == year}
    for holiday in sorted(rest):
        if holiday.weekday() >= 5:
            substitute = holiday + timedelta(days=1)
            while substitute.weekday() >= 5 or substitute in rest:
                substitute += timedelta(days=1)
            if substitute.year == year:
                rest.add(substitute)
    return frozenset(rest)


@dataclass(frozen=True, slots=True)
class WorkingDayCount:
    """A date or count computed on the calendar, and whether any unpublished year was estimated."""

    value: date | int
    estimated: bool


class WorkingDayCalendar:
    """Working days per CAL-WORKING-DAYS.

    `extra_years` holds calendars entered for years the package does not cover; an entered year
    that the package also covers overrides it (a correction published later).
    """

    def __init__(self, extra_years: Mapping[int, YearCalendar] | None = None) -> None:
        self._extra: dict[int, YearCalendar] = {}
        for year, cal in (extra_years or {}).items():
            if cal.year != year:
                raise ValueError(f"calendar for {cal.year} filed under {year}")
            self._extra[year] = cal
        self._package = package_years()
        self._holidays = frozenset(chinese_calendar.holidays)
        self._workdays = frozenset(chinese_calendar.workdays)
        # year -> (working days among the year's first k days, for k = 0..days in year; estimated)
        self._counts: dict[int, tuple[list[int], bool]] = {}

    def published(self, year: int) -> bool:
        """Whether the calendar of `year` is known (package or entered)."""
        return year in self._extra or year in self._package

    @property
    def years(self) -> frozenset[int]:
        return frozenset(self._package | set(self._extra))

    def _is_working(self, day: date, estimate: bool) -> tuple[bool, bool]:
        entered = self._extra.get(day.year)
        if entered is not None:
            if day in entered.workdays:
                return True, False
            return day.weekday() < 5 and day not in entered.holidays, False
        if day.year in self._package:
            if day in self._workdays:
                return True, False
            return day.weekday() < 5 and day not in self._holidays, False
        if not estimate:
            raise CalendarYearUnpublished(day.year)
        return day.weekday() < 5 and day not in estimated_rest_days(day.year), True

    def is_working_day(self, day: date, *, estimate: bool = False) -> bool:
        """Whether `day` is a working day; `CalendarYearUnpublished` for an unknown year."""
        return self._is_working(day, estimate)[0]

    def add_working_days_counted(self, start: date, n: int, *, estimate: bool = False) -> WorkingDayCount:
        """The n-th working day after `start` (start itself not counted), with the estimate flag."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        left = n
        estimated = False
        while left > 0:
            day += timedelta(days=1)
            working, guessed = self._is_working(day, estimate)
            estimated = estimated or guessed
            if working:
                left -= 1
        return WorkingDayCount(day, estimated)

    def add_working_days(self, start: date, n: int, *, estimate: bool = False) -> date:
        """The n-th working day after `start`; the start day is not counted (民法典 201)."""
        value = self.add_working_days_counted(start, n, estimate=estimate).value
        assert isinstance(value, date)
        return value

    def _year_counts(self, year: int, estimate: bool) -> tuple[list[int], bool]:
        """Cumulative working days of one year (built once per calendar), and whether it is estimated."""
        if not estimate and not self.published(year):
            raise CalendarYearUnpublished(year)
        cached = self._counts.get(year)
        if cached is None:
            first = date(year, 1, 1)
            length = (date(year + 1, 1, 1) - first).days
            cumulative = [0] * (length + 1)
            estimated = False
            for offset in range(length):
                working, guessed = self._is_working(first + timedelta(days=offset), True)
                estimated = estimated or guessed
                cumulative[offset + 1] = cumulative[offset] + working
            cached = (cumulative, estimated)
            self._counts[year] = cached
        return cached

    def working_days_between_counted(self, a: date, b: date, *, estimate: bool = False) -> WorkingDayCount:
        """Working days in (a, b], with the estimate flag (per-year cumulative counts: a range of
        years costs a few lookups, not a step per day)."""
        count = 0
        estimated = False
        if b <= a:
            return WorkingDayCount(0, False)
        start = a + timedelta(days=1)
        for year in range(start.year, b.year + 1):
            cumulative, guessed = self._year_counts(year, estimate)
            first = date(year, 1, 1)
            low = (start - first).days if year == start.year else 0
            high = (b - first).days + 1 if year == b.year else len(cumulative) - 1
            count += cumulative[high] - cumulative[low]
            estimated = estimated or guessed
        return WorkingDayCount(count, estimated)

    def working_days_between(self, a: date, b: date, *, estimate: bool = False) -> int:
        """Working days in the half-open range (a, b]: `a` not counted, `b` counted; 0 when b <= a."""
        value = self.working_days_between_counted(a, b, estimate=estimate).value
        assert isinstance(value, int)
        return value

    def is_estimate(self, day: date) -> bool:
        """Whether an answer about `day` can only be an estimate (its year's calendar is unpublished)."""
        return not self.published(day.year)
