"""APP-RETIREMENT: statutory retirement age under the 2025 gradual increase.

全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024, in force 2025-01-01):

- men (original age 60): born January 1965 or later, 1 month later per 4 months of birth,
  at most 63 (born September 1976 or later);
- women originally retiring at 55 (`female_55`): from January 1970, 1 month per 4 months, at most 58;
- women originally retiring at 50 (`female_50`): from January 1975, 1 month per 2 months, at most 55.

The retirement date is the birth date plus the retirement age in years and months (clamped to the
month end); an applicant has reached retirement age on and after that date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from policy.dates import add_months

Category = Literal["male", "female_55", "female_50"]


@dataclass(frozen=True, slots=True)
class Scheme:
    original_years: int
    first_birth_year: int
    months_per_step: int
    max_delay_months: int


SCHEMES: dict[str, Scheme] = {
    "male": Scheme(60, 1965, 4, 36),
    "female_55": Scheme(55, 1970, 4, 36),
    "female_50": Scheme(50, 1975, 2, 60),
}


def delay_months(birth_date: date, category: Category) -> int:
    """Months added to the original age for someone born on `birth_date`."""
    scheme = SCHEMES[category]
    born = (birth_date.year - scheme.first_birth_year) * 12 + birth_date.month - 1
    if born < 0:
        return 0
    return min(born // scheme.months_per_step + 1, scheme.max_delay_months)


def retirement_age_months(birth_date: date, category: Category) -> int:
    """The statutory retirement age in months (60 years 1 month → 721)."""
    return SCHEMES[category].original_years * 12 + delay_months(birth_date, category)


def retirement_date(birth_date: date, category: Category) -> date:
    """The day the applicant reaches statutory retirement age."""
    return add_months(birth_date, retirement_age_months(birth_date, category))


def retirement_age_and_date(birth_date: date, category: Category) -> tuple[int, date]:
    """`retirement_age_months` and `retirement_date` together, the age computed once."""
    months = retirement_age_months(birth_date, category)
    return months, add_months(birth_date, months)
