"""Permits (《北京市工作居住证》): the permit an approved case confers, and its append-only history.

BIZ-CONFIRMATION (四（八）): only an approved case gives the holder a permit; starting a case
confers nothing, so a Permit row is created by `services.apply_case_decision` only.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from permits import parameters


class PermitStatus(models.TextChoices):
    VALID = "valid", _("有效")
    RENEWAL_DUE = "renewal_due", _("可续签")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("已注销")


CURRENT_STATUSES = (PermitStatus.VALID, PermitStatus.RENEWAL_DUE)


class Permit(ChoiceLabels, models.Model):
    """One holder's permit. `number` is shown to people; URLs use `public_id`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("证件编号"), max_length=30, unique=True)
    holder = models.ForeignKey("applicants.Applicant", on_delete=models.PROTECT, related_name="permits")
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="permits")
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=20, choices=PermitStatus.choices, default=PermitStatus.VALID
    )
    # CHG-RESIGNATION / 续签 注意事项 1: the permit's data came from the old system.
    migrated = models.BooleanField(_("旧系统迁移数据"), default=False)
    cancelled_on = models.DateField(_("注销日期"), null=True, blank=True)
    cancel_reason = models.TextField(_("注销原因"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("最近办理的业务"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("工作居住证")
        verbose_name_plural = _("工作居住证")
        constraints = [
            models.UniqueConstraint(
                fields=["holder"],
                condition=Q(status__in=["valid", "renewal_due"]),
                name="one_current_permit_per_holder",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("issued_on")), name="permit_dates_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["employer", "status"]),
            # Issue 12: an employer's permits newest first (keyset) and its renewals by expiry.
            models.Index(fields=["employer", "-issued_on", "-id"], name="permit_employer_issued_idx"),
            models.Index(fields=["employer", "status", "expires_on"], name="permit_employer_expiry_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    @property
    def complete_by(self) -> date:
        """REN-WINDOW: the renewal must be complete by the day before expiry."""
        return self.expires_on - timedelta(days=1)

    def window_opens(self, on: date) -> date:
        """REN-WINDOW: complete_by − P-RENEWAL-WINDOW-DAYS in force on `on`.

        Expiry 2022-08-06 → window opens 2022-06-06."""
        return self.complete_by - timedelta(days=parameters.renewal_window_days(on))


class PermitNumberSequence(models.Model):
    """The last sequence number handed out per year (row-locked while numbering)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("证件编号序列")
        verbose_name_plural = _("证件编号序列")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class EventKind(models.TextChoices):
    ISSUED = "issued", _("发证")
    RENEWED = "renewed", _("续签")
    EMPLOYER_CHANGED = "employer_changed", _("聘用单位变更")
    INFO_CHANGED = "info_changed", _("信息变更")
    CANCELLED = "cancelled", _("注销")
    EXPIRED = "expired", _("过期失效")
    RENEWAL_DUE = "renewal_due", _("进入续签期")


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a history row."""


class PermitEventQuerySet(models.QuerySet["PermitEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("permit history is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("permit history is append-only")


class PermitEvent(models.Model):
    """Append-only history of a permit: what happened, on which day, decided by whom."""

    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind.choices)
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PermitEventQuerySet.as_manager()

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            # A case is applied to a permit at most once (apply_case_decision is idempotent).
            models.UniqueConstraint(
                fields=["case"], condition=Q(case__isnull=False), name="one_event_per_case"
            ),
        ]
        verbose_name = _("证件记录")
        verbose_name_plural = _("证件记录")

    def __str__(self) -> str:
        return f"{self.permit_id} {self.kind} {self.on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("permit history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("permit history is append-only")


class ReminderKind(models.TextChoices):
    WINDOW_OPEN = "window_open", _("续签期开始")
    DEADLINE_NEAR = "deadline_near", _("最晚提交日临近")


class SentReminder(models.Model):
    """One row per reminder sent; the unique constraint makes the daily job idempotent."""

    permit = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    expires_on = models.DateField(help_text="the expiry the reminder was about (a renewal starts afresh)")
    sent_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("已发送提醒")
        verbose_name_plural = _("已发送提醒")
        constraints = [
            models.UniqueConstraint(fields=["permit", "kind", "expires_on"], name="one_reminder_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.permit_id} {self.kind} {self.expires_on}"
