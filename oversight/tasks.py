"""Background tasks of the oversight context (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from oversight import inspection


@task()
def run_inspection(inspection_id: int) -> dict[str, object]:
    """Classify an inspection's permits; safe to enqueue again after an interruption."""
    result = inspection.run(inspection_id)
    return {"status": result.status, "processed": result.processed, "total": result.total}
