"""The populations a run evaluates, read from the database one id range (chunk) at a time.

- open cases: their current facts (`cases.facts.facts_for_case`) on the run's date;
- acceptance snapshots of a period: the facts stored on the acceptance day, as they were decided (四（九）);
- current holders: the facts of the case that issued the permit, as a renewal submitted on the latest
  in-time day (REN-DEADLINE) before the permit expires. A permit without such a case (migrated from
  the old system) cannot be evaluated and is counted as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse

from core.masking import mask_name
from simulations.models import Population, Run

CHUNK_IDS = 200
"""Ids per chunk: one task evaluates at most this many subjects twice."""


@dataclass(frozen=True, slots=True)
class Subject:
    subject: str
    url: str
    masked_name: str
    facts: dict[str, Any] | None  # None: cannot be evaluated (skipped)


def bounds(run: Run, population: str) -> tuple[int | None, int | None]:
    from cases import selectors as case_selectors
    from permits import selectors as permit_selectors

    if population == Population.OPEN_CASES:
        return case_selectors.simulation_open_case_ids()
    if population == Population.SNAPSHOTS:
        since, until = run.period_from or date.min, run.period_until or date.max
        return case_selectors.simulation_snapshot_ids(since, until)
    return permit_selectors.simulation_current_permit_ids()


def ranges(lo: int | None, hi: int | None, size: int = CHUNK_IDS) -> list[tuple[int, int]]:
    if lo is None or hi is None:
        return []
    return [(first, min(first + size - 1, hi)) for first in range(lo, hi + 1, size)]


def _case_url(public_id: object) -> str:
    return reverse("cases:review_detail", kwargs={"public_id": public_id})


def stream(run: Run, population: str, first_id: int, last_id: int) -> Iterator[Subject]:
    from cases import selectors as case_selectors

    if population == Population.OPEN_CASES:
        from cases.facts import facts_for_case

        for case in case_selectors.simulation_open_cases(first_id, last_id):
            submitted = case.first_submitted_on or run.on
            yield Subject(
                case.reference,
                _case_url(case.public_id),
                mask_name(case.applicant.name),
                facts_for_case(case, as_of=run.on, submitted_on=min(submitted, run.on)),
            )
    elif population == Population.SNAPSHOTS:
        since, until = run.period_from or date.min, run.period_until or date.max
        for snapshot in case_selectors.simulation_snapshots(first_id, last_id, since, until):
            yield Subject(
                f"{snapshot.case.reference}@{snapshot.as_of.isoformat()}#{snapshot.pk}",
                _case_url(snapshot.case.public_id),
                mask_name(snapshot.case.applicant.name),
                dict(snapshot.facts),
            )
    else:
        yield from _holders(first_id, last_id)


def _holders(first_id: int, last_id: int) -> Iterator[Subject]:
    from cases import engine
    from cases import selectors as case_selectors
    from cases.facts import facts_for_case
    from permits import selectors as permit_selectors

    for permit in permit_selectors.simulation_current_permits(first_id, last_id):
        url = reverse("permits:detail", kwargs={"public_id": permit.public_id})
        masked = mask_name(permit.holder.name)
        case = case_selectors.case_by_pk(permit.case_id) if permit.case_id else None
        if case is None:
            yield Subject(permit.number, url, masked, None)
            continue
        day = engine.case_deadlines(permit.expires_on, permit.expires_on).latest_working_day
        facts = facts_for_case(case, as_of=day, submitted_on=day)
        facts["business"] = "renewal"
        facts.pop("claimed_clause", None)
        facts.pop("changes", None)
        facts["permit"] = {
            "expires_on": permit.expires_on.isoformat(),
            "employer_change_pending": False,
            "migrated": permit.migrated,
            "held_since": permit.issued_on.isoformat(),
        }
        yield Subject(permit.number, url, masked, facts)
