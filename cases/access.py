"""Document access for cases: the applicant of a case and operators of its employer may read the
documents linked to it; the municipal ratifier (核准, BIZ-TIME-LIMIT), having passed the second
factor, may read those of a case awaiting ratification (materials.access rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.models import CaseDocument, State

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


def ratifier_may_view_awaiting_ratification(user: User, document: Document) -> bool:
    """核准: the ratifier reads the files of a case the district approved and that awaits 核准 (not
    of a case before or after that step); only once the TOTP second factor is passed."""
    if not user.is_ratifier or not getattr(user, "is_verified", lambda: False)():
        return False
    return CaseDocument.objects.filter(document=document, case__state=State.AWAITING_RATIFICATION).exists()
