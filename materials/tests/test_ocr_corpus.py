"""OCR of generated scans (issue 13): slow (seconds per page), run by `make ocr-corpus`, not `make test`.

The full figures on ≥ 200 pages are `make bench-ocr`; these tests keep the floor: a scanned 1-page
and 2-page record read through the sandboxed worker with every month and amount right and nothing
invented; hostile pages (blank, another document) give no rows.
"""

from __future__ import annotations

import pytest

from materials import conf
from materials.checks.runner import run_checks
from materials.ocr import corpus

pytestmark = [pytest.mark.slow, pytest.mark.ocr]


def _read(sample: corpus.Sample) -> dict:
    result = run_checks(sample.pdf, "INCOME-RECORDS", conf.extract_limits(), extract=True, ocr_dpi=150)
    assert not result.get("error"), result
    return result


@pytest.mark.parametrize(("seed", "pages"), [(21, 1), (22, 2)])
def test_a_scanned_record_is_read_month_by_month(seed, pages):
    sample = corpus.sample(seed, months=36, pages=pages)
    result = _read(sample)
    got = {r["month"]["value"]: r for r in result["rows"]}
    assert len(result["rows"]) == len(got)  # no month twice: nothing invented
    assert set(got) == {t["month"] for t in sample.expected_rows}
    wrong = [t["month"] for t in sample.expected_rows if got[t["month"]]["amount"]["value"] != t["amount"]]
    assert len(wrong) <= 1, wrong
    assert all(p["seal"] for p in result["pages"])  # DOC-STAMPED hint
    assert len(result["previews"]) == pages


@pytest.mark.parametrize("hostile", ["blank", "wrong"])
def test_hostile_pages_give_no_invented_rows(hostile):
    sample = corpus.sample(23, months=6, pages=1, hostile=hostile)
    result = _read(sample)
    months = {r["month"]["value"] for r in result["rows"]}
    assert months <= {t["month"] for t in sample.expected_rows}


@pytest.mark.parametrize("hostile", ["rotate90", "rotate180"])
def test_a_turned_page_is_read_upright_with_boxes_on_the_stored_page(hostile):
    sample = corpus.sample(77, months=12, pages=1, hostile=hostile)
    result = _read(sample)
    assert [r["month"]["value"] for r in result["rows"]] == [t["month"] for t in sample.expected_rows]
    assert result["pages"][0]["rotated"] in (90, 180, 270)
    x0, y0, x1, y1 = result["rows"][0]["amount"]["box"]
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
