"""Background work of the materials context (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from materials.checking import run_document_checks
from materials.extraction import run_document_extraction


@task()
def check_document(public_id: str) -> str:
    """Run the DOC-FORMAT checks on one stored document; returns its check status.

    Income printouts that pass are then read into a table (issue 13), as a task of their own."""
    status = run_document_checks(public_id)
    if status != "failed" and needs_extraction(public_id):
        extract_income.enqueue(public_id)
    return status


@task()
def extract_income(public_id: str) -> str:
    """Read the income table of an income printout (issue 13); returns the extraction status."""
    return run_document_extraction(public_id)


def needs_extraction(public_id: str) -> bool:
    from materials.extraction import wants_extraction
    from materials.models import Document

    document = Document.objects.filter(public_id=public_id).first()
    return document is not None and wants_extraction(document)
