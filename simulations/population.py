"""The populations a run evaluates, read from the database one id range (chunk) at a time.

- open cases: their current facts (`cases.facts.facts_for_case`) on the run's date;
- acceptance snapshots of a period: the facts stored on the acceptance day, as they were decided (四（九）);
- current holders: the facts of the case that issued the permit (or, without one, the holder's profile
  and employer as recorded), as a renewal submitted on the latest in-time day (REN-DEADLINE) before
  the permit expires.
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
        day = engine.case_deadlines(permit.expires_on, permit.expires_on).latest_working_day
        if case is None:
            facts = _profile_facts(permit, day)
        else:
            facts = facts_for_case(case, as_of=day, submitted_on=day)
            facts.pop("claimed_clause", None)
            facts.pop("changes", None)
        facts["business"] = "renewal"
        facts["permit"] = {
            "expires_on": permit.expires_on.isoformat(),
            "employer_change_pending": False,
            "migrated": permit.migrated,
            "held_since": permit.issued_on.isoformat(),
        }
        yield Subject(permit.number, url, masked, facts)


def _profile_facts(permit: Any, day: date) -> dict[str, Any]:
    """A holder whose permit came without a case here (issued before, migrated): the profile and the
    employer as recorded today; income records are not on file, so the income rules say so."""
    from applicants import selectors as applicant_selectors
    from employers import selectors as employer_selectors
    from oversight import selectors as oversight_selectors

    employer = employer_selectors.facts_for(permit.employer)
    employer["sanctioned"] = oversight_selectors.employer_sanctioned(permit.employer, day)
    applicant = applicant_selectors.facts_for(permit.holder)
    applicant["sanctioned"] = oversight_selectors.applicant_sanctioned(permit.holder, day)
    applicant.setdefault("monthly_income", [])
    applicant.setdefault("annual_income", [])
    return {
        "business": "renewal",
        "as_of": day.isoformat(),
        "submitted_on": day.isoformat(),
        "employer": employer,
        "applicant": applicant,
        "documents": [],
    }
