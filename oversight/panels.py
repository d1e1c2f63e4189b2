"""Home-page panels of the oversight context: what waits for a supervisor."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.home_panels import Panel, PanelItem
from oversight.models import Inspection, InspectionStatus, Sanction, SanctionStatus


def oversight_panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not user.is_authenticated or not user.is_district_staff:
        return []
    if not user.is_supervisor:
        mine = Sanction.objects.filter(proposed_by=user, status=SanctionStatus.PROPOSED).select_related(
            "employer__registry", "applicant"
        )[:10]
        return [
            Panel(
                title=_("我提出的处理措施（待批准）"),
                items=[
                    PanelItem(
                        label=f"{sanction.get_kind_display()} · {sanction.target_name}",
                        url=reverse("oversight:sanction_detail", args=[sanction.public_id]),
                    )
                    for sanction in mine
                ],
                empty_text=_("没有待批准的处理措施。"),
                action_label=_("提出处理措施"),
                action_url=reverse("oversight:sanction_new"),
                order=60,
            )
        ]
    inspections = Inspection.objects.filter(
        status__in=[InspectionStatus.QUEUED, InspectionStatus.RUNNING, InspectionStatus.CLASSIFIED]
    )[:10]
    running = Panel(
        title=_("进行中的证件年检"),
        items=[
            PanelItem(
                label=_("年检 %(day)s") % {"day": inspection.as_of.isoformat()},
                url=reverse("oversight:inspection_detail", args=[inspection.public_id]),
                note=f"{inspection.get_status_display()} · {inspection.percent}%",
            )
            for inspection in inspections
        ],
        empty_text=_("没有进行中的年检。"),
        action_label=_("发起年检"),
        action_url=reverse("oversight:inspection_list"),
        order=30,
    )
    pending = (
        Sanction.objects.filter(status__in=[SanctionStatus.PROPOSED, SanctionStatus.LIFT_PROPOSED])
        .exclude(status=SanctionStatus.PROPOSED, proposed_by=user)
        .exclude(status=SanctionStatus.LIFT_PROPOSED, lift_proposed_by=user)
        .select_related("employer__registry", "applicant")[:10]
    )
    approvals = Panel(
        title=_("待批准的处理措施"),
        items=[
            PanelItem(
                label=f"{sanction.get_kind_display()} · {sanction.target_name}",
                url=reverse("oversight:sanction_detail", args=[sanction.public_id]),
                note=str(sanction.get_status_display()),
            )
            for sanction in pending
        ],
        empty_text=_("没有待批准的处理措施。"),
        action_label=_("全部处理措施"),
        action_url=reverse("oversight:sanction_list"),
        order=31,
    )
    return [running, approvals]
