"""Reads of the eligibility context: deadlines on the official calendar, parameter and calendar tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from eligibility import services
from eligibility.models import CalendarYear, ParameterValue


class DeadlineError(Exception):
    """The deadline cannot be computed; `field` is the form field to show `message` at."""

    def __init__(self, field: str | None, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


def renewal_deadlines(
    expires_on: date, submitted_on: date | None, *, today: date | None = None
) -> dict[str, Any]:
    """REN-WINDOW and REN-DEADLINE for a permit expiring on `expires_on`, on the official calendar.

    The figures are the parameters in force (P-RENEWAL-WINDOW-DAYS, P-LEAD-WORKING-DAYS,
    P-RATIFY-WORKING-DAYS) on the planned day, or today. `latest_working_day` is the day shown
    (REN-DEADLINE, edition 2); `latest_submission` the last calendar day still in time. A year whose
    calendar is not published gives a conservative estimate, marked, never an error
    (CAL-WORKING-DAYS). `expired` is true when the permit has expired by today (REN-EXPIRED).
    """
    from policy.deadlines import ESTIMATE_MARGIN_WORKING_DAYS
    from policy.deadlines import renewal_deadlines as compute
    from policy.errors import ParameterMissing

    parameters = services.current_parameters()
    calendar = services.current_calendar()
    today = today or timezone.localdate()
    on = submitted_on or today
    try:
        window_days = int(parameters.lookup("P-RENEWAL-WINDOW-DAYS", on).value)
        lead_days = int(parameters.lookup("P-LEAD-WORKING-DAYS", on).value)
        ratify_days = int(parameters.lookup("P-RATIFY-WORKING-DAYS", on).value)
    except ParameterMissing as exc:
        raise DeadlineError("submitted_on" if submitted_on else None, str(exc)) from exc
    base = compute(
        expires_on,
        submitted_on or expires_on,
        calendar,
        window_days=window_days,
        lead_working_days=lead_days,
    )
    estimated = base.estimated
    planned = None
    if submitted_on is not None:
        done = calendar.add_working_days_counted(submitted_on, lead_days, estimate=True)
        between = calendar.working_days_between_counted(submitted_on, base.complete_by, estimate=True)
        estimated = estimated or done.estimated or between.estimated
        expired = submitted_on >= expires_on
        too_late = not expired and submitted_on >= base.complete_by
        planned = {
            "date": submitted_on,
            "in_time": base.in_time,
            "late": not base.in_time and not too_late and not expired,
            "too_late": too_late,
            "in_window": base.window_opens <= submitted_on <= base.complete_by,
            "before_window": submitted_on < base.window_opens,
            "expired": expired,
            "working_days": between.value,
            "review_done": done.value,
        }
    latest_days = calendar.working_days_between(base.latest_working_day, base.complete_by, estimate=True)
    return {
        "expires_on": expires_on,
        "expired": today >= expires_on,
        "complete_by": base.complete_by,
        "window_opens": base.window_opens,
        "latest_working_day": base.latest_working_day,
        "latest_submission": base.latest_submission,
        "latest_working_days": latest_days,
        "estimated": estimated,
        "window_days": window_days,
        "lead_days": lead_days,
        "ratify_days": ratify_days,
        "margin_days": ESTIMATE_MARGIN_WORKING_DAYS,
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
