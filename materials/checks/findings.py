"""Findings of the upload checks: `{code, severity, message_zh, message_en, page}`.

Severity `error` blocks the material (the uploader must replace it); `warning` is shown to the
uploader and the reviewer but does not block. `page` is 1-based, or None for the whole file.
"""

from __future__ import annotations

from typing import Any, TypedDict

ERROR = "error"
WARNING = "warning"


class Finding(TypedDict):
    code: str
    severity: str
    message_zh: str
    message_en: str
    page: int | None


# code: (severity, Chinese, English). Placeholders are filled with str.format(**params).
MESSAGES: dict[str, tuple[str, str, str]] = {
    "EMPTY": (ERROR, "文件为空，请重新选择。", "The file is empty; please choose it again."),
    "TOO-LARGE": (
        ERROR,
        "文件大小为 {size_mb} MB，超过上限 {limit_mb} MB。",
        "The file is {size_mb} MB, over the limit of {limit_mb} MB.",
    ),
    "TYPE-PDF": (
        ERROR,
        "只能上传 PDF 文件（按文件内容判断，不看扩展名）。",
        "Only PDF files are accepted (judged by the content, not the file name).",
    ),
    "TYPE-PHOTO": (ERROR, "照片须为 JPEG 或 PNG 图片。", "The photo must be a JPEG or PNG image."),
    "NAME-MISMATCH": (
        ERROR,
        "文件内容是 {actual}，但文件名后缀是 .{extension}，请上传真实格式的文件。",
        "The file contains {actual} but is named .{extension}; please upload the file in its real format.",
    ),
    "POLYGLOT": (
        ERROR,
        "文件中混有其他格式的内容（{what}），无法作为材料接收，请重新扫描或导出为普通 PDF。",
        "The file also contains another format ({what}); please scan or export it again as a plain PDF.",
    ),
    "ENCRYPTED": (
        ERROR,
        "PDF 文件已加密或设置了密码，请上传未加密的扫描件。",
        "The PDF is encrypted or password-protected; please upload an unencrypted scan.",
    ),
    "BROKEN": (
        ERROR,
        "PDF 文件已损坏或不完整（{detail}），请重新扫描或导出后上传。",
        "The PDF is damaged or incomplete ({detail}); please scan or export it again.",
    ),
    "ACTIVE-CONTENT": (
        ERROR,
        "PDF 文件含有脚本、附件或自动操作（{what}），出于安全原因不予接收，请上传普通扫描件。",
        "The PDF contains scripts, attachments or automatic actions ({what}); for safety it is refused."
        " Please upload a plain scan.",
    ),
    "TOO-MANY-PAGES": (
        ERROR,
        "PDF 共 {pages} 页，超过上限 {limit} 页，请只上传本材料所需的页面。",
        "The PDF has {pages} pages, over the limit of {limit}; upload only the pages this material needs.",
    ),
    "NO-PAGES": (ERROR, "PDF 文件没有页面。", "The PDF has no pages."),
    "BOMB": (
        ERROR,
        "文件中的图像或压缩数据过大（{detail}），无法安全检查，请降低扫描分辨率后重新上传。",
        "An image or compressed data in the file is too large to check safely ({detail});"
        " scan at a lower resolution.",
    ),
    "UNCHECKABLE": (
        ERROR,
        "文件无法在安全限制内完成检查（{detail}），请重新扫描或导出后上传。",
        "The file could not be checked within the safety limits ({detail}); please scan or export it again.",
    ),
    "GREYSCALE": (
        ERROR,
        "第 {page} 页是黑白/灰度扫描，须上传彩色扫描件。",
        "Page {page} is a black-and-white or greyscale scan; a colour scan is required.",
    ),
    "BLANK-PAGE": (
        WARNING,
        "第 {page} 页似乎是空白页，请确认是否漏扫了内容。",
        "Page {page} seems blank; check that nothing was left out.",
    ),
    "ROTATED": (
        WARNING,
        "第 {page} 页被旋转了 {rotation} 度，材料须为正方向。",
        "Page {page} is rotated by {rotation} degrees; materials must be upright.",
    ),
    "LANDSCAPE": (
        WARNING,
        "第 {page} 页为横向页面，请确认原件是否为正方向扫描。",
        "Page {page} is in landscape orientation; check that the original was scanned upright.",
    ),
    "LOW-RESOLUTION": (
        WARNING,
        "第 {page} 页扫描分辨率约 {dpi} dpi，低于 {minimum} dpi，文字可能不清晰。",
        "Page {page} was scanned at about {dpi} dpi, below {minimum} dpi; the text may be hard to read.",
    ),
    "PHOTO-UNREADABLE": (
        ERROR,
        "照片无法读取（{detail}），请重新上传 JPEG 或 PNG 照片。",
        "The photo cannot be read ({detail}); please upload a JPEG or PNG photo again.",
    ),
    "PHOTO-PROPORTIONS": (
        ERROR,
        "照片宽高比为 {ratio}，一寸照片（25×35 毫米）应约为 0.714，请上传一寸证件照。",
        "The photo's width/height ratio is {ratio}; a 1-inch photo (25 × 35 mm) is about 0.714.",
    ),
    "PHOTO-BACKGROUND": (
        ERROR,
        "照片背景不是白色，请上传白底证件照。",
        "The photo's background is not white; please upload a photo on a white background.",
    ),
    "PHOTO-GREYSCALE": (
        ERROR,
        "照片是黑白照片，须为彩色证件照。",
        "The photo is black and white; a colour photo is required.",
    ),
    "PHOTO-SMALL": (
        WARNING,
        "照片尺寸为 {width}×{height} 像素，偏小，可能不够清晰（建议至少 {min_width}×{min_height}）。",
        "The photo is {width} × {height} pixels, which may be too small"
        " (at least {min_width} × {min_height} advised).",
    ),
}


def finding(code: str, page: int | None = None, **params: Any) -> Finding:
    """A finding; a parameter given as a `(zh, en)` pair is filled in each language separately."""
    severity, zh, en = MESSAGES[code]
    values_zh: dict[str, Any] = {"page": page}
    values_en: dict[str, Any] = {"page": page}
    for key, value in params.items():
        pair = isinstance(value, tuple) and len(value) == 2
        values_zh[key] = value[0] if pair else value
        values_en[key] = value[1] if pair else value
    return {
        "code": code,
        "severity": severity,
        "message_zh": zh.format(**values_zh),
        "message_en": en.format(**values_en),
        "page": page,
    }


def has_errors(findings: list[Finding] | list[dict[str, Any]]) -> bool:
    return any(f["severity"] == ERROR for f in findings)
