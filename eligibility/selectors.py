"""Reads of the eligibility context: deadlines on the official calendar, parameter and calendar tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from eligibility import services
from eligibility.models import CalendarYear, ParameterValue


class DeadlineError(Exception):
    """The deadline cannot be computed; `field` is the form field to show `message` at."""

    def __init__(self, field: str | None, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


def _previous_working_day(calendar: Any, day: date, estimate: bool) -> date:
    while not calendar.is_working_day(day, estimate=estimate):
        day -= timedelta(days=1)
    return day


def renewal_deadlines(
    expires_on: date, submitted_on: date | None, *, estimate: bool = False
) -> dict[str, Any]:
    """REN-WINDOW and REN-DEADLINE for a permit expiring on `expires_on`, on the official calendar.

    `latest_submission` is the last calendar day on which a submission still leaves the review its
    P-LEAD-WORKING-DAYS before `complete_by` (the submission day itself not counted), as rules.md
    REN-DEADLINE says; when that day is not a working day, `latest_working_day` is the last working
    day before it (for people who want to submit or ask during office hours). For a year
    whose calendar is not published the answer is an explicit error, or with `estimate` a result
    marked as estimated (weekends only, CAL-WORKING-DAYS).
    """
    from policy.deadlines import renewal_deadlines as compute
    from policy.errors import CalendarYearUnpublished, ParameterMissing

    parameters = services.current_parameters()
    calendar = services.current_calendar()
    on = submitted_on or timezone.localdate()
    try:
        window_days = int(parameters.lookup("P-RENEWAL-WINDOW-DAYS", on).value)
        review_days = int(parameters.lookup("P-LEAD-WORKING-DAYS", on).value)
    except ParameterMissing as exc:
        raise DeadlineError("submitted_on" if submitted_on else None, str(exc)) from exc
    try:
        base = compute(
            expires_on,
            submitted_on or expires_on,
            calendar,
            estimate=estimate,
            window_days=window_days,
            lead_working_days=review_days,
        )
        latest = base.latest_submission
        latest_working_day = _previous_working_day(calendar, latest, estimate)
        planned = None
        if submitted_on is not None:
            planned = {
                "date": submitted_on,
                "in_time": base.in_time,
                "in_window": base.window_opens <= submitted_on <= base.complete_by,
                "before_window": submitted_on < base.window_opens,
                "expired": submitted_on >= expires_on,
                "working_days": calendar.working_days_between(
                    submitted_on, base.complete_by, estimate=estimate
                ),
                "review_done": calendar.add_working_days(submitted_on, review_days, estimate=estimate),
            }
        latest_days = calendar.working_days_between(latest, base.complete_by, estimate=estimate)
    except CalendarYearUnpublished as exc:
        raise DeadlineError(
            "estimate",
            _(
                "%(year)d 年的工作日历尚未公布，无法按官方日历计算。"
                "可勾选“估算”按周一至周五粗算，结果仅供参考。"
            )
            % {"year": exc.year},
        ) from exc
    return {
        "expires_on": expires_on,
        "complete_by": base.complete_by,
        "window_opens": base.window_opens,
        "latest_submission": latest,
        "latest_working_day": latest_working_day if latest_working_day != latest else None,
        "latest_working_days": latest_days,
        "estimated": base.estimated,
        "window_days": window_days,
        "review_days": review_days,
        "planned": planned,
    }


@dataclass
class ParameterRow:
    parameter_id: str
    unit: str
    description: str
    entries: list[dict[str, Any]]
    current: dict[str, Any] | None = None
    entered_count: int = 0


def parameter_table(today: date | None = None) -> list[ParameterRow]:
    """Every shipped parameter with its shipped and entered values (who, when), oldest first.

    `current` is the entry in force on `today` (P-FALLBACK: the latest one not after it).
    """
    today = today or timezone.localdate()
    entered: dict[str, list[ParameterValue]] = {}
    for entry in ParameterValue.objects.select_related("entered_by").order_by("entered_at", "id"):
        entered.setdefault(entry.parameter_id, []).append(entry)
    rows = []
    for definition in services.shipped_definitions():
        entries: list[dict[str, Any]] = [
            {
                "effective_from": value.effective_from,
                "value": value.value,
                "citation": value.citation,
                "source": "shipped",
                "entered_by": None,
                "entered_at": None,
                "superseded": False,
            }
            for value in definition.values
        ]
        for value in entered.get(definition.id, []):
            for earlier in entries:
                if earlier["effective_from"] == value.effective_from:
                    earlier["superseded"] = True
            entries.append(
                {
                    "effective_from": value.effective_from,
                    "value": value.value,
                    "citation": value.citation,
                    "source": "entered",
                    "entered_by": value.entered_by,
                    "entered_at": value.entered_at,
                    "superseded": False,
                }
            )
        entries.sort(key=lambda e: (e["effective_from"], e["entered_at"] is not None, e["entered_at"] or 0))
        in_force = [e for e in entries if not e["superseded"] and e["effective_from"] <= today]
        rows.append(
            ParameterRow(
                definition.id,
                definition.unit,
                definition.description,
                entries,
                current=in_force[-1] if in_force else None,
                entered_count=len(entered.get(definition.id, [])),
            )
        )
    return rows


def calendar_table() -> dict[str, Any]:
    """Years covered by the shipped calendar package and the years entered (each entry, newest wins)."""
    calendar = services.current_calendar()
    entered = list(CalendarYear.objects.select_related("entered_by").order_by("-year", "-entered_at", "-id"))
    latest = services.latest_calendar_entries()
    shipped = sorted(calendar.years - {e.year for e in entered}, reverse=True)
    return {
        "entered": [
            {"entry": e, "current": latest.get(e.year) is not None and latest[e.year].pk == e.pk}
            for e in entered
        ],
        "shipped_years": shipped,
    }
