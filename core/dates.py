"""Impossible dates, refused the same way by every form (issue 10, item 3).

"Today" is always passed in: forms receive it from the view or take ``timezone.localdate()`` in
the form layer; these helpers never read a clock. Messages name the field, so that the error
summary and the message next to the field read well on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _


def today_or(value: date | None) -> date:
    """The day passed in, or the local date in the form layer (TIME_ZONE = Asia/Shanghai)."""
    return value if value is not None else timezone.localdate()


def not_after(value: date | None, limit: date, label: Any, *, is_today: bool = True) -> str | None:
    """The message if ``value`` is after ``limit`` (e.g. a birth date after today), else None."""
    if value is None or value <= limit:
        return None
    if is_today:
        return _("%(field)s不能晚于今天（%(limit)s）。") % {"field": label, "limit": limit.isoformat()}
    return _("%(field)s不能晚于%(limit)s。") % {"field": label, "limit": limit.isoformat()}


def not_before(start: date | None, end: date | None, start_label: Any, end_label: Any) -> str | None:
    """The message if ``end`` is before ``start`` (a period that ends before it begins), else None."""
    if start is not None and end is not None and end < start:
        return _("%(end)s不能早于%(start)s（%(date)s）。") % {
            "end": end_label,
            "start": start_label,
            "date": start.isoformat(),
        }
    return None


def check_past_dates(form: forms.Form, names: Iterable[str], today: date) -> None:
    """Adds an error to each named date field of ``form`` that lies after ``today``."""
    data = getattr(form, "cleaned_data", {}) or {}
    for name in names:
        if name not in form.fields:
            continue
        message = not_after(data.get(name), today, form.fields[name].label)
        if message:
            form.add_error(name, message)


def check_period(form: forms.Form, start: str, end: str) -> None:
    """Adds an error to ``end`` when it is before ``start`` (both names of date fields of ``form``)."""
    data = getattr(form, "cleaned_data", {}) or {}
    if start not in form.fields or end not in form.fields:
        return
    message = not_before(data.get(start), data.get(end), form.fields[start].label, form.fields[end].label)
    if message:
        form.add_error(end, message)


class PastDatesMixin:
    """For a form: ``past_date_fields`` may not lie after today; each ``(start, end)`` of ``periods``
    may not end before it starts. ``today`` is passed in, or the local date in the form layer."""

    past_date_fields: tuple[str, ...] = ()
    periods: tuple[tuple[str, str], ...] = ()

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today_or(today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # type: ignore[misc]
        check_past_dates(self, self.past_date_fields, self.today)  # type: ignore[arg-type]
        for start, end in self.periods:
            check_period(self, start, end)  # type: ignore[arg-type]
        return data
