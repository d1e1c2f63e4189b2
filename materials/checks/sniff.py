"""Cheap checks on the raw bytes, safe to run in the web process (no parsing, no decoding).

The type is read from the content, never from the name or the browser's claim. A file whose name
claims another type (a JPEG renamed .pdf) is refused, and so is a polyglot: a file that is also a ZIP
archive or an HTML page (DOC-FORMAT; such files are a known way to smuggle content past viewers).
"""

from __future__ import annotations

import re

from materials.checks.findings import Finding, finding

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
PHOTO_MATERIALS = frozenset({"ID-PHOTO"})

_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
_EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "jpe": JPEG, "png": PNG}
_TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html[\s>]|script[\s>]|iframe[\s>]|body[\s>]|svg[\s>])", re.I)
_ZIP_END = b"PK\x05\x06"
_ZIP_LOCAL = b"PK\x03\x04"
# Some producers write a few bytes after the last %%EOF; more than this is another file riding along.
TRAILING_SLACK = 1024


def content_type_of(data: bytes) -> str:
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return ""


def _trailing_after(data: bytes, marker: bytes) -> int:
    end = data.rfind(marker)
    if end < 0:
        return 0
    return len(data[end + len(marker) :].strip(b"\r\n\t \x00"))


def polyglot(data: bytes, content_type: str) -> str | tuple[str, str]:
    """What else the file is (`ZIP`, `HTML`, trailing data as a (zh, en) pair), or '' when nothing."""
    if _ZIP_END in data[-65_600:] or _ZIP_LOCAL in data[:1024]:
        return "ZIP"
    if _HTML.search(data):
        return "HTML"
    if content_type == PDF and _trailing_after(data, b"%%EOF") > TRAILING_SLACK:
        return ("PDF 结尾后的附加数据", "data after the end of the PDF")
    if content_type == PNG and _trailing_after(data, b"IEND\xaeB`\x82") > 0:
        return ("PNG 结尾后的附加数据", "data after the end of the PNG")
    if content_type == JPEG and _trailing_after(data, b"\xff\xd9") > TRAILING_SLACK:
        return ("JPEG 结尾后的附加数据", "data after the end of the JPEG")
    return ""


def sniff(data: bytes, material: str, name: str, max_bytes: int) -> tuple[str, list[Finding]]:
    """(content type, blocking findings). No findings means the file may be stored and checked."""
    if not data:
        return "", [finding("EMPTY")]
    if len(data) > max_bytes:
        return "", [
            finding(
                "TOO-LARGE",
                size_mb=round(len(data) / 1048576, 1),
                limit_mb=round(max_bytes / 1048576, 1),
            )
        ]
    content_type = content_type_of(data)
    allowed = {JPEG, PNG} if material in PHOTO_MATERIALS else {PDF}
    if content_type not in allowed:
        return "", [finding("TYPE-PHOTO" if material in PHOTO_MATERIALS else "TYPE-PDF")]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = _EXTENSIONS.get(extension)
    if claimed is not None and claimed != content_type:
        return "", [finding("NAME-MISMATCH", actual=_TYPE_NAMES[content_type], extension=extension)]
    other = polyglot(data, content_type)
    if other:
        return "", [finding("POLYGLOT", what=other)]
    return content_type, []
