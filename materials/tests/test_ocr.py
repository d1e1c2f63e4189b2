"""Reading income printouts (issue 13): structure from tokens, the text layer, seals, cross-checks.

Fast tests only (no OCR model): the scanned corpus is read in `test_ocr_corpus.py` (marked slow).
"""

from __future__ import annotations

import math
import random
from datetime import date
from typing import Any

import numpy as np
import pypdfium2 as pdfium

from materials.ocr import corpus, crosscheck, extract, structure
from materials.ocr.structure import Token


def _tokens_for(record: corpus.Record, *, skew_degrees: float = 0.0) -> list[Token]:
    """Tokens as an OCR engine would return them for a clean page, turned by `skew_degrees`."""
    theta = math.radians(skew_degrees)
    aspect = structure.A4_ASPECT

    def at(x: float, y: float, width: float, text: str, conf: float = 0.99) -> Token:
        cx, cy = x + width / 2, y * aspect
        rx = cx * math.cos(theta) - cy * math.sin(theta)
        ry = (cx * math.sin(theta) + cy * math.cos(theta)) / aspect
        return Token(text, (rx - width / 2, ry - 0.007, rx + width / 2, ry + 0.007), conf, skew_degrees)

    columns = corpus.INCOME_COLUMNS
    lefts = [0.06 + 0.1 * i for i in range(len(columns))]
    tokens = [at(0.35, 0.05, 0.3, corpus.INCOME_TITLE)]
    tokens += [at(lefts[i], 0.15, 0.06, name) for i, name in enumerate(columns)]
    for n, row in enumerate(record.rows):
        cells = corpus._cells(row, n + 1, "income")
        tokens += [at(lefts[i], 0.17 + 0.02 * n, 0.08, text) for i, text in enumerate(cells)]
    return tokens


def test_rows_from_tokens_read_every_month_amount_and_agent_of_a_skewed_page():
    record = corpus.make_record(random.Random(1), months=36)
    for skew in (-3.0, -1.2, 0.0, 1.7, 3.0):
        parsed = structure.rows_from_tokens(_tokens_for(record, skew_degrees=skew), 1)
        got = [(r["month"]["value"], r["amount"]["value"], r["agent"]["value"]) for r in parsed.rows]
        want = [(t["month"], t["amount"], t["agent"]) for t in (row.truth() for row in record.rows)]
        assert got == want, skew
        assert parsed.title == corpus.INCOME_TITLE


def test_text_outside_the_table_never_becomes_a_row():
    record = corpus.make_record(random.Random(2), months=3)
    tokens = _tokens_for(record)
    tokens.append(Token("打印日期：2026-01-05 合计 12,000.00", (0.1, 0.02, 0.5, 0.03), 0.99))
    tokens.append(Token("2025-03", (0.1, 0.9, 0.2, 0.91), 0.99))  # a month with no amount
    assert [r["month"]["value"] for r in structure.rows_from_tokens(tokens, 1).rows] == [
        row.truth()["month"] for row in record.rows
    ]


def test_a_thousands_separator_read_as_a_full_stop_is_still_the_amount():
    assert structure._numeric("33.191.91") == "33,191.91"
    assert structure._numeric("1.234.567.89") == "1,234,567.89"
    assert structure._numeric("3O,1O5.00") == "30,105.00"


def test_corrected_declarations_and_zero_months_are_read():
    record = corpus.make_record(random.Random(3), months=12, zero_month=True, corrected_month=True)
    rows = structure.rows_from_tokens(_tokens_for(record), 1).rows
    assert [r["corrected"]["value"] for r in rows] == [row.corrected for row in record.rows]
    assert [r["amount"]["value"] for r in rows].count("0.00") == 1


def test_the_text_layer_is_read_without_ocr_with_boxes_on_the_right_page():
    sample = corpus.sample(4, months=36, pages=3, text_layer=True)
    result = extract.extract(sample.pdf)
    assert result["engine"] == "text-layer"
    got = [(r["month"]["value"], r["amount"]["value"], r["agent"]["value"]) for r in result["rows"]]
    assert got == [(t["month"], t["amount"], t["agent"]) for t in sample.expected_rows]
    assert [r["month"]["page"] for r in result["rows"]] == [1] * 12 + [2] * 12 + [3] * 12
    for row in result["rows"]:
        x0, y0, x1, y1 = row["amount"]["box"]
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1


def test_the_tax_record_reads_income_and_tax_paid_apart():
    sample = corpus.sample(5, kind="tax", months=12, pages=1, text_layer=True)
    rows = extract.extract(sample.pdf)["rows"]
    assert [(r["amount"]["value"], r["tax"]["value"]) for r in rows] == [
        (t["amount"], t["tax"]) for t in sample.expected_rows
    ]
    assert {r["kind"] for r in rows} == {"tax"}


def _render(pdf: bytes, dpi: int) -> np.ndarray:
    document = pdfium.PdfDocument(pdf)
    return np.asarray(document[0].render(scale=dpi / 72).to_pil().convert("RGB"))


def test_doc_stamped_hint_finds_the_red_seal_and_its_absence():
    rng = random.Random(6)
    record = corpus.make_record(rng, months=6)
    stamped = corpus.images_to_pdf([corpus.scan(corpus.draw_page(record, 0, rng), rng)])
    bare = corpus.images_to_pdf([corpus.scan(corpus.draw_page(record, 0, rng, seal=False), rng)])
    hint = extract.seal_hint(_render(stamped, 50), 50)
    assert hint["seal"] is True
    x0, y0, _x1, _y1 = hint["seal_box"]
    assert x0 > 0.5 and y0 > 0.5  # bottom right, where it was put
    assert extract.seal_hint(_render(bare, 50), 50)["seal"] is False


