"""Background work of the materials context (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from materials.checking import run_document_checks


@task()
def check_document(public_id: str) -> str:
    """Run the DOC-FORMAT checks on one stored document; returns its check status."""
    return run_document_checks(public_id)
