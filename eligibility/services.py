"""The one place where the eligibility context talks to the policy engine.

The three doors (CLI, API, self-check page) all call `evaluate_json` and serialise with `dumps`, so
the same facts give byte-for-byte the same answer. Parameters and the working-day calendar are the
shipped ones extended by what the authority entered in the back office (P-FALLBACK,
CAL-WORKING-DAYS); they are cached per process and rebuilt as soon as an entry is added.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from accounts.models import User
from core import jsonlimits
from eligibility.models import CalendarYear, ParameterValue

ENGINE_LANGS = ("zh", "en")


@dataclass(frozen=True)
class FieldError:
    """One reason a case could not be evaluated: where (`loc`, a dotted path) and what (`msg`)."""

    loc: str
    msg: str

    def as_dict(self) -> dict[str, str]:
        return {"loc": self.loc, "msg": self.msg}

    def line(self) -> str:
        return f"{self.loc}: {self.msg}"


class EvaluationError(Exception):
    """The case was not evaluated: invalid input, or no parameter/calendar in force on its dates."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(error.line() for error in errors))

    def detail(self) -> list[dict[str, str]]:
        return [error.as_dict() for error in self.errors]


def field_errors(exc: Exception) -> list[FieldError]:
    """Turn an engine error into field errors (InvalidFacts, ParameterMissing, CalendarYearUnpublished)."""
    from policy.errors import CalendarYearUnpublished, InvalidFacts, ParameterMissing

    if isinstance(exc, InvalidFacts):
        return [FieldError(path or "(root)", message) for path, message in exc.errors]
    if isinstance(exc, ParameterMissing):
        return [FieldError("as_of", str(exc))]
    if isinstance(exc, CalendarYearUnpublished):
        return [FieldError("submitted_on", str(exc))]
    return [FieldError("(root)", str(exc))]


# --- serialisation shared by every door -------------------------------------------------------


def dumps(payload: Any) -> str:
    """The one serialisation of a result: compact UTF-8 JSON in the engine's key order, one line + newline."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n"


def engine_lang(language: str | None) -> str:
    """Map a Django language code (zh-hans, en-us …) to the engine's message language."""
    return "en" if (language or "").lower().startswith("en") else "zh"


# --- parameters and calendar: shipped + entered -----------------------------------------------


_lock = threading.Lock()
_cache: dict[str, tuple[tuple[Any, ...], Any]] = {}


_request = threading.local()


def _request_began(**_kwargs: Any) -> None:
    """Within one request the tables are fingerprinted once, so a page that shows many deadlines
    costs the same queries whatever their number (issue 12, per-page query budgets)."""
    _request.stamps = {}


def _request_ended(**_kwargs: Any) -> None:
    _request.stamps = None


request_started.connect(_request_began, dispatch_uid="eligibility-fingerprint-begin")
request_finished.connect(_request_ended, dispatch_uid="eligibility-fingerprint-end")


def _fingerprint(model: type[ParameterValue] | type[CalendarYear]) -> tuple[Any, ...]:
    # Both tables are append-only: the highest id and the row count change with every write,
    # also when another process wrote, so a stale cache is never used (outside a request, every
    # call looks; inside one, the first look holds for the rest of the request).
    stamps: dict[Any, tuple[Any, ...]] | None = getattr(_request, "stamps", None)
    if stamps is not None and model in stamps:
        return stamps[model]
    agg = model.objects.aggregate(last=Max("id"), n=Count("id"))
    stamp = (agg["last"], agg["n"])
    if stamps is not None:
        stamps[model] = stamp
    return stamp


def invalidate_cache() -> None:
    with _lock:
        _cache.clear()
    stamps = getattr(_request, "stamps", None)
    if stamps is not None:
        stamps.clear()


def shipped_definitions() -> tuple[Any, ...]:
    """The parameter definitions the engine ships with (ids, units, descriptions, dated values)."""
    from policy.parameters import shipped_definitions as definitions

    return tuple(definitions())


def shipped_parameter_ids() -> list[str]:
    """Every parameter the engine ships with (the only ids the authority may enter values for)."""
    return sorted(d.id for d in shipped_definitions())


