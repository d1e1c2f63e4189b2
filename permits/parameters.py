"""Parameters of the permits context, each with its source.

PERMIT_VALIDITY_YEARS: a permit runs three years from approval. The guide speaks of the holder's
"持证期间近三年" income at renewal (续签业务办理规范 注意事项 3), i.e. one term of holding is three
years; the term never runs beyond the labour contract (新办 材料 1: 有效聘用（劳动）合同).

The renewal window (P-RENEWAL-WINDOW-DAYS, REN-WINDOW) and the lead time (P-LEAD-WORKING-DAYS,
REN-DEADLINE) are figures of the guide: they are read from the parameter set in force (one door,
`eligibility.services.parameter_int`), never copied here.
DEADLINE_REMINDER_WORKING_DAYS: the second reminder goes out five working days before the latest
submission day, so the employer still has a working week to file (service decision, not the guide's).
"""

from __future__ import annotations

from datetime import date

PERMIT_VALIDITY_YEARS = 3
DEADLINE_REMINDER_WORKING_DAYS = 5
NUMBER_PREFIX = "京工居"
VERIFY_SALT = "permits.verify.v1"


def renewal_window_days(on: date | None = None) -> int:
    """P-RENEWAL-WINDOW-DAYS in force on `on` (default today)."""
    from eligibility.services import parameter_int

    return parameter_int("P-RENEWAL-WINDOW-DAYS", on)


def lead_working_days(on: date | None = None) -> int:
    """P-LEAD-WORKING-DAYS in force on `on` (default today)."""
    from eligibility.services import parameter_int

    return parameter_int("P-LEAD-WORKING-DAYS", on)
