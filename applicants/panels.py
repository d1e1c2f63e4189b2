"""Home-page panel: what the applicant still has to fill in (完善个人信息)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from applicants.selectors import SECTION_LABELS, applicant_for_user, missing_profile_items
from core.home_panels import Panel, PanelItem


def profile_panel(request: HttpRequest) -> list[Panel]:
    applicant = applicant_for_user(request.user)
    if applicant is None or not getattr(request.user, "is_applicant", False):
        return []
    url = reverse("applicants:profile")
    items = [
        PanelItem(label=str(label), url=f"{url}#section-{section}", note=str(SECTION_LABELS[section]))
        for section, label in missing_profile_items(applicant)
    ]
    return [
        Panel(
            title=_("完善个人信息"),
            items=items,
            empty_text=_("个人信息已完善。"),
            action_label=_("查看和修改个人信息"),
            action_url=url,
            order=10,
        )
    ]
