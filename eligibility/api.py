"""POST /api/v1/eligibility/check: the public eligibility check (no login, no CSRF, rate limited).

The body is the contract's facts JSON; the answer is the same bytes as `manage.py eligibility check`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema

from eligibility import ratelimit, services
from policy.facts import Facts
from policy.result import Result

router = Router(tags=["eligibility"])

JSON_UTF8 = "application/json; charset=utf-8"


class FieldErrorOut(Schema):
    loc: str
    msg: str


class ErrorsOut(Schema):
    detail: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its $defs inlined, so it can sit inside an OpenAPI operation."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                target = walk(dict(defs[ref.removeprefix("#/$defs/")]))
                rest = {k: walk(v) for k, v in node.items() if k != "$ref"}
                return {**target, **rest}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)


def facts_request_body() -> dict[str, Any]:
    """The OpenAPI request body: the contract's input model from the policy package."""
    return {
        "required": True,
        "description": "案件事实（eligibility-contract.md 的输入）；未知字段即错误。",
        "content": {"application/json": {"schema": _inline(Facts.model_json_schema())}},
    }


def json_response(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text.encode("utf-8"), status=status, content_type=JSON_UTF8)


def _language(request: HttpRequest) -> str:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if header:
        first = header.split(",")[0].split(";")[0].strip()
        return services.engine_lang(first)
    return services.engine_lang(translation.get_language())


@router.post(
    "/check",
    auth=None,
    summary="资格自测：按受理日评估案件事实",
    description=(
        "公开接口，无需登录，按客户端地址限流。请求体为案件事实 JSON；"
        "200 返回评估结果（与 `manage.py eligibility check` 逐字节相同）；"
        "422 返回字段错误，或所需参数、工作日历在案件日期未生效；429 请求过于频繁。"
        "`Accept-Language: en` 时返回英文说明。"
    ),
    response={200: Result, 422: ErrorsOut, 429: MessageOut},
    openapi_extra={"requestBody": facts_request_body()},
)
def check(request: HttpRequest) -> HttpResponse:
    """Evaluate the posted facts (every rule ID of rules.md that applies to the business)."""
    allowed, retry_after = ratelimit.hit("eligibility-check", request)
    if not allowed:
        response = json_response(
            services.dumps(
                {
                    "detail": _("请求过于频繁：每分钟最多 %(n)d 次，请 %(s)d 秒后再试。")
                    % {"n": ratelimit.limit(), "s": retry_after}
                }
            ),
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response
    try:
        result = services.evaluate_text(request.body, lang=_language(request))
    except services.EvaluationError as exc:
        return json_response(services.dumps({"detail": exc.detail()}), status=422)
    return json_response(services.dumps(result))
