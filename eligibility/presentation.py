"""How an evaluation result is shown on the public pages: labels for decisions, outcomes and facts."""

from __future__ import annotations

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


def check_view(check: dict[str, Any]) -> CheckView:
    facts = check.get("facts") or {}
    rows = [FactRow(_label(key), _scalar(value), _unit(key, value)) for key, value in facts.items()]
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
        message=str(check.get("message", "")),
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
