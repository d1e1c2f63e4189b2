"""Who may read a document. Each context registers a rule; any rule saying yes grants access.

Contexts register in their AppConfig.ready() (for example cases: operators of the case's employer),
so this module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User
    from materials.models import Document

Rule = Callable[["User", "Document"], bool]
_rules: list[Rule] = []


def register(rule: Rule) -> Rule:
    if rule not in _rules:
        _rules.append(rule)
    return rule


def can_view(user: User, document: Document) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return any(rule(user, document) for rule in _rules)


@register
def uploader_or_staff(user: User, document: Document) -> bool:
    return document.uploaded_by_id == user.pk or user.is_district_staff


@register
def owner(user: User, document: Document) -> bool:
    if document.applicant_id is not None and getattr(user, "applicant", None) is not None:
        return document.applicant_id == user.applicant.pk
    if document.employer_id is not None and getattr(user, "operator", None) is not None:
        return document.employer_id == user.operator.employer_id
    return False
