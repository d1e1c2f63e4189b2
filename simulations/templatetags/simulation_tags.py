from django import template

from simulations import labels

register = template.Library()


@register.filter
def decision(code: str) -> str:
    return labels.decision(str(code))


@register.filter
def step(code: str) -> str:
    return labels.step(str(code))
