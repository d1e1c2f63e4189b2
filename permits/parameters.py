"""Parameters of the permits context: read from the parameter set in force (one door), never copied.

- P-PERMIT-VALIDITY-YEARS: a permit runs this many years from approval, never beyond the labour
  contract (新办 材料 1: 有效聘用（劳动）合同).
- P-RENEWAL-WINDOW-DAYS: REN-WINDOW (证件有效期满前N日内完成证件续签).
- P-LEAD-WORKING-DAYS: REN-DEADLINE / CHG-DEADLINE lead time (续签 注意事项 4: 需预留N个工作日用于审批).

Each is the value in force on the day asked (default today; back-office entries included:
`eligibility.services.current_parameters()`).

DEADLINE_REMINDER_WORKING_DAYS: the second reminder goes out this many working days before the latest
working day, so the employer still has a working week to file (a service decision, not the guide's).
"""

from __future__ import annotations

from datetime import date

DEADLINE_REMINDER_WORKING_DAYS = 5
NUMBER_PREFIX = "京工居"
VERIFY_SALT = "permits.verify.v1"

VALIDITY_YEARS = "P-PERMIT-VALIDITY-YEARS"
RENEWAL_WINDOW = "P-RENEWAL-WINDOW-DAYS"
LEAD = "P-LEAD-WORKING-DAYS"


def value(parameter_id: str, on: date | None = None) -> int:
    """A whole-number parameter in force on `on` (default today)."""
    from eligibility.services import current_parameters

    if on is None:
        from django.utils import timezone

        on = timezone.localdate()
    return int(current_parameters().lookup(parameter_id, on).value)


def validity_years(on: date | None = None) -> int:
    return value(VALIDITY_YEARS, on)


def renewal_window_days(on: date | None = None) -> int:
    return value(RENEWAL_WINDOW, on)


def lead_working_days(on: date | None = None) -> int:
    return value(LEAD, on)
