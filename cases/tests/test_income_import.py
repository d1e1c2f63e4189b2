"""The income import parser (issue 10, item 6; APP-INCOME-RECENT, REN-INCOME-3Y): each accepted
format of the tax bureau's printout, CSV and XLSX, and each per-line error naming line and column."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from cases import income_import as ii

TODAY = date(2026, 1, 15)
WINDOW = [date(2025, m, 1) for m in range(1, 13)]


def preview(text: str, window: list[date] = WINDOW) -> ii.IncomePreview:
    lines, skipped = ii.split_text(text)
    result = ii.check(lines, window=window, today=TODAY)
    result.skipped = skipped
    return result


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2025-01", date(2025, 1, 1)),
        ("2025/1", date(2025, 1, 1)),
        ("2025.03", date(2025, 3, 1)),
        ("2025年01月", date(2025, 1, 1)),
        ("2025年1月", date(2025, 1, 1)),
        ("202507", date(2025, 7, 1)),
        ("２０２５－０８", date(2025, 8, 1)),  # full-width, as some printouts copy
        ("2025-09-30", date(2025, 9, 1)),
        (datetime(2025, 10, 1), date(2025, 10, 1)),
        (202511, date(2025, 11, 1)),
    ],
)
def test_month_formats_are_tolerated(month, expected):
    assert ii.parse_month(month, today=TODAY) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("12000", (12000, False)),
        ("12,000", (12000, False)),
        ("¥12,345.00", (12345, False)),
        ("￥ 12,345.67", (12345, True)),
        ("12345.6元", (12345, True)),
        ("0", (0, False)),
        ("0.00", (0, False)),
        (18000, (18000, False)),
        (18000.5, (18000, True)),
    ],
)
def test_amount_formats_are_tolerated(amount, expected):
    assert ii.parse_amount(amount) == expected


def test_a_tab_separated_printout_with_heading_and_total_gives_every_month():
    months = "".join(f"2025-{m:02d}\t18,000.00\n" for m in range(1, 13))
    text = "税款所属期\t收入额\n" + months + "合计\t216,000.00\n"
    result = preview(text)
    assert result.ok
    assert [r.month for r in result.rows] == WINDOW
    assert {r.amount for r in result.rows} == {18000}
    assert result.skipped == [1, 14]
    assert result.missing == []


def test_space_separated_lines_with_year_and_month_apart_and_currency_apart():
    result = preview("2025年 01月 ¥ 12,000.00\n2025 02 13000 元\n202503    14000")
    assert result.ok
    assert [(r.month, r.amount) for r in result.rows] == [
        (date(2025, 1, 1), 12000),
        (date(2025, 2, 1), 13000),
        (date(2025, 3, 1), 14000),
    ]
    assert result.missing == WINDOW[3:]


def errors(result: ii.IncomePreview) -> list[tuple[int, int]]:
    return [(e.line, e.column) for e in result.errors]


def test_month_outside_the_window_is_an_error_on_its_line_and_month_column():
    result = preview("2025-01 100\n2024-12 100")
    assert errors(result) == [(2, ii.MONTH_COLUMN)]
    assert "2024-12" in result.errors[0].message and "2025-01 至 2025-12" in result.errors[0].message
    assert not result.ok
    # The good line is still previewed; nothing is dropped silently.
    assert [r.line for r in result.rows] == [1]


def test_a_month_given_twice_is_an_error_on_the_later_line_naming_the_first():
    result = preview("2025-01 100\n2025-02 100\n2025/1 200")
    assert errors(result) == [(3, ii.MONTH_COLUMN)]
    assert "第 1 行" in result.errors[0].message


@pytest.mark.parametrize("month", ["2025-13", "2025-00", "202500", "2025年13月"])
def test_an_impossible_month_is_an_error(month):
    result = preview(f"{month} 100")
    assert errors(result) == [(1, ii.MONTH_COLUMN)]
    assert "不存在" in result.errors[0].message


def test_a_month_not_yet_over_is_an_error():
    # TODAY is in January 2026: January 2026 is not over; December 2025 is the last month allowed.
    result = ii.check(ii.split_text("2026-01 100\n2025-12 100")[0], window=[], today=TODAY)
    assert errors(result) == [(1, ii.MONTH_COLUMN)]


def test_an_unreadable_month_is_an_error():
    result = preview("Jan-25 100")
    assert errors(result) == [(1, ii.MONTH_COLUMN)]
    assert "无法识别" in result.errors[0].message


@pytest.mark.parametrize(
    ("amount", "word"),
    [
        ("-100", "负数"),
        ("(1,000.00)", "负数"),
        ("abc", "不是数字"),
        ("12.345", "两位小数"),
        ("1e5", "不是数字"),
    ],
)
def test_a_bad_amount_is_an_error_on_the_amount_column(amount, word):
    result = preview(f"2025-01 {amount}")
    assert errors(result) == [(1, ii.AMOUNT_COLUMN)]
    assert word in result.errors[0].message


def test_a_missing_amount_is_an_error():
    result = preview("2025-01\n2025-02 100")
    assert errors(result) == [(1, ii.AMOUNT_COLUMN)]


def test_both_columns_wrong_gives_two_errors_on_the_line():
    result = preview("2025-01 100\n\n2025-13 -5")
    assert errors(result) == [(3, ii.MONTH_COLUMN), (3, ii.AMOUNT_COLUMN)]


def test_nothing_readable_is_an_error():
    result = preview("月份 金额\n")
    assert not result.ok and errors(result) == [(0, 0)]


def test_the_table_keeps_every_line_with_its_errors_beside_it():
    result = preview("2025-01 100\n2025-01 x")
    table = result.table
    assert [t["line"] for t in table] == [1, 2]
    assert table[1]["month_errors"] and table[1]["amount_errors"]
    assert table[0]["row"].amount == 100


# --- files ---------------------------------------------------------------------------------------


def test_csv_utf8_with_bom_and_quoted_amounts():
    data = '\ufeff月份,金额\n2025-01,"12,000.00"\n2025-02,13000\n'.encode()
    text = ii.read_upload(data)
    result = preview(text)
    assert result.ok and [r.amount for r in result.rows] == [12000, 13000]
    # Line numbers are the file's rows: the heading is row 1.
    assert [r.line for r in result.rows] == [2, 3]


def test_csv_in_gb18030_with_semicolons():
    data = "月份;收入\n2025年01月;12000元\n".encode("gb18030")
    result = preview(ii.read_upload(data))
    assert result.ok and result.rows[0].month == date(2025, 1, 1)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_dates_numbers_and_text():
    data = xlsx(
        [["月份", "金额"], [datetime(2025, 1, 1), 12000], ["2025-02", "13,000.50"], [202503, 14000.0]]
    )
    result = preview(ii.read_upload(data))
    assert result.ok
    assert [(r.line, r.month, r.amount) for r in result.rows] == [
        (2, date(2025, 1, 1), 12000),
        (3, date(2025, 2, 1), 13000),
        (4, date(2025, 3, 1), 14000),
    ]


def test_xlsx_formulas_are_not_evaluated_but_reported():
    data = xlsx([["2025-01", 12000], ["2025-02", "=B1*100"]])
    result = preview(ii.read_upload(data))
    assert errors(result) == [(2, ii.AMOUNT_COLUMN)]
    assert "公式" in result.errors[0].message


def test_an_old_xls_is_refused_by_its_bytes_whatever_its_name():
    with pytest.raises(ii.ImportRefused, match="xls"):
        ii.read_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


def test_a_pdf_or_binary_is_refused():
    with pytest.raises(ii.ImportRefused):
        ii.read_upload(b"%PDF-1.7\n...")
    with pytest.raises(ii.ImportRefused):
        ii.read_upload(b"2025-01\x00 100")


def test_a_too_big_file_is_refused():
    with pytest.raises(ii.ImportRefused, match="过大"):
        ii.read_upload(b"2025-01 100\n" * (ii.MAX_UPLOAD_BYTES // 10))


def test_a_zip_that_is_not_a_workbook_or_unpacks_too_big_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("hello.txt", "x")
    with pytest.raises(ii.ImportRefused):
        ii.read_upload(out.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (ii.MAX_UNPACKED_BYTES + 1))
    assert len(bomb.getvalue()) < ii.MAX_UPLOAD_BYTES
    with pytest.raises(ii.ImportRefused, match="过大"):
        ii.read_upload(bomb.getvalue())


def test_a_damaged_xlsx_is_refused():
    with pytest.raises(ii.ImportRefused):
        ii.read_upload(b"PK\x03\x04garbage")


def test_too_many_rows_are_refused():
    with pytest.raises(ii.ImportRefused, match="行数"):
        ii.read_upload(("2025-01,1\n" * (ii.MAX_LINES + 1)).encode())
