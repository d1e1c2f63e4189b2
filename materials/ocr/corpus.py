"""Synthetic printouts like the tax bureau's 《申报收入查询记录》 and 《申请人所得税纳税记录》 (issue 13).

Drawn with a CJK TrueType font from a Debian package (fonts-wqy-zenhei, installed by the Makefile),
with a red seal, a signature scribble, 1–3° skew, noise and JPEG compression, as image-only PDFs of
1–4 pages; or as PDFs with a text layer (reportlab). Hostile variants: a blank page, a page rotated
90°/180°, a wrong document, half a table. Every generated file comes with its ground truth.

Used by the tests and by `make bench`; deterministic for a given seed.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_PATHS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",)  # fonts-wqy-zenhei, installed by make setup
DPI = 200
A4_MM = (210, 297)

INCOME_TITLE = "申报收入查询记录"
TAX_TITLE = "申请人所得税纳税记录"
INCOME_COLUMNS = ("序号", "所得项目", "收入所属期", "扣缴义务人", "申报日期", "申报类型", "收入额")
TAX_COLUMNS = ("序号", "所得项目", "税款所属期", "扣缴义务人", "入库日期", "收入额", "实缴税额")
# Column left edges in mm from the left margin, and their widths.
_COLUMN_MM = {
    "序号": 10,
    "所得项目": 22,
    "收入所属期": 22,
    "税款所属期": 22,
    "扣缴义务人": 58,
    "申报日期": 24,
    "入库日期": 24,
    "申报类型": 20,
    "收入额": 24,
    "实缴税额": 22,
}
AGENTS = (
    "北京海淀星辰科技有限公司",
    "北京中关村云图信息技术有限公司",
    "北京清河智能装备研究院有限公司",
    "北京西山生物医药有限责任公司",
    "北京燕园数据服务有限公司",
    "北京上地新材料科技股份有限公司",
)
NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊")


def font_path() -> str:
    for path in FONT_PATHS:
        if Path(path).exists():
            return path
    raise FileNotFoundError("no CJK TrueType font: install fonts-wqy-zenhei (make setup does)")


@dataclass
class Row:
    month: date
    item: str
    amount: str  # as printed, "12,345.67"
    agent: str
    declared: date
    corrected: bool = False
    tax: str = ""

    def truth(self) -> dict[str, Any]:
        return {
            "month": f"{self.month:%Y-%m}",
            "item": self.item,
            "amount": self.amount.replace(",", ""),
            "agent": self.agent,
            "declared": self.declared.isoformat(),
            "corrected": self.corrected,
            "tax": self.tax.replace(",", "") or None,
        }


@dataclass
class Record:
    kind: str  # "income" or "tax"
    name: str
    rows: list[Row]
    pages: list[list[Row]] = field(default_factory=list)
    printed: date = date(2026, 1, 5)

    @property
    def agent(self) -> str:
        return self.rows[0].agent if self.rows else ""


def _money(value: int) -> str:
    return f"{value // 100:,}.{value % 100:02d}"


def make_record(
    rng: random.Random,
    *,
    kind: str = "income",
    months: int = 36,
    last: date = date(2025, 12, 1),
    pages: int = 1,
    agent: str | None = None,
    zero_month: bool = False,
    corrected_month: bool = False,
    second_agent: bool = False,
) -> Record:
    """A record of `months` months ending with `last`, split over `pages` pages."""
    agent = agent or rng.choice(AGENTS)
    base = rng.randrange(800_000, 4_500_000)  # fen
    rows: list[Row] = []
    month = last
    for _i in range(months):
        rows.append(
            Row(
                month=month,
                item="正常工资薪金",
                amount=_money(base + rng.randrange(-120_000, 260_000)),
                agent=agent,
                declared=(month + timedelta(days=32)).replace(day=rng.randrange(5, 16)),
            )
        )
        month = (month - timedelta(days=1)).replace(day=1)
    rows.reverse()
    if zero_month:
        rows[rng.randrange(len(rows))].amount = "0.00"
    if corrected_month:
        rows[rng.randrange(len(rows))].corrected = True
    if second_agent:
        other = rng.choice([a for a in AGENTS if a != agent])
        for row in rows[: max(1, len(rows) // 4)]:
            row.agent = other
    if kind == "tax":
        for row in rows:
            amount = int(row.amount.replace(",", "").replace(".", ""))
            row.tax = _money(max(0, (amount - 500_000) * 3 // 100))
    record = Record(kind=kind, name=rng.choice(NAMES), rows=rows)
    size = math.ceil(len(rows) / pages) if rows else 0
    record.pages = [rows[i : i + size] for i in range(0, len(rows), size)] if size else [[]]
    return record


# -- drawing -----------------------------------------------------------------------------------------


def _px(mm: float, dpi: int = DPI) -> int:
    return round(mm / 25.4 * dpi)


def _columns(kind: str) -> tuple[str, ...]:
    return INCOME_COLUMNS if kind == "income" else TAX_COLUMNS


def _cells(row: Row, number: int, kind: str) -> list[str]:
    if kind == "income":
        return [
            str(number),
            row.item,
            f"{row.month:%Y-%m}",
            row.agent,
            row.declared.isoformat(),
            "更正申报" if row.corrected else "正常申报",
            row.amount,
        ]
    return [
        str(number),
        row.item,
        f"{row.month:%Y-%m}",
        row.agent,
        row.declared.isoformat(),
        row.amount,
        row.tax,
    ]


def draw_page(
    record: Record, page_index: int, rng: random.Random, *, seal: bool = True, dpi: int = DPI
) -> Image.Image:
    """One clean page (before the scan effects), RGB."""
    width, height = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    image = Image.new("RGB", (width, height), (252, 252, 250))
    draw = ImageDraw.Draw(image)
    path = font_path()
    title_font = ImageFont.truetype(path, _px(6.5, dpi))
    font = ImageFont.truetype(path, _px(3.1, dpi))
    small = ImageFont.truetype(path, _px(2.8, dpi))
    margin = _px(12, dpi)
    title = INCOME_TITLE if record.kind == "income" else TAX_TITLE
    tw = draw.textlength(title, font=title_font)
    draw.text(((width - tw) / 2, _px(14, dpi)), title, fill=(20, 20, 20), font=title_font)
    y = _px(28, dpi)
    draw.text((margin, y), f"纳税人姓名：{record.name}", fill=(30, 30, 30), font=font)
    draw.text((margin + _px(70, dpi), y), "纳税人识别号：110108********2415", fill=(30, 30, 30), font=font)
    y += _px(6, dpi)
    rows = record.pages[page_index] if page_index < len(record.pages) else []
    if record.rows:
        first, last = record.rows[0].month, record.rows[-1].month
        draw.text((margin, y), f"查询期间：{first:%Y-%m} 至 {last:%Y-%m}", fill=(30, 30, 30), font=font)
    draw.text(
        (margin + _px(120, dpi), y),
        f"第 {page_index + 1} 页 共 {len(record.pages)} 页",
        fill=(30, 30, 30),
        font=font,
    )
    y += _px(8, dpi)
    columns = _columns(record.kind)
    lefts = [margin]
    for name in columns:
        lefts.append(lefts[-1] + _px(_COLUMN_MM[name], dpi))
    row_h = _px(6.2, dpi)
    grid = (90, 90, 90)
    top = y
    draw.line((lefts[0], y, lefts[-1], y), fill=grid, width=2)
    for i, name in enumerate(columns):
        draw.text((lefts[i] + _px(1.2, dpi), y + _px(1.4, dpi)), name, fill=(20, 20, 20), font=font)
    y += row_h
    draw.line((lefts[0], y, lefts[-1], y), fill=grid, width=2)
    start = sum(len(p) for p in record.pages[:page_index])
    for n, row in enumerate(rows):
        for i, text in enumerate(_cells(row, start + n + 1, record.kind)):
            cell_font = small if columns[i] == "扣缴义务人" and len(text) > 15 else font
            draw.text((lefts[i] + _px(1.2, dpi), y + _px(1.5, dpi)), text, fill=(25, 25, 25), font=cell_font)
        y += row_h
        draw.line((lefts[0], y, lefts[-1], y), fill=grid, width=1)
    for x in lefts:
        draw.line((x, top, x, y), fill=grid, width=1)
    y += _px(6, dpi)
    draw.text((margin, y), f"打印日期：{record.printed.isoformat()}", fill=(30, 30, 30), font=font)
    draw.text(
        (margin, y + _px(6, dpi)),
        "说明：本记录仅供参考，以税务机关征收系统数据为准。",
        fill=(60, 60, 60),
        font=small,
    )
    if seal:
        _seal(image, record.agent or AGENTS[0], rng, dpi)
        _scribble(image, rng, dpi)
    return image


def _seal(image: Image.Image, name: str, rng: random.Random, dpi: int) -> None:
    """A round red finance seal (about 40 mm) multiplied over the page near the bottom right."""
    size = _px(40, dpi)
    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    ring = max(3, _px(1.1, dpi))
    draw.ellipse((ring, ring, size - ring, size - ring), outline=255, width=ring)
    c = size / 2
    r_star = size * 0.14
    points = []
    for k in range(10):
        angle = -math.pi / 2 + k * math.pi / 5
        radius = r_star if k % 2 == 0 else r_star * 0.4
        points.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
    draw.polygon(points, fill=255)
    font = ImageFont.truetype(font_path(), _px(4.2, dpi))
    text = name[:14]
    span = math.radians(240)
    for k, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (k + 0.5) / len(text)
        glyph = Image.new("L", (_px(5, dpi), _px(5, dpi)), 0)
        ImageDraw.Draw(glyph).text((0, 0), char, fill=255, font=font)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        gx = c + (size * 0.36) * math.cos(angle) - glyph.width / 2
        gy = c + (size * 0.36) * math.sin(angle) - glyph.height / 2
        layer.paste(255, (round(gx), round(gy)), glyph)
    finance = "财务专用章"
    fw = ImageDraw.Draw(layer).textlength(finance, font=font)
    draw.text((c - fw / 2, c + size * 0.2), finance, fill=255, font=font)
    layer = layer.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    mask = layer.point(lambda v: int(v * rng.uniform(0.7, 0.9)))
    red = Image.new("RGB", (size, size), (215, 30, 40))
    x = image.width - _px(rng.uniform(55, 75), dpi)
    y = image.height - _px(rng.uniform(70, 95), dpi)
    region = image.crop((x, y, x + size, y + size))
    multiplied = Image.composite(_multiply(region, red), region, mask)
    image.paste(multiplied, (x, y))


def _multiply(a: Image.Image, b: Image.Image) -> Image.Image:
    from PIL import ImageChops

    return ImageChops.multiply(a, b)


def _scribble(image: Image.Image, rng: random.Random, dpi: int) -> None:
    draw = ImageDraw.Draw(image)
    x0 = image.width - _px(rng.uniform(110, 130), dpi)
    y0 = image.height - _px(rng.uniform(50, 60), dpi)
    points = []
    for k in range(40):
        t = k / 39
        points.append(
            (
                x0 + _px(35, dpi) * t + _px(3, dpi) * math.sin(t * 19 + rng.random()),
                y0 + _px(4, dpi) * math.sin(t * 11) + _px(1, dpi) * rng.random(),
            )
        )
    draw.line(points, fill=(20, 30, 110), width=max(2, _px(0.4, dpi)), joint="curve")


def scan(
    image: Image.Image, rng: random.Random, *, skew: float | None = None, quality: int | None = None
) -> bytes:
    """Scan effects: 1–3° skew, a slight blur, noise, JPEG. Returns JPEG bytes."""
    import numpy as np

    angle = skew if skew is not None else rng.choice((-1, 1)) * rng.uniform(1.0, 3.0)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(250, 250, 248))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    array = np.asarray(image, dtype=np.int16)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 6, array.shape[:2])[..., None]
    array = np.clip(array + noise, 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(array).save(out, "JPEG", quality=quality or rng.randrange(55, 80))
    return out.getvalue()


def images_to_pdf(jpegs: list[bytes], dpi: int = DPI) -> bytes:
    """An image-only PDF, one JPEG per page (no text layer)."""
    images = [Image.open(io.BytesIO(data)) for data in jpegs]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out.getvalue()


@dataclass
class Sample:
    pdf: bytes
    record: Record
    kind: str  # "scan", "text", or the hostile case
    expected_rows: list[dict[str, Any]]
    pages: int
    seals: list[bool]


def scanned_pdf(record: Record, rng: random.Random, *, seal: bool = True, dpi: int = DPI) -> bytes:
    pages = [scan(draw_page(record, i, rng, seal=seal, dpi=dpi), rng) for i in range(len(record.pages))]
    return images_to_pdf(pages, dpi)


def text_pdf(record: Record) -> bytes:
    """A born-digital PDF with a text layer (as printed to PDF from the tax bureau's site)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", font_path(), subfontIndex=0))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    columns = _columns(record.kind)
    lefts = [12 * mm]
    for name in columns:
        lefts.append(lefts[-1] + _COLUMN_MM[name] * mm)
    start = 0
    for index, rows in enumerate(record.pages):
        pdf.setFont("WQY", 18)
        title = INCOME_TITLE if record.kind == "income" else TAX_TITLE
        pdf.drawCentredString(width / 2, height - 20 * mm, title)
        pdf.setFont("WQY", 9)
        pdf.drawString(12 * mm, height - 30 * mm, f"纳税人姓名：{record.name}")
        pdf.drawString(12 * mm, height - 36 * mm, f"第 {index + 1} 页 共 {len(record.pages)} 页")
        y = height - 46 * mm
        for i, name in enumerate(columns):
            pdf.drawString(lefts[i] + 1.2 * mm, y, name)
        for n, row in enumerate(rows):
            y -= 6.2 * mm
            for i, text in enumerate(_cells(row, start + n + 1, record.kind)):
                pdf.setFont("WQY", 8 if columns[i] == "扣缴义务人" and len(text) > 15 else 9)
                pdf.drawString(lefts[i] + 1.2 * mm, y, text)
            pdf.setFont("WQY", 9)
        start += len(rows)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def sample(
    seed: int,
    *,
    kind: str = "income",
    months: int = 36,
    pages: int = 1,
    text_layer: bool = False,
    hostile: str = "",
    last: date = date(2025, 12, 1),
    **options: Any,
) -> Sample:
    """One generated file with its truth. `hostile`: "", "blank", "rotate90", "rotate180", "wrong", "half"."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible test corpus, not a secret
    record = make_record(rng, kind=kind, months=months, pages=pages, last=last, **options)
    expected = [row.truth() for row in record.rows]
    if text_layer:
        return Sample(
            text_pdf(record), record, "text", expected, len(record.pages), [False] * len(record.pages)
        )
    seals = [True] * len(record.pages)
    images = [draw_page(record, i, rng) for i in range(len(record.pages))]
    if hostile == "blank":
        images.append(Image.new("RGB", images[0].size, (252, 252, 250)))
        seals.append(False)
    elif hostile in ("rotate90", "rotate180"):
        images[0] = images[0].rotate(90 if hostile == "rotate90" else 180, expand=True)
    elif hostile == "wrong":
        images = [_wrong_document(rng)]
        expected, seals = [], [False]
    elif hostile == "half":
        page = images[-1]
        keep = list(record.pages[-1])[: len(record.pages[-1]) // 2]
        cut = _px(42 + 6.2 * (len(keep) + 1), DPI) + _px(0.5, DPI)
        blank = Image.new("RGB", page.size, (252, 252, 250))
        blank.paste(page.crop((0, 0, page.width, cut)), (0, 0))
        images[-1] = blank
        dropped = {id(r) for r in record.pages[-1][len(keep) :]}
        expected = [row.truth() for row in record.rows if id(row) not in dropped]
        seals[-1] = False
    pdf = images_to_pdf([scan(image, rng) for image in images])
    return Sample(pdf, record, hostile or "scan", expected, len(images), seals)


def _wrong_document(rng: random.Random) -> Image.Image:
    """A page of some other document (a lease) with text but no income table."""
    width, height = _px(A4_MM[0]), _px(A4_MM[1])
    image = Image.new("RGB", (width, height), (252, 252, 250))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_path(), _px(3.4))
    draw.text(
        (_px(80), _px(20)), "房屋租赁合同", fill=(20, 20, 20), font=ImageFont.truetype(font_path(), _px(7))
    )
    lines = [
        "出租方（甲方）：北京某某物业管理有限公司",
        "承租方（乙方）：" + rng.choice(NAMES),
        "第一条 房屋坐落于北京市海淀区中关村大街 27 号。",
        "第二条 租赁期限自 2025-03-01 至 2026-02-28。",
        "第三条 月租金为人民币 6,500.00 元，按季度支付。",
        "第四条 乙方应按时缴纳水、电、燃气等费用。",
    ]
    for k, line in enumerate(lines):
        draw.text((_px(15), _px(40 + 9 * k)), line, fill=(25, 25, 25), font=font)
    _seal(image, "北京某某物业管理有限公司", rng, DPI)
    return image
