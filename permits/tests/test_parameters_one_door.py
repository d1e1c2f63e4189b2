"""One door for parameters (issue 9 item 2): a value entered in the back office for
P-RENEWAL-WINDOW-DAYS or P-LEAD-WORKING-DAYS reaches the renewal window, the daily job, the
reminders, the case's due date and the inspection — no copy of the guide's figures elsewhere."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Role, User
from cases import engine
from core.models import Notification
from eligibility import services as backoffice
from oversight.inspection import overdue_expiry_limit
from permits import lifecycle
from permits.models import PermitStatus, ReminderKind
from permits.tests.factories import make_operator, make_permit

pytestmark = pytest.mark.django_db

EXPIRY = date(2022, 8, 6)  # the guide's example: window 2022-06-06 … 2022-08-05, latest Fri 07-08


@pytest.fixture
def supervisor():
    return User.objects.create_user(username="param-sup", password="x" * 16, role=Role.SUPERVISOR)


def enter(user: User, parameter_id: str, value: str) -> None:
    backoffice.add_parameter_value(
        user, parameter_id=parameter_id, effective_from=date(2022, 1, 1), value=value, citation="测试：新规定"
    )


def _run(day: date, capture) -> lifecycle.DailyResult:
    with capture(execute=True):
        return lifecycle.run_daily(day)


def test_renewal_window_follows_p_renewal_window_days(supervisor, django_capture_on_commit_callbacks):
    """REN-WINDOW: with 90 days the window opens 2022-05-07 instead of 2022-06-06."""
    permit = make_permit(issued_on=date(2019, 8, 6), expires_on=EXPIRY)
    make_operator(permit.employer)
    assert lifecycle.window_opens(EXPIRY, date(2022, 5, 7)) == date(2022, 6, 6)
    enter(supervisor, "P-RENEWAL-WINDOW-DAYS", "90")
    assert lifecycle.window_opens(EXPIRY, date(2022, 5, 7)) == date(2022, 5, 7)
    _run(date(2022, 5, 6), django_capture_on_commit_callbacks)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.VALID
    result = _run(date(2022, 5, 7), django_capture_on_commit_callbacks)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.RENEWAL_DUE
    assert result.reminders[ReminderKind.WINDOW_OPEN] == 1
    assert engine.deadlines_for(EXPIRY, date(2022, 5, 7)).window_opens == date(2022, 5, 7)


def test_lead_time_follows_p_lead_working_days(supervisor, django_capture_on_commit_callbacks):
    """REN-DEADLINE: with 25 working days the latest working day moves from Fri 07-08 to Fri 07-01;
    the reminder (five working days before it) moves with it, and so do the due date and the
    inspection's overdue limit."""
    permit = make_permit(issued_on=date(2019, 8, 6), expires_on=EXPIRY)
    make_operator(permit.employer)
    before = engine.deadlines_for(EXPIRY, date(2022, 6, 1))
    assert before.latest_working_day == date(2022, 7, 8)
    assert engine.due_date(date(2022, 7, 8)) == (date(2022, 8, 5), False)
    limit_before = overdue_expiry_limit(date(2022, 7, 11))
    enter(supervisor, "P-LEAD-WORKING-DAYS", "25")
    after = engine.deadlines_for(EXPIRY, date(2022, 6, 1))
    assert after.latest_working_day == date(2022, 7, 1)
    assert engine.due_date(date(2022, 7, 8)) == (date(2022, 8, 12), False)
    limit_after = overdue_expiry_limit(date(2022, 7, 11))
    assert limit_before is not None and limit_after is not None and limit_after > limit_before
    _run(date(2022, 6, 6), django_capture_on_commit_callbacks)
    result = _run(date(2022, 6, 24), django_capture_on_commit_callbacks)  # 5 working days before 07-01
    assert result.reminders[ReminderKind.DEADLINE_NEAR] == 1
    subjects = set(Notification.objects.values_list("subject", flat=True))
    assert any("2022-07-01" in s for s in subjects)
    bodies = " ".join(Notification.objects.values_list("body", flat=True))
    assert "至少提前 25 个工作日" in bodies
