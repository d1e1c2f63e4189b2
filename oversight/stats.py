"""Statistics for supervisors: cases by type, state and month; permits expiring by month; approval and
return rates. Set-based aggregate queries only; charts are inline SVG drawn here (no JS library)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.utils.html import escape

from permits.models import CURRENT_STATUSES, Permit


@dataclass
class Stats:
    since: date
    until: date
    cases_by_kind: list[tuple[str, int]] = field(default_factory=list)
    cases_by_state: list[tuple[str, int]] = field(default_factory=list)
    cases_by_month: list[tuple[str, int]] = field(default_factory=list)
    expiring_by_month: list[tuple[str, int]] = field(default_factory=list)
    decided: int = 0
    approved: int = 0
    submitted: int = 0
    returned: int = 0
    cases_available: bool = True

    @property
    def approval_rate(self) -> float | None:
        return round(self.approved * 100 / self.decided, 1) if self.decided else None

    @property
    def return_rate(self) -> float | None:
        return round(self.returned * 100 / self.submitted, 1) if self.submitted else None


def _month_key(value: Any) -> str:
    return value.strftime("%Y-%m") if value else ""


def _months(since: date, count: int) -> list[str]:
    keys = []
    year, month = since.year, since.month
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return keys


def compute(since: date, until: date, *, expiring_from: date, months_ahead: int = 12) -> Stats:
    stats = Stats(since=since, until=until)
    _case_stats(stats, since, until)
    expiring = (
        Permit.objects.filter(status__in=CURRENT_STATUSES, expires_on__gte=expiring_from.replace(day=1))
        .annotate(month=TruncMonth("expires_on"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    counts = {_month_key(row["month"]): row["n"] for row in expiring}
    stats.expiring_by_month = [(key, counts.get(key, 0)) for key in _months(expiring_from, months_ahead)]
    return stats


def _case_stats(stats: Stats, since: date, until: date) -> None:
    try:
        from cases.models import Case, CaseEvent, Kind, State
        from cases.workflow import Action
    except ImportError:
        stats.cases_available = False
        return
    authority_returns = (Action.RETURN_TO_EMPLOYER, Action.RETURN_TO_APPLICANT)
    cases = Case.objects.filter(created_at__date__gte=since, created_at__date__lte=until)
    kind_labels = dict(Kind.choices)
    state_labels = dict(State.choices)
    by_kind = dict(cases.values_list("kind").annotate(n=Count("id")).order_by())
    stats.cases_by_kind = [(str(kind_labels[k]), by_kind.get(k, 0)) for k in Kind.values]
    by_state = dict(cases.values_list("state").annotate(n=Count("id")).order_by())
    stats.cases_by_state = [(str(state_labels[s]), by_state.get(s, 0)) for s in State.values]
    monthly: dict[str, int] = defaultdict(int)
    for row in (
        cases.annotate(month=TruncMonth("created_at")).values("month").annotate(n=Count("id")).order_by()
    ):
        monthly[_month_key(row["month"])] += row["n"]
    span = (until.year - since.year) * 12 + until.month - since.month + 1
    stats.cases_by_month = [(key, monthly.get(key, 0)) for key in _months(since, max(span, 1))]
    stats.decided = cases.filter(state__in=[State.APPROVED, State.REJECTED]).count()
    stats.approved = cases.filter(state=State.APPROVED).count()
    submitted = cases.filter(submitted_on__isnull=False)
    stats.submitted = submitted.count()
    # 退回率: a case counts as returned when its history shows the authority returned it (to the
    # employer or to the applicant), whatever its state today (it may have been resubmitted since).
    returned = CaseEvent.objects.filter(case=OuterRef("pk"), action__in=authority_returns)
    stats.returned = submitted.filter(Exists(returned)).count()


def bar_chart_svg(title: str, data: list[tuple[str, int]], *, width: int = 640, bar_height: int = 22) -> str:
    """A horizontal bar chart as accessible inline SVG (role=img, title, one text label per bar)."""
    label_width, pad = 170, 8
    height = pad * 2 + max(len(data), 1) * (bar_height + 6)
    top = max((value for _, value in data), default=0) or 1
    plot = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(data):
        y = pad + i * (bar_height + 6)
        w = round(plot * value / top)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 6}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_height}" fill="#1f5fa8"></rect>'
            f'<text x="{label_width + w + 6}" y="{y + bar_height - 6}" font-size="13">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
