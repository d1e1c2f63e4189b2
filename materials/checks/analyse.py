"""Parsing and rendering checks (DOC-FORMAT). Run only inside the worker process (see `worker`).

Heuristics, all on a rendering at the checking resolution (`Limits.dpi`, 50 dpi by default):
- colour: a page is greyscale when fewer than 0.1 % of its pixels have a chroma (max − min of R, G, B)
  of 12 or more. A colour scan of paper always shows some colour (paper tint, seals, ink); a greyscale
  scan has none. Greyscale is an error: DOC-FORMAT asks for colour scans.
- blank: fewer than 0.1 % of the pixels darker than 200 (of 255). Warning.
- orientation: the materials are portrait documents (A4 and smaller). A page with /Rotate ≠ 0 is
  reported as rotated; otherwise a page displayed wider than high (by more than 5 %) as landscape.
  Both are warnings: some originals (certificates) are landscape, and a reviewer decides.
- resolution: the effective dpi of each image covering at least half of the page (pixels / displayed
  inches, the lower of the two axes); below `Limits.min_dpi` (150) is a warning. Pages without such an
  image (born-digital PDFs) are not judged.
- ID photo (ID-PHOTO): JPEG or PNG; width/height 25/35 ≈ 0.714 within ± 0.04; white background
  (at least 85 % of the pixels in the top strip and the upper side strips have every channel ≥ 215);
  colour (same chroma rule as pages); at least 260 × 364 pixels, else a warning.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from materials.checks.findings import Finding, finding, has_errors
from materials.checks.sniff import PDF, content_type_of, sniff

CHROMA_LEVEL = 12
COLOUR_FRACTION = 0.001
BLANK_DARK_LEVEL = 200
BLANK_FRACTION = 0.001
LANDSCAPE_SLACK = 1.05
PHOTO_RATIO = 25 / 35
PHOTO_RATIO_TOLERANCE = 0.04
PHOTO_WHITE_LEVEL = 215
PHOTO_WHITE_FRACTION = 0.85
PHOTO_MIN_SIZE = (260, 364)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Limits:
    dpi: int = 50
    max_pages: int = 50
    min_dpi: int = 150
    max_pixels: int = 60_000_000
    max_decoded: int = 256 << 20
    max_bytes: int = 1 << 62


def analyse(data: bytes, material: str, limits: Limits, progress: Progress | None = None) -> dict[str, Any]:
    """`{"pages", "findings", "meta"}` for one file; never raises for a bad file."""
    content_type, refused = sniff(data, material, "", limits.max_bytes)
    if refused:
        return {"pages": None, "findings": refused, "meta": {}}
    if content_type == PDF:
        return analyse_pdf(data, limits, progress)
    return analyse_photo(data, limits)


# -- PDF ------------------------------------------------------------------------------------------

_ACTION_KINDS = {
    "/JavaScript": "JavaScript",
    "/Launch": "Launch",
    "/ImportData": "ImportData",
    "/SubmitForm": "SubmitForm",
    "/GoToE": "GoToE",
    "/RichMediaExecute": "RichMedia",
    "/Rendition": "Rendition",
}
_ANNOTATION_KINDS = {
    "/FileAttachment": "FileAttachment",
    "/RichMedia": "RichMedia",
    "/Movie": "Movie",
    "/Sound": "Sound",
    "/Screen": "Screen",
}
_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "EmbeddedFiles",
    "/EF": "EmbeddedFile",
    "/XFA": "XFA",
    "/AA": "AdditionalActions",
}


def _active_content(pdf: Any) -> list[str]:
    """Names of the active or embedded content anywhere in the file (every object, direct or not)."""
    import pikepdf

    found: set[str] = set()

    def visit(obj: Any, depth: int) -> None:
        if depth > 12:
            return
        if isinstance(obj, pikepdf.Stream):
            visit(obj.stream_dict, depth + 1)
            return
        if isinstance(obj, pikepdf.Dictionary):
            for key in obj.keys():  # noqa: SIM118 - pikepdf dictionaries iterate keys only this way
                if key in _KEYS:
                    found.add(_KEYS[key])
                value = obj.get(key)
                if key == "/S" and str(value) in _ACTION_KINDS:
                    found.add(_ACTION_KINDS[str(value)])
                elif key == "/Subtype" and str(value) in _ANNOTATION_KINDS:
                    found.add(_ANNOTATION_KINDS[str(value)])
                elif key == "/Type" and str(value) == "/EmbeddedFile":
                    found.add("EmbeddedFile")
                if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
                    visit(value, depth + 1)
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                if isinstance(item, pikepdf.Dictionary | pikepdf.Array) and not item.is_indirect:
                    visit(item, depth + 1)

    for obj in pdf.objects:
        visit(obj, 0)
    return sorted(found)


def _bombs(pdf: Any, limits: Limits) -> str | tuple[str, str]:
    """A description of the first image or compressed stream too large to decode safely, or ''."""
    import pikepdf

    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        d = obj.stream_dict
        if str(d.get("/Subtype", "")) == "/Image":
            try:
                width, height = int(d.get("/Width", 0)), int(d.get("/Height", 0))
            except (TypeError, ValueError):
                return ("图像尺寸无效", "invalid image size")
            if width <= 0 or height <= 0 or width * height > limits.max_pixels:
                return f"{width}×{height} px"
        filters = d.get("/Filter")
        first = filters[0] if isinstance(filters, pikepdf.Array) and len(filters) else filters
        if first is not None and str(first) == "/FlateDecode":
            inflater = zlib.decompressobj()
            raw = obj.read_raw_bytes()
            total = 0
            chunk = inflater.decompress(raw, 1 << 20)
            while chunk:
                total += len(chunk)
                if total > limits.max_decoded:
                    mb = limits.max_decoded >> 20
                    return (f"压缩数据解压后超过 {mb} MB", f"compressed data inflates beyond {mb} MB")
                chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
    return ""


def _structure(data: bytes, limits: Limits) -> tuple[int | None, list[Finding]]:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError:
        return None, [finding("ENCRYPTED")]
    except (pikepdf.PdfError, ValueError, RecursionError) as exc:
        return None, [finding("BROKEN", detail=_short(exc))]
    with pdf:
        if pdf.is_encrypted:
            return None, [finding("ENCRYPTED")]
        try:
            pages = len(pdf.pages)
        except pikepdf.PdfError as exc:
            return None, [finding("BROKEN", detail=_short(exc))]
        if pages == 0:
            return 0, [finding("NO-PAGES")]
        if pages > limits.max_pages:
            return pages, [finding("TOO-MANY-PAGES", pages=pages, limit=limits.max_pages)]
        try:
            active = _active_content(pdf)
            bomb = _bombs(pdf, limits)
        except (pikepdf.PdfError, zlib.error) as exc:
            return pages, [finding("BROKEN", detail=_short(exc))]
        found: list[Finding] = []
        if active:
            found.append(finding("ACTIVE-CONTENT", what=", ".join(active)))
        if bomb:
            found.append(finding("BOMB", detail=bomb))
        return pages, found


def _short(exc: BaseException) -> str:
    """The parser's own words, without object addresses or paths (they mean nothing to a user)."""
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"<[^>]*object at 0x[0-9a-f]+>:?\s*", "", text)
    text = re.sub(r"(/[^\s/:]+)+/?", "", text).strip(" :")
    return text[:120] or type(exc).__name__


