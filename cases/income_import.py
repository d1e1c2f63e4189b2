"""Monthly income from the tax bureau's printout, a CSV or an XLSX file, without retyping
(issue 10, item 6; APP-INCOME-RECENT, REN-INCOME-3Y).

A small pure module: no database, no settings, no files on disk. It turns what was pasted or
uploaded into lines of (month, amount) cells, and checks those lines against the months the case
asks for, giving one error per line and column. The service (`cases.services.preview_income_lines`
and `accept_income_lines`) takes the same lines, so a reader of scans can feed the same preview.

Uploads are hostile: `read_upload` caps the size, sniffs the type from the bytes (never the name),
refuses what is neither CSV nor XLSX, caps the unpacked size of an XLSX and never evaluates a
formula (a formula cell is reported as an error on its line).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 256 * 1024
MAX_UNPACKED_BYTES = 8 * 1024 * 1024
MAX_LINES = 200
MAX_AMOUNT = 99_999_999
MONTH_COLUMN = 1
AMOUNT_COLUMN = 2

_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]?\s*\d{1,2}\s*日?)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)
_AMOUNT = re.compile(r"^(-)?(\d+)(?:\.(\d+))?$")
_CURRENCY = ("¥", "￥", "元", "RMB", "CNY", "人民币")
_TOTAL_WORDS = ("合计", "总计", "小计")


class ImportRefused(ValueError):
    """The upload cannot be read at all (too big, not CSV/XLSX, damaged); nothing was parsed."""

    def __init__(self, message: str) -> None:
        self.message = str(message)
        super().__init__(self.message)


@dataclass(frozen=True)
class RawLine:
    """One line as read: its number in the source (1-based) and its month and amount cells."""

    line: int
    month: object
    amount: object
    text: str = ""


@dataclass(frozen=True)
class LineError:
    """What is wrong on one line; `column` is 1 (month), 2 (amount) or 0 (the whole input)."""

    line: int
    column: int
    message: str

    @property
    def column_label(self) -> str:
        return {MONTH_COLUMN: _("月份"), AMOUNT_COLUMN: _("金额")}.get(self.column, "")


@dataclass(frozen=True)
class IncomeRow:
    """One month ready to be saved, in whole yuan (fractions of a yuan are not counted)."""

    line: int
    month: date
    amount: int
    fraction_dropped: bool = False


@dataclass
class IncomePreview:
    rows: list[IncomeRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    missing: list[date] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    window: list[date] = field(default_factory=list)
    lines: list[RawLine] = field(default_factory=list)

    @property
    def table(self) -> list[dict[str, Any]]:
        """One entry per line read, in input order: the cells as given, the month and amount that
        would be saved, and the errors of each column."""
        rows = {row.line: row for row in self.rows}
        out: list[dict[str, Any]] = []
        for line in self.lines:
            errors = self.errors_on(line.line)
            out.append(
                {
                    "line": line.line,
                    "month_text": _cell_text(line.month) if line.month is not None else "",
                    "amount_text": _cell_text(line.amount) if line.amount is not None else "",
                    "row": rows.get(line.line),
                    "month_errors": [e.message for e in errors if e.column == MONTH_COLUMN],
                    "amount_errors": [e.message for e in errors if e.column == AMOUNT_COLUMN],
                }
            )
        return out

    @property
    def general_errors(self) -> list[LineError]:
        return [e for e in self.errors if e.line == 0]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def errors_on(self, line: int) -> list[LineError]:
        return [e for e in self.errors if e.line == line]


# --- reading -------------------------------------------------------------------------------------


def _cells_of(text: str) -> list[str]:
    if "\t" in text:
        return [c.strip() for c in text.split("\t") if c.strip()]
    return text.split()


def _is_header_or_total(cells: Sequence[object]) -> bool:
    """A heading line has no digit at all; a totals line starts with 合计/总计/小计."""
    joined = "".join(str(c) for c in cells if c is not None)
    if not re.search(r"\d", unicodedata.normalize("NFKC", joined)):
        return True
    first = str(cells[0]).strip() if cells else ""
    return first.startswith(_TOTAL_WORDS)


def split_text(text: str) -> tuple[list[RawLine], list[int]]:
    """Pasted text: one month a line, month then amount, separated by tabs or spaces.
    Returns the lines and the numbers of the lines skipped (headings, totals)."""
    lines: list[RawLine] = []
    skipped: list[int] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if not raw.strip():
            continue
        cells = _cells_of(raw)
        if _is_header_or_total(cells):
            skipped.append(number)
            continue
        month = cells[0]
        amount = "".join(cells[1:]) if len(cells) > 1 else None
        # "2025年 01月 12,000" or "2025 01 12000": a year and a month given as two cells.
        if len(cells) > 2 and re.fullmatch(r"\d{4}年?", cells[0]) and re.fullmatch(r"\d{1,2}月?", cells[1]):
            month = f"{cells[0].rstrip('年')}-{cells[1].rstrip('月')}"
            amount = "".join(cells[2:])
        lines.append(RawLine(number, month, amount, raw.strip()))
    return lines, skipped


def lines_as_text(lines: Iterable[RawLine], count: int) -> str:
    """The cells read from a file as editable text, one line per row of the file (so the line
    numbers of the preview are the file's row numbers): month, a tab, amount."""
    by_number = {line.line: line for line in lines}
    out = []
    for number in range(1, count + 1):
        line = by_number.get(number)
        if line is None:
            out.append("")
            continue
        out.append("\t".join(_cell_text(v) for v in (line.month, line.amount) if v not in (None, "")))
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _cell_text(value: object) -> str:
    if isinstance(value, datetime | date):
        return f"{value:%Y-%m}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sniff(data: bytes) -> str:
    """'xlsx' or 'csv' from the bytes themselves; anything else is refused."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            _("文件过大（上限 %(kb)d KB），请只保留月份和金额两列。") % {"kb": MAX_UPLOAD_BYTES // 1024}
        )
    if not data.strip():
        raise ImportRefused(_("文件是空的。"))
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(_("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 .csv 后再导入。"))
    if b"\x00" in data or data.startswith(b"%PDF"):
        raise ImportRefused(_("只能导入 CSV 或 XLSX 表格文件；扫描件请作为材料上传。"))
    return "csv"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(_("无法识别文件的文字编码，请另存为 UTF-8 编码的 CSV。"))


def read_csv(data: bytes) -> tuple[list[RawLine], int]:
    """Rows of a CSV (comma, semicolon or tab): the first cell is the month, the first non-empty
    cell after it the amount. Returns the lines and the number of rows read."""
    text = _decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines: list[RawLine] = []
    count = 0
    for count, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if count > MAX_LINES:
            raise ImportRefused(_("行数过多（上限 %(n)d 行）。") % {"n": MAX_LINES})
        cells = [c.strip() for c in row]
        if not any(cells) or _is_header_or_total([c for c in cells if c]):
            continue
        rest = [c for c in cells[1:] if c]
        lines.append(RawLine(count, cells[0], rest[0] if rest else None, ",".join(cells)))
    return lines, count


def read_xlsx(data: bytes) -> tuple[list[RawLine], int]:
    """The first sheet of an XLSX workbook, read as stored: formulas are not evaluated (a formula
    cell comes back as its text and is reported as an error); the unpacked size is capped."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" not in names:
                raise ImportRefused(_("只能导入 CSV 或 XLSX 表格文件；扫描件请作为材料上传。"))
            if len(names) > 500 or sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportRefused(_("表格文件解压后过大，请只保留月份和金额两列。"))
    except zipfile.BadZipFile as exc:
        raise ImportRefused(_("文件已损坏，无法读取。")) from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or crafted file
        raise ImportRefused(_("文件已损坏，无法读取。")) from exc
    lines: list[RawLine] = []
    count = 0
    try:
        sheet = workbook.worksheets[0]
        for count, row in enumerate(sheet.iter_rows(max_col=12, values_only=True), start=1):
            if count > MAX_LINES:
                raise ImportRefused(_("行数过多（上限 %(n)d 行）。") % {"n": MAX_LINES})
            cells = [c.strip() if isinstance(c, str) else c for c in row]
            present = [c for c in cells if c not in (None, "")]
            if not present or _is_header_or_total(present):
                continue
            rest = [c for c in cells[1:] if c not in (None, "")]
            lines.append(RawLine(count, cells[0], rest[0] if rest else None))
    finally:
        workbook.close()
    return lines, count


def read_upload(data: bytes) -> str:
    """An uploaded file as editable text (see `lines_as_text`); raises ImportRefused."""
    kind = sniff(data)
    lines, count = read_xlsx(data) if kind == "xlsx" else read_csv(data)
    return lines_as_text(lines, count)


# --- checking ------------------------------------------------------------------------------------


def _previous_month(today: date) -> date:
    first = today.replace(day=1)
    return date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)


