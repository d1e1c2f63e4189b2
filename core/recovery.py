"""Recovery of background work when a worker dies or the database goes away.

A task claimed by a worker is `RUNNING` in django-tasks-db's table and no other worker takes it. It is
handed back to the queue (`READY`) when:

- its worker's heartbeat (`WorkerHeartbeat`, refreshed by `manage.py run_worker`) is older than
  `WORKER_HEARTBEAT_TIMEOUT` seconds or missing, and the task started before that; or
- its worker has no heartbeat at all (a plain `db_worker`) and it has run longer than the task's
  time limit (`TASK_TIME_LIMITS`, default `TASK_DEFAULT_TIME_LIMIT`);
- or it failed on a lost database connection (`OperationalError`, `InterfaceError`).

Every task of the project is safe to run twice (checks reset their state first, inspection findings
are inserted with ON CONFLICT DO NOTHING, reminders are unique per permit, mails are claimed under a
lock), so running it again is correct. After `TASK_MAX_ATTEMPTS` claims a task is failed for good
and the give-up hook of its context runs (a document check records that the file could not be
checked instead of polling forever).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = frozenset({"django.db.utils.OperationalError", "django.db.utils.InterfaceError"})
DEFAULT_TIME_LIMITS = {
    "materials.tasks.check_document": 600,
    "materials.tasks.extract_income": 1200,
    "oversight.tasks.run_inspection": 7200,
    "permits.tasks.permits_daily": 3600,
    "core.outbox.deliver_mail": 300,
}
GIVE_UP_HOOKS: dict[str, str] = {
    "materials.tasks.check_document": "materials.services.give_up_checks",
    "materials.tasks.extract_income": "materials.extraction.give_up_extraction",
}


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "WORKER_HEARTBEAT_TIMEOUT", 30)))


def max_attempts() -> int:
    return int(getattr(settings, "TASK_MAX_ATTEMPTS", 5))


def time_limit(task_path: str) -> timedelta:
    limits = {**DEFAULT_TIME_LIMITS, **getattr(settings, "TASK_TIME_LIMITS", {})}
    return timedelta(seconds=limits.get(task_path, getattr(settings, "TASK_DEFAULT_TIME_LIMIT", 1800)))


def uses_database_tasks() -> bool:
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db")


def beat(worker_id: str, *, hostname: str = "", pid: int = 0) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now(), "hostname": hostname[:255], "pid": pid}
    )


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _stale(task: Any, beats: dict[str, datetime], now: datetime) -> bool:
    worker = task.worker_ids[-1] if task.worker_ids else ""
    seen = beats.get(worker)
    started = task.started_at or task.enqueued_at
    if seen is not None:
        return seen < now - heartbeat_timeout()
    if WorkerHeartbeat.objects.filter(worker_id=worker).exists():
        return False
    # No heartbeat row: a run_worker whose row expired, or a plain db_worker (age beyond the time limit).
    expired_beat = started < now - heartbeat_timeout()
    known_wrapper = worker.startswith("rw-")
    return bool((known_wrapper and expired_beat) or started < now - time_limit(task.task_path))


def requeue_stale(*, own_worker_id: str = "") -> int:
    """Hand back tasks whose worker died (or this worker's own, after it lost the database)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "seen_at"))
    requeued = 0
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING))
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED,
        exception_class_path__in=TRANSIENT_ERRORS,
        finished_at__gte=now - timedelta(hours=1),
    )
    for task in [*running, *failed]:
        if task.status == TaskResultStatus.RUNNING:
            own = bool(own_worker_id) and task.worker_ids and task.worker_ids[-1] == own_worker_id
            if not own and not _stale(task, beats, now):
                continue
        if _hand_back(task.pk, task.status):
            requeued += 1
    return requeued


def _hand_back(task_id: Any, seen_status: str) -> bool:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        task = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(pk=task_id, status=seen_status)
            .first()
        )
        if task is None:
            return False
        # Attempts are counted per worker: a worker that lost the database and takes its own task
        # again (same id) does not use up an attempt.
        # A task that keeps failing on the database in one worker stops too (4 claims per attempt).
        if len(set(task.worker_ids)) >= max_attempts() or len(task.worker_ids) >= 4 * max_attempts():
            task.status = TaskResultStatus.FAILED
            task.finished_at = timezone.now()
            task.exception_class_path = task.exception_class_path or "core.recovery.WorkerLost"
            task.traceback = task.traceback or "the worker running this task stopped; attempts exhausted"
            task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            logger.error(
                "task %s (%s) failed for good after %s attempts",
                task.pk,
                task.task_path,
                len(task.worker_ids),
            )
            hook = GIVE_UP_HOOKS.get(task.task_path)
            if hook:
                give_up: Callable[..., object] = import_string(hook)
                transaction.on_commit(
                    lambda: give_up(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
                )
            return False
        task.status = TaskResultStatus.READY
        task.started_at = None
        task.finished_at = None
        task.save(update_fields=["status", "started_at", "finished_at"])
        logger.warning(
            "task %s (%s) handed back to the queue (attempt %s of %s)",
            task.pk,
            task.task_path,
            len(set(task.worker_ids)) + 1,
            max_attempts(),
        )
        return True


def retried(task_path: str, *args: object) -> bool:
    """True when a queued or running task for these arguments was handed back after a failure."""
    if not uses_database_tasks():
        return False
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    for task in DBTaskResult.objects.filter(
        task_path=task_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).only("args_kwargs", "worker_ids", "status"):
        if list(task.args_kwargs.get("args", [])) == list(args):
            claims = len(task.worker_ids)
            if claims >= 2 or (task.status == TaskResultStatus.READY and claims >= 1):
                return True
    return False


def oldest_queued_age() -> timedelta | None:
    """How long the oldest ready task has waited (None without queued tasks or the database backend)."""
    if not uses_database_tasks():
        return None
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    )
    return None if oldest is None else timezone.now() - oldest


def has_live_task(task_path: str, *args: object) -> bool:
    """True when a task for these arguments is queued or running (database backend only)."""
    if not uses_database_tasks():
        return True
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return any(
        list(args_kwargs.get("args", [])) == list(args)
        for args_kwargs in DBTaskResult.objects.filter(
            task_path=task_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).values_list("args_kwargs", flat=True)
    )


def periodic_jobs() -> list[tuple[str, float]]:
    """(dotted path, seconds between runs) of the jobs every `run_worker` runs besides its tasks."""
    default = [
        ("core.recovery.requeue_stale", 5.0),
        ("core.outbox.deliver_due", 5.0),
        ("oversight.services.resume_stalled_inspections", 30.0),
        ("simulations.services.resume_stalled_runs", 30.0),
        ("core.files.sweep_orphans", float(getattr(settings, "ORPHAN_SWEEP_SECONDS", 3600))),
    ]
    return list(getattr(settings, "WORKER_PERIODIC_JOBS", default))
