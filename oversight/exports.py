"""XLSX (openpyxl, write-only) and CSV responses for supervisors' reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse
from openpyxl import Workbook

# Characters a spreadsheet may take as the start of a formula, including their full-width forms
# (Excel and WPS fold ＝＋－＠ to ASCII); checked after any leading white space, which they skip.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠", "|", "%")


def _cell(value: object) -> object:
    """Dates stay dates; text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, date | datetime | int | float):
        return value
    text = str(value)
    stripped = text.lstrip(" \u3000\u00a0")
    if text.startswith(FORMULA_START) or stripped.startswith(FORMULA_START):
        return "'" + text
    return text


def xlsx_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]]
) -> HttpResponse:
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese text as UTF-8
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([value.isoformat() if isinstance(value, date) else _cell(value) for value in row])
    return response
