"""Background tasks of policy simulation (django-tasks): one task per chunk of a run."""

from __future__ import annotations

from django_tasks import task

from simulations import chunks


@task()
def run_chunk(chunk_id: int) -> bool:
    """Evaluate one chunk under baseline and reform; safe to run twice (see chunks.run_chunk)."""
    return chunks.run_chunk(chunk_id)
