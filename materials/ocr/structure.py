"""From recognised text (tokens with boxes) to the rows of an income printout. Pure Python.

A token is a run of text with its box (fractions of the page: x0, y0, x1, y1, y downwards), a
confidence and the angle of its baseline. Steps: undo the page skew (median baseline angle), group
tokens into lines, and read each line by what its tokens look like — a month (2024-03), a date
(2024-04-12), money (12,345.67), an income item (工资薪金 …), a declaration type (正常申报/更正申报),
a withholding agent (the remaining Chinese name). The header's columns (收入额 / 实缴税额) tell two
money values apart on the tax record. A line counts as a row only with a month and at least one
money value in the table (below the header): text elsewhere on the page never becomes a row.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from typing import Any

A4_ASPECT = 297 / 210

MONTH_RE = re.compile(r"^(20\d{2})[-./年](0?[1-9]|1[0-2])月?$")
DATE_RE = re.compile(r"^(20\d{2})[-./年](0?[1-9]|1[0-2])[-./月](0?[1-9]|[12]\d|3[01])日?$")
MONEY_RE = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d{2}$")
INDEX_RE = re.compile(r"^\d{1,3}$")
ITEM_WORDS = (
    "工资",
    "薪金",
    "劳务",
    "稿酬",
    "特许",
    "经营",
    "利息",
    "股息",
    "红利",
    "财产",
    "偶然",
    "年终奖",
)
AGENT_WORDS = (
    "公司",
    "有限",
    "中心",
    "研究",
    "大学",
    "学院",
    "医院",
    "银行",
    "集团",
    "事务所",
    "委员会",
    "协会",
)
HEADER_WORDS = {
    "所属期": "month",
    "所得项目": "item",
    "扣缴义务人": "agent",
    "申报日期": "declared",
    "入库日期": "declared",
    "申报类型": "type",
    "收入额": "amount",
    "税额": "tax",
}
_CONFUSED_DIGITS = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"}
)


@dataclass(frozen=True)
class Token:
    text: str
    box: tuple[float, float, float, float]
    conf: float
    angle: float = 0.0


@dataclass
class Parsed:
    rows: list[dict[str, Any]]
    columns: dict[str, float] | None
    kind: str
    text_chars: int
    title: str = ""
    median_conf: float = 1.0
    lines: list[list[Token]] = field(default_factory=list)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace(" ", "").replace("，", ",")
    text = text.replace("—", "-").replace("－", "-").replace("_", "-")
    # A hyphen between digits read as a middle dot, a bullet, a tilde or 一 (2025·05, 2025一05).
    return re.sub(r"(?<=\d)[·•~〜一ー](?=\d)", "-", text)


def _numeric(text: str) -> str:
    """Read letters that OCR confuses with digits as digits, in a token that is otherwise numeric."""
    candidate = text.translate(_CONFUSED_DIGITS)
    # A thousands separator read as a full stop: 33.191.91 -> 33,191.91
    candidate = re.sub(r"[.,](?=\d{3}[.,]\d{2}$)", ",", candidate)
    candidate = re.sub(r"[.,](?=\d{3},)", ",", candidate)
    return candidate if re.fullmatch(r"[-\d.,/年月日]+", candidate) else text


def _value(token: Token, value: Any, page: int, penalty: float = 1.0) -> dict[str, Any]:
    return {
        "value": value,
        "page": page,
        "box": [round(v, 4) for v in token.box],
        "conf": round(token.conf * penalty, 3),
    }


def _unrotate(box: tuple[float, float, float, float], rotation: int) -> tuple[float, float, float, float]:
    """Boxes read from a page rendered turned clockwise by `rotation` back to the page's own frame."""
    x0, y0, x1, y1 = box
    if rotation == 180:
        return (1 - x1, 1 - y1, 1 - x0, 1 - y0)
    if rotation == 90:
        return (y0, 1 - x1, y1, 1 - x0)
    if rotation == 270:
        return (1 - y1, x0, 1 - y0, x1)
    return box


def _deskewed(tokens: list[Token], aspect: float) -> list[tuple[float, float, float, Token]]:
    """(x0', y-centre', height, token) with the median baseline angle undone."""
    angles = [
        t.angle
        for t in tokens
        if (t.box[2] - t.box[0]) > 3 * (t.box[3] - t.box[1]) * aspect and abs(t.angle) < 10
    ]
    theta = math.radians(statistics.median(angles)) if angles else 0.0
    cos, sin = math.cos(theta), math.sin(theta)
    out = []
    for token in tokens:
        x0, y0, x1, y1 = token.box
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 * aspect
        half = (x1 - x0) / 2
        y_centre = -cx * sin + cy * cos
        x_left = (cx * cos + cy * sin) - half
        out.append((x_left, y_centre, (y1 - y0) * aspect * cos, token))
    return out


def _lines(tokens: list[Token], aspect: float) -> list[list[tuple[float, Token]]]:
    placed = sorted(_deskewed(tokens, aspect), key=lambda item: item[1])
    if not placed:
        return []
    height = statistics.median(item[2] for item in placed) or 0.01
    lines: list[list[tuple[float, float, Token]]] = []
    for x_left, y_centre, _h, token in placed:
        if lines and y_centre - statistics.mean(y for _x, y, _t in lines[-1]) < 0.6 * height:
            lines[-1].append((x_left, y_centre, token))
        else:
            lines.append([(x_left, y_centre, token)])
    return [sorted(((x, t) for x, _y, t in line), key=lambda item: item[0]) for line in lines]


