"""Upload checks (DOC-FORMAT): the full check of a 20-page 300-dpi colour scan, in its limited worker
process, against PDFium alone rendering the same pages at the checking resolution in this process.

Prints both times (best of five, interleaved; the medians too, since these machines are shared and
noisy), their ratio (aim: ≤ 1.5×) and the worker's peak memory.
"""

from __future__ import annotations

import resource
import statistics
import time

PAGES = 20
SCAN_DPI = 300
ROUNDS = 5


def _render_only(data: bytes, dpi: int) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            page.render(scale=dpi / 72, may_draw_forms=False).close()
            page.close()
    finally:
        document.close()


def main() -> None:
    from materials import conf
    from materials.checks.runner import run_checks
    from materials.tests.hostile import scan_pdf

    limits = conf.worker_limits()
    data = scan_pdf(PAGES, dpi=SCAN_DPI, quality=55, grain=2)
    print(
        f"file: {PAGES} pages at {SCAN_DPI} dpi, {len(data) / 1048576:.1f} MB; checking at {limits.dpi} dpi"
    )
    from django.conf import settings

    if len(data) > settings.UPLOAD_MAX_BYTES:
        print(f"note: the file is over the upload limit of {settings.UPLOAD_MAX_BYTES / 1048576:.0f} MB")

    baseline: list[float] = []
    full: list[float] = []
    worker_peak_kb = 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        _render_only(data, limits.dpi)
        baseline.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = run_checks(data, "LEASE", limits)
        full.append(time.perf_counter() - started)
        assert result["pages"] == PAGES and result["findings"] == [], result["findings"]
        worker_peak_kb = max(worker_peak_kb, int(result["meta"].get("peak_rss_kb", 0)))
    base, check = min(baseline), min(full)
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    base_median, check_median = statistics.median(baseline), statistics.median(full)
    print(f"PDFium render only (in process): {base:.3f} s (best of {ROUNDS}; median {base_median:.3f} s)")
    print(f"full check (worker process):     {check:.3f} s (best of {ROUNDS}; median {check_median:.3f} s)")
    print(f"ratio: {check / base:.2f}x (aim <= 1.5x)")
    print(f"worker peak memory (its own VmHWM): {worker_peak_kb / 1024:.0f} MB")
    print(
        f"getrusage(RUSAGE_CHILDREN).ru_maxrss: {children_mb:.0f} MB"
        " (Linux keeps the parent's high-water RSS across fork+exec, so this bounds the worker from above)"
    )


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    main()