def _chroma_fraction(image: Any) -> float:
    from PIL import ImageChops

    r, g, b = image.convert("RGB").split()
    chroma = ImageChops.lighter(
        ImageChops.lighter(ImageChops.difference(r, g), ImageChops.difference(g, b)),
        ImageChops.difference(r, b),
    )
    histogram = chroma.histogram()
    return sum(histogram[CHROMA_LEVEL:]) / max(1, image.width * image.height)


def _dark_fraction(image: Any) -> float:
    histogram = image.convert("L").histogram()
    return sum(histogram[:BLANK_DARK_LEVEL]) / max(1, image.width * image.height)


def _effective_dpi(page: Any, page_width: float, page_height: float) -> int | None:
    import pypdfium2.raw as pdfium_c

    lowest: float | None = None
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        shown_w, shown_h = abs(right - left), abs(top - bottom)
        if shown_w * shown_h < 0.5 * page_width * page_height or shown_w <= 0 or shown_h <= 0:
            continue
        px_w, px_h = obj.get_px_size()
        dpi = min(px_w / (shown_w / 72), px_h / (shown_h / 72))
        lowest = dpi if lowest is None else min(lowest, dpi)
    return None if lowest is None else round(lowest)


def analyse_pdf(data: bytes, limits: Limits, progress: Progress | None = None) -> dict[str, Any]:
    pages, found = _structure(data, limits)
    if found or not pages:
        return {"pages": pages, "findings": found, "meta": {}}

    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        return {"pages": pages, "findings": [finding("BROKEN", detail=_short(exc))], "meta": {}}
    meta: dict[str, Any] = {"colour": [], "blank": [], "dpi": [], "rotation": [], "landscape": []}
    scale = limits.dpi / 72
    try:
        total = len(document)
        for index in range(total):
            number = index + 1
            page = document[index]
            try:
                width, height = page.get_size()
                rotation = page.get_rotation() % 360
                shown_w, shown_h = (height, width) if rotation in (90, 270) else (width, height)
                dpi = _effective_dpi(page, width, height)
                image = page.render(scale=scale, may_draw_forms=False).to_pil()
            finally:
                page.close()
            blank = _dark_fraction(image) < BLANK_FRACTION
            colour = _chroma_fraction(image) >= COLOUR_FRACTION
            landscape = shown_w > shown_h * LANDSCAPE_SLACK
            meta["colour"].append(colour)
            meta["blank"].append(blank)
            meta["dpi"].append(dpi)
            meta["rotation"].append(rotation)
            meta["landscape"].append(landscape)
            if blank:
                found.append(finding("BLANK-PAGE", page=number))
            elif not colour:
                found.append(finding("GREYSCALE", page=number))
            if rotation:
                found.append(finding("ROTATED", page=number, rotation=rotation))
            elif landscape:
                found.append(finding("LANDSCAPE", page=number))
            if dpi is not None and dpi < limits.min_dpi:
                found.append(finding("LOW-RESOLUTION", page=number, dpi=dpi, minimum=limits.min_dpi))
            if progress is not None:
                progress(number, total)
    except pdfium.PdfiumError as exc:
        found.append(finding("BROKEN", detail=_short(exc)))
    finally:
        document.close()
    return {"pages": pages, "findings": found, "meta": meta}


