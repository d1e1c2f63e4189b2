"""APP-RETIREMENT ages under the 2025 gradual increase, at the published table points."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from policy.retirement import retirement_age_months, retirement_date


def age(birth: date, category: str) -> tuple[int, int]:
    return divmod(retirement_age_months(birth, category), 12)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("birth", "category", "expected"),
    [
        (date(1964, 12, 31), "male", (60, 0)),
        (date(1965, 1, 1), "male", (60, 1)),
        (date(1965, 4, 30), "male", (60, 1)),
        (date(1965, 5, 1), "male", (60, 2)),
        (date(1970, 1, 15), "male", (61, 4)),
        (date(1976, 8, 31), "male", (62, 11)),
        (date(1976, 9, 1), "male", (63, 0)),
        (date(1990, 1, 1), "male", (63, 0)),
        (date(1969, 12, 31), "female_55", (55, 0)),
        (date(1970, 1, 1), "female_55", (55, 1)),
        (date(1981, 9, 1), "female_55", (58, 0)),
        (date(1981, 8, 1), "female_55", (57, 11)),
        (date(1974, 12, 31), "female_50", (50, 0)),
        (date(1975, 1, 1), "female_50", (50, 1)),
        (date(1975, 3, 1), "female_50", (50, 2)),
        (date(1984, 10, 31), "female_50", (54, 11)),
        (date(1984, 11, 1), "female_50", (55, 0)),
        (date(1995, 6, 1), "female_50", (55, 0)),
    ],
)
def test_app_retirement_published_table_points(birth: date, category: str, expected: tuple[int, int]) -> None:
    assert age(birth, category) == expected


def test_app_retirement_date_clamps_to_month_end() -> None:
    # born 31 January 1965: 60 years 1 month later is February 2025, which has 28 days
    assert retirement_date(date(1965, 1, 31), "male") == date(2025, 2, 28)
    assert retirement_date(date(1965, 1, 15), "male") == date(2025, 2, 15)


def test_app_retirement_date_one_day_each_side_of_the_birth_boundary() -> None:
    before = date(1965, 1, 1) - timedelta(days=1)
    assert retirement_date(before, "male") == date(2024, 12, 31)
    assert retirement_date(date(1965, 1, 1), "male") == date(2025, 2, 1)


def test_add_months_clamps_and_matches_calendar() -> None:
    from calendar import monthrange

    from policy.dates import add_months, days_in_month

    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 20), -11) == date(2024, 12, 20)
    for year in (1900, 2000, 2023, 2024):
        for month in range(1, 13):
            assert days_in_month(year, month) == monthrange(year, month)[1]
