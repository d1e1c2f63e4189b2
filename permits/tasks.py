"""Background tasks of the permits context (django-tasks)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from permits.lifecycle import run_daily


@task()
def permits_daily(today: str | None = None) -> dict[str, object]:
    """The daily job as a task; `today` is an ISO date (default: today in Beijing)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    result = run_daily(day)
    return {"expired": result.expired, "renewal_due": result.renewal_due, "reminders": result.reminders}