# -- ID photo -------------------------------------------------------------------------------------


def analyse_photo(data: bytes, limits: Limits) -> dict[str, Any]:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt, (width, height) = probe.format, probe.size
            if width * height > limits.max_pixels:
                bomb = finding("BOMB", detail=f"{width}×{height} px")
                return {"pages": None, "findings": [bomb], "meta": {}}
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", (400, 560))
            image = opened.convert("RGB")
    except Image.DecompressionBombError:
        bomb = finding("BOMB", detail=("像素过多", "too many pixels"))
        return {"pages": None, "findings": [bomb], "meta": {}}
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return {"pages": None, "findings": [finding("PHOTO-UNREADABLE", detail=_short(exc))], "meta": {}}
    found: list[Finding] = []
    if fmt not in ("JPEG", "PNG") or content_type_of(data) not in ("image/jpeg", "image/png"):
        found.append(finding("PHOTO-UNREADABLE", detail=str(fmt)))
    ratio = width / height
    if abs(ratio - PHOTO_RATIO) > PHOTO_RATIO_TOLERANCE:
        found.append(finding("PHOTO-PROPORTIONS", ratio=f"{ratio:.3f}"))
    white = _border_white_fraction(image)
    if white < PHOTO_WHITE_FRACTION:
        found.append(finding("PHOTO-BACKGROUND"))
    colour = _chroma_fraction(image) >= COLOUR_FRACTION
    if not colour:
        found.append(finding("PHOTO-GREYSCALE"))
    min_w, min_h = PHOTO_MIN_SIZE
    if (width < min_w or height < min_h) and not has_errors(found):
        found.append(finding("PHOTO-SMALL", width=width, height=height, min_width=min_w, min_height=min_h))
    meta = {"width": width, "height": height, "format": fmt, "white_border": round(white, 3)}
    meta["colour"] = colour
    return {"pages": None, "findings": found, "meta": meta}


def _border_white_fraction(image: Any) -> float:
    """Share of near-white pixels in the top strip and the upper halves of the side strips."""
    small = image.resize((100, 140))
    pixels = small.load()
    border = [(x, y) for y in range(8) for x in range(100)]
    border += [(x, y) for y in range(8, 70) for x in (*range(8), *range(92, 100))]
    white = sum(1 for x, y in border if min(pixels[x, y]) >= PHOTO_WHITE_LEVEL)
    return white / len(border)
