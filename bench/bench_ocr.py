"""Reading income printouts (issue 13): accuracy and speed on generated scans.

`make bench` (all benches) or `make bench-ocr` (this one). Environment: OCR_BENCH_PAGES (200 by
default; scanned pages, as 1–4 page records), OCR_BENCH_DPI (resolutions to compare, "150,110").
Each record goes through the real sandboxed worker (`runner.run_checks(..., extract=True)`), so the
times include its start and the model load, and the peak memory is the worker's own.

Figures: cells exact (months, amounts), withholding agent exact, invented rows (a month not on the
record, or one more time than printed), seconds per page (wall and CPU; the machine is shared, so
the load average is printed with them), a 4-page record end to end, the worker's peak RSS, and the
hostile cases (blank page, turned 90°/180°, another document, half a table).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any

from materials import conf
from materials.checks.runner import run_checks
from materials.ocr import corpus


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def score(expected: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, int]:
    got: dict[str, dict[str, Any]] = {}
    counts = Counter(r["month"]["value"] for r in rows)
    for row in rows:
        got.setdefault(row["month"]["value"], row)
    want = Counter(t["month"] for t in expected)
    invented = sum(n - want.get(m, 0) for m, n in counts.items() if n > want.get(m, 0))
    months = amounts = agents = 0
    for truth in expected:
        found = got.get(truth["month"])
        if found is None:
            continue
        months += 1
        amounts += bool(found.get("amount") and found["amount"]["value"] == truth["amount"])
        agents += bool(found.get("agent") and found["agent"]["value"] == truth["agent"])
    return {
        "expected": len(expected),
        "months": months,
        "amounts": amounts,
        "agents": agents,
        "invented": invented,
    }


def run(pages_wanted: int, dpi: int) -> None:
    limits = conf.extract_limits()
    totals: Counter[str] = Counter()
    pages = 0
    wall = cpu = 0.0
    peak = 0
    seed = 1000
    four_page: float | None = None
    while pages < pages_wanted:
        count = 1 + seed % 4
        months = {1: 36, 2: 36, 3: 36, 4: 36}[count] if seed % 3 else 12 * count
        sample = corpus.sample(seed, months=months, pages=count, kind="tax" if seed % 5 == 0 else "income")
        started = time.monotonic()
        result = run_checks(sample.pdf, "INCOME-RECORDS", limits, extract=True, ocr_dpi=dpi)
        elapsed = time.monotonic() - started
        seed += 1
        if result.get("error"):
            print(f"  seed {seed - 1}: worker error {result['error']}", flush=True)
            totals["errors"] += 1
            continue
        if count == 4 and four_page is None:
            four_page = elapsed
        pages += sample.pages
        wall += sum(p["seconds"] for p in result["pages"])
        cpu += sum(p.get("cpu_seconds", 0) for p in result["pages"])
        peak = max(peak, int(result.get("peak_rss_kb") or 0))
        scored = score(sample.expected_rows, result["rows"])
        totals.update(scored)
        if (
            scored["months"] < scored["expected"]
            or scored["amounts"] < scored["expected"]
            or scored["invented"]
        ):
            got = {r["month"]["value"] for r in result["rows"]}
            missing = [t["month"] for t in sample.expected_rows if t["month"] not in got]
            print(
                f"    seed {seed - 1} ({sample.record.kind}, {count} p): {scored}; missing {missing}",
                flush=True,
            )
    cells = 2 * totals["expected"]
    print(
        f"  dpi {dpi}: {pages} scanned pages, {totals['expected']} rows, load average {_load()}", flush=True
    )
    print(
        f"  cells exact: months {totals['months']}/{totals['expected']}, amounts {totals['amounts']}/"
        f"{totals['expected']} -> {100 * (totals['months'] + totals['amounts']) / max(cells, 1):.2f} %"
    )
    print(f"  withholding agent exact: {100 * totals['agents'] / max(totals['expected'], 1):.2f} %")
    print(f"  invented rows: {totals['invented']}; worker errors: {totals['errors']}")
    print(f"  seconds per page: wall {wall / max(pages, 1):.2f}, CPU {cpu / max(pages, 1):.2f}")
    if four_page is not None:
        print(f"  4-page record end to end (worker start, model load, 4 pages, previews): {four_page:.1f} s")
    print(
        f"  worker peak RSS: {peak / 1024:.0f} MB (address-space limit {limits.memory_bytes >> 20} MB)",
        flush=True,
    )


def hostile(dpi: int) -> None:
    limits = conf.extract_limits()
    for case in ("blank", "rotate90", "rotate180", "wrong", "half"):
        sample = corpus.sample(77, months=12, pages=1, hostile=case)
        result = run_checks(sample.pdf, "INCOME-RECORDS", limits, extract=True, ocr_dpi=dpi)
        if result.get("error"):
            print(f"  hostile {case}: worker error {result['error']}")
            continue
        s = score(sample.expected_rows, result["rows"])
        turned = [p.get("rotated") for p in result["pages"]]
        print(
            f"  hostile {case}: rows {len(result['rows'])} (expected {s['expected']}), months right "
            f"{s['months']}, invented {s['invented']}, turned {turned}, "
            f"seal {[p.get('seal') for p in result['pages']]}",
            flush=True,
        )


def text_layer() -> None:
    sample = corpus.sample(5, months=36, pages=4, text_layer=True)
    started = time.monotonic()
    result = run_checks(sample.pdf, "INCOME-RECORDS", conf.extract_limits(), extract=True)
    s = score(sample.expected_rows, result.get("rows", []))
    print(
        f"  text layer, 4 pages: {time.monotonic() - started:.2f} s end to end, months {s['months']}/"
        f"{s['expected']}, amounts {s['amounts']}, invented {s['invented']}"
    )


def main() -> None:
    pages = int(os.environ.get("OCR_BENCH_PAGES", "200"))
    resolutions = [int(v) for v in os.environ.get("OCR_BENCH_DPI", "150,110").split(",") if v]
    print(f"  engine: rapidocr-onnxruntime (PP-OCRv4), 1 thread; load average {_load()}", flush=True)
    text_layer()
    for dpi in resolutions:
        run(pages, dpi)
    hostile(resolutions[0])


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    main()
