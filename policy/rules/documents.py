"""Document rules (rules.md section 5: 四（二）, 新办 注意事项 5)."""

from __future__ import annotations

from policy.context import Context
from policy.dates import add_months, add_years
from policy.facts import Facts
from policy.result import Check


def doc_validity(facts: Facts, ctx: Context) -> Check:
    """DOC-VALIDITY: a document with an end date still runs ≥ 3 months after submission.

    `valid_until >= submitted_on + 3 months`; not applicable when no document has an end date.
    """
    rule = "DOC-VALIDITY"
    months = ctx.integer("P-DOC-VALIDITY-MONTHS")
    required = add_months(ctx.submitted_on, months)
    dated = [d for d in facts.documents if d.valid_until is not None]
    data: dict[str, object] = {
        "submitted_on": ctx.submitted_on.isoformat(),
        "months": months,
        "valid_until_at_least": required.isoformat(),
    }
    if not dated:
        return ctx.check(rule, "not_applicable", f"{rule}.none", data)
    short = [
        {"kind": d.kind, "valid_until": d.valid_until.isoformat()}
        for d in dated
        if d.valid_until is not None and d.valid_until < required
    ]
    data["failing"] = short
    if short:
        listing = ", ".join(f"{d['kind']} ({d['valid_until']})" for d in short)
        return ctx.check(rule, "fail", f"{rule}.fail", data, list=listing)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def doc_recency(facts: Facts, ctx: Context) -> Check:
    """DOC-RECENCY: a material with an issue date is dated within 1 month before submission.

    `submitted_on − 1 month <= issued_on <= submitted_on`; not applicable when no document has one.
    """
    rule = "DOC-RECENCY"
    months = ctx.integer("P-DOC-RECENCY-MONTHS")
    earliest = add_months(ctx.submitted_on, -months)
    dated = [d for d in facts.documents if d.issued_on is not None]
    data: dict[str, object] = {
        "submitted_on": ctx.submitted_on.isoformat(),
        "months": months,
        "issued_on_at_least": earliest.isoformat(),
    }
    if not dated:
        return ctx.check(rule, "not_applicable", f"{rule}.none", data)
    bad = [
        {"kind": d.kind, "issued_on": d.issued_on.isoformat()}
        for d in dated
        if d.issued_on is not None and not (earliest <= d.issued_on <= ctx.submitted_on)
    ]
    data["failing"] = bad
    if bad:
        listing = ", ".join(f"{d['kind']} ({d['issued_on']})" for d in bad)
        return ctx.check(rule, "fail", f"{rule}.fail", data, list=listing)
    return ctx.check(rule, "pass", f"{rule}.pass", data)


def child_minor(facts: Facts, ctx: Context) -> Check:
    """CHILD-MINOR: every accompanying child is under 18 on `as_of` and has no Beijing hukou."""
    rule = "CHILD-MINOR"
    children = facts.applicant.children
    adult_age = ctx.integer("P-CHILD-ADULT-AGE")
    if not children:
        return ctx.check(rule, "not_applicable", f"{rule}.none", {"children": 0})
    missing = []
    for i, child in enumerate(children):
        if child.birth_date is None:
            missing.append(f"applicant.children[{i}].birth_date")
        if child.hukou is None:
            missing.append(f"applicant.children[{i}].hukou")
    if missing:
        return ctx.not_provided(rule, *missing)
    adults = []
    beijing = []
    listed = []
    for i, child in enumerate(children):
        assert child.birth_date is not None
        adult_on = add_years(child.birth_date, adult_age)
        listed.append(
            {
                "child": i,
                "birth_date": child.birth_date.isoformat(),
                "adult_on": adult_on.isoformat(),
                "hukou": child.hukou,
            }
        )
        if ctx.as_of >= adult_on:
            adults.append(i)
        if child.hukou != "non_beijing":
            beijing.append(i)
    data: dict[str, object] = {
        "as_of": ctx.as_of.isoformat(),
        "adult_age": adult_age,
        "children": listed,
        "adults": adults,
        "beijing_hukou": beijing,
    }
    if adults:
        first = listed[adults[0]]
        return ctx.check(
            rule,
            "fail",
            f"{rule}.adult",
            data,
            child=adults[0],
            birth_date=first["birth_date"],
            adult_on=first["adult_on"],
        )
    if beijing:
        return ctx.check(rule, "fail", f"{rule}.beijing", data, child=beijing[0])
    return ctx.check(rule, "pass", f"{rule}.pass", data)
