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
    # The reader's address (the hop the trusted proxy added) and the applicant whose data was read.
    client_address = models.CharField(_("访问地址"), max_length=64, blank=True, default="")
    subject_applicant_id = models.BigIntegerField(null=True, blank=True, db_index=True)

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
    # The same message in English, rendered at the same time (issue 10, 9): the inbox shows the
    # reader's language whatever language the message was sent in. Empty for older messages.
    subject_en = models.CharField(max_length=200, blank=True)
    body_en = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # Issue 12: the inbox (a user's messages, newest first) and the unread count of every page.
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")

    def __str__(self) -> str:
        return self.subject

    def subject_in(self, language: str) -> str:
        return self.subject_en if language == "en" and self.subject_en else self.subject

    def body_in(self, language: str) -> str:
        return self.body_en if language == "en" and self.body_en else self.body


class MailStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxMail(models.Model):
    """Transactional outbox: one e-mail, written in the same transaction as the event it reports.

    A worker sends it after the commit, with retries and exponential backoff (`core.outbox`); after the
    last retry it stays `failed` and is listed for supervisors, who may send it again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reference = models.CharField(
        max_length=60,
        blank=True,
        help_text="what the mail is about when it has no user (logs never show the address)",
    )
    to_address = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("待发邮件")
        verbose_name_plural = _("待发邮件")

    def __str__(self) -> str:
        return f"mail {self.pk} to {self.recipient_label} ({self.status})"

    @property
    def recipient_label(self) -> str:
        """Who the mail is for, without the address (for logs and the supervisors' page)."""
        return f"user {self.user_id}" if self.user_id else self.reference or "—"


class WorkerHeartbeat(models.Model):
    """A running `manage.py run_worker` process; `seen_at` is refreshed every few seconds.

    A task still marked running by a worker whose heartbeat stopped is handed to another worker.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("后台进程")
        verbose_name_plural = _("后台进程")

    def __str__(self) -> str:
        return self.worker_id
