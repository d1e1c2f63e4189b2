"""Run the DOC-FORMAT checks of a stored document (called by the background task `check_document`).

Apart from `materials.services` so that the task module and the upload service do not import each
other (no import cycles, issue 11); `materials.services` re-exports these names.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from materials import conf
from materials.checks.findings import ERROR, WARNING, finding
from materials.checks.runner import run_checks
from materials.models import CheckStatus, Document

logger = logging.getLogger("materials.services")


def status_from_findings(findings: list[dict[str, Any]]) -> str:
    severities = {item["severity"] for item in findings}
    if ERROR in severities:
        return CheckStatus.FAILED
    if WARNING in severities:
        return CheckStatus.WARNING
    return CheckStatus.PASSED


def run_document_checks(public_id: str) -> str:
    """Check a stored document in the limited worker; store findings, pages and the status.

    Progress (pages done / total) is saved as the worker reports it, for the status fragment.
    """
    document = Document.objects.get(public_id=public_id)
    Document.objects.filter(pk=document.pk).update(
        check_status=CheckStatus.PENDING, check_done=0, check_total=0
    )
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except Exception:  # storage unreachable or object missing: say so instead of polling forever
        logger.exception("materials: cannot read document %s for checking", public_id)
        unreadable = finding("UNCHECKABLE", detail=("无法读取已存储的文件", "the stored file cannot be read"))
        Document.objects.filter(pk=document.pk).update(
            findings=[unreadable], check_status=CheckStatus.FAILED, checked_at=timezone.now()
        )
        return str(CheckStatus.FAILED)

    def progress(done: int, total: int) -> None:
        Document.objects.filter(pk=document.pk).update(check_done=done, check_total=total)

    result = run_checks(data, document.material, conf.worker_limits(), on_progress=progress)
    findings = list(result.get("findings") or [])
    status = status_from_findings(findings)
    pages = result.get("pages")
    Document.objects.filter(pk=document.pk).update(
        findings=findings,
        check_status=status,
        pages=pages if isinstance(pages, int) else None,
        checked_at=timezone.now(),
        check_done=pages if isinstance(pages, int) and not findings_block_pages(findings) else 0,
        check_total=pages if isinstance(pages, int) else 0,
    )
    return str(status)


def findings_block_pages(findings: list[dict[str, Any]]) -> bool:
    """True when the file was refused before its pages were looked at."""
    return any(item["severity"] == ERROR and item.get("page") is None for item in findings)
