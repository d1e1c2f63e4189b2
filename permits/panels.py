"""Home-page panels of the permits context (registered in PermitsConfig.ready)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.home_panels import Panel, PanelItem
from permits.models import Permit, PermitStatus
from permits.selectors import permits_for_user


def permit_panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    if user.is_applicant:
        return [_holder_panel(request)]
    if user.is_operator:
        return [_employer_panel(request)]
    return []


def _holder_panel(request: HttpRequest) -> Panel:
    items = []
    permit: Permit
    for permit in permits_for_user(request.user)[:3]:  # type: ignore[arg-type]
        note = _("%(status)s，有效期至 %(expires)s") % {
            "status": permit.get_status_display(),
            "expires": permit.expires_on.isoformat(),
        }
        items.append(
            PanelItem(label=permit.number, url=reverse("permits:detail", args=[permit.public_id]), note=note)
        )
        if permit.is_current:
            items.append(
                PanelItem(
                    label=_("打印《北京市工作居住证确认单》"),
                    url=reverse("permits:slip", args=[permit.public_id]),
                )
            )
    return Panel(
        title=_("我的工作居住证"),
        items=items,
        empty_text=_("您尚未持有工作居住证。业务审核通过后，可在此打印确认单。"),
        order=20,
    )


def _employer_panel(request: HttpRequest) -> Panel:
    due = permits_for_user(request.user).filter(status=PermitStatus.RENEWAL_DUE).order_by("expires_on")  # type: ignore[arg-type]
    items = [
        PanelItem(
            label=f"{permit.holder.name} · {permit.number}",
            url=reverse("permits:detail", args=[permit.public_id]),
            note=_("有效期至 %(expires)s，请及时办理续签") % {"expires": permit.expires_on.isoformat()},
        )
        for permit in due[:10]
    ]
    return Panel(
        title=_("待续签的工作居住证"),
        items=items,
        empty_text=_("目前没有进入续签期的证件。"),
        action_label=_("全部证件"),
        action_url=reverse("permits:list"),
        order=40,
    )
