"""Counting a run's results: one JSON-ready tally per chunk, summed when shown (no Django).

A tally is a nested dict of counts, so that chunks done by different workers add up in any order:

- evaluated / errors / skipped, decisions_before / decisions_after;
- transitions {"eligible>ineligible": n} (decision flips);
- rules {rule: {"pass>fail": n}} and clauses {clause: n} (outcome changes of single checks);
- kinds {employer kind: {transition: n}}, ai {"ai"/"other": {transition: n}};
- income {bucket: n} (average monthly income of the basic window, 1,000-yuan buckets) and
  thresholds_before / thresholds_after {monthly threshold: n}.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from policy import Facts, ParameterSet, evaluate
from policy.calendar import WorkingDayCalendar
from policy.result import Result
from policy.simulation import Comparison, compare, monthly_income, subject_traits

BUCKET = 1_000
TOP_BUCKET = 80_000


def new_tally() -> dict[str, Any]:
    return {
        "evaluated": 0,
        "errors": 0,
        "skipped": 0,
        "decisions_before": {},
        "decisions_after": {},
        "transitions": {},
        "rules": {},
        "clauses": {},
        "kinds": {},
        "ai": {},
        "income": {},
        "thresholds_before": {},
        "thresholds_after": {},
    }


def _bump(table: dict[str, Any], key: str, n: int = 1) -> None:
    table[key] = table.get(key, 0) + n


def transition(before: str, after: str) -> str:
    return f"{before}>{after}"


def add(tally: dict[str, Any], facts: Facts, before: Result, after: Result) -> Comparison:
    """Count one subject evaluated under baseline (`before`) and reform (`after`)."""
    comparison = compare(before, after)
    tally["evaluated"] += 1
    _bump(tally["decisions_before"], before.decision)
    _bump(tally["decisions_after"], after.decision)
    kind, ai = subject_traits(facts)
    if comparison.flipped:
        step = transition(before.decision, after.decision)
        _bump(tally["transitions"], step)
        _bump(tally["kinds"].setdefault(kind or "-", {}), step)
        _bump(tally["ai"].setdefault("ai" if ai else "other", {}), step)
    for change in comparison.changes:
        _bump(tally["rules"].setdefault(change.rule, {}), transition(change.before, change.after))
        if change.clause is not None:
            _bump(tally["clauses"], str(change.clause))
    income = monthly_income(before)
    if income is not None:
        bucket = min(income[0] // BUCKET * BUCKET, TOP_BUCKET)
        _bump(tally["income"], str(bucket))
        _bump(tally["thresholds_before"], str(income[1]))
        reform = monthly_income(after)
        if reform is not None:
            _bump(tally["thresholds_after"], str(reform[1]))
    return comparison


def merge(into: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Add `other`'s counts to `into` (nested), return `into`."""
    for key, value in other.items():
        if isinstance(value, dict):
            merge(into.setdefault(key, {}), value)
        else:
            into[key] = into.get(key, 0) + value
    return into


def total(tallies: Iterable[dict[str, Any]]) -> dict[str, Any]:
    out = new_tally()
    for one in tallies:
        merge(out, one)
    return out


def evaluate_pair(
    facts: Facts, baseline: ParameterSet, reform: ParameterSet, calendar: WorkingDayCalendar | None
) -> tuple[Result, Result]:
    """The same facts under the values in force and under the draft (same calendar)."""
    return (
        evaluate(facts, baseline, calendar=calendar),
        evaluate(facts, reform, calendar=calendar),
    )


def most_common(table: dict[str, int]) -> int | None:
    if not table:
        return None
    return int(max(table.items(), key=lambda item: (item[1], -int(item[0])))[0])
