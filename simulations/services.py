"""Writes of policy simulation: drafts, runs (chunked tasks), publication with four eyes, API tokens.

Only supervisors (with the second factor, checked by the views and the API) use them. A draft never
touches the values in force; publication appends the draft's values through the eligibility back
office (`eligibility.services.add_parameter_value`) once a second supervisor approves it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from simulations import population
from simulations.chunks import engine_values
from simulations.models import (
    ApiToken,
    Chunk,
    Draft,
    DraftStatus,
    Population,
    Run,
    RunStatus,
)

logger = logging.getLogger(__name__)

MAX_VALUES = 20


def _require_supervisor(actor: User) -> None:
    if not getattr(actor, "is_supervisor", False):
        raise PermissionDenied("only supervisors simulate and publish policy parameters")


# --- draft values -----------------------------------------------------------------------------


def validate_value(parameter_id: str, effective_from: date, value: str, citation: str) -> dict[str, Any]:
    """The back office's rules for an entered value, then the shipped parameters' schema."""
    from eligibility import services as eligibility
    from policy.errors import PolicyError
    from policy.simulation import overlay

    try:
        eligibility.validate_parameter_value(parameter_id, effective_from, value, citation)
    except eligibility.InvalidParameterValue as exc:
        raise ValidationError({"value": str(exc)}) from exc
    entry = {
        "parameter_id": parameter_id,
        "effective_from": effective_from.isoformat(),
        "value": value.strip(),
        "citation": citation.strip(),
    }
    try:
        overlay(eligibility.current_parameters(), engine_values([entry]))
    except PolicyError as exc:
        raise ValidationError({"value": str(exc)}) from exc
    return entry


def _values(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(values) > MAX_VALUES:
        raise ValidationError({"values": _("一份草案最多 %(n)d 个参数值。") % {"n": MAX_VALUES}})
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for v in values:
        on = v["effective_from"]
        entry = validate_value(
            str(v["parameter_id"]),
            on if isinstance(on, date) else date.fromisoformat(str(on)),
            str(v["value"]),
            str(v.get("citation", "")),
        )
        out[(entry["parameter_id"], entry["effective_from"])] = entry  # a later line replaces
    return list(out.values())


@transaction.atomic
def create_draft(*, actor: User, name: str, values: list[dict[str, Any]] = ()) -> Draft:  # type: ignore[assignment]
    _require_supervisor(actor)
    if not name.strip():
        raise ValidationError({"name": _("请填写草案名称。")})
    return Draft.objects.create(name=name.strip()[:200], values=_values(list(values)), created_by=actor)


def _locked_draft(draft: Draft, *, status: str) -> Draft:
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.status != status:
        raise ValidationError(_("草案状态已变化，请刷新页面。"))
    return locked


@transaction.atomic
def add_value(
    draft: Draft, *, actor: User, parameter_id: str, effective_from: date, value: str, citation: str
) -> Draft:
    _require_supervisor(actor)
    locked = _locked_draft(draft, status=DraftStatus.DRAFT)
    entry = {
        "parameter_id": parameter_id,
        "effective_from": effective_from,
        "value": value,
        "citation": citation,
    }
    locked.values = _values([*locked.values, entry])
    locked.save(update_fields=["values"])
    return locked


@transaction.atomic
def remove_value(draft: Draft, *, actor: User, index: int) -> Draft:
    _require_supervisor(actor)
    locked = _locked_draft(draft, status=DraftStatus.DRAFT)
    if 0 <= index < len(locked.values):
        locked.values = [v for i, v in enumerate(locked.values) if i != index]
        locked.save(update_fields=["values"])
    return locked


# --- runs -------------------------------------------------------------------------------------


@transaction.atomic
def start_run(
    draft: Draft,
    *,
    actor: User,
    on: date,
    populations: list[str],
    period_from: date | None = None,
    period_until: date | None = None,
) -> Run:
    """Split the chosen populations into id-range chunks and queue one task per chunk."""
    _require_supervisor(actor)
    if not draft.values:
        raise ValidationError(_("草案中还没有参数值。"))
    chosen = [p for p in Population.values if p in populations]
    if not chosen:
        raise ValidationError({"populations": _("请至少选择一类对象。")})
    if period_from and period_until and period_from > period_until:
        raise ValidationError({"period_until": _("截止日期不能早于起始日期。")})
    run = Run.objects.create(
        draft=draft,
        on=on,
        populations=chosen,
        period_from=period_from,
        period_until=period_until,
        values=list(draft.values),
        created_by=actor,
    )
    chunks = []
    for name in chosen:
        lo, hi = population.bounds(run, name)
        for number, (first, last) in enumerate(population.ranges(lo, hi)):
            chunks.append(Chunk(run=run, population=name, number=number, first_id=first, last_id=last))
    Chunk.objects.bulk_create(chunks, batch_size=1000)
    run.chunks_total = len(chunks)
    if not chunks:
        run.status = RunStatus.DONE
        run.finished_at = timezone.now()
    run.save(update_fields=["chunks_total", "status", "finished_at"])
    ids = list(Chunk.objects.filter(run=run).values_list("pk", flat=True))
    transaction.on_commit(lambda: enqueue_chunks(ids))
    return run


def enqueue_chunks(chunk_ids: list[int]) -> None:
    from simulations.tasks import run_chunk

    for chunk_id in chunk_ids:
        run_chunk.enqueue(chunk_id)


TASK_PATH = "simulations.tasks.run_chunk"


def resume_stalled_runs(*, grace_seconds: float | None = None) -> int:
    """Queue again the unfinished chunks of running runs that have no queued or running task (run by
    each worker periodically), so a run whose tasks were lost resumes by itself."""
    from datetime import timedelta

    from django.conf import settings

    from core.recovery import uses_database_tasks

    if not uses_database_tasks():
        return 0
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    grace = grace_seconds if grace_seconds is not None else getattr(settings, "WORKER_HEARTBEAT_TIMEOUT", 30)
    pending = set(
        Chunk.objects.filter(
            done=False,
            run__status=RunStatus.RUNNING,
            run__created_at__lt=timezone.now() - timedelta(seconds=float(grace)),
        ).values_list("pk", flat=True)
    )
    if not pending:
        return 0
    live = {
        args_kwargs.get("args", [None])[0]
        for args_kwargs in DBTaskResult.objects.filter(
            task_path=TASK_PATH, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).values_list("args_kwargs", flat=True)
    }
    missing = sorted(pending - live)
    enqueue_chunks(missing)
    return len(missing)


def resume_run(run: Run, *, actor: User) -> int:
    """Queue again the chunks not done (after workers were stopped); done chunks are not redone."""
    _require_supervisor(actor)
    ids = list(Chunk.objects.filter(run=run, done=False).values_list("pk", flat=True))
    enqueue_chunks(ids)
    return len(ids)


# --- publication (four eyes) ------------------------------------------------------------------


@transaction.atomic
def propose_publication(draft: Draft, *, actor: User, run: Run) -> Draft:
    """Propose to publish the draft's values; the run's summary is attached to the record."""
    from simulations import selectors

    _require_supervisor(actor)
    locked = _locked_draft(draft, status=DraftStatus.DRAFT)
    if run.draft_id != locked.pk or run.status != RunStatus.DONE:
        raise ValidationError(_("请选择本草案已完成的模拟运行。"))
    if run.values != locked.values:
        raise ValidationError(_("草案在该次运行后已修改，请重新运行模拟。"))
    locked.status = DraftStatus.PROPOSED
    locked.proposed_by = actor
    locked.proposed_at = timezone.now()
    locked.proposal_run = run
    locked.summary = selectors.publication_summary(run)
    locked.save(update_fields=["status", "proposed_by", "proposed_at", "proposal_run", "summary"])
    _notify_supervisors(locked, actor)
    return locked


def _notify_supervisors(draft: Draft, actor: User) -> None:
    from django.urls import reverse

    from core.notifications import notify

    others = list(User.objects.filter(role=actor.role, is_active=True).exclude(pk=actor.pk))
    url = reverse("simulations:draft", kwargs={"public_id": draft.public_id})
    try:
        notify(others, "simulation_proposed", {"name": draft.name}, url)
    except Exception:  # pragma: no cover - a missing template never blocks the proposal
        logger.exception("could not notify supervisors of simulation draft %s", draft.pk)


@transaction.atomic
def decide_publication(draft: Draft, *, actor: User, approve: bool, note: str = "") -> Draft:
    """A second supervisor approves (the values are appended to the back office) or refuses."""
    from eligibility import services as eligibility

    _require_supervisor(actor)
    locked = _locked_draft(draft, status=DraftStatus.PROPOSED)
    if locked.proposed_by_id == actor.pk:
        raise PermissionDenied("the proposer cannot approve their own publication (four eyes)")
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    if approve:
        published = []
        for value in locked.values:
            entry = eligibility.add_parameter_value(
                actor,
                parameter_id=value["parameter_id"],
                effective_from=date.fromisoformat(value["effective_from"]),
                value=value["value"],
                citation=value["citation"],
            )
            published.append(entry.pk)
        locked.published_values = published
        locked.status = DraftStatus.PUBLISHED
    else:
        locked.status = DraftStatus.REFUSED
    try:
        with transaction.atomic():
            locked.save(
                update_fields=["decided_by", "decided_at", "decision_note", "published_values", "status"]
            )
    except IntegrityError as exc:  # the database's four-eyes constraint
        raise PermissionDenied("four eyes") from exc
    return locked


@transaction.atomic
def reopen(draft: Draft, *, actor: User) -> Draft:
    """A refused draft goes back to draft, to be changed and run again."""
    _require_supervisor(actor)
    locked = _locked_draft(draft, status=DraftStatus.REFUSED)
    locked.status = DraftStatus.DRAFT
    locked.save(update_fields=["status"])
    return locked


# --- API tokens -------------------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("ascii", "ignore")).hexdigest()


@transaction.atomic
def create_token(*, actor: User, verified: bool) -> tuple[ApiToken, str]:
    """A new API token for a supervisor whose session passed the second factor; shown once."""
    _require_supervisor(actor)
    if not verified:
        raise PermissionDenied("a token is created only after the second factor")
    key = "sim_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, key_hash=_hash(key), prefix=key[4:10])
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: User) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_for_token(key: str) -> User | None:
    """The active supervisor a live token belongs to, else None."""
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    )
    if token is None or not token.user.is_active or not token.user.is_supervisor:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
