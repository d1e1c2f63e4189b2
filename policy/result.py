"""The contract's output (eligibility-contract.md, Output).

`Result.model_dump(mode="json")` is exactly the contract's JSON: `decision`, `business`, `as_of`,
`checks`, `clauses`, `qualifying_clauses`, `parameters`, `deadlines`. The engine version and the
parameter snapshot hash travel with the result for storage but are not part of that JSON.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal["pass", "fail", "review", "not_applicable"]
Decision = Literal["eligible", "needs_review", "ineligible"]


# Slot setters of BaseModel, called directly: the engine builds some forty output objects per case.
_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _built(instance: Any, values: dict[str, Any]) -> Any:
    """Fill a new instance as `model_construct` would when every field is given (no defaults to add)."""
    _set_dict(instance, values)
    _set_fields_set(instance, set(values))
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def build(cls, **values: Any) -> Self:
        """Construct from values the engine computed itself (already valid), without validation.

        Equivalent to `model_construct` for models without defaults to fill in, at a fraction of its
        cost.
        """
        built: Self = _built(_new(cls), values)
        return built


class Check(_Out):
    """The outcome of one rule, its message and the facts it used (amounts, thresholds, dates)."""

    rule: str
    outcome: Outcome
    message: str
    facts: dict[str, Any] = Field(default_factory=dict)


class ClauseResult(_Out):
    """One qualifying clause (CL1…CL8) with its own rule and its APP-INCOME-RECENT."""

    clause: int
    outcome: Outcome
    checks: list[Check]


class ParameterUsed(_Out):
    """A parameter value the evaluation used (P-FALLBACK: `fallback` says it came from an earlier period)."""

    id: str
    value: int | Decimal
    effective_from: date
    fallback: bool


class Deadlines(_Out):
    """REN-WINDOW / REN-DEADLINE / CHG-DEADLINE dates of a renewal or employer change."""

    complete_by: date
    window_opens: date
    latest_working_day: date
    """The last working day in time: the day shown to people and aimed at by reminders."""
    latest_submission: date
    """The last calendar day in time."""
    in_time: bool
    estimated: bool = False
    """True when any date lies in a year whose working-day calendar is not published yet: the dates
    are then a conservative estimate moved earlier by a margin (CAL-WORKING-DAYS, edition 2)."""


class Result(_Out):
    """What the guide decides for the facts, and why."""

    decision: Decision
    business: str
    as_of: date
    checks: list[Check]
    clauses: list[ClauseResult]
    qualifying_clauses: list[int]
    parameters: list[ParameterUsed]
    deadlines: Deadlines | None
    engine_version: str = Field(default="", exclude=True)
    parameters_hash: str = Field(default="", exclude=True)


def new_check(rule: str, outcome: Outcome, message: str, facts: dict[str, Any]) -> Check:
    """`Check.build(...)` without the keyword packing: the engine's most frequent object."""
    check: Check = _new(Check)
    _set_dict(check, {"rule": rule, "outcome": outcome, "message": message, "facts": facts})
    _set_fields_set(check, {"rule", "outcome", "message", "facts"})
    _set_extra(check, None)
    _set_private(check, None)
    return check


def new_clause_result(clause: int, outcome: Outcome, checks: list[Check]) -> ClauseResult:
    """`ClauseResult.build(...)` without the keyword packing."""
    built: ClauseResult = _built(_new(ClauseResult), {"clause": clause, "outcome": outcome, "checks": checks})
    return built
