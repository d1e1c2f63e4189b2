"""`{% next_step_banner case %}`: who acts next on this case, for the person viewing it (issue 10, item 4)."""

from __future__ import annotations

from typing import Any

from django import template

from cases.models import Case
from cases.next_step import banner_for

register = template.Library()


@register.inclusion_tag("cases/_next_step.html", takes_context=True)
def next_step_banner(context: template.Context, case: Case, role: str = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"step": banner_for(user, case, role) if user is not None else None}
