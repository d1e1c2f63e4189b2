"""Limits of the upload checks (DOC-FORMAT). Each may be overridden by a `MATERIALS_*` setting."""

from __future__ import annotations

from django.conf import settings

from materials.checks.runner import WorkerLimits

MAX_PAGES = 50
"""Pages per file; a longer file is refused (the guide's materials are a few pages each)."""
CHECK_DPI = 50
"""Resolution at which each page is rendered for the colour, blank and orientation checks."""
MIN_SCAN_DPI = 150
"""Below this effective scan resolution a page gets a warning."""
MAX_IMAGE_PIXELS = 60_000_000
"""Largest image accepted (A4 at 600 dpi is 35 megapixels)."""
MAX_DECODED_BYTES = 256 << 20
"""Largest size a compressed stream may inflate to."""
WORKER_MEMORY_BYTES = 1 << 30
WORKER_CPU_SECONDS = 30
WORKER_TIMEOUT_SECONDS = 60.0


def worker_limits() -> WorkerLimits:
    return WorkerLimits(
        dpi=getattr(settings, "MATERIALS_CHECK_DPI", CHECK_DPI),
        max_pages=getattr(settings, "MATERIALS_MAX_PAGES", MAX_PAGES),
        min_dpi=getattr(settings, "MATERIALS_MIN_SCAN_DPI", MIN_SCAN_DPI),
        max_pixels=getattr(settings, "MATERIALS_MAX_IMAGE_PIXELS", MAX_IMAGE_PIXELS),
        max_decoded=getattr(settings, "MATERIALS_MAX_DECODED_BYTES", MAX_DECODED_BYTES),
        memory_bytes=getattr(settings, "MATERIALS_WORKER_MEMORY_BYTES", WORKER_MEMORY_BYTES),
        cpu_seconds=getattr(settings, "MATERIALS_WORKER_CPU_SECONDS", WORKER_CPU_SECONDS),
        timeout_seconds=getattr(settings, "MATERIALS_WORKER_TIMEOUT_SECONDS", WORKER_TIMEOUT_SECONDS),
    )


EXTRACT_MATERIALS = frozenset({"INCOME-RECORDS", "INCOME-RECORDS-3Y", "INCOME-3Y"})
"""Materials whose pages are read into an income table (issue 13)."""
EXTRACT_MAX_PAGES = 8
EXTRACT_OCR_DPI = 150
"""Resolution at which a scanned page is read (see `materials.ocr.extract`)."""
EXTRACT_MEMORY_BYTES = 2 << 30
"""Address space of the reading worker: onnxruntime maps its models and arenas (peak RSS ≈ 0.75 GB)."""
EXTRACT_CPU_SECONDS = 300
EXTRACT_TIMEOUT_SECONDS = 900.0


def extract_enabled() -> bool:
    return bool(getattr(settings, "MATERIALS_EXTRACT_INCOME", True))


def extract_limits() -> WorkerLimits:
    base = worker_limits()
    return WorkerLimits(
        dpi=base.dpi,
        max_pages=getattr(settings, "MATERIALS_EXTRACT_MAX_PAGES", EXTRACT_MAX_PAGES),
        min_dpi=base.min_dpi,
        max_pixels=base.max_pixels,
        max_decoded=base.max_decoded,
        memory_bytes=getattr(settings, "MATERIALS_EXTRACT_MEMORY_BYTES", EXTRACT_MEMORY_BYTES),
        cpu_seconds=getattr(settings, "MATERIALS_EXTRACT_CPU_SECONDS", EXTRACT_CPU_SECONDS),
        timeout_seconds=getattr(settings, "MATERIALS_EXTRACT_TIMEOUT_SECONDS", EXTRACT_TIMEOUT_SECONDS),
    )


def extract_dpi() -> int:
    return int(getattr(settings, "MATERIALS_EXTRACT_OCR_DPI", EXTRACT_OCR_DPI))
