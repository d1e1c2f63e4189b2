"""Reads for the inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from core.models import Notification


def inbox_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
