"""Logging of reads of personal data (ID numbers, hukou, income, children, documents) by anyone but
the person the data belongs to (issue 11, Medium 5): district and municipal staff, and the employer's
operators reading an applicant's details or documents. Each row has the reader, the client address
and whether the session had passed TOTP; `subject_applicant_id` ties it to the applicant whose data
was read, so a case's 个人信息查阅记录 panel shows every read of its applicant's data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

from core.clientip import client_ip
from core.models import PersonalDataAccess

if TYPE_CHECKING:
    from accounts.models import User


def _subject_applicant_id(obj: Any) -> int | None:
    """The applicant whose personal data `obj` holds (the object itself for an applicant)."""
    if getattr(getattr(obj, "_meta", None), "label_lower", "") == "applicants.applicant":
        return int(obj.pk)
    for attribute in ("applicant_id", "subject_applicant_id"):
        value = getattr(obj, attribute, None)
        if value is not None:
            return int(value)
    return None


def _owner_user_id(obj: Any) -> int | None:
    """The user account of the person the data belongs to, if any."""
    label = getattr(getattr(obj, "_meta", None), "label_lower", "")
    if label == "applicants.applicant":
        return getattr(obj, "user_id", None)
    applicant = getattr(obj, "applicant", None) if getattr(obj, "applicant_id", None) is not None else None
    return getattr(applicant, "user_id", None)


def log_personal_data_access(
    user: User,
    obj: models.Model | str,
    purpose: str,
    *,
    request: HttpRequest | None = None,
    subject_applicant_id: int | None = None,
) -> None:
    """Record one read of `obj` (a model instance, or a label such as "cases.queue" for a list page)
    by `user`, unless `user` is the person the data belongs to (or not signed in)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    if isinstance(obj, models.Model):
        if _owner_user_id(obj) == user.pk:
            return
        uploaded_by = getattr(obj, "uploaded_by_id", None)
        if uploaded_by is not None and uploaded_by == user.pk and getattr(obj, "applicant_id", None) is None:
            return  # an operator reading back the employer's own file that concerns no applicant
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
        subject = subject_applicant_id if subject_applicant_id is not None else _subject_applicant_id(obj)
    else:
        object_type, object_id, subject = obj[:60], "", subject_applicant_id
    PersonalDataAccess.objects.create(
        user=user,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose[:60],
        totp_verified=bool(getattr(user, "is_verified", lambda: False)()),
        client_address=client_ip(request)[:64] if request is not None else "",
        subject_applicant_id=subject,
    )