def parse_month(value: object, *, today: date) -> date | str:
    """A month or the message saying why it is not one."""
    if isinstance(value, datetime | date):
        month = date(value.year, value.month, 1)
    else:
        if value is None or str(value).strip() == "":
            return _("缺少月份。")
        text = unicodedata.normalize("NFKC", _cell_text(value)).replace(" ", "")
        if text.startswith("="):
            return _("该单元格是公式，系统不计算公式，请改为月份文字，如 2025-01。")
        for pattern in _MONTH_PATTERNS:
            match = pattern.match(text)
            if match:
                year, number = int(match.group(1)), int(match.group(2))
                break
        else:
            return _("无法识别月份“%(value)s”，请写成 2025-01、2025年01月 或 202501。") % {"value": text[:20]}
        if not 1 <= number <= 12 or year < 1950:
            return _("月份“%(value)s”不存在。") % {"value": text[:20]}
        month = date(year, number, 1)
    if month > _previous_month(today):
        return _("%(month)s 尚未结束，不能填写该月收入。") % {"month": f"{month:%Y-%m}"}
    return month


def parse_amount(value: object) -> tuple[int, bool] | str:
    """Whole yuan and whether a fraction was dropped, or the message saying what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return _("缺少金额（没有收入请填 0）。")
    if isinstance(value, bool):
        return _("金额“%(value)s”不是数字。") % {"value": value}
    if isinstance(value, int | float | Decimal):
        text = str(Decimal(str(value)))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.startswith("="):
        return _("该单元格是公式，系统不计算公式，请改为数值。")
    cleaned = text
    for mark in _CURRENCY:
        cleaned = cleaned.replace(mark, "")
    cleaned = cleaned.replace(",", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = "-" + cleaned[1:-1]
    match = _AMOUNT.match(cleaned)
    if not match:
        return _("金额“%(value)s”不是数字。") % {"value": text[:20]}
    if match.group(1):
        return _("金额不能为负数。")
    fraction = match.group(3) or ""
    if len(fraction) > 2:
        return _("金额最多保留两位小数。")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern already matched
        return _("金额“%(value)s”不是数字。") % {"value": text[:20]}
    if amount > MAX_AMOUNT:
        return _("金额过大，请核对。")
    return int(amount), amount != int(amount)


def check(lines: Sequence[RawLine], *, window: Sequence[date], today: date) -> IncomePreview:
    """Each line against the months the case asks for (`window`, first day of each month): every
    error names its line and column; a month given twice is an error on the later line; months of
    the window given on no line are listed (not an error: they can be typed on the income page)."""
    preview = IncomePreview(window=list(window), lines=list(lines))
    if len(lines) > MAX_LINES:
        preview.errors.append(LineError(0, 0, _("行数过多（上限 %(n)d 行）。") % {"n": MAX_LINES}))
        return preview
    allowed = set(window)
    seen: dict[date, int] = {}
    span = {"first": f"{min(window):%Y-%m}", "last": f"{max(window):%Y-%m}"} if window else {}
    for line in lines:
        month = parse_month(line.month, today=today)
        amount = parse_amount(line.amount)
        line_errors = []
        if isinstance(month, str):
            line_errors.append(LineError(line.line, MONTH_COLUMN, month))
        elif allowed and month not in allowed:
            line_errors.append(
                LineError(
                    line.line,
                    MONTH_COLUMN,
                    _("%(month)s 不在需填写的期间（%(first)s 至 %(last)s）内。")
                    % {"month": f"{month:%Y-%m}", **span},
                )
            )
        elif month in seen:
            line_errors.append(
                LineError(
                    line.line,
                    MONTH_COLUMN,
                    _("%(month)s 与第 %(other)d 行重复。")
                    % {"month": f"{month:%Y-%m}", "other": seen[month]},
                )
            )
        if isinstance(amount, str):
            line_errors.append(LineError(line.line, AMOUNT_COLUMN, amount))
        preview.errors.extend(line_errors)
        if isinstance(month, date):
            seen.setdefault(month, line.line)
        if not line_errors and isinstance(month, date) and not isinstance(amount, str):
            preview.rows.append(IncomeRow(line.line, month, amount[0], amount[1]))
    if not lines:
        preview.errors.append(LineError(0, 0, _("没有读到任何月份和金额。")))
    preview.rows.sort(key=lambda row: row.month)
    preview.missing = [m for m in window if m not in seen]
    return preview
