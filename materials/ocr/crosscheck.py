"""Cross-checks of an extracted income table, as findings for the reviewer (issue 13). Pure Python.

Findings are hints, never decisions: the reviewer confirms or dismisses them. Each names the rule it
is evidence for, and carries the page and box of the value it is about (None for the whole record).
- MONTH-MISSING / MONTH-DUPLICATE: months of the window (the case's income months) absent from the
  record, or printed twice (APP-INCOME-INTEGRITY, APP-INCOME-RECENT, REN-INCOME-3Y).
- AMOUNT-DIFFERS: the scan's amount (rounded to the yuan) is not the amount entered for that month.
- AMOUNT-ZERO / CORRECTED: a month declared at 0, or a correction (更正申报) (APP-INCOME-INTEGRITY).
- AGENT-OTHER: the withholding agent is not the employer's registered name (APP-SAME-EMPLOYER).
- STALE: the record's last month is earlier than the last month the case needs (APP-INCOME-RECENT).
- NO-SEAL: a scanned page without a red seal impression (a colour and shape hint for DOC-STAMPED).
- NO-TABLE: a page on which no row could be read (blank, turned, another document, unreadable).
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

MESSAGES: dict[str, tuple[str, str, str]] = {
    "MONTH-MISSING": (
        "APP-INCOME-INTEGRITY",
        "记录中缺少以下月份：{months}。",
        "These months are missing from the record: {months}.",
    ),
    "MONTH-DUPLICATE": (
        "APP-INCOME-INTEGRITY",
        "{month} 在记录中出现了 {count} 次。",
        "{month} appears {count} times in the record.",
    ),
    "AMOUNT-DIFFERS": (
        "APP-INCOME-INTEGRITY",
        "{month} 扫描件金额为 {scan} 元，已填写 {entered} 元。",
        "{month}: the scan shows {scan} yuan, {entered} yuan was entered.",
    ),
    "AMOUNT-ZERO": ("APP-INCOME-INTEGRITY", "{month} 收入额为 0。", "{month}: the income is 0."),
    "CORRECTED": ("APP-INCOME-INTEGRITY", "{month} 为更正申报。", "{month} was a corrected declaration."),
    "AGENT-OTHER": (
        "APP-SAME-EMPLOYER",
        "{month} 的扣缴义务人为「{agent}」，与用人单位登记名称「{employer}」不一致。",
        "{month}: the withholding agent is “{agent}”, not the employer's registered name “{employer}”.",
    ),
    "STALE": (
        "APP-INCOME-RECENT",
        "记录最后一个月为 {last}，本申请需要到 {needed}。",
        "The record ends with {last}; this application needs it up to {needed}.",
    ),
    "NO-SEAL": (
        "DOC-STAMPED",
        "第 {page} 页未发现红色印章痕迹，请核对是否加盖单位财务章。",
        "No red seal was found on page {page}; please check for the employer's finance seal.",
    ),
    "NO-TABLE": (
        "DOC-FORMAT",
        "第 {page} 页未能读出收入记录（空白页、方向不对或不是该材料）。",
        "No income rows could be read on page {page} (blank, turned, or another document).",
    ),
}


def _finding(code: str, *, page: int | None = None, box: Any = None, **params: Any) -> dict[str, Any]:
    rule, zh, en = MESSAGES[code]
    return {
        "code": code,
        "rule": rule,
        "message_zh": zh.format(page=page, **params),
        "message_en": en.format(page=page, **params),
        "page": page,
        "box": box,
        "month": params.get("month"),
    }


def yuan(value: Any) -> int | None:
    """An amount as printed (with fen) to whole yuan, jiao and fen dropped as the income import does
    (never overstating income at a threshold); None when it is not a number."""
    try:
        return int(Decimal(str(value).replace(",", "")).quantize(Decimal(1), rounding=ROUND_DOWN))
    except (InvalidOperation, ValueError):
        return None


def _v(row: dict[str, Any], key: str) -> Any:
    cell = row.get(key)
    return cell.get("value") if isinstance(cell, dict) else None


def _where(row: dict[str, Any], key: str) -> dict[str, Any]:
    cell = row.get(key) or {}
    return {"page": cell.get("page"), "box": cell.get("box")}


def crosscheck(
    rows: list[dict[str, Any]],
    pages: list[dict[str, Any]],
    *,
    window: list[str],
    entered: dict[str, int],
    employer_name: str | None,
) -> list[dict[str, Any]]:
    """Findings for one extracted record. `window`: the months ("YYYY-MM") the case needs, oldest
    first; `entered`: the amounts entered on the case by month; `employer_name`: registered name."""
    findings: list[dict[str, Any]] = []
    income_rows = [r for r in rows if r.get("kind", "income") == "income" or _v(r, "amount") is not None]
    months = Counter(_v(r, "month") for r in income_rows)
    missing = [m for m in window if m not in months]
    if missing and rows:
        findings.append(_finding("MONTH-MISSING", months="、".join(missing)))
    reported: set[str] = set()
    for row in income_rows:
        month = _v(row, "month")
        if months[month] > 1 and month not in reported:
            reported.add(month)
            findings.append(
                _finding("MONTH-DUPLICATE", month=month, count=months[month], **_where(row, "month"))
            )
        amount = _v(row, "amount")
        scan = yuan(amount) if amount is not None else None
        if scan is not None and month in entered and scan != entered[month]:
            findings.append(
                _finding(
                    "AMOUNT-DIFFERS",
                    month=month,
                    scan=amount,
                    entered=entered[month],
                    **_where(row, "amount"),
                )
            )
        if scan == 0:
            findings.append(_finding("AMOUNT-ZERO", month=month, **_where(row, "amount")))
        if _v(row, "corrected"):
            findings.append(_finding("CORRECTED", month=month, **_where(row, "corrected")))
        agent = _v(row, "agent")
        if employer_name and agent and agent.replace(" ", "") != employer_name.replace(" ", ""):
            findings.append(
                _finding(
                    "AGENT-OTHER", month=month, agent=agent, employer=employer_name, **_where(row, "agent")
                )
            )
    present = sorted(m for m in months if m)
    if present and window and present[-1] < window[-1]:
        findings.append(_finding("STALE", last=present[-1], needed=window[-1]))
    for page in pages:
        if page.get("method") == "ocr" and page.get("seal") is False and not page.get("blank"):
            findings.append(_finding("NO-SEAL", page=page["page"]))
        if not page.get("rows"):
            findings.append(_finding("NO-TABLE", page=page["page"]))
    return findings
