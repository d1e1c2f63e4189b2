"""Home-page panel for uploaders: their materials whose checks found something to fix (DOC-FORMAT)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.home_panels import Panel, PanelItem
from materials.models import CheckStatus
from materials.selectors import current_documents_of
from materials.templatetags.materials_tags import material_name


def uploader_panel(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not user.is_authenticated or not getattr(user, "is_applicant", False):
        return []
    mine = reverse("materials:mine")
    failed = current_documents_of(user).filter(check_status=CheckStatus.FAILED)
    items = [
        PanelItem(
            label=material_name(document.material),
            url=f"{mine}#document-{document.public_id}",
            note=_("检查未通过，请上传新版本"),
        )
        for document in failed[:10]
    ]
    return [
        Panel(
            title=_("需要更正的材料"),
            items=items,
            empty_text=_("已上传的材料均已通过检查。"),
            action_label=_("我的材料"),
            action_url=mine,
            order=60,
        )
    ]
