"""Template helpers of the materials context: `{% load materials_tags %}`."""

from __future__ import annotations

from typing import Any

from django import template

from materials.services import finding_message
from policy.materials_catalogue import CATALOGUE

register = template.Library()

STATUS_TAGS = {"pending": "tag-todo", "passed": "tag-pass", "warning": "tag-warn", "failed": "tag-fail"}


@register.filter
def finding_text(item: dict[str, Any]) -> str:
    """A finding's message in the active language."""
    return finding_message(item)


@register.filter
def status_tag(status: str) -> str:
    return STATUS_TAGS.get(status, "")


@register.filter
def material_name(material: str) -> str:
    """A material ID's name in the active language (materials catalogue)."""
    from django.utils.translation import get_language

    names = CATALOGUE.get(material)
    if names is None:
        return material
    return names.en if (get_language() or "").startswith("en") else names.zh
