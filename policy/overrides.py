"""Overrides of computed outcomes (rules.md edition 2, opening principle; row "overrides").

A reviewer may override a computed outcome, per check, with a written reason citing the guide. An
override to or from `fail` takes effect only with a supervisor's second approval (four eyes); any
other override (e.g. `review` → `pass`) is in force as soon as it is recorded. Some rules are never
overridable: the facts are corrected at their source instead.

Pure Python: the `cases` context stores the overrides and calls these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Statuses of a recorded override.
PROPOSED = "proposed"  # waits for a supervisor (to or from `fail`)
APPROVED = "approved"  # in force (approved by a supervisor, or needing no second approval)
REFUSED = "refused"  # refused by a supervisor; never in force

#: Outcomes a check may be overridden from, and outcomes an override may set.
OVERRIDABLE_FROM = frozenset({"pass", "fail", "review"})
TARGETS = ("pass", "fail")

#: rules.md edition 2, opening principle: "Never overridable — correct the facts at their source".
#: ORG-PERMISSION only for business `new`; CHILD-MINOR only for its age and hukou parts.
NEVER_OVERRIDABLE = frozenset(
    {
        "ORG-HAIDIAN",
        "ORG-SANCTION",
        "APP-SANCTION",
        "APP-HUKOU",
        "APP-RETIREMENT",
        "REN-EXPIRED",
    }
)
NEVER_OVERRIDABLE_FOR_NEW = frozenset({"ORG-PERMISSION"})
CHILD_MINOR = "CHILD-MINOR"
#: Facts of CHILD-MINOR that name the children failing its age or hukou part.
CHILD_MINOR_FIXED_PARTS = ("adults", "beijing_hukou")

Key = tuple[str, int | None]


@dataclass(frozen=True)
class Override:
    """One recorded override of the check `rule` (inside `clause`, or top level when None)."""

    rule: str
    clause: int | None
    original: str
    outcome: str
    status: str


def never_overridable(business: str, check: Mapping[str, Any]) -> bool:
    """The catalogue's never-overridable rules (edition 2 principle)."""
    rule = check.get("rule", "")
    if rule in NEVER_OVERRIDABLE:
        return True
    if rule in NEVER_OVERRIDABLE_FOR_NEW and business == "new":
        return True
    if rule == CHILD_MINOR:
        facts = check.get("facts") or {}
        return any(facts.get(part) for part in CHILD_MINOR_FIXED_PARTS)
    return False


def overridable(business: str, check: Mapping[str, Any]) -> bool:
    """A computed pass/fail/review of a rule that the catalogue does not protect."""
    return check.get("outcome") in OVERRIDABLE_FROM and not never_overridable(business, check)


def valid_target(original: str, outcome: str) -> bool:
    """An override sets `pass` or `fail`, and something other than the computed outcome."""
    return outcome in TARGETS and outcome != original


def needs_second_approval(original: str, outcome: str) -> bool:
    """To or from `fail`: only with a supervisor's second approval (four eyes)."""
    return "fail" in (original, outcome)


def initial_status(original: str, outcome: str) -> str:
    return PROPOSED if needs_second_approval(original, outcome) else APPROVED


def computed_outcomes(result: Mapping[str, Any]) -> dict[Key, str]:
    """Every check's computed outcome (key: rule, clause — None for top-level checks)."""
    outcomes: dict[Key, str] = {}
    for check in result.get("checks", []):
        outcomes[(check["rule"], None)] = check["outcome"]
    for block in result.get("clauses", []):
        for check in block.get("checks", []):
            outcomes[(check["rule"], block["clause"])] = check["outcome"]
    return outcomes


def effective_outcomes(result: Mapping[str, Any], overrides: Iterable[Override]) -> dict[Key, str]:
    """Computed outcomes with the overrides in force applied, in the order given (the latest wins).

    Proposed and refused overrides change nothing."""
    outcomes = computed_outcomes(result)
    for override in overrides:
        key = (override.rule, override.clause)
        if override.status == APPROVED and key in outcomes:
            outcomes[key] = override.outcome
    return outcomes


def _combined(outcomes: Iterable[str]) -> str:
    values = [o for o in outcomes if o != "not_applicable"]
    if "fail" in values:
        return "fail"
    if "review" in values:
        return "review"
    return "pass"


def effective_clauses(result: Mapping[str, Any], outcomes: Mapping[Key, str]) -> dict[int, str]:
    """Each clause's outcome from its checks' effective outcomes."""
    return {
        block["clause"]: _combined(outcomes[(c["rule"], block["clause"])] for c in block.get("checks", []))
        for block in result.get("clauses", [])
    }


def effective_decision(result: Mapping[str, Any], overrides: Iterable[Override]) -> str:
    """The contract's `decision` recomputed on the effective outcomes.

    `ineligible` if a top-level check fails or (business `new`) no clause qualifies; `needs_review` if
    a top-level check, or every qualifying clause, is `review`; else `eligible`."""
    outcomes = effective_outcomes(result, overrides)
    top = [outcome for (_rule, clause), outcome in outcomes.items() if clause is None]
    if "fail" in top:
        return "ineligible"
    if result.get("business") == "new":
        clauses = effective_clauses(result, outcomes)
        qualifying = [c for c, o in clauses.items() if o != "fail"]
        if not qualifying:
            return "ineligible"
        if all(clauses[c] == "review" for c in qualifying):
            return "needs_review"
    if "review" in top:
        return "needs_review"
    return "eligible"


def waiting(overrides: Iterable[Override]) -> list[Override]:
    """Overrides still waiting for a supervisor: a case cannot be approved while any waits."""
    return [o for o in overrides if o.status == PROPOSED]
