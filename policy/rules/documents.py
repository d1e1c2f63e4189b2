"""Document rules (rules.md section 5: 四（二）, 新办 注意事项 5)."""

from __future__ import annotations

from datetime import date

from policy.context import Context
from policy.dates import add_months, add_years
from policy.facts import Facts
from policy.materials_catalogue import document_name
from policy.result import Check

RECENT_KINDS = frozenset(
    {
        "residence_card_confirmation",
        "unit_residence_cert",
        "relative_declaration",
        "coowner_declaration",
        "applicant_integrity",
        "tax_enquiry_notice",
        "tax_certificate",
        "income_records",
        "tax_records",
        # the same materials under their catalogue IDs (materials.md), as the case flow sends them:
        "employer_tax",  # EMPLOYER-TAX: 《税收完税证明》 or 《涉税查询结果告知书》
        "income_records_3y",  # INCOME-RECORDS-3Y: 《申报收入查询记录》《申请人所得税纳税记录》
    }
)
"""DOC-RECENCY: materials produced for this application (申请材料的日期应在1个月以内). Certificates of
past facts (diplomas, titles, awards, marriage and birth papers, property certificates, the
resignation certificate …) are never judged by it."""
YEARLY_KINDS = frozenset({"employer_integrity"})
"""DOC-RECENCY: judged by year (单位诚信声明 需按申报年度更新: its year is the submission's year)."""


def doc_validity(facts: Facts, ctx: Context) -> Check:
    """DOC-VALIDITY (四（二） "带有有效期限的材料…提供时一般应在有效期截止前3个月以上";
    四（五） 材料应真实有效).

    Every document with a `valid_until`: already expired on `submitted_on` → `fail`; still valid
    but `valid_until < submitted_on + 3 months` → `review` (一般); otherwise, or when no document
    has an end date (nothing to judge), → `pass`.
    """
    rule = "DOC-VALIDITY"
    months = ctx.integer("P-DOC-VALIDITY-MONTHS")
    submitted = ctx.submitted_on
    required = add_months(submitted, months)
    dated = [d for d in facts.documents if d.valid_until is not None]
    data: dict[str, object] = {
        "submitted_on": submitted.isoformat(),
        "months": months,
        "valid_until_at_least": required.isoformat(),
    }
    if not dated:
        return ctx.check(rule, "pass", f"{rule}.none", data)
    expired = [
        {"kind": d.kind, "valid_until": d.valid_until.isoformat()}
        for d in dated
        if d.valid_until is not None and d.valid_until < submitted
    ]
    short = [
        {"kind": d.kind, "valid_until": d.valid_until.isoformat()}
        for d in dated
        if d.valid_until is not None and submitted <= d.valid_until < required
    ]
    data["expired"] = expired
    data["failing"] = short
    if expired:
        return ctx.check(rule, "fail", f"{rule}.expired", data, list=_listing(expired, "valid_until", ctx))
    if short:
        return ctx.check(rule, "review", f"{rule}.review", data, list=_listing(short, "valid_until", ctx))
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def _listing(documents: list[dict[str, str]], field: str, ctx: Context) -> str:
    """Documents as the message lists them: their name in the context's language and the date."""
    return ", ".join(f"{document_name(d['kind'], ctx.lang)} ({d[field]})" for d in documents)


