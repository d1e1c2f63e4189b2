"""Background tasks of the core context (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_mail(mail_id: int) -> str:
    """Send one outbox mail if it is due; safe to run twice (the row is claimed under a lock)."""
    from core.outbox import deliver

    return deliver(mail_id)
