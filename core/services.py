"""Writes for the inbox."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.models import Notification


@transaction.atomic
def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of the user's own messages read; another user's message is not found."""
    notification = Notification.objects.select_for_update().get(pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
