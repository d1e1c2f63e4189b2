"""The checking process: `python -m materials.checks.worker --material ID FILE [limits]`.

It sets its own address-space, CPU-time and file-size limits before it imports a parser or opens the
file, then parses and renders the file and prints JSON lines to stdout: `{"progress": i, "total": n}`
while it works and one final `{"result": {...}}`. A hostile file can at worst exhaust these limits;
the parent (`runner`) turns that, a crash or a hang into a finding.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path
from typing import Any


def _limit(which: int, value: int) -> None:
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value if which != resource.RLIMIT_CPU else value + 1))


def apply_limits(memory_bytes: int, cpu_seconds: int) -> None:
    _limit(resource.RLIMIT_AS, memory_bytes)
    _limit(resource.RLIMIT_CPU, cpu_seconds)
    _limit(resource.RLIMIT_FSIZE, 1 << 20)
    _limit(resource.RLIMIT_CORE, 0)


def peak_rss_kb() -> int:
    """This process's own high-water RSS (VmHWM). getrusage's ru_maxrss would not do: Linux carries
    the parent's high-water mark across fork and exec into it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def emit(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _progress(done: int, total: int) -> None:
    emit({"progress": done, "total": total})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m materials.checks.worker")
    parser.add_argument("path")
    parser.add_argument("--material", required=True)
    parser.add_argument("--dpi", type=int, default=50)
    parser.add_argument("--max-pages", type=int, default=50)
    parser.add_argument("--min-dpi", type=int, default=150)
    parser.add_argument("--max-pixels", type=int, default=60_000_000)
    parser.add_argument("--max-decoded", type=int, default=256 << 20)
    parser.add_argument("--memory", type=int, default=1 << 30)
    parser.add_argument("--cpu", type=int, default=30)
    parser.add_argument("--extract", action="store_true", help="read the income table (issue 13)")
    parser.add_argument("--ocr-dpi", type=int, default=150)
    args = parser.parse_args(argv)
    apply_limits(args.memory, args.cpu)
    if args.extract:
        return extract_main(args)

    from materials.checks import analyse
    from materials.checks.findings import finding

    limits = analyse.Limits(
        dpi=args.dpi,
        max_pages=args.max_pages,
        min_dpi=args.min_dpi,
        max_pixels=args.max_pixels,
        max_decoded=args.max_decoded,
    )
    try:
        data = Path(args.path).read_bytes()
        result = analyse.analyse(data, args.material, limits, progress=_progress)
    except MemoryError:
        memory = finding("UNCHECKABLE", detail=("内存超限", "out of memory"))
        result = {"pages": None, "findings": [memory], "meta": {}}
    except Exception as exc:  # a hostile file may break a parser in any way: report, never crash
        broken = finding("UNCHECKABLE", detail=(f"解析出错：{type(exc).__name__}", type(exc).__name__))
        result = {"pages": None, "findings": [broken], "meta": {}}
    meta = result.setdefault("meta", {})
    meta["peak_rss_kb"] = peak_rss_kb()
    emit({"result": result})
    return 0


def extract_main(args: argparse.Namespace) -> int:
    """Income printouts: rows with boxes, per-page seal hints and small page previews (issue 13)."""
    import base64

    from materials.ocr import extract

    try:
        data = Path(args.path).read_bytes()
        result = extract.extract(data, ocr_dpi=args.ocr_dpi, progress=_progress)
        result["previews"] = [
            base64.b64encode(image).decode("ascii") for image in extract.previews(data, args.max_pages)
        ]
    except MemoryError:
        result = {"error": "memory"}
    except Exception as exc:  # a hostile file may break a parser in any way: report, never crash
        result = {"error": type(exc).__name__}
    result["peak_rss_kb"] = peak_rss_kb()
    emit({"result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
