"""Home-page panel for supervisors: policy simulation (draft reforms, runs, publications to approve)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.home_panels import Panel, PanelItem


def supervisor_panel(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not getattr(user, "is_supervisor", False):
        return []
    from simulations import selectors

    waiting = selectors.proposals_waiting_for(user)  # type: ignore[arg-type]
    item = PanelItem(label=_("政策模拟（调整参数的影响）"), url=reverse("simulations:index"))
    items = [item]
    if waiting:
        items.append(
            PanelItem(
                label=_("待审批的参数发布"),
                url=reverse("simulations:index"),
                note=_("%(n)d 项待您审批") % {"n": waiting},
            )
        )
    return [Panel(title=_("政策模拟"), items=items, order=91)]
