"""How an evaluation result is shown on the public pages: labels for decisions, outcomes and facts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

DECISIONS = {
    "eligible": _("符合条件"),
    "needs_review": _("需人工审核"),
    "ineligible": _("不符合条件"),
}
OUTCOMES = {
    "pass": _("符合"),
    "fail": _("不符合"),
    "review": _("需人工判断"),
    "not_applicable": _("不适用"),
}
OUTCOME_TAGS = {"pass": "tag-pass", "fail": "tag-fail", "review": "tag-review", "not_applicable": ""}
CLAUSES = {
    1: _("学位与工作经历"),
    2: _("专业技术职务"),
    3: _("获奖"),
    4: _("科技创新主体应税收入"),
    5: _("科技创新服务主体应税收入"),
    6: _("知识产权"),
    7: _("创新创业团队"),
    8: _("自由职业者、个体工商户"),
}
YUAN = "yuan"
MONTHS = "months"
DAYS = "days"
FACT_LABELS: dict[str, tuple[Any, str]] = {
    "threshold": (_("门槛"), YUAN),
    "actual": (_("实际"), YUAN),
    "shortfall": (_("差额"), YUAN),
    "threshold_total": (_("门槛合计"), YUAN),
    "actual_total": (_("实际合计"), YUAN),
    "monthly_threshold": (_("月门槛"), YUAN),
    "monthly_wage": (_("月平均工资"), YUAN),
    "multiple": (_("倍数"), ""),
    "months": (_("月数"), MONTHS),
    "required_months": (_("要求月数"), MONTHS),
    "experience_months": (_("工作经历月数"), MONTHS),
    "from": (_("起始月份"), ""),
    "to": (_("截止月份"), ""),
    "as_of": (_("受理日"), ""),
    "submitted_on": (_("提交日"), ""),
    "reached_on": (_("满足日期"), ""),
    "shortfall_days": (_("相差天数"), DAYS),
    "tax_registered_on": (_("登记纳税日期"), ""),
    "employed_since": (_("入职日期"), ""),
    "birth_date": (_("出生日期"), ""),
    "retirement_date": (_("退休日期"), ""),
    "retirement_age": (_("退休年龄"), ""),
    "registered_district": (_("注册地"), ""),
    "kind": (_("类型"), ""),
    "complete_by": (_("完成期限"), ""),
    "window_opens": (_("窗口开始"), ""),
    "latest_submission": (_("最迟提交日"), ""),
    "expires_on": (_("有效期至"), ""),
    "lead_working_days": (_("审核工作日"), DAYS),
    "review_complete_on": (_("审核届满日"), ""),
}
UNIT_TEXT = {YUAN: _("元"), MONTHS: _("个月"), DAYS: _("天")}


@dataclass
class FactRow:
    key: str
    value: Any
    unit: str = ""


@dataclass
class CheckView:
    rule: str
    outcome: str
    outcome_label: Any
    tag: str
    message: str
    facts: list[FactRow] = field(default_factory=list)
    shortfall: Any = None
    shortfall_unit: str = ""


def _unit(key: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        return ""
    unit = FACT_LABELS.get(key, ("", ""))[1]
    return str(UNIT_TEXT[unit]) if unit else ""


def _label(key: str) -> str:
    return str(FACT_LABELS[key][0]) if key in FACT_LABELS else key


def _days_short(check: dict[str, Any]) -> int | None:
    """A short date rule (tenure, tax registration: `review` in edition 2, 原则上 / 一般): days from
    the acceptance date to `reached_on`."""
    facts = check.get("facts") or {}
    if (
        check.get("outcome") not in ("fail", "review")
        or not facts.get("reached_on")
        or not facts.get("as_of")
    ):
        return None
    try:
        days = (date.fromisoformat(facts["reached_on"]) - date.fromisoformat(facts["as_of"])).days
    except (TypeError, ValueError):
        return None
    return days if days > 0 else None


def _scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(str(_scalar(v)) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}: {_scalar(v)}" for k, v in value.items()) or "—"
    return value


PATH_LABELS = {
    "employer.tax_registered_on": _("单位在海淀区登记注册并开始缴纳税费的日期"),
    "employer.registered_capital": _("注册资本"),
    "employer.annual_tax": _("单位年纳税额"),
    "employer.kind": _("单位类型"),
    "applicant.birth_date": _("出生日期"),
    "applicant.employed_since": _("入职申请单位的日期"),
    "applicant.monthly_income": _("最近 6 个月在京应税收入"),
    "applicant.annual_income": _("近三年在京应税收入"),
    "applicant.work_periods": _("参加工作日期"),
    "applicant.startup": _("创新创业团队信息"),
    "permit.expires_on": _("证件有效期"),
}
VALUE_LABELS: dict[str, Any] = {
    "enterprise": _("企业"),
    "public_institution": _("事业单位"),
    "private_non_enterprise": _("民办非企业单位"),
    "social_organization": _("社会团体"),
    "professional_partnership": _("合伙制专业服务机构（律师事务所、会计师事务所等）"),
    "haidian": _("海淀区"),
    "other": _("其他"),
    "non_beijing": _("非北京户籍"),
    "beijing": _("北京户籍"),
    "beijing_collective": _("北京集体户口"),
    "beijing_school_temporary": _("北京学校临时户口"),
    "rented": _("租住房屋"),
    "owned": _("自有住房"),
    "residence_card": _("北京市居住证（卡）"),
    "employer_housing": _("单位宿舍"),
    "relatives": _("借住亲属房屋"),
    "none": _("无学位"),
    "associate": _("专科"),
    "bachelor": _("学士"),
    "master": _("硕士"),
    "doctor": _("博士"),
    "junior": _("初级"),
    "intermediate": _("中级"),
    "deputy_senior": _("副高级"),
    "senior": _("正高级"),
    "equivalent": _("相当资格、资质"),
    "male": _("男性"),
    "female_55": _("女性（原法定退休年龄55周岁）"),
    "female_50": _("女性（原法定退休年龄50周岁）"),
    "national": _("国家级"),
    "provincial": _("省部级"),
    "new": _("新办"),
    "renewal": _("续签"),
    "employer_change": _("聘用单位变更"),
    "info_change": _("信息变更"),
}
_DURATION = re.compile(r"\b(\d+)y(\d+)m\b")
_RULE_ID = re.compile(r"\b[A-Z]{2,}[0-9]*(?:-[A-Z0-9]+)+\b")
_PATH = re.compile(r"\b[a-z]+(?:_[a-z]+)*(?:\.[a-z]+(?:_[a-z]+)*)+\b")
_ENUM = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b(?:enterprise|other|haidian|rented|owned|none)\b")


def _duration(match: re.Match[str]) -> str:
    years, months = int(match.group(1)), int(match.group(2))
    if months:
        return str(_("%(y)d 岁 %(m)d 个月") % {"y": years, "m": months})
    return str(_("%(y)d 周岁") % {"y": years})


def _path_label(path: str) -> str:
    return str(PATH_LABELS.get(path, _("必要信息")))


def plain_text(text: str) -> str:
    """A message for the public: no rule IDs, field paths, enum values or raw durations (issue 10).

    Only applied to Chinese text: English messages legitimately contain lower-case words."""
    text = _DURATION.sub(_duration, text)
    text = _RULE_ID.sub("", text)
    text = _PATH.sub(lambda m: _path_label(m.group(0)), text)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        text = _ENUM.sub(lambda m: str(VALUE_LABELS.get(m.group(0), "")), text)
    return text.strip()


def _plain_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return _scalar(value)
    if isinstance(value, str):
        if value in VALUE_LABELS:
            return VALUE_LABELS[value]
        if _PATH.fullmatch(value):
            return _path_label(value)
        return _DURATION.sub(_duration, value)
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            return None
        return "、".join(str(_plain_value(v)) for v in value) or "—"
    if isinstance(value, dict):
        return None
    return value


def _plain_message(check: dict[str, Any]) -> str:
    missing = (check.get("facts") or {}).get("not_provided")
    if missing:
        return str(_("未填写：%(fields)s") % {"fields": "、".join(_path_label(p) for p in missing)})
    return plain_text(str(check.get("message", "")))


def check_view(check: dict[str, Any]) -> CheckView:
    facts = check.get("facts") or {}
    rows = []
    for key, value in facts.items():
        shown = _plain_value(value)
        if key in FACT_LABELS and shown is not None:
            rows.append(FactRow(_label(key), shown, _unit(key, value)))
    shortfall: int | None = None
    unit = ""
    value = facts.get("shortfall")
    if (
        check.get("outcome") == "fail"
        and isinstance(value, int)
        and not isinstance(value, bool)
        and value > 0
    ):
        shortfall, unit = value, str(UNIT_TEXT[YUAN])
    else:
        days = _days_short(check)
        if days is not None:
            shortfall, unit = days, str(UNIT_TEXT[DAYS])
    outcome = str(check.get("outcome", ""))
    return CheckView(
        rule=str(check.get("rule", "")),
        outcome=outcome,
        outcome_label=OUTCOMES.get(outcome, outcome),
        tag=OUTCOME_TAGS.get(outcome, ""),
        message=_plain_message(check),
        facts=rows,
        shortfall=shortfall,
        shortfall_unit=unit,
    )


def result_view(result: dict[str, Any]) -> dict[str, Any]:
    """The template context of a result: every check with clause/rule ID, message, facts and shortfall."""
    clauses = []
    for clause in result.get("clauses") or []:
        number = clause.get("clause")
        outcome = str(clause.get("outcome", ""))
        clauses.append(
            {
                "number": number,
                "name": CLAUSES.get(number, ""),
                "outcome": outcome,
                "outcome_label": OUTCOMES.get(outcome, outcome),
                "tag": OUTCOME_TAGS.get(outcome, ""),
                "qualifies": number in (result.get("qualifying_clauses") or []),
                "checks": [check_view(c) for c in clause.get("checks") or []],
            }
        )
    checks = [check_view(c) for c in result.get("checks") or []]
    # the basic income condition (1.2 / 1.5 ×) that clauses 1–3 and 6–8 share, when it fails
    basic_income = [
        c
        for c in (clauses[0]["checks"] if clauses else [])
        if c.rule == "APP-INCOME-RECENT" and c.outcome == "fail"
    ]
    decision = str(result.get("decision", ""))
    return {
        "decision": decision,
        "decision_label": DECISIONS.get(decision, decision),
        "decision_tag": {"eligible": "tag-pass", "needs_review": "tag-review", "ineligible": "tag-fail"}.get(
            decision, ""
        ),
        "checks": checks,
        "failed": [c for c in checks if c.outcome in ("fail", "review")] + basic_income,
        "clauses": clauses,
        "qualifying": [c for c in clauses if c["qualifies"]],
        "parameters": result.get("parameters") or [],
        "deadlines": result.get("deadlines"),
        "as_of": result.get("as_of"),
    }


NEXT_STEPS = {
    "eligible": _(
        "请您的单位经办人登录本系统为您发起申请；您登录后完善个人信息并按材料清单上传材料。"
        "结果仅供参考，以主管部门审核为准。"
    ),
    "needs_review": _(
        "以下事项由主管部门审核人员人工判断，系统不会自行拒绝。可以由单位发起申请，"
        "并在材料中说明情况；如有疑问，请咨询海淀区人才服务窗口。"
    ),
    "ineligible": _(
        "按您填写的情况，目前还不符合条件。补足下面列出的差距后可再自测；"
        "如认为填写有误，可以修改答案重新判断。"
    ),
}
HEADLINES = {
    "eligible": _("您很可能符合条件"),
    "needs_review": _("有些条件需要主管部门人工判断"),
    "ineligible": _("按您填写的情况，目前还不符合条件"),
}


def plain_answer(result: dict[str, Any], chosen: list[int]) -> dict[str, Any]:
    """The plain answer at the end of the guided self-check (issue 10, item 5): which clause the
    person probably qualifies under, each shortfall (yuan or days), and what to do next.

    Only the checks of the clauses the person chose are listed (all of them if none was chosen).
    """
    wanted = set(chosen) or {c["number"] for c in result["clauses"]}
    seen: set[tuple[str, str]] = set()
    shortfalls: list[CheckView] = []
    reviews: list[CheckView] = []
    base = list(result["checks"])
    clause_checks = [
        c for clause in result["clauses"] if clause["number"] in wanted for c in clause["checks"]
    ]
    if result["qualifying"]:
        clause_checks = []  # one clause is enough: the others' gaps do not matter
    for check in base + clause_checks:
        key = (check.rule, check.message)
        if key in seen:
            continue
        seen.add(key)
        if check.outcome == "fail":
            shortfalls.append(check)
        elif check.outcome == "review":
            reviews.append(check)
    decision = result["decision"]
    return {
        "headline": HEADLINES.get(decision, ""),
        "qualifying": result["qualifying"],
        "chosen": [c for c in result["clauses"] if c["number"] in wanted],
        "shortfalls": shortfalls,
        "reviews": reviews,
        "next": NEXT_STEPS.get(decision, ""),
    }
