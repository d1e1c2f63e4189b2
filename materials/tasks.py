"""Background work of the materials context (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def check_document(public_id: str) -> str:
    """Run the DOC-FORMAT checks on one stored document; returns its check status."""
    from materials.services import run_document_checks

    return run_document_checks(public_id)
