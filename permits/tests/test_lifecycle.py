"""The daily job (REN-WINDOW, REN-DEADLINE, REN-EXPIRED, CAL-WORKING-DAYS): statuses and reminders,
each at its boundary day, idempotent across repeated and interrupted runs."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from core.models import Notification
from permits import lifecycle
from permits.models import EventKind, PermitStatus, ReminderKind, SentReminder
from permits.tests.factories import make_operator, make_permit

pytestmark = pytest.mark.django_db

EXPIRY = date(2022, 8, 6)  # the guide's example: window 2022-06-06 … 2022-08-05


@pytest.fixture
def permit():
    permit = make_permit(issued_on=date(2019, 8, 6), expires_on=EXPIRY)
    make_operator(permit.employer)
    return permit


def _run(day: date, capture) -> lifecycle.DailyResult:
    with capture(execute=True):
        return lifecycle.run_daily(day)


def test_ren_window_opens_on_2022_06_06_not_a_day_earlier(
    permit, django_capture_on_commit_callbacks, mailoutbox
):
    _run(date(2022, 6, 5), django_capture_on_commit_callbacks)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.VALID
    assert not Notification.objects.exists()
    result = _run(date(2022, 6, 6), django_capture_on_commit_callbacks)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.RENEWAL_DUE
    assert result.renewal_due == 1
    assert result.reminders[ReminderKind.WINDOW_OPEN] == 1
    # holder and the employer's operator, inbox and mail
    assert Notification.objects.count() == 2
    assert len(mailoutbox) == 2
    assert "续签办理期" in mailoutbox[0].subject
    assert "2022-06-06 至 2022-08-05" in mailoutbox[0].body
    assert permit.events.filter(kind=EventKind.RENEWAL_DUE).count() == 1


def test_deadline_reminder_five_working_days_before_latest_submission(
    permit, django_capture_on_commit_callbacks
):
    # REN-DEADLINE (edition 2): reminders aim at the latest working day, Fri 2022-07-08 (the guide's
    # "8.5往前数20个工作日"), not Sun 07-10; five working days before it (07-04…07-08) → Fri 2022-07-01.
    _run(date(2022, 6, 6), django_capture_on_commit_callbacks)
    result = _run(date(2022, 6, 30), django_capture_on_commit_callbacks)
    assert result.reminders[ReminderKind.DEADLINE_NEAR] == 0
    result = _run(date(2022, 7, 1), django_capture_on_commit_callbacks)
    assert result.reminders[ReminderKind.DEADLINE_NEAR] == 1
    subjects = set(Notification.objects.values_list("subject", flat=True))
    assert any("2022-07-08" in s for s in subjects)
    assert not any("2022-07-10" in s for s in subjects)


def test_missed_window_day_still_reminds_once(permit, django_capture_on_commit_callbacks):
    result = _run(date(2022, 7, 5), django_capture_on_commit_callbacks)
    assert result.reminders == {ReminderKind.WINDOW_OPEN: 1, ReminderKind.DEADLINE_NEAR: 1}


def test_ren_expired_the_day_after_expiry(permit, django_capture_on_commit_callbacks):
    _run(EXPIRY, django_capture_on_commit_callbacks)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.RENEWAL_DUE
    result = _run(date(2022, 8, 7), django_capture_on_commit_callbacks)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.EXPIRED
    assert result.expired == 1
    assert permit.events.filter(kind=EventKind.EXPIRED).count() == 1


def test_running_twice_sends_nothing_twice(permit, django_capture_on_commit_callbacks, mailoutbox):
    for _ in range(2):
        _run(date(2022, 7, 1), django_capture_on_commit_callbacks)
    assert SentReminder.objects.count() == 2
    assert Notification.objects.count() == 4
    assert len(mailoutbox) == 4
    assert permit.events.filter(kind=EventKind.RENEWAL_DUE).count() == 1


def test_interrupted_run_resumes_without_duplicates(django_capture_on_commit_callbacks, monkeypatch):
    permits = [make_permit(issued_on=date(2019, 8, 6), expires_on=EXPIRY) for _ in range(3)]
    real_notify = lifecycle.notify
    calls = {"n": 0}

    def failing_notify(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("mail server gone")
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(lifecycle, "notify", failing_notify)
    with pytest.raises(RuntimeError):
        _run(date(2022, 6, 6), django_capture_on_commit_callbacks)
    assert SentReminder.objects.count() == 1
    monkeypatch.setattr(lifecycle, "notify", real_notify)
    _run(date(2022, 6, 6), django_capture_on_commit_callbacks)
    for permit in permits:
        assert Notification.objects.filter(user=permit.holder.user).count() == 1


def test_cancelled_permit_gets_no_reminder(django_capture_on_commit_callbacks):
    make_permit(issued_on=date(2019, 8, 6), expires_on=EXPIRY, status=PermitStatus.CANCELLED)
    result = _run(date(2022, 6, 6), django_capture_on_commit_callbacks)
    assert result.renewal_due == 0
    assert not Notification.objects.exists()


def test_renewed_permit_reminded_again_for_the_new_term(permit, django_capture_on_commit_callbacks):
    _run(date(2022, 6, 6), django_capture_on_commit_callbacks)
    permit.expires_on = date(2025, 8, 6)
    permit.status = PermitStatus.VALID
    permit.save()
    result = _run(date(2025, 6, 6), django_capture_on_commit_callbacks)
    assert result.reminders[ReminderKind.WINDOW_OPEN] == 1


def test_management_command_and_task(permit, capsys):
    call_command("permits_daily", "--today", "2022-08-07")
    assert "expired 1" in capsys.readouterr().out
    from permits.tasks import permits_daily

    result = permits_daily.enqueue("2022-08-08")
    assert result.return_value == {
        "expired": 0,
        "renewal_due": 0,
        "reminders": {"window_open": 0, "deadline_near": 0},
    }
