"""CSV/XLSX of a run's affected subjects (formula-escaped like the oversight exports)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from simulations.labels import decision, employer_kind, grouped
from simulations.models import Outcome


def headers() -> list[str]:
    return [
        _("对象类别"),
        _("编号"),
        _("姓名（已遮蔽）"),
        _("单位类型"),
        _("人工智能等重点领域"),
        _("现行结论"),
        _("调整后结论"),
        _("规则"),
        _("条款"),
        _("现行门槛"),
        _("调整后门槛"),
        _("实际"),
        _("现行差额"),
        _("调整后差额"),
    ]


def rows(outcomes: QuerySet[Outcome]) -> Iterator[list[object]]:
    for outcome in outcomes.iterator():
        base = [
            outcome.get_population_display(),
            outcome.subject,
            outcome.masked_name,
            employer_kind(outcome.employer_kind),
            _("是") if outcome.ai_key_area else _("否"),
            decision(outcome.before),
            decision(outcome.after),
        ]
        if not outcome.changes:
            yield [*base, "", "", "", "", "", "", ""]
        for change in grouped(outcome.changes):
            yield [
                *base,
                change["rule"],
                change["clauses"],
                change["threshold_before"],
                change["threshold_after"],
                change["actual_after"],
                change["shortfall_before"],
                change["shortfall_after"],
            ]