def first_entries() -> dict[str, date]:
    """Each shipped parameter's first effective date (an entered value may not start earlier)."""
    return {d.id: min(v.effective_from for v in d.values) for d in shipped_definitions()}


def value_kinds() -> dict[str, str]:
    """ "int" for parameters whose shipped values are whole numbers (yuan, months, days), else "decimal"."""
    return {
        d.id: "int" if all(isinstance(v.value, int) for v in d.values) else "decimal"
        for d in shipped_definitions()
    }


def entered_values() -> list[Any]:
    """The entered values as the engine's ParameterValue; a later entry for the same date supersedes."""
    from policy.parameters import ParameterValue as EngineValue

    latest: dict[tuple[str, date], ParameterValue] = {}
    for entry in ParameterValue.objects.order_by("entered_at", "id"):
        latest[(entry.parameter_id, entry.effective_from)] = entry
    return [
        EngineValue(
            parameter_id=entry.parameter_id,
            effective_from=entry.effective_from,
            value=entry.number,
            citation=entry.citation,
            entered_by=entry.entered_by.get_username(),
            entered_at=entry.entered_at,
        )
        for entry in latest.values()
    ]


def current_parameters() -> Any:
    """ParameterSet: the shipped parameters extended by the values entered in the back office."""
    from policy.parameters import load_parameters

    stamp = _fingerprint(ParameterValue)
    with _lock:
        cached = _cache.get("parameters")
        if cached and cached[0] == stamp:
            return cached[1]
    parameters = load_parameters(entered_values())
    with _lock:
        _cache["parameters"] = (stamp, parameters)
    return parameters


def parameter_int(parameter_id: str, on: date | None = None) -> int:
    """One door for the figures of the guide: the whole-number value of `parameter_id` in force on
    `on` (default today) in the parameter set in force (shipped YAML + back-office entries).

    Every app reads P-RENEWAL-WINDOW-DAYS, P-LEAD-WORKING-DAYS, P-RATIFY-WORKING-DAYS … here (or
    through the engine); none keeps a copy of the figure."""
    return int(current_parameters().lookup(parameter_id, on or timezone.localdate()).value)


def latest_calendar_entries() -> dict[int, CalendarYear]:
    latest: dict[int, CalendarYear] = {}
    for entry in CalendarYear.objects.order_by("entered_at", "id"):
        latest[entry.year] = entry
    return latest


def current_calendar() -> Any:
    """WorkingDayCalendar: the shipped years extended (or corrected) by the years entered."""
    from policy.calendar import WorkingDayCalendar, YearCalendar

    stamp = _fingerprint(CalendarYear)
    with _lock:
        cached = _cache.get("calendar")
        if cached and cached[0] == stamp:
            return cached[1]
    extra = {
        year: YearCalendar(year, frozenset(entry.holiday_dates), frozenset(entry.workday_dates))
        for year, entry in latest_calendar_entries().items()
    }
    calendar = WorkingDayCalendar(extra_years=extra)
    with _lock:
        _cache["calendar"] = (stamp, calendar)
    return calendar


# --- writes (supervisor back office) ----------------------------------------------------------


def _require_supervisor(user: User) -> None:
    if not getattr(user, "is_supervisor", False):
        raise PermissionError("only supervisors enter policy parameters and calendars")


class InvalidParameterValue(ValueError):
    """An entered value that the engine could not use (unknown id, float, no citation, too early)."""


def validate_parameter_value(parameter_id: str, effective_from: date, value: str, citation: str) -> None:
    """The rules the back-office form shows at its fields, enforced again for every other caller."""
    from eligibility.models import parse_value

    first = first_entries()
    if parameter_id not in first:
        raise InvalidParameterValue(f"{parameter_id}: not a shipped parameter")
    if effective_from < first[parameter_id]:
        start = first[parameter_id].isoformat()
        raise InvalidParameterValue(
            f"{parameter_id}: {effective_from.isoformat()} is before its first entry {start}"
        )
    if not citation.strip():
        raise InvalidParameterValue(f"{parameter_id}: a citation is required")
    try:
        number = parse_value(value)
    except ValueError as exc:
        raise InvalidParameterValue(f"{parameter_id}: not a number: {value!r}") from exc
    if "e" in value.lower() or number < 0:
        raise InvalidParameterValue(f"{parameter_id}: write a plain non-negative number, not {value!r}")
    if value_kinds()[parameter_id] == "int" and not isinstance(number, int):
        raise InvalidParameterValue(f"{parameter_id}: a whole number is required, not {value!r}")


