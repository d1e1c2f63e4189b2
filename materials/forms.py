"""Forms of the materials context."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.dates import PastDatesMixin
from policy.materials_catalogue import CATALOGUE

APPLICANT_MATERIALS = [
    "GRADUATION-CERT",
    "DEGREE-CERT",
    "TITLE-CERT",
    "EDUCATION-CERT",
    "INCOME-RECORDS",
    "INCOME-RECORDS-3Y",
    "HUKOU-PAGES",
    "APPLICANT-INTEGRITY",
    "LEASE",
    "PROPERTY-CERT",
    "RESIDENCE-CARD-CONFIRMATION",
    "CHILD-BIRTH-CERT",
    "CHILD-HUKOU",
    "PARENTS-MARRIAGE-CERT",
    "ID-PHOTO",
]


def material_choices() -> list[tuple[str, str]]:
    english = (get_language() or "").startswith("en")
    return [(m, CATALOGUE[m].en if english else CATALOGUE[m].zh) for m in APPLICANT_MATERIALS]


DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class UploadForm(PastDatesMixin, forms.Form):
    past_date_fields = ("issued_on",)

    material = forms.ChoiceField(label=_("材料"), choices=material_choices)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("原件的彩色 PDF 扫描件，四边完整、正方向；照片为 JPEG 或 PNG。"),
    )
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DATE_INPUT)
    issued_on = forms.DateField(label=_("出具日期"), required=False, widget=DATE_INPUT)
    replaces = forms.UUIDField(required=False, widget=forms.HiddenInput)
