"""One chunk of a run: evaluate its subjects under baseline and reform, store the tally and the
affected subjects in one transaction (safe to run twice: a done chunk is skipped, a half-done one is
redone from scratch)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from simulations import population, tally
from simulations.models import Chunk, Outcome, Run, RunStatus


def engine_values(values: list[dict[str, Any]]) -> list[Any]:
    """The draft's stored values as the engine's `ParameterValue` (int or Decimal, never float)."""
    from eligibility.models import parse_value
    from policy.parameters import ParameterValue

    return [
        ParameterValue(
            parameter_id=v["parameter_id"],
            effective_from=date.fromisoformat(v["effective_from"]),
            value=parse_value(v["value"]),
            citation=v["citation"],
        )
        for v in values
    ]


def _parameters(run: Run) -> tuple[Any, Any, Any]:
    from eligibility import services as eligibility
    from policy.simulation import overlay

    baseline = eligibility.current_parameters()
    return baseline, overlay(baseline, engine_values(run.values)), eligibility.current_calendar()


def run_chunk(chunk_id: int) -> bool:
    """Evaluate one chunk under baseline and reform; safe to run twice (a done chunk is skipped, a
    half-done one is redone from scratch: its outcome rows are replaced in the same transaction)."""
    from policy import parse_facts
    from policy.errors import PolicyError

    chunk = Chunk.objects.select_related("run").filter(pk=chunk_id).first()
    if chunk is None or chunk.done:
        return False
    run = chunk.run
    baseline, reform, calendar = _parameters(run)
    counts = tally.new_tally()
    rows: list[Outcome] = []
    for subject in population.stream(run, chunk.population, chunk.first_id, chunk.last_id):
        if subject.facts is None:
            counts["skipped"] += 1
            continue
        try:
            facts = parse_facts(subject.facts)
            before, after = tally.evaluate_pair(facts, baseline, reform, calendar)
        except PolicyError:
            counts["errors"] += 1
            continue
        comparison = tally.add(counts, facts, before, after)
        if comparison.flipped or comparison.changes:
            from policy.simulation import monthly_income, subject_traits

            kind, ai = subject_traits(facts)
            income = monthly_income(before)
            rows.append(
                Outcome(
                    run=run,
                    chunk=chunk,
                    population=chunk.population,
                    subject=subject.subject[:64],
                    subject_url=subject.url,
                    masked_name=subject.masked_name,
                    employer_kind=kind,
                    ai_key_area=ai,
                    before=comparison.before,
                    after=comparison.after,
                    changes=[c.as_dict() for c in comparison.changes],
                    rules=(" " + " ".join(sorted({c.rule for c in comparison.changes})) + " ")[:500],
                    income=income[0] if income else None,
                )
            )
    with transaction.atomic():
        locked = Chunk.objects.select_for_update().get(pk=chunk.pk)
        if locked.done:
            return False
        Outcome.objects.filter(chunk=locked).delete()
        Outcome.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        locked.done = True
        locked.tally = counts
        locked.done_at = timezone.now()
        locked.save(update_fields=["done", "tally", "done_at"])
        if not Chunk.objects.filter(run=run, done=False).exists():
            Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
                status=RunStatus.DONE, finished_at=timezone.now()
            )
    return True
