"""Document access for cases: the applicant of a case and operators of its employer may read the
documents linked to it (materials.access rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.models import CaseDocument

if TYPE_CHECKING:
    from accounts.models import User
    from materials.models import Document


def case_participant_may_view(user: User, document: Document) -> bool:
    links = CaseDocument.objects.filter(document=document)
    if user.is_applicant:
        return links.filter(case__applicant__user=user).exists()
    if user.is_operator:
        operator = getattr(user, "operator", None)
        return operator is not None and links.filter(case__employer_id=operator.employer_id).exists()
    return False
