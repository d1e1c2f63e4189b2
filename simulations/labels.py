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
