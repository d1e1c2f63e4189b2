from django import template

from core import masking

register = template.Library()


@register.filter
def mask_id(value: str | None) -> str:
    return masking.mask_id_number(value)


@register.filter
def mask_name(value: str | None) -> str:
    return masking.mask_name(value)


@register.filter
def mask_phone(value: str | None) -> str:
    return masking.mask_phone(value)


@register.simple_tag
def in_language(message: object, part: str) -> str:
    """An inbox message's subject or body in the reader's language (core.models.Notification)."""
    from django.utils.translation import get_language

    language = "en" if (get_language() or "").startswith("en") else "zh"
    return str(getattr(message, f"{part}_in")(language))
