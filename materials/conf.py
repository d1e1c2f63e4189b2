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
