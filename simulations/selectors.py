"""Reads of policy simulation: drafts, runs, their progress and summed results, affected subjects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from simulations import tally
from simulations.models import Chunk, Draft, DraftStatus, Outcome, Run


def drafts() -> QuerySet[Draft]:
    return Draft.objects.select_related("created_by", "proposed_by", "decided_by")


def draft_by_public_id(public_id: UUID | str) -> Draft:
    draft = drafts().filter(public_id=public_id).first()
    if draft is None:
        raise Http404
    return draft


def runs() -> QuerySet[Run]:
    return Run.objects.select_related("draft", "created_by")


def run_by_public_id(public_id: UUID | str) -> Run:
    try:
        run = runs().filter(public_id=public_id).first()
    except Exception:  # malformed UUID from the API
        run = None
    if run is None:
        raise Http404
    return run


def proposals_waiting_for(user: User) -> int:
    return Draft.objects.filter(status=DraftStatus.PROPOSED).exclude(proposed_by=user).count()


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    status: str

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total


def progress(run: Run) -> Progress:
    done = Chunk.objects.filter(run=run, done=True).count()
    run.refresh_from_db(fields=["status", "finished_at"])
    return Progress(done, run.chunks_total, run.status)


def summary(run: Run) -> dict[str, Any]:
    """The chunks' tallies summed (see `simulations.tally`)."""
    return tally.total(Chunk.objects.filter(run=run, done=True).values_list("tally", flat=True).iterator())


def publication_summary(run: Run) -> dict[str, Any]:
    """What a publication record keeps of its run: the run, its date, values and summed counts."""
    counts = summary(run)
    return {
        "run": str(run.public_id),
        "on": run.on.isoformat(),
        "populations": run.populations,
        "values": run.values,
        "evaluated": counts["evaluated"],
        "errors": counts["errors"],
        "skipped": counts["skipped"],
        "transitions": counts["transitions"],
        "rules": counts["rules"],
    }


@dataclass(frozen=True)
class OutcomeFilters:
    population: str = ""
    transition: str = ""  # "eligible>ineligible", "flipped" or ""
    rule: str = ""
    kind: str = ""
    ai: str = ""  # "1" / "0" / ""


def outcomes(run: Run, filters: OutcomeFilters | None = None) -> QuerySet[Outcome]:
    qs = Outcome.objects.filter(run=run).order_by("population", "subject")
    f = filters or OutcomeFilters()
    if f.population:
        qs = qs.filter(population=f.population)
    if f.transition == "flipped":
        qs = qs.exclude(before=models_f("after"))
    elif ">" in f.transition:
        before, after = f.transition.split(">", 1)
        qs = qs.filter(before=before, after=after)
    if f.rule:
        qs = qs.filter(rules__contains=f" {f.rule} ")
    if f.kind:
        qs = qs.filter(employer_kind=f.kind)
    if f.ai in ("0", "1"):
        qs = qs.filter(ai_key_area=f.ai == "1")
    return qs


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


def flip_counts(run: Run) -> dict[str, int]:
    """Decision flips by transition, counted from the stored outcomes (equals the tally's)."""
    rows = (
        Outcome.objects.filter(run=run)
        .filter(~Q(before=models_f("after")))
        .values("before", "after")
        .annotate(n=Count("id"))
    )
    return {f"{r['before']}>{r['after']}": r["n"] for r in rows}


def other_runs(run: Run) -> QuerySet[Run]:
    return runs().exclude(pk=run.pk)[:50]
