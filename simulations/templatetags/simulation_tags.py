from django import template

from simulations import labels

register = template.Library()


@register.filter
def decision(code: str) -> str:
    return labels.decision(str(code))


@register.filter
def step(code: str) -> str:
    return labels.step(str(code))


@register.filter
def employer_kind(code: str) -> str:
    return labels.employer_kind(str(code))


@register.filter
def grouped(changes: list[dict[str, object]]) -> list[dict[str, object]]:
    return labels.grouped(list(changes))
