"""Read the pages of an income printout: the text layer when the page has one, OCR otherwise.

Runs only inside the limited worker (`python -m materials.checks.worker --extract`), never in the web
process: it imports pypdfium2, numpy, OpenCV and onnxruntime. OCR is RapidOCR (PP-OCRv4 Chinese
detection and recognition, ONNX models shipped inside the `rapidocr-onnxruntime` wheel): nothing is
downloaded at run time.

Speed: the page is rendered at `OCR_DPI` (150 by default, the scan is usually 200–300 dpi) and the
angle classifier is off (pages are upright or skewed by a few degrees; a page that yields no table
is tried again turned: 90° and 270° when it is landscape, else 180°). Each page also gets a
red-seal hint (`seal_hint`).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from typing import Any

from materials.ocr import structure

OCR_DPI = 150
SEAL_DPI = 50
ENGINE = "rapidocr-onnxruntime"
_engine: Any = None


def engine() -> Any:
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    return _engine


def engine_version() -> str:
    from importlib.metadata import version

    return f"{ENGINE} {version(ENGINE)}"


def text_tokens(page: Any) -> list[structure.Token]:
    """Text runs of a page's text layer as tokens (confidence 1.0); [] for an image-only page."""
    textpage = page.get_textpage()
    width, height = page.get_size()
    tokens: list[structure.Token] = []
    try:
        count = textpage.count_rects()
        for index in range(count):
            left, bottom, right, top = textpage.get_rect(index)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            if not text:
                continue
            box = (left / width, 1 - top / height, right / width, 1 - bottom / height)
            for part in re.split(r"\s{2,}", text):
                if part:
                    tokens.append(structure.Token(part, box, 1.0, 0.0))
    finally:
        textpage.close()
    return tokens


def _array(page: Any, dpi: int, rotate: int = 0) -> Any:
    import numpy as np

    image = page.render(scale=dpi / 72, rotation=rotate).to_pil().convert("RGB")
    return np.asarray(image)


def ocr_tokens(rgb: Any) -> list[structure.Token]:
    """OCR of one rendered page (RGB array) as tokens with boxes as fractions of the page."""
    import numpy as np

    height, width = rgb.shape[:2]
    # The red channel as grey: black print stays dark, the red seal over the figures fades to paper.
    # Levels: everything lighter than 170 (paper, the seal's faint trace) becomes white.
    grey = np.clip(rgb[:, :, 0].astype(np.uint16) * 3 // 2, 0, 255).astype(np.uint8)
    red = np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    result, _elapsed = engine()(red, use_cls=False)
    tokens: list[structure.Token] = []
    for quad, text, score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        (x0, y0), (x1, y1) = quad[0], quad[1]
        angle = math.degrees(math.atan2(y1 - y0, x1 - x0)) if x1 != x0 else 0.0
        box = (min(xs) / width, min(ys) / height, max(xs) / width, max(ys) / height)
        tokens.append(structure.Token(str(text), box, float(score), angle))
    return tokens


def seal_hint(rgb: Any, dpi: int) -> dict[str, Any]:
    """A red, roughly round mark 25–60 mm across: the likely finance seal (a hint for DOC-STAMPED).

    Red pixels (R high, G and B clearly lower) are joined by a small dilation; the largest component
    counts as a seal when its bounding box is about square, its size in range and it is not solid.
    """
    import cv2
    import numpy as np

    r = rgb[:, :, 0].astype(np.int16)
    g = rgb[:, :, 1].astype(np.int16)
    b = rgb[:, :, 2].astype(np.int16)
    mask = ((r > 120) & (r - g > 50) & (r - b > 40)).astype(np.uint8)
    height, width = mask.shape
    if mask.sum() == 0:
        return {"seal": False, "seal_box": None}
    kernel = np.ones((3, 3), np.uint8)
    joined = cv2.dilate(mask, kernel, iterations=2)
    _count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(joined)
    mm = dpi / 25.4
    for index in np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:3] + 1:
        x, y, w, h, _area = (int(v) for v in stats[index])
        if not (25 * mm <= max(w, h) <= 60 * mm) or not (0.75 <= w / max(h, 1) <= 1.33):
            continue
        fill = mask[y : y + h, x : x + w].mean()
        if 0.04 <= fill <= 0.7:
            return {"seal": True, "seal_box": [x / width, y / height, (x + w) / width, (y + h) / height]}
    return {"seal": False, "seal_box": None}