@transaction.atomic
def add_parameter_value(
    user: User, *, parameter_id: str, effective_from: date, value: str, citation: str
) -> ParameterValue:
    """Append a parameter value (P-FALLBACK: in force from `effective_from` until a later entry)."""
    _require_supervisor(user)
    validate_parameter_value(parameter_id, effective_from, value, citation)
    entry = ParameterValue.objects.create(
        parameter_id=parameter_id,
        effective_from=effective_from,
        value=value,
        citation=citation,
        entered_by=user,
        entered_at=timezone.now(),
    )
    transaction.on_commit(invalidate_cache)
    return entry


@transaction.atomic
def add_calendar_year(
    user: User, *, year: int, holidays: Iterable[date], workdays: Iterable[date], citation: str
) -> CalendarYear:
    """Append a year's published working-day calendar (CAL-WORKING-DAYS)."""
    _require_supervisor(user)
    entry = CalendarYear.objects.create(
        year=year,
        holidays=sorted(d.isoformat() for d in set(holidays)),
        workdays=sorted(d.isoformat() for d in set(workdays)),
        citation=citation,
        entered_by=user,
        entered_at=timezone.now(),
    )
    transaction.on_commit(invalidate_cache)
    return entry


# --- evaluation -------------------------------------------------------------------------------


def _evaluate(data: Any, lang: str) -> tuple[Any, Any]:
    """Parse and evaluate with the current parameters and calendar; engine errors become EvaluationError."""
    from policy import evaluate, parse_facts
    from policy.errors import PolicyError

    parameters = current_parameters()
    try:
        facts = parse_facts(data)
        result = evaluate(facts, parameters, calendar=current_calendar(), lang=engine_lang(lang))
    except PolicyError as exc:
        raise EvaluationError(field_errors(exc)) from exc
    return result, parameters


def evaluate_json(data: Any, *, lang: str = "zh") -> dict[str, Any]:
    """Parse the facts, evaluate them with the current parameters and calendar, return the contract JSON.

    Raises EvaluationError (invalid input, parameter not in force, calendar year unpublished).
    """
    result, _parameters = _evaluate(data, lang)
    payload: dict[str, Any] = result.model_dump(mode="json")
    return payload


def evaluate_text(text: str | bytes, *, lang: str = "zh") -> dict[str, Any]:
    """Like evaluate_json, from the raw JSON text (CLI file, request body, batch line)."""
    try:
        data = jsonlimits.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise EvaluationError([FieldError("(root)", f"not valid JSON: {exc}")]) from exc
    return evaluate_json(data, lang=lang)


def evaluation_record(result: Any, parameters: Any, as_of: date | datetime | str) -> dict[str, Any]:
    """What every stored result records beside the answer: the engine version and the parameter snapshot."""
    from policy import ENGINE_VERSION

    payload = result.model_dump(mode="json") if hasattr(result, "model_dump") else result
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    return {
        "engine_version": ENGINE_VERSION,
        "parameters_hash": parameters.snapshot_hash(
            as_of if isinstance(as_of, date) else date.fromisoformat(as_of)
        ),
        "as_of": as_of if isinstance(as_of, str) else as_of.isoformat(),
        "result": payload,
    }


def evaluate_for_storage(data: Any, *, lang: str = "zh") -> dict[str, Any]:
    """Evaluate like `evaluate_json` and return what a stored result keeps (see `evaluation_record`).

    The one call for other contexts (cases, permits) that save an evaluation: the answer together with
    the engine version and the hash of the parameter snapshot in force on the case's `as_of`.
    """
    result, parameters = _evaluate(data, lang)
    return evaluation_record(result, parameters, result.as_of)
