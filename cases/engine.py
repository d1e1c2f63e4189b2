"""The cases context's one door to the policy engine: parameters, calendar, evaluation, checklist.

Parameters and the working-day calendar are those in force in the back office (the shipped ones
extended by what the authority entered): `eligibility.services.current_parameters()` and
`current_calendar()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from policy.errors import CalendarYearUnpublished, ParameterMissing, PolicyError

if TYPE_CHECKING:
    from policy.deadlines import Deadlines

__all__ = [
    "CalendarYearUnpublished",
    "Evaluation",
    "PolicyError",
    "calendar",
    "case_deadlines",
    "checklist_for",
    "evaluate_facts",
    "explain",
    "parameters",
    "review_due",
]


def explain(exc: PolicyError) -> str:
    """An engine error in the user's language, saying who can resolve it."""
    if isinstance(exc, CalendarYearUnpublished):
        return _(
            "%(year)d 年的工作日历尚未公布（CAL-WORKING-DAYS），"
            "请主管人员在“政策参数与工作日历”中录入后再办理。"
        ) % {"year": exc.year}
    if isinstance(exc, ParameterMissing):
        return _("政策参数 %(parameter)s 在 %(date)s 没有生效的取值，请主管人员录入后再办理。") % {
            "parameter": exc.parameter_id,
            "date": exc.on.isoformat(),
        }
    return str(exc)


def parameter_int(parameter_id: str, on: date | None = None) -> int:
    """A figure of the guide from the parameter set in force (one door)."""
    from eligibility.services import parameter_int as read

    return read(parameter_id, on)


def parameters() -> Any:
    from eligibility.services import current_parameters

    return current_parameters()


def calendar() -> Any:
    from eligibility.services import current_calendar

    return current_calendar()


@dataclass(frozen=True)
class Evaluation:
    result: dict[str, Any]
    parameters: dict[str, Any]
    parameters_hash: str
    engine_version: str


def _jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | str | bool | float) or value is None:
        return value
    return str(value)


def evaluate_facts(facts: dict[str, Any], as_of: date, lang: str = "zh") -> Evaluation:
    """Evaluate the contract JSON with the parameters in force; raises PolicyError when it cannot."""
    from policy import ENGINE_VERSION, evaluate, parse_facts

    params = parameters()
    result = evaluate(parse_facts(facts), params, calendar=calendar(), lang=lang)
    return Evaluation(
        result=result.model_dump(mode="json"),
        parameters=_jsonable(params.snapshot(as_of)),
        parameters_hash=str(params.snapshot_hash(as_of)),
        engine_version=ENGINE_VERSION,
    )


def messages_in(
    facts: dict[str, Any], as_of: date, parameters_hash: str, lang: str
) -> dict[tuple[str, int | None], str]:
    """The messages of a stored result in another language (policy.messages has zh and en), by
    (rule, clause): the same facts evaluated again with the same parameters. Empty when the
    parameters in force on `as_of` are no longer those the result was computed with (the figures in
    the messages could differ: the stored text is then shown) or when the engine cannot evaluate."""
    try:
        evaluation = evaluate_facts(facts, as_of, lang=lang)
    except (PolicyError, ValueError):
        return {}
    if evaluation.parameters_hash != parameters_hash:
        return {}
    result = evaluation.result
    found: dict[tuple[str, int | None], str] = {
        (c["rule"], None): c["message"] for c in result.get("checks", [])
    }
    for block in result.get("clauses", []):
        for check in block.get("checks", []):
            found[(check["rule"], block["clause"])] = check["message"]
    return found


def checklist_for(facts: dict[str, Any]) -> list[Any]:
    """DOC-CHECKLIST: the materials the facts call for (each with id, uploader, child)."""
    from policy import parse_facts
    from policy.checklist import checklist

    return list(checklist(parse_facts(facts), parameters()))


# --- parameters in force (one door: no copy of a guide figure in cases or permits) ---------------

RENEWAL_WINDOW = "P-RENEWAL-WINDOW-DAYS"
LEAD_WORKING_DAYS = "P-LEAD-WORKING-DAYS"  # edition 2: P-REVIEW-WORKING-DAYS split into lead and ratify


def parameter_value(parameter_id: str, on: date) -> int:
    """A whole-number parameter in force on `on` (back-office entries included)."""
    return int(parameters().lookup(parameter_id, on).value)


def lead_working_days(on: date) -> int:
    """REN-DEADLINE / CHG-DEADLINE: the working days a renewal or change is submitted ahead."""
    return parameter_value(LEAD_WORKING_DAYS, on)


def renewal_window_days(on: date) -> int:
    """REN-WINDOW: the days before `complete_by` in which a renewal is submitted."""
    return parameter_value(RENEWAL_WINDOW, on)


def case_deadlines(expires_on: date, submitted_on: date) -> Deadlines:
    """REN-WINDOW / REN-DEADLINE / CHG-DEADLINE with the parameters in force on `submitted_on`
    (an unpublished calendar year is a marked conservative estimate, never an error)."""
    return deadlines_for(expires_on, submitted_on)


def review_due(submitted_on: date) -> tuple[date, bool]:
    """The district's internal review target: the lead working days after submission."""
    return due_date(submitted_on)


def latest_day(deadlines: Deadlines) -> date:
    """The day shown to people and aimed at by reminders: `latest_working_day` (edition 2)."""
    return deadlines.latest_working_day


def due_date(submitted_on: date) -> tuple[date, bool]:
    """The day the lead time (P-LEAD-WORKING-DAYS, in force on the submission day) ends after
    submission, and whether it was estimated (CAL-WORKING-DAYS: never an error)."""
    from eligibility.services import parameter_int
    from policy.deadlines import review_due_date

    lead = parameter_int("P-LEAD-WORKING-DAYS", submitted_on)
    return review_due_date(submitted_on, calendar(), lead_working_days=lead)


def ratify_working_days(on: date) -> int:
    """P-RATIFY-WORKING-DAYS in force on `on` (BIZ-TIME-LIMIT)."""
    return int(parameters().lookup("P-RATIFY-WORKING-DAYS", on).value)


def ratify_due_date(approved_on: date) -> tuple[date, bool]:
    """BIZ-TIME-LIMIT: 核准 is due P-RATIFY-WORKING-DAYS working days after the district's approval
    (the day itself not counted); estimated when the year's calendar is unpublished."""
    days = ratify_working_days(approved_on)
    cal = calendar()
    try:
        return cal.add_working_days(approved_on, days), False
    except CalendarYearUnpublished:
        return cal.add_working_days(approved_on, days, estimate=True), True


def deadlines_for(expires_on: date, submitted_on: date) -> Deadlines:
    """REN-WINDOW / REN-DEADLINE / CHG-DEADLINE dates with the parameters in force on `submitted_on`;
    an unpublished year is a marked estimate (CAL-WORKING-DAYS)."""
    from eligibility.services import parameter_int
    from policy.deadlines import renewal_deadlines

    return renewal_deadlines(
        expires_on,
        submitted_on,
        calendar(),
        window_days=parameter_int("P-RENEWAL-WINDOW-DAYS", submitted_on),
        lead_working_days=parameter_int("P-LEAD-WORKING-DAYS", submitted_on),
    )
