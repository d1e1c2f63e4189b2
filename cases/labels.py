"""Names for case pages: materials (from policy's catalogue), uploaders, outcomes."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from policy.materials_catalogue import CATALOGUE

UPLOADER_LABELS = {
    "applicant": _("申请人上传"),
    "employer": _("单位上传"),
    "former_employer": _("原单位上传"),
}


OUTCOME_LABELS = {
    "pass": _("符合"),
    "fail": _("不符合"),
    "review": _("需人工审核"),
    "not_applicable": _("不适用"),
}


def material_label(material: str) -> str:
    """The material's name from policy's catalogue, in the current language."""
    names = CATALOGUE.get(material)
    if names is None:
        return material
    return names.en if (get_language() or "").startswith("en") else names.zh
