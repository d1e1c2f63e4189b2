"""The confirmation slip (《北京市工作居住证确认单》, 四（八）, 六) and its signed verification link.

The QR code carries `{SITE_URL}/permits/verify/<token>/`; the token is the permit's public id signed
with the site's secret, so a guessed or altered token fails verification and reveals nothing.
"""

from __future__ import annotations

import io
import logging
from datetime import date
from uuid import UUID

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from core.masking import mask_id_number
from permits import parameters
from permits.models import Permit

logger = logging.getLogger(__name__)
# The slip embeds a subset of a CJK TrueType font (issue 10, 9): a reader without Chinese fonts
# still sees the text. The font comes from the Debian package fonts-wqy-zenhei, installed by
# `make setup`; it is never downloaded at run time. Without it, the slip falls back to the
# non-embedded Adobe CID font STSong-Light (and says so in the log).
FONT = "WenQuanYiZenHei"
FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FALLBACK_FONT = "STSong-Light"
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})


def _signer() -> signing.Signer:
    return signing.Signer(salt=parameters.VERIFY_SALT)


def verification_token(permit: Permit) -> str:
    return _signer().sign(permit.public_id.hex)


def verification_url(permit: Permit) -> str:
    path = reverse("permits:verify", kwargs={"token": verification_token(permit)})
    return f"{settings.SITE_URL}{path}"


def permit_from_token(token: str) -> Permit | None:
    """The permit a token names; raises signing.BadSignature for an altered or made-up token."""
    value = _signer().unsign(token)
    try:
        public_id = UUID(hex=value)
    except ValueError as exc:
        raise signing.BadSignature("malformed") from exc
    return Permit.objects.select_related("holder", "employer__registry").filter(public_id=public_id).first()


def _ensure_font() -> str:
    """The registered name of the slip's font: the embedded TrueType one when installed."""
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT in registered:
        return FONT
    path = getattr(settings, "SLIP_FONT_FILE", FONT_FILE)
    try:
        pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
        return FONT
    except Exception:  # missing or unreadable font file: print with the viewer's font instead
        logger.error("slip font %s could not be loaded; install fonts-wqy-zenhei (make setup)", path)
    if FALLBACK_FONT not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def _photo(permit: Permit) -> ImageReader | None:
    document = permit.holder.photo
    if document is None or document.content_type not in IMAGE_TYPES:
        return None
    try:
        with document.file.open("rb") as handle:
            return ImageReader(io.BytesIO(handle.read()))
    except (OSError, ValueError):
        logger.warning("photo of permit %s could not be read", permit.pk)
        return None


def draw_qr(pdf: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path (runs of dark modules per row) with a four-module quiet zone.

    Encoding once with segno and drawing one path is much faster than a graphics widget per module.
    """
    code = segno.make(text, error="m", micro=False)
    matrix = code.matrix
    border = 4
    count = len(matrix) + 2 * border
    module = size / count
    path = pdf.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + border + 1) * module
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(x + (start + border) * module, top, (col - start) * module, module)
            else:
                col += 1
    pdf.saveState()
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.restoreState()


def render_slip(permit: Permit, *, printed_on: date) -> bytes:
    """One A4 page: title, photo, key fields (ID masked), status and the verification QR code."""
    font = _ensure_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=font)
    pdf.setTitle(f"北京市工作居住证确认单 {permit.number}")
    pdf.setAuthor("海淀区人力资源公共服务中心")
    width, height = A4
    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, height - 30 * mm, "《北京市工作居住证》确认单")
    pdf.setFont(font, 10)
    pdf.drawCentredString(width / 2, height - 38 * mm, "海淀区人力资源和社会保障局")

    top = height - 55 * mm
    photo = _photo(permit)
    photo_w, photo_h = 25 * mm, 35 * mm  # 一寸照片
    photo_x = width - 25 * mm - photo_w
    if photo is not None:
        pdf.drawImage(photo, photo_x, top - photo_h, photo_w, photo_h, preserveAspectRatio=True, mask="auto")
    else:
        pdf.rect(photo_x, top - photo_h, photo_w, photo_h)
        pdf.setFont(font, 9)
        pdf.drawCentredString(photo_x + photo_w / 2, top - photo_h / 2, "（无照片）")

    rows = [
        ("姓名", permit.holder.name),
        ("身份证号码", mask_id_number(permit.holder.id_number)),
        ("聘用单位", permit.employer.name),
        ("证件编号", permit.number),
        ("发证日期", permit.issued_on.strftime("%Y年%m月%d日")),
        ("有效期至", permit.expires_on.strftime("%Y年%m月%d日")),
        ("证件状态", str(permit.get_status_display())),
    ]
    y = top - 6 * mm
    for label, value in rows:
        pdf.setFont(font, 11)
        pdf.drawString(25 * mm, y, f"{label}：")
        pdf.setFont(font, 12)
        pdf.drawString(55 * mm, y, value)
        y -= 10 * mm

    qr_size = 45 * mm
    qr_y = y - qr_size - 5 * mm
    draw_qr(pdf, verification_url(permit), 25 * mm, qr_y, qr_size)
    pdf.setFont(font, 10)
    pdf.drawString(75 * mm, qr_y + qr_size - 8 * mm, "扫描二维码核验本确认单的真实性和有效性。")
    pdf.drawString(75 * mm, qr_y + qr_size - 15 * mm, "核验页面仅显示脱敏姓名、证件编号、状态和有效期。")
    pdf.drawString(75 * mm, qr_y + qr_size - 22 * mm, f"打印日期：{printed_on.strftime('%Y年%m月%d日')}")
    pdf.setFont(font, 9)
    pdf.drawString(
        25 * mm,
        20 * mm,
        "只有取得本确认单后，方可获得持证人相关待遇资质（海淀区办理指南 四（八））。",
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
