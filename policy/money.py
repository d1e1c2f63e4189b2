"""Derived money thresholds (rules.md section 1, "Derived thresholds").

All arithmetic is `Decimal`; every derived threshold is floored to whole yuan, which reproduces the
guide's printed tables (11761 × 1.5 = 17641.5 → 17641; 17641 × 6 = 105846). The thresholds are
cached: a few wages times a few multiples cover every case.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache


def floor_yuan(amount: Decimal | int) -> int:
    """Floor to whole yuan."""
    return int(Decimal(amount).to_integral_value(rounding=ROUND_FLOOR))


@lru_cache(maxsize=1024)
def monthly_threshold(monthly_wage: int | Decimal, multiple: int | Decimal) -> int:
    """floor(P-WAGE-MONTHLY × multiple): 11761 × 1.5 → 17641."""
    return floor_yuan(Decimal(monthly_wage) * Decimal(multiple))


def window_total(monthly_wage: int | Decimal, multiple: int | Decimal, months: int) -> int:
    """Recent-window total: the floored monthly threshold × window months (17641 × 6 = 105846)."""
    return monthly_threshold(monthly_wage, multiple) * months


@lru_cache(maxsize=1024)
def annual_threshold(previous_year_wage: int | Decimal, multiple: int | Decimal) -> int:
    """floor(multiple × P-WAGE-ANNUAL(y − 1)) for income year y (4 × 127536 = 510144 for 2022)."""
    return floor_yuan(Decimal(previous_year_wage) * Decimal(multiple))
