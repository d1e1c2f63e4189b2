"""DOC-FORMAT: what the checking worker finds in ordinary scans and photos (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from materials.checks.findings import ERROR, WARNING, finding
from materials.checks.runner import WorkerLimits, run_checks
from materials.checks.sniff import sniff
from materials.tests import hostile


def codes(result: dict[str, Any]) -> list[tuple[str, int | None]]:
    return [(item["code"], item["page"]) for item in result["findings"]]


def test_doc_format_colour_scan_passes_with_page_count() -> None:
    result = run_checks(hostile.scan_pdf(2, dpi=150), "LEASE")
    assert result["findings"] == []
    assert result["pages"] == 2
    assert result["meta"]["colour"] == [True, True]
    assert result["meta"]["dpi"] == [150, 150]


def test_doc_format_greyscale_scan_is_an_error_on_each_page() -> None:
    result = run_checks(hostile.scan_pdf(2, dpi=150, colour=False), "LEASE")
    assert codes(result) == [("GREYSCALE", 1), ("GREYSCALE", 2)]
    assert {item["severity"] for item in result["findings"]} == {ERROR}
    assert "彩色扫描件" in result["findings"][0]["message_zh"]
    assert "colour scan" in result["findings"][0]["message_en"]


def test_doc_format_blank_and_landscape_pages_are_warnings() -> None:
    result = run_checks(hostile.scan_pdf(3, dpi=150, blank_pages=(2,), landscape_pages=(3,)), "LEASE")
    assert codes(result) == [("BLANK-PAGE", 2), ("LANDSCAPE", 3)]
    assert {item["severity"] for item in result["findings"]} == {WARNING}


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_doc_format_rotated_page_is_a_warning(rotation: int) -> None:
    result = run_checks(hostile.rotated_pdf(rotation), "LEASE")
    rotated = [item for item in result["findings"] if item["code"] == "ROTATED"]
    assert len(rotated) == 1
    assert rotated[0]["severity"] == WARNING
    assert f"{rotation} 度" in rotated[0]["message_zh"]


def test_doc_format_low_resolution_warning_at_the_bound() -> None:
    low = run_checks(hostile.scan_pdf(1, dpi=149), "LEASE")
    assert codes(low) == [("LOW-RESOLUTION", 1)]
    assert "149 dpi" in low["findings"][0]["message_zh"]
    assert run_checks(hostile.scan_pdf(1, dpi=150), "LEASE")["findings"] == []


def test_doc_format_page_limit_at_the_bound() -> None:
    limits = WorkerLimits(max_pages=3)
    assert run_checks(hostile.text_pdf(3), "LEASE", limits)["pages"] == 3
    over = run_checks(hostile.text_pdf(4), "LEASE", limits)
    assert codes(over) == [("TOO-MANY-PAGES", None)]
    assert "共 4 页，超过上限 3 页" in over["findings"][0]["message_zh"]


def test_doc_format_progress_reported_per_page() -> None:
    seen: list[tuple[int, int]] = []
    run_checks(
        hostile.scan_pdf(3, dpi=72), "LEASE", on_progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


# -- ID photo --------------------------------------------------------------------------------------


def test_doc_format_id_photo_good_jpeg_and_png() -> None:
    assert run_checks(hostile.photo(), "ID-PHOTO")["findings"] == []
    assert run_checks(hostile.photo(fmt="PNG"), "ID-PHOTO")["findings"] == []


@pytest.mark.parametrize(
    ("width", "height", "ok"),
    [
        (295, 413, True),
        (300, 413, True),
        (311, 413, True),
        (312, 413, False),
        (279, 413, True),
        (278, 413, False),
        (413, 295, False),
    ],
)
def test_doc_format_id_photo_one_inch_proportions(width: int, height: int, ok: bool) -> None:
    """25 × 35 mm: width / height ≈ 0.714 within ± 0.04 (0.674 … 0.754)."""
    found = [item["code"] for item in run_checks(hostile.photo(width, height), "ID-PHOTO")["findings"]]
    assert ("PHOTO-PROPORTIONS" not in found) is ok


def test_doc_format_id_photo_background_must_be_white() -> None:
    found = run_checks(hostile.photo(background=(120, 160, 220)), "ID-PHOTO")["findings"]
    assert [item["code"] for item in found] == ["PHOTO-BACKGROUND"]
    assert "白底" in found[0]["message_zh"]
    off_white = run_checks(hostile.photo(background=(235, 235, 232)), "ID-PHOTO")["findings"]
    assert off_white == []


def test_doc_format_id_photo_must_be_colour_and_large_enough() -> None:
    assert [i["code"] for i in run_checks(hostile.photo(colour=False), "ID-PHOTO")["findings"]] == [
        "PHOTO-GREYSCALE"
    ]
    small = run_checks(hostile.photo(150, 210), "ID-PHOTO")["findings"]
    assert [(i["code"], i["severity"]) for i in small] == [("PHOTO-SMALL", WARNING)]


def test_doc_format_id_photo_pdf_is_refused() -> None:
    assert [i["code"] for i in run_checks(hostile.scan_pdf(1, dpi=60), "ID-PHOTO")["findings"]] == [
        "TYPE-PHOTO"
    ]


# -- sniffing ----------------------------------------------------------------------------------------


def test_doc_format_sniff_type_by_content_not_name() -> None:
    pdf = hostile.scan_pdf(1, dpi=60)
    assert sniff(pdf, "LEASE", "lease.pdf", 10 << 20) == ("application/pdf", [])
    assert sniff(pdf, "LEASE", "no-extension", 10 << 20)[0] == "application/pdf"
    content_type, refused = sniff(pdf, "LEASE", "lease.jpg", 10 << 20)
    assert content_type == "" and refused[0]["code"] == "NAME-MISMATCH"
    assert "文件内容是 PDF" in refused[0]["message_zh"]
    photo = hostile.photo()
    assert sniff(photo, "ID-PHOTO", "me.pdf", 10 << 20)[1][0]["code"] == "NAME-MISMATCH"
    assert sniff(photo, "LEASE", "scan.pdf", 10 << 20)[1][0]["code"] == "TYPE-PDF"


def test_doc_format_sniff_size_limit_at_the_bound() -> None:
    pdf = hostile.scan_pdf(1, dpi=60)
    assert sniff(pdf, "LEASE", "a.pdf", len(pdf))[1] == []
    refused = sniff(pdf, "LEASE", "a.pdf", len(pdf) - 1)[1]
    assert refused[0]["code"] == "TOO-LARGE"


def test_doc_format_sniff_trailing_data_after_eof() -> None:
    pdf = hostile.scan_pdf(1, dpi=60)
    assert sniff(pdf + b"\n" * 10, "LEASE", "a.pdf", 10 << 20)[1] == []
    refused = sniff(pdf + b"x" * 2000, "LEASE", "a.pdf", 10 << 20)[1]
    assert refused[0]["code"] == "POLYGLOT"
    assert "PDF 结尾后的附加数据" in refused[0]["message_zh"]
    assert "data after the end of the PDF" in refused[0]["message_en"]


def test_finding_shape() -> None:
    item = finding("GREYSCALE", page=3)
    assert set(item) == {"code", "severity", "message_zh", "message_en", "page"}
    assert item["page"] == 3 and "第 3 页" in item["message_zh"] and "Page 3" in item["message_en"]
