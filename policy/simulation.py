"""Policy simulation: evaluate facts under the parameters in force and under a draft overlay.

`overlay(base, values)` returns a *new* `ParameterSet`: every entry of `base` plus the draft's dated
values, each validated by the same schema as the shipped YAML (`Entry`: no float, a citation, a
date). An overlay value with the same `effective_from` as an entry of `base` replaces it there (like
a correction in the back office, P-FALLBACK). `base` is never changed: the engine's results under
`base` stay what they were.

`compare(before, after)` lists what changed between the two results: the decision and, per rule (top
level and per clause), the outcome with the threshold, actual value and shortfall the check reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from policy.errors import ParameterMissing
from policy.facts import Facts
from policy.parameters import (
    RETIRED,
    Entry,
    InvalidParameterFile,
    Parameter,
    ParameterSet,
    ParameterValue,
)
from policy.result import Check, Result


def overlay_entry(value: ParameterValue) -> Entry:
    """One draft value as a schema-checked entry (raises `InvalidParameterFile`)."""
    try:
        return Entry.model_validate(
            {
                "effective_from": value.effective_from,
                "value": value.value,
                "citation": value.citation,
                "entered_by": value.entered_by,
                "entered_at": value.entered_at,
            }
        )
    except ValidationError as exc:
        raise InvalidParameterFile(f"{value.parameter_id}: {exc}") from None


def overlay(base: ParameterSet, values: Iterable[ParameterValue]) -> ParameterSet:
    """`base` extended by `values` (a draft reform); `base` itself is left untouched."""
    extra: dict[str, list[Entry]] = {}
    for value in values:
        if value.parameter_id in RETIRED or value.parameter_id not in base.parameters:
            raise ParameterMissing(value.parameter_id, value.effective_from, "unknown parameter")
        extra.setdefault(value.parameter_id, []).append(overlay_entry(value))
    parameters: dict[str, Parameter] = {}
    for parameter_id, parameter in base.parameters.items():
        added = extra.get(parameter_id)
        if added:
            # Parameter keeps the last entry per date, so the overlay wins over `base` on equal dates.
            parameters[parameter_id] = Parameter(parameter.definition, [*parameter.entries, *added])
        else:
            parameters[parameter_id] = parameter
    return ParameterSet(parameters)


TRANSITIONS = ("eligible", "needs_review", "ineligible")


def _figure(facts: dict[str, Any], word: str) -> int | str | None:
    """The check's figure named like `word` (threshold_total, actual_total, shortfall …)."""
    for key in (f"{word}_total", word, f"{word}_months", f"{word}_amount"):
        value = facts.get(key)
        if isinstance(value, int | str | Decimal) and not isinstance(value, bool):
            return value if isinstance(value, int | str) else str(value)
    for key, value in facts.items():
        if key.startswith(word) and isinstance(value, int | str) and not isinstance(value, bool):
            return value
    return None


@dataclass(frozen=True, slots=True)
class RuleChange:
    """One rule whose outcome differs between baseline and reform; `clause` None for a top-level rule."""

    rule: str
    clause: int | None
    before: str
    after: str
    threshold_before: int | str | None
    threshold_after: int | str | None
    actual_before: int | str | None
    actual_after: int | str | None
    shortfall_before: int | str | None
    shortfall_after: int | str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "clause": self.clause,
            "before": self.before,
            "after": self.after,
            "threshold_before": self.threshold_before,
            "threshold_after": self.threshold_after,
            "actual_before": self.actual_before,
            "actual_after": self.actual_after,
            "shortfall_before": self.shortfall_before,
            "shortfall_after": self.shortfall_after,
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    before: str
    after: str
    changes: list[RuleChange] = field(default_factory=list)

    @property
    def flipped(self) -> bool:
        return self.before != self.after


def _checks(result: Result) -> dict[tuple[str, int | None], Check]:
    out: dict[tuple[str, int | None], Check] = {(c.rule, None): c for c in result.checks}
    for clause in result.clauses:
        for check in clause.checks:
            out[(check.rule, clause.clause)] = check
    return out


def compare(before: Result, after: Result) -> Comparison:
    """What differs between the baseline result and the reform result of the same facts."""
    old, new = _checks(before), _checks(after)
    changes = []
    for key, check in old.items():
        other = new.get(key)
        if other is None or (other.outcome == check.outcome and other.facts == check.facts):
            continue
        if other.outcome == check.outcome:
            continue
        changes.append(
            RuleChange(
                rule=key[0],
                clause=key[1],
                before=check.outcome,
                after=other.outcome,
                threshold_before=_figure(check.facts, "threshold"),
                threshold_after=_figure(other.facts, "threshold"),
                actual_before=_figure(check.facts, "actual"),
                actual_after=_figure(other.facts, "actual"),
                shortfall_before=_figure(check.facts, "shortfall"),
                shortfall_after=_figure(other.facts, "shortfall"),
            )
        )
    return Comparison(before.decision, after.decision, changes)


def monthly_income(result: Result) -> tuple[int, int] | None:
    """(average monthly income of the basic window, monthly threshold) from the basic clause's
    APP-INCOME-RECENT check (clause 1 uses the basic multiple), or None when not evaluated."""
    if not result.clauses:
        return None
    for check in result.clauses[0].checks:
        if check.rule == "APP-INCOME-RECENT":
            facts = check.facts
            total, months, monthly = (
                facts.get("actual_total"),
                facts.get("months"),
                facts.get("monthly_threshold"),
            )
            if isinstance(total, int) and isinstance(months, int) and months and isinstance(monthly, int):
                return total // months, monthly
    return None


def subject_traits(facts: Facts) -> tuple[str, bool]:
    """(employer kind, AI key-area) of a case, for the breakdowns of a run."""
    return (facts.employer.kind or "", bool(facts.employer.ai_key_area))


def effective(values: Iterable[ParameterValue], on: date) -> list[ParameterValue]:
    """The overlay values already in force on `on`."""
    return [v for v in values if v.effective_from <= on]


__all__ = [
    "Comparison",
    "RuleChange",
    "compare",
    "effective",
    "monthly_income",
    "overlay",
    "overlay_entry",
    "subject_traits",
]
