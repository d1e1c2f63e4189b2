"""Home-page panels: the cases that wait for the user (applicant, operator, reviewer)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import selectors
from cases.models import OPEN_STATES, State
from cases.next_step import banner_for
from core.home_panels import Panel, PanelItem

WAITING_FOR = {
    "applicant": (State.DRAFT, State.RETURNED_TO_APPLICANT),
    "operator": (State.DRAFT, State.WITH_EMPLOYER, State.RETURNED_TO_EMPLOYER),
}


def _panel_note(user: Any, case: Any) -> str:
    """Who acts next (cases.next_step), with the due date that concerns the user."""
    step = banner_for(user, case)
    if step is None:
        return str(case.get_state_display())
    note = step.title
    if step.you_act:
        note = f"{_('待您处理')}：{note}"
    if step.due_on:
        note += f"（{step.due_label} {step.due_on:%Y-%m-%d}）"
    return note


def cases_panel(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    if user.is_district_staff:
        return [
            Panel(
                title=_("审核工作台"),
                empty_text=_("待受理及审核中的申请在审核工作台查看。"),
                action_label=_("进入审核工作台"),
                action_url=reverse("cases:queue"),
                order=20,
            )
        ]
    if user.is_ratifier:
        return [
            Panel(
                title=_("核准工作台"),
                empty_text=_("海淀区审核通过、待市级核准的申请在核准工作台查看。"),
                action_label=_("进入核准工作台"),
                action_url=reverse("cases:ratify_queue"),
                order=20,
            )
        ]
    if not (user.is_applicant or user.is_operator):
        return []
    cases = (
        selectors.cases_for_user(user)
        .filter(state__in=[str(s) for s in OPEN_STATES])
        .order_by("-updated_at")[:10]
    )
    items = [
        PanelItem(
            label=f"{case.reference} · {case.get_kind_display()} · {case.applicant.name}",
            url=reverse("cases:detail", args=[case.public_id]),
            note=_panel_note(user, case),
        )
        for case in cases
    ]
    return [
        Panel(
            title=_("我的业务"),
            items=items,
            empty_text=_("暂无办理中的业务。"),
            action_label=_("查看全部业务"),
            action_url=reverse("cases:list"),
            order=30,
        )
    ]


def override_panel(request: HttpRequest) -> list[Panel]:
    """Supervisors: overrides to or from `fail` waiting for a second approval (edition 2, four eyes)."""
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_supervisor", False):
        return []
    pending = selectors.pending_overrides()
    items = [
        PanelItem(
            label=f"{item.snapshot.case.reference} · {item.snapshot.case.get_kind_display()}",
            url=f"{reverse('cases:override_queue')}#override-{item.pk}",
            note=str(_("您本人提出，须由其他主管批准") if item.by_id == user.pk else _("待您批准")),
        )
        for item in pending[:10]
    ]
    return [
        Panel(
            title=_("待批准的人工判定"),
            items=items,
            empty_text=_("暂无待批准的人工判定。"),
            action_label=_("查看全部待批准的人工判定"),
            action_url=reverse("cases:override_queue"),
            order=21,
        )
    ]
