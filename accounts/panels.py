"""Home-page panel for supervisors: staff management (人员管理)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES, User
from core.home_panels import Panel, PanelItem


def staff_management_panel(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not getattr(user, "is_supervisor", False):
        return []
    pending = (
        User.objects.filter(role__in=STAFF_ROLES, is_active=True, last_login__isnull=True)
        .exclude(username=user.get_username())
        .order_by("username")
    )
    items = [
        PanelItem(label=str(member), note=_("尚未首次登录（已发送设置密码邮件）")) for member in pending[:10]
    ]
    return [
        Panel(
            title=_("人员管理"),
            items=items,
            empty_text=_("审核人员和主管人员均已开通。"),
            action_label=_("管理审核人员"),
            action_url=reverse("accounts:staff"),
            order=90,
        )
    ]
