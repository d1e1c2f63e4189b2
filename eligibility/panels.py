"""Home-page panel for supervisors: the policy parameters and the working-day calendar they maintain."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home_panels import Panel, PanelItem


def supervisor_panel(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not getattr(user, "is_supervisor", False):
        return []
    from eligibility import services

    next_year = timezone.localdate().year + 1
    items = [
        PanelItem(label=_("政策参数（全口径月平均工资等）"), url=reverse("eligibility:admin_parameters"))
    ]
    calendar = services.current_calendar()
    if calendar.published(next_year):
        items.append(PanelItem(label=_("工作日历"), url=reverse("eligibility:admin_calendar")))
    else:
        items.append(
            PanelItem(
                label=_("工作日历"),
                url=reverse("eligibility:admin_calendar"),
                note=_("%(y)d 年工作日历尚未录入") % {"y": next_year},
            )
        )
    return [Panel(title=_("政策参数与工作日历"), items=items, order=90)]
