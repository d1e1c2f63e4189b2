"""Words for the engine's decisions and outcomes on the simulation pages and exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DECISIONS = {
    "eligible": _("符合条件"),
    "needs_review": _("需人工审核"),
    "ineligible": _("不符合条件"),
    "pass": _("通过"),
    "review": _("待核实"),
    "fail": _("不通过"),
}


def decision(code: str) -> str:
    return str(DECISIONS.get(code, code))


def step(code: str) -> str:
    """ "eligible>ineligible" → "符合条件 → 不符合条件"."""
    before, _sep, after = code.partition(">")
    return f"{decision(before)} → {decision(after)}" if after else decision(code)


def employer_kind(code: str) -> str:
    """The registry's words for a legal-person kind (enterprise → 企业)."""
    from employers.models import LegalPersonKind

    try:
        return str(LegalPersonKind(code).label)
    except ValueError:
        return code or "—"


def grouped(changes: list[dict[str, object]]) -> list[dict[str, object]]:
    """The same change in several clauses (the basic income window is shared) shown once, with its
    clauses listed: {"clauses": "1、2、3"}."""
    out: dict[tuple[object, ...], dict[str, object]] = {}
    for change in changes:
        key = tuple((k, v) for k, v in change.items() if k != "clause")
        entry = out.setdefault(key, {**change, "clauses": []})
        clauses = entry["clauses"]
        assert isinstance(clauses, list)
        if change.get("clause") is not None:
            clauses.append(str(change["clause"]))
    return [{**entry, "clauses": "、".join(entry["clauses"])} for entry in out.values()]  # type: ignore[arg-type]