def doc_recency(facts: Facts, ctx: Context) -> Check:
    """DOC-RECENCY (四（二） "申请材料的日期应在1个月以内申报"): a material produced for this
    application (`RECENT_KINDS`) is dated `submitted_on − 1 month <= issued_on <= submitted_on`
    → `fail` otherwise (应); `employer_integrity` is judged by year (需按申报年度更新); every other
    kind, the resignation certificate included, is never judged (edition 2). Not applicable when
    nothing is left to judge.
    """
    rule = "DOC-RECENCY"
    months = ctx.integer("P-DOC-RECENCY-MONTHS")
    submitted = ctx.submitted_on
    earliest = add_months(submitted, -months)
    recent = [d for d in facts.documents if d.issued_on is not None and d.kind in RECENT_KINDS]
    yearly = [d for d in facts.documents if d.issued_on is not None and d.kind in YEARLY_KINDS]
    data: dict[str, object] = {
        "submitted_on": submitted.isoformat(),
        "months": months,
        "issued_on_at_least": earliest.isoformat(),
    }
    if not recent and not yearly:
        return ctx.check(rule, "not_applicable", f"{rule}.none", data)
    bad = [
        {"kind": d.kind, "issued_on": d.issued_on.isoformat()}
        for d in recent
        if d.issued_on is not None and not (earliest <= d.issued_on <= submitted)
    ]
    wrong_year = [
        {"kind": d.kind, "issued_on": d.issued_on.isoformat()}
        for d in yearly
        if d.issued_on is not None and (d.issued_on.year != submitted.year or d.issued_on > submitted)
    ]
    data["failing"] = bad
    data["wrong_year"] = wrong_year
    if bad:
        return ctx.check(rule, "fail", f"{rule}.fail", data, list=_listing(bad, "issued_on", ctx))
    if wrong_year:
        return ctx.check(
            rule,
            "fail",
            f"{rule}.year",
            data,
            list=_listing(wrong_year, "issued_on", ctx),
            year=submitted.year,
        )
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def child_minor(facts: Facts, ctx: Context) -> Check:
    """CHILD-MINOR (新办 注意事项 5 "办理随往国内非京籍子女的，子女应未成年"; 新办 申请人上传 7③
    "需由申请人单独抚养").

    Judged for the children being added (`new`: every child; `info_change`: `added`, defaulting
    to true when `changes` has `child`): under 18 on `as_of` and no Beijing hukou, else `fail`; a
    divorced applicant's child needs `sole_custody` (false → `fail`, unknown → `review`). Renewal
    and employer change: `not_applicable`, the children named (a child who came of age leaves the
    permit and blocks nothing). Messages number children from 1.
    """
    rule = "CHILD-MINOR"
    children = facts.applicant.children
    adult_age = ctx.integer("P-CHILD-ADULT-AGE")
    if facts.business in ("renewal", "employer_change"):
        named = [{"child": i + 1, "birth_date": _iso(c.birth_date)} for i, c in enumerate(children)]
        data_na: dict[str, object] = {"business": facts.business, "children": named}
        key = f"{rule}.not_judged" if children else f"{rule}.none"
        return ctx.check(rule, "not_applicable", key, data_na if children else {"children": 0})
    judged = [(i, c) for i, c in enumerate(children) if facts.child_added(c)]
    if not judged:
        return ctx.check(rule, "not_applicable", f"{rule}.none", {"children": 0})
    missing = []
    for i, child in judged:
        if child.birth_date is None:
            missing.append(f"applicant.children[{i}].birth_date")
        if child.hukou is None:
            missing.append(f"applicant.children[{i}].hukou")
    if missing:
        return ctx.not_provided(rule, *missing)
    adults = []
    beijing = []
    no_custody = []
    custody_unknown = []
    listed = []
    for i, child in judged:
        assert child.birth_date is not None
        number = i + 1
        adult_on = add_years(child.birth_date, adult_age)
        listed.append(
            {
                "child": number,
                "birth_date": child.birth_date.isoformat(),
                "adult_on": adult_on.isoformat(),
                "hukou": child.hukou,
                "parents": child.parents,
                "sole_custody": child.sole_custody,
            }
        )
        if ctx.as_of >= adult_on:
            adults.append(listed[-1])
        if child.hukou != "non_beijing":
            beijing.append(number)
        if child.parents == "divorced":
            if child.sole_custody is False:
                no_custody.append(number)
            elif child.sole_custody is None:
                custody_unknown.append(number)
    data: dict[str, object] = {
        "as_of": ctx.as_of.isoformat(),
        "adult_age": adult_age,
        "children": listed,
        "adults": [a["child"] for a in adults],
        "beijing_hukou": beijing,
        "no_sole_custody": no_custody,
        "sole_custody_unknown": custody_unknown,
    }
    if adults:
        first = adults[0]
        return ctx.check(
            rule,
            "fail",
            f"{rule}.adult",
            data,
            child=first["child"],
            birth_date=first["birth_date"],
            adult_on=first["adult_on"],
        )
    if beijing:
        return ctx.check(rule, "fail", f"{rule}.beijing", data, child=beijing[0])
    if no_custody:
        return ctx.check(rule, "fail", f"{rule}.custody", data, child=no_custody[0])
    if custody_unknown:
        return ctx.check(rule, "review", f"{rule}.custody_unknown", data, child=custody_unknown[0])
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
