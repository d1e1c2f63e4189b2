"""Read the income table of a stored income printout (issue 13; the background task `extract_income`).

The reading runs in the same limited worker as the checks (`materials.checks.worker --extract`), with
its own limits (`conf.extract_limits`). Safe to run twice: the extraction row is reset first and the
page previews are stored under fixed names.
"""

from __future__ import annotations

import base64
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from materials import conf
from materials.checks.runner import run_checks
from materials.models import Document, Extraction, ExtractionStatus

logger = logging.getLogger("materials.extraction")


def wants_extraction(document: Document) -> bool:
    return conf.extract_enabled() and document.material in conf.EXTRACT_MATERIALS


def run_document_extraction(public_id: str) -> str:
    document = Document.objects.get(public_id=public_id)
    extraction, _created = Extraction.objects.get_or_create(document=document)
    Extraction.objects.filter(pk=extraction.pk).update(
        status=ExtractionStatus.PENDING, rows=[], pages=[], error="", finished_at=None
    )
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except Exception:
        logger.exception("materials: cannot read document %s for extraction", public_id)
        Extraction.objects.filter(pk=extraction.pk).update(
            status=ExtractionStatus.FAILED, error="unreadable", finished_at=timezone.now()
        )
        return str(ExtractionStatus.FAILED)
    result = run_checks(
        data, document.material, conf.extract_limits(), extract=True, ocr_dpi=conf.extract_dpi()
    )
    if result.get("error"):
        Extraction.objects.filter(pk=extraction.pk).update(
            status=ExtractionStatus.FAILED,
            error=str(result["error"])[:100],
            peak_rss_kb=result.get("peak_rss_kb"),
            finished_at=timezone.now(),
        )
        return str(ExtractionStatus.FAILED)
    names = []
    for number, encoded in enumerate(result.get("previews") or [], start=1):
        name = f"previews/{document.public_id}/{number}.jpg"
        if default_storage.exists(name):
            default_storage.delete(name)
        names.append(default_storage.save(name, ContentFile(base64.b64decode(encoded))))
    Extraction.objects.filter(pk=extraction.pk).update(
        status=ExtractionStatus.DONE,
        engine=str(result.get("engine", ""))[:60],
        rows=result.get("rows") or [],
        pages=result.get("pages") or [],
        previews=names,
        seconds=result.get("seconds"),
        cpu_seconds=result.get("cpu_seconds"),
        peak_rss_kb=result.get("peak_rss_kb"),
        finished_at=timezone.now(),
    )
    return str(ExtractionStatus.DONE)


def give_up_extraction(public_id: str) -> None:
    """The reading could not finish after its last retry: say so (the uploader types the amounts)."""
    Extraction.objects.filter(document__public_id=public_id, status=ExtractionStatus.PENDING).update(
        status=ExtractionStatus.FAILED, error="gave up", finished_at=timezone.now()
    )
