"""Logging of staff reads of personal data (ID numbers, hukou, income, children)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from core.models import PersonalDataAccess

if TYPE_CHECKING:
    from accounts.models import User


def log_personal_data_access(user: User, obj: models.Model, purpose: str) -> None:
    if not getattr(user, "is_district_staff", False):
        return
    PersonalDataAccess.objects.create(
        user=user,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        purpose=purpose[:60],
        totp_verified=bool(getattr(user, "is_verified", lambda: False)()),
    )
