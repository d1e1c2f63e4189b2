"""Parameters of the permits context, each with its source.

PERMIT_VALIDITY_YEARS: a permit runs three years from approval. The guide speaks of the holder's
"持证期间近三年" income at renewal (续签业务办理规范 注意事项 3), i.e. one term of holding is three
years; the term never runs beyond the labour contract (新办 材料 1: 有效聘用（劳动）合同).

RENEWAL_WINDOW_DAYS: REN-WINDOW / P-RENEWAL-WINDOW-DAYS ("证件有效期满前60日内完成证件续签").
REVIEW_WORKING_DAYS: REN-DEADLINE / P-LEAD-WORKING-DAYS (20 working days, 六、办理时限).
DEADLINE_REMINDER_WORKING_DAYS: the second reminder goes out five working days before the latest
submission day, so the employer still has a working week to file (service decision, not the guide's).
"""

from __future__ import annotations

PERMIT_VALIDITY_YEARS = 3
RENEWAL_WINDOW_DAYS = 60
REVIEW_WORKING_DAYS = 20
DEADLINE_REMINDER_WORKING_DAYS = 5
NUMBER_PREFIX = "京工居"
VERIFY_SALT = "permits.verify.v1"