def _maybe_turned(parsed: structure.Parsed, rgb: Any) -> bool:
    """Worth reading again turned: a landscape page, or text read with low confidence (upside down)."""
    height, width = rgb.shape[:2]
    return width > height * 1.05 or parsed.text_chars > 20


def extract(
    data: bytes, *, ocr_dpi: int = OCR_DPI, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """`{"rows", "pages", "engine", "seconds"}` for one PDF; never raises for a bad page."""
    import pypdfium2 as pdfium

    started, cpu_started = time.monotonic(), time.process_time()
    document = pdfium.PdfDocument(data)
    pages_out: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    used_ocr = False
    total = len(document)
    columns: dict[str, float] | None = None
    try:
        for index in range(total):
            page_started, page_cpu = time.monotonic(), time.process_time()
            page = document[index]
            number = index + 1
            page_width, page_height = page.get_size()
            info: dict[str, Any] = {
                "page": number,
                "method": "text",
                "rotated": 0,
                "aspect": round(page_height / max(page_width, 1.0), 4),
            }
            tokens = text_tokens(page)
            if sum(len(t.text) for t in tokens) >= 20:
                parsed = structure.rows_from_tokens(tokens, number, columns)
                info.update(seal=None, seal_box=None)
            else:
                used_ocr = True
                info["method"] = "ocr"
                small = _array(page, SEAL_DPI)
                info.update(seal_hint(small, SEAL_DPI))
                info["blank"] = bool((small.min(axis=2) < 200).mean() < 0.001)
                parsed = structure.Parsed([], None, "", 0)
                if not info["blank"]:
                    rgb = _array(page, ocr_dpi)
                    parsed = structure.rows_from_tokens(ocr_tokens(rgb), number, columns)
                    if not parsed.rows and _maybe_turned(parsed, rgb):
                        landscape = rgb.shape[1] > rgb.shape[0] * 1.05
                        for turn in (90, 270) if landscape else (180,):
                            retry = structure.rows_from_tokens(
                                ocr_tokens(_array(page, ocr_dpi, turn)), number, columns, rotation=turn
                            )
                            if retry.rows:
                                parsed, info["rotated"] = retry, turn
                                break
            if parsed.columns:
                columns = parsed.columns
            rows.extend(parsed.rows)
            info.update(
                rows=len(parsed.rows),
                kind=parsed.kind,
                title=parsed.title,
                seconds=round(time.monotonic() - page_started, 2),
                cpu_seconds=round(time.process_time() - page_cpu, 2),
            )
            pages_out.append(info)
            page.close()
            if progress is not None:
                progress(number, total)
    finally:
        document.close()
    structure.agree_agents(rows)
    return {
        "rows": rows,
        "pages": pages_out,
        "engine": engine_version() if used_ocr else "text-layer",
        "ocr_dpi": ocr_dpi if used_ocr else None,
        "seconds": round(time.monotonic() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu_started, 2),
    }


PREVIEW_DPI = 100


def previews(data: bytes, max_pages: int) -> list[bytes]:
    """Small JPEG images of the pages (at `PREVIEW_DPI`), shown beside the extracted table."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    out: list[bytes] = []
    try:
        for index in range(min(len(document), max_pages)):
            page = document[index]
            image = page.render(scale=PREVIEW_DPI / 72).to_pil().convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=70)
            out.append(buffer.getvalue())
            page.close()
    finally:
        document.close()
    return out
