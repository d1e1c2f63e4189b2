"""Policy data entered by the authority: dated parameter values and the working-day calendar.

Both tables are append-only (P-FALLBACK, CAL-WORKING-DAYS): a value is never edited or deleted; a
correction is a new entry that supersedes the earlier one for the same parameter and date (or the
same calendar year), and the history stays visible in the back office.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an entry of an append-only table."""


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{type(self).__name__} entries cannot be deleted")


def parse_value(text: str) -> int | Decimal:
    """The stored text of a value as the engine's number: int when whole, else Decimal (never float)."""
    text = text.strip()
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(text)
    if "." not in text and "e" not in text.lower():
        return int(text)
    return number


class ParameterValue(AppendOnlyModel):
    """A value of a shipped policy parameter (P-WAGE-MONTHLY …) in force from `effective_from`."""

    parameter_id = models.CharField(_("参数"), max_length=64, db_index=True)
    effective_from = models.DateField(_("生效日期"))
    value = models.CharField(_("数值"), max_length=32, help_text=_("整数或小数，如 12345 或 1.5"))
    citation = models.CharField(_("依据"), max_length=500)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["parameter_id", "effective_from", "entered_at", "id"]
        verbose_name = _("政策参数值")
        verbose_name_plural = _("政策参数值")

    def __str__(self) -> str:
        return f"{self.parameter_id} {self.effective_from}: {self.value}"

    @property
    def number(self) -> int | Decimal:
        return parse_value(self.value)


class CalendarYear(AppendOnlyModel):
    """The published working-day calendar of one year: statutory holidays and make-up working days."""

    year = models.PositiveSmallIntegerField(_("年份"), db_index=True)
    holidays = models.JSONField(_("法定节假日"), default=list)
    workdays = models.JSONField(_("调休上班日"), default=list)
    citation = models.CharField(_("依据"), max_length=500)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["year", "entered_at", "id"]
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")

    def __str__(self) -> str:
        return str(self.year)

    @property
    def holiday_dates(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.holidays]

    @property
    def workday_dates(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.workdays]