def _row(month: str, amount: str, agent: str = "北京甲公司", corrected: bool = False) -> dict:
    cell = {"page": 1, "box": [0.1, 0.2, 0.2, 0.22], "conf": 0.99}
    return {
        "kind": "income",
        "month": {**cell, "value": month},
        "amount": {**cell, "value": amount},
        "agent": {**cell, "value": agent},
        "corrected": {**cell, "value": corrected},
    }


def test_crosscheck_findings_app_income_integrity_and_app_same_employer():
    rows = [
        _row("2025-07", "21000.40"),
        _row("2025-08", "21001.50"),  # 21001 yuan (jiao and fen dropped): differs from the 21000 entered
        _row("2025-08", "21000.00"),  # printed twice
        _row("2025-09", "0.00", corrected=True),
        _row("2025-10", "21000.00", agent="北京乙公司"),
    ]
    pages = [{"page": 1, "method": "ocr", "seal": False, "rows": 5}, {"page": 2, "method": "ocr", "rows": 0}]
    entered = {"2025-07": 21000, "2025-08": 21000, "2025-10": 21000}
    window = ["2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11"]
    findings = crosscheck.crosscheck(rows, pages, window=window, entered=entered, employer_name="北京甲公司")
    codes = [(f["code"], f["month"] or f["page"]) for f in findings]
    assert ("MONTH-MISSING", None) in [(f["code"], f["month"]) for f in findings]
    assert "2025-06、2025-11" in next(f["message_zh"] for f in findings if f["code"] == "MONTH-MISSING")
    assert ("MONTH-DUPLICATE", "2025-08") in codes
    assert ("AMOUNT-DIFFERS", "2025-08") in codes
    assert ("AMOUNT-DIFFERS", "2025-07") not in codes  # 21000.40 is 21000 yuan
    assert ("AMOUNT-ZERO", "2025-09") in codes and ("CORRECTED", "2025-09") in codes
    assert ("AGENT-OTHER", "2025-10") in codes
    assert ("STALE", None) in [(f["code"], f["month"]) for f in findings]
    assert ("NO-SEAL", 1) in codes and ("NO-TABLE", 2) in codes
    assert all(f["box"] for f in findings if f["code"] in ("AMOUNT-DIFFERS", "AGENT-OTHER"))
    assert {f["rule"] for f in findings} >= {"APP-INCOME-INTEGRITY", "APP-SAME-EMPLOYER", "DOC-STAMPED"}


def test_crosscheck_is_quiet_on_a_clean_record():
    rows = [_row(f"2025-{m:02d}", "21000.00") for m in range(5, 11)]
    pages = [{"page": 1, "method": "ocr", "seal": True, "rows": 6}]
    window = [f"2025-{m:02d}" for m in range(5, 11)]
    entered = dict.fromkeys(window, 21000)
    found = crosscheck.crosscheck(rows, pages, window=window, entered=entered, employer_name="北京甲公司")
    assert found == []


def test_yuan_rounds_half_up():
    assert crosscheck.yuan("21000.49") == 21000
    assert crosscheck.yuan("21000.50") == 21000  # jiao and fen dropped, as the income import does
    assert crosscheck.yuan("21000.99") == 21000
    assert crosscheck.yuan("1,234.00") == 1234
    assert crosscheck.yuan("x") is None


def test_corpus_is_deterministic_and_covers_the_hostile_cases():
    assert (
        corpus.sample(7, months=3, text_layer=True).expected_rows
        == corpus.sample(7, months=3, text_layer=True).expected_rows
    )
    wrong = corpus.sample(8, hostile="wrong", months=6)
    assert wrong.expected_rows == [] and wrong.pages == 1
    half = corpus.sample(9, hostile="half", months=12)
    assert 0 < len(half.expected_rows) < 12
    record = corpus.make_record(random.Random(1), months=36, last=date(2025, 12, 1))
    assert record.rows[0].month == date(2023, 1, 1)


def test_ocr_slips_in_separators_and_one_character_of_the_agent_are_mended():
    assert structure.normalise("2025·05") == "2025-05" and structure.normalise("2025一05-08") == "2025-05-08"
    assert structure.normalise("正常工资薪金一") == "正常工资薪金一"
    name = "北京西山生物医药有限责任公司"
    cell: dict[str, Any] = {"page": 1, "box": [0, 0, 1, 1], "conf": 0.95}
    rows = [{"agent": {**cell, "value": name}} for _ in range(3)]
    rows.append({"agent": {**cell, "value": "北京西山生物医药有限贺任公司"}})
    rows.append({"agent": {**cell, "value": "北京燕园数据服务有限公司"}})  # another company stays
    structure.agree_agents(rows)
    assert rows[3]["agent"]["value"] == name and rows[3]["agent"]["read"] == "北京西山生物医药有限贺任公司"
    assert rows[3]["agent"]["conf"] < 0.9
    assert rows[4]["agent"]["value"] == "北京燕园数据服务有限公司"


def test_a_reading_given_up_by_the_workers_is_marked_failed(db):
    from django.core.files.base import ContentFile

    from accounts.testing import make_user
    from materials.extraction import give_up_extraction
    from materials.models import Document, Extraction

    user = make_user()
    document = Document(
        material="INCOME-RECORDS",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=user,
    )
    document.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    extraction = Extraction.objects.create(document=document)
    give_up_extraction(str(document.public_id))
    extraction.refresh_from_db()
    assert extraction.status == "failed"
