"""Files for the upload-check tests, built at test time (reportlab, pikepdf, pillow).

Good scans (colour, greyscale, blank, rotated, landscape, low resolution), ID photos, and a hostile
corpus: truncated, encrypted, 3,000 pages, decompression bombs, JavaScript and other active content,
a JPEG renamed .pdf, polyglots (PDF + ZIP, PDF + HTML) and an empty file.
"""

from __future__ import annotations

import functools
import io
import zipfile
import zlib

import pikepdf
from PIL import Image, ImageChops, ImageDraw
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def page_image(width: int, height: int, *, colour: bool = True, blank: bool = False) -> Image.Image:
    """A scanned page: slightly tinted paper, lines of 'text' and a red seal (when in colour)."""
    image = Image.new("RGB", (width, height), (250, 248, 240) if colour else (250, 250, 250))
    if not blank:
        draw = ImageDraw.Draw(image)
        margin = width // 12
        for y in range(margin, height - margin * 3, max(8, height // 40)):
            draw.line((margin, y, width - margin, y), fill=(35, 35, 40), width=max(1, width // 300))
        seal = width // 4
        draw.ellipse(
            (width - margin - seal, height - margin - seal, width - margin, height - margin),
            outline=(200, 30, 30),
            width=max(2, width // 120),
        )
    return image.convert("L") if not colour else image


def scan_pdf(
    pages: int = 1,
    *,
    dpi: int = 150,
    colour: bool = True,
    blank_pages: tuple[int, ...] = (),
    landscape_pages: tuple[int, ...] = (),
    quality: int = 75,
    grain: float = 0,
) -> bytes:
    """A PDF of JPEG page scans at `dpi` (pages numbered from 1 in `blank_pages` etc.); `grain` adds
    scanner noise of that standard deviation, as real scans have (and which makes JPEGs larger)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        size = landscape(A4) if number in landscape_pages else A4
        pdf.setPageSize(size)
        width, height = int(size[0] / 72 * dpi), int(size[1] / 72 * dpi)
        image = page_image(width, height, colour=colour, blank=number in blank_pages)
        if grain:
            noise = Image.effect_noise((width, height), grain).convert(image.mode)
            image = ImageChops.add(image, noise, 1.0, -128)
        encoded = io.BytesIO()
        image.save(encoded, "JPEG", quality=quality)
        encoded.seek(0)
        pdf.drawImage(ImageReader(encoded), 0, 0, size[0], size[1])
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def rotated_pdf(rotation: int = 90) -> bytes:
    with pikepdf.open(io.BytesIO(scan_pdf(1, dpi=60))) as pdf:
        pdf.pages[0].Rotate = rotation
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def text_pdf(pages: int = 1) -> bytes:
    """A born-digital PDF (no images), black text only: greyscale by rendering."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(pages):
        pdf.drawString(72, 760, f"Page {number + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def photo(
    width: int = 295,
    height: int = 413,
    *,
    background: tuple[int, int, int] = (255, 255, 255),
    colour: bool = True,
    fmt: str = "JPEG",
) -> bytes:
    """A 1-inch ID photo: a head and shoulders on a plain background."""
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.3, height * 0.18, width * 0.7, height * 0.62), fill=(224, 180, 150))
    draw.rectangle((width * 0.12, height * 0.68, width * 0.88, height), fill=(30, 50, 120))
    if not colour:
        image = image.convert("L")
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


# -- the hostile corpus ---------------------------------------------------------------------------


def truncated_pdf() -> bytes:
    data = scan_pdf(2, dpi=60)
    return data[: len(data) // 2]


def encrypted_pdf() -> bytes:
    with pikepdf.open(io.BytesIO(scan_pdf(1, dpi=60))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return out.getvalue()


def owner_only_encrypted_pdf() -> bytes:
    """Opens without a password but is still encrypted (permissions): refused too."""
    with pikepdf.open(io.BytesIO(scan_pdf(1, dpi=60))) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="", owner="owner"))
    return out.getvalue()


def many_pages_pdf(pages: int = 3000) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    first = pdf.pages[0]
    for _ in range(pages - 1):
        pdf.pages.append(first)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _one_page(content: bytes = b"BT /F1 12 Tf 72 760 Td (x) Tj ET") -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[0].Contents = pdf.make_stream(content)
    return pdf


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def huge_image_pdf(side: int = 100_000) -> bytes:
    """An image XObject declaring side × side pixels (10 gigapixels): a decompression bomb."""
    pdf = _one_page(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    image = pikepdf.Stream(pdf, zlib.compress(b"\xff" * 3000))
    image.Type = pikepdf.Name.XObject
    image.Subtype = pikepdf.Name.Image
    image.Width = side
    image.Height = side
    image.ColorSpace = pikepdf.Name.DeviceRGB
    image.BitsPerComponent = 8
    image.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    return _save(pdf)


@functools.lru_cache(maxsize=4)
def flate_bomb_pdf(inflated_mb: int = 400) -> bytes:
    """A content stream of a few hundred kB that inflates to `inflated_mb` MB of spaces."""
    compressor = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(inflated_mb)]
    parts.append(compressor.flush())
    pdf = _one_page()
    stream = pikepdf.Stream(pdf, b"".join(parts))
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = stream
    return _save(pdf)


def javascript_pdf() -> bytes:
    pdf = _one_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    return _save(pdf)


def names_javascript_pdf() -> bytes:
    pdf = _one_page()
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)"))
    action = pdf.make_indirect(script)
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["a", action])))
    return _save(pdf)


def launch_pdf() -> bytes:
    pdf = _one_page()
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 100, 100],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")),
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([annotation]))
    return _save(pdf)


def embedded_file_pdf() -> bytes:
    pdf = _one_page()
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ not really a program")
    return _save(pdf)


def xfa_pdf() -> bytes:
    pdf = _one_page()
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp/>"))
    return _save(pdf)


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    page_image(200, 280).save(out, "JPEG")
    return out.getvalue()


def polyglot_zip_pdf() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("index.html", "<p>hello</p>")
    return scan_pdf(1, dpi=60) + archive.getvalue()


def polyglot_html_pdf() -> bytes:
    return scan_pdf(1, dpi=60) + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def empty_file() -> bytes:
    return b""
