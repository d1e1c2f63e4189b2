"""API endpoints of the materials context."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema

from eligibility import ratelimit
from materials.checklists import ChecklistInputError, checklist_text, dumps, lang_of

router = Router(tags=["materials"])

JSON_UTF8 = "application/json; charset=utf-8"


class FieldErrorOut(Schema):
    loc: str
    msg: str


class ChecklistErrorsOut(Schema):
    detail: list[FieldErrorOut]


def _language(request: HttpRequest) -> str:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if header:
        return lang_of(header.split(",")[0].split(";")[0].strip())
    return lang_of(translation.get_language())


@router.post(
    "/checklist",
    auth=None,
    summary="材料清单：按案件事实列出需要上传的材料（DOC-CHECKLIST）",
    description=(
        "请求体为案件事实 JSON（与资格自测相同，另可含 materials.md 的可选事实）。"
        "200 返回 {business, materials}（与 `manage.py materials checklist` 逐字节相同）；"
        "422 返回字段错误；429 请求过于频繁（按客户端地址限流）。`Accept-Language: en` 时返回英文名称和理由。"
    ),
    response={200: dict[str, Any], 422: ChecklistErrorsOut, 429: dict[str, Any]},
)
def checklist(request: HttpRequest) -> HttpResponse:
    allowed, retry_after = ratelimit.hit("materials-checklist", request)
    if not allowed:
        response = HttpResponse(
            dumps(
                {
                    "detail": _("请求过于频繁：每分钟最多 %(n)d 次，请 %(s)d 秒后再试。")
                    % {"n": ratelimit.limit(), "s": retry_after}
                }
            ).encode(),
            status=429,
            content_type=JSON_UTF8,
        )
        response["Retry-After"] = str(retry_after)
        return response
    try:
        result = checklist_text(request.body, lang=_language(request))
    except ChecklistInputError as exc:
        return HttpResponse(dumps({"detail": exc.detail()}).encode(), status=422, content_type=JSON_UTF8)
    return HttpResponse(dumps(result).encode(), content_type=JSON_UTF8)
