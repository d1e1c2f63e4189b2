"""Cross-cutting records: who read personal data, and the in-app inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """Append-only: one row each time district staff read an object holding personal data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    purpose = models.CharField(max_length=60)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Whether the reader's session had passed the second factor (TOTP); null for rows logged before.
    totp_verified = models.BooleanField(_("已通过动态口令验证"), null=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("个人信息查阅记录")
        verbose_name_plural = _("个人信息查阅记录")

    def __str__(self) -> str:
        return f"{self.user_id} {self.object_type}:{self.object_id} {self.purpose}"


class Notification(models.Model):
    """An in-app inbox message; the same text is also sent by e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")

    def __str__(self) -> str:
        return self.subject