def _header(line: list[tuple[float, Token]]) -> dict[str, float]:
    found: dict[str, float] = {}
    for x_left, token in line:
        text = normalise(token.text)
        for word, column in HEADER_WORDS.items():
            if word in text and column not in found:
                found[column] = x_left
    return found


def _is_agent(text: str) -> bool:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") >= 4 and any(w in text for w in AGENT_WORDS)


def _row(
    line: list[tuple[float, Token]], page: int, columns: dict[str, float] | None, kind: str
) -> dict[str, Any] | None:
    row: dict[str, Any] = {}
    money: list[tuple[float, dict[str, Any]]] = []
    leftovers: list[tuple[float, Token]] = []
    for x_left, token in line:
        raw = normalise(token.text)
        parts = [raw] if raw else []
        if raw and not any(r.fullmatch(_numeric(raw)) for r in (MONTH_RE, DATE_RE, MONEY_RE)):
            split = re.findall(
                r"20\d{2}[-./]\d{1,2}[-./]\d{1,2}|20\d{2}[-./]\d{1,2}|[\d,]+\.\d{2}|[^\d\s.,-]+", raw
            )
            parts = split if len(split) > 1 else parts
        penalty = 1.0 if len(parts) <= 1 else 0.9
        for part in parts:
            text = _numeric(part)
            if (m := MONTH_RE.fullmatch(text)) and "month" not in row:
                row["month"] = _value(token, f"{m[1]}-{int(m[2]):02d}", page, penalty)
            elif (m := DATE_RE.fullmatch(text)) and "declared" not in row:
                row["declared"] = _value(token, f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", page, penalty)
            elif MONEY_RE.fullmatch(text):
                money.append((x_left, _value(token, text.replace(",", ""), page, penalty)))
            elif "申报" in part and "type" not in row:
                row["corrected"] = _value(token, "更正" in part, page, penalty)
                row["type"] = part
            elif any(w in part for w in ITEM_WORDS) and "item" not in row:
                row["item"] = _value(token, part, page, penalty)
            elif INDEX_RE.fullmatch(text):
                continue
            else:
                leftovers.append((x_left, Token(part, token.box, token.conf * penalty, token.angle)))
    if "month" not in row or not money:
        return None
    agents = [t for _x, t in leftovers if _is_agent(normalise(t.text))]
    if agents:
        best = max(agents, key=lambda t: len(t.text))
        row["agent"] = _value(best, normalise(best.text), page)
    row.pop("type", None)
    if kind == "tax" and len(money) >= 2:
        if columns and "amount" in columns and "tax" in columns:
            money.sort(key=lambda item: abs(item[0] - columns["tax"]) - abs(item[0] - columns["amount"]))
            row["tax"], row["amount"] = money[0][1], money[-1][1]
        else:
            row["amount"], row["tax"] = money[0][1], money[-1][1]
    elif kind == "tax" and columns and "tax" in columns and "amount" in columns:
        x, value = money[0]
        key = "tax" if abs(x - columns["tax"]) < abs(x - columns["amount"]) else "amount"
        row[key] = value
    else:
        row["amount"] = money[-1][1]
    row["kind"] = kind
    for key in ("item", "agent", "declared", "corrected", "amount", "tax"):
        row.setdefault(key, None)
    return row


def rows_from_tokens(
    tokens: list[Token],
    page: int,
    columns: dict[str, float] | None = None,
    *,
    rotation: int = 0,
    aspect: float = A4_ASPECT,
) -> Parsed:
    """The table rows of one page. `columns` carries the header of an earlier page (continuations)."""
    chars = sum(len(t.text) for t in tokens)
    text = "".join(normalise(t.text) for t in tokens)
    kind = "tax" if "纳税记录" in text or "税额" in text else "income"
    title = (
        "申请人所得税纳税记录" if "纳税记录" in text else ("申报收入查询记录" if "申报收入" in text else "")
    )
    rows: list[dict[str, Any]] = []
    header_seen = False
    page_columns = columns
    for line in _lines(tokens, aspect):
        found = _header(line)
        if len(found) >= 3:
            header_seen, page_columns = True, found
            continue
        if not header_seen and columns is None:
            continue
        row = _row(line, page, page_columns, kind)
        if row is not None:
            rows.append(row)
    if rotation:  # read upright; boxes go back to the page as it is stored
        for row in rows:
            for value in row.values():
                if isinstance(value, dict):
                    value["box"] = [round(v, 4) for v in _unrotate(tuple(value["box"]), rotation)]
                    value["rotated"] = rotation
    median_conf = statistics.median(t.conf for t in tokens) if tokens else 0.0
    return Parsed(rows, page_columns if header_seen else columns, kind, chars, title, median_conf)


def agree_agents(rows: list[dict[str, Any]], *, at_least: int = 3) -> None:
    """A withholding agent read one character off the name printed on at least `at_least` other rows
    of the same record is taken as that name (OCR slips such as 有限贺任公司); the cell keeps
    `"read"`, what was recognised, and its confidence is capped below the highlight threshold."""
    from collections import Counter

    names = Counter(r["agent"]["value"] for r in rows if isinstance(r.get("agent"), dict))
    common = [name for name, n in names.items() if n >= at_least]
    for row in rows:
        cell = row.get("agent")
        if not isinstance(cell, dict) or cell["value"] in common:
            continue
        near = [name for name in common if _one_apart(cell["value"], name)]
        if len(near) == 1:
            cell["read"], cell["value"] = cell["value"], near[0]
            cell["conf"] = min(cell["conf"], 0.89)


def _one_apart(a: str, b: str) -> bool:
    """True when `a` and `b` differ by exactly one substituted, missing or extra character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
