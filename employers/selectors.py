"""Reads about employers, operators and associations; other apps use these, never the models' internals."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from employers import materials_catalogue as mc
from employers.models import (
    INNOVATION_CATEGORIES,
    SERVICE_CATEGORIES,
    Association,
    AssociationStatus,
    Employer,
    EmployerFactChange,
    FactChangeStatus,
    Invitation,
    Operator,
    RegistryEntry,
    RightsEvent,
    RightsKind,
    RightsStatus,
)
from materials.models import Document

if TYPE_CHECKING:
    from accounts.models import User
    from applicants.models import Applicant


def operator_for(user: User) -> Operator | None:
    if not user.is_authenticated:
        return None
    return Operator.objects.select_related("employer__registry").filter(user=user).first()


def employer_for_operator(user: User) -> Employer | None:
    operator = operator_for(user)
    return operator.employer if operator else None


def approved_association_for(applicant: Applicant) -> Association | None:
    """BIZ-ONE-EMPLOYER: at most one approved association per applicant."""
    return (
        Association.objects.select_related("employer__registry")
        .filter(applicant=applicant, status=AssociationStatus.APPROVED)
        .first()
    )


def pending_association_for(applicant: Applicant) -> Association | None:
    return (
        Association.objects.select_related("employer__registry")
        .filter(applicant=applicant, status=AssociationStatus.PENDING)
        .first()
    )


def current_employer_for(applicant: Applicant) -> Employer | None:
    association = approved_association_for(applicant)
    return association.employer if association else None


def associations_of(applicant: Applicant) -> QuerySet[Association]:
    return (
        Association.objects.select_related("employer__registry")
        .filter(applicant=applicant)
        .order_by("-requested_at")
    )


def facts_for(employer: Employer) -> dict[str, Any]:
    """The eligibility contract's `employer` object (ORG-* rules read these keys)."""
    registry = employer.registry
    return {
        "kind": registry.legal_person_kind,
        "registered_district": registry.registered_district,
        "tax_registered_on": employer.tax_registered_on.isoformat() if employer.tax_registered_on else None,
        "registered_capital": registry.registered_capital,
        "annual_tax": employer.annual_tax,
        "ai_key_area": employer.ai_key_area,
        "growth_tech": employer.growth_tech,
        "innovation_entity": employer.category in INNOVATION_CATEGORIES,
        "service_entity": employer.category in SERVICE_CATEGORIES,
        "receive_only": employer.rights_status == RightsStatus.APPROVED
        and employer.rights_kind == RightsKind.RECEIVE_ONLY,
        "sanctioned": False,
    }


def current_documents(employer: Employer) -> dict[str, Document]:
    """The current version of each of the employer's own materials (not applicants' documents)."""
    documents = Document.objects.filter(
        employer=employer,
        applicant__isnull=True,
        material__in=mc.EMPLOYER_MATERIALS,
        replaced_by__isnull=True,
    ).order_by("uploaded_at")
    return {document.material: document for document in documents}


def required_rights_materials(employer: Employer, kind: str) -> list[str]:
    """注册 1 materials; the qualification certificate when a category other than 其他 is claimed;
    the commitment letter for receive-only rights (单位变更 注意事项 3)."""
    required = [mc.BUSINESS_LICENCE, mc.EMPLOYER_TAX, mc.HANDLER_ID, mc.EMPLOYER_INTEGRITY]
    if employer.category != "other":
        required.insert(1, mc.QUALIFICATION_CERT)
    if kind == RightsKind.RECEIVE_ONLY:
        required.append(mc.COMMITMENT_LETTER)
    return required


def missing_rights_materials(employer: Employer, kind: str, today: date) -> list[str]:
    """Required materials with no current upload; a yearly integrity statement of a past year is missing."""
    documents = current_documents(employer)
    missing = []
    for material in required_rights_materials(employer, kind):
        document = documents.get(material)
        if document is None or (document.valid_until is not None and document.valid_until < today):
            missing.append(material)
    return missing


def pending_rights_requests() -> QuerySet[Employer]:
    """First requests and receive-only employers' requests for full rights (issue 10, item 8)."""
    return (
        Employer.objects.select_related("registry")
        .filter(Q(rights_status=RightsStatus.PENDING) | Q(upgrade_status=RightsStatus.PENDING))
        .order_by("rights_requested_at", "id")
    )


def condition_shortfalls(employer: Employer, today: date) -> list[str]:
    """The employer conditions (三（一）) this employer does not meet today, in words: a failed or
    unanswered check (a check left to the reviewer's judgement does not stop the request)."""
    from django.utils import translation

    from eligibility.services import engine_lang

    checks = organisation_checks(employer, today, engine_lang(translation.get_language()))
    if not checks:
        return [str(_("暂无法判定单位申请条件，请稍后再试。"))]
    shortfalls = []
    for check in checks:
        if check.outcome not in ("fail", "not_provided"):
            continue
        missing = (check.facts or {}).get("not_provided") or []
        if missing:  # a field path is never shown: the field's own name instead
            names = "、".join(_field_label(path) for path in missing)
            shortfalls.append(str(_("未填写：%(names)s（请在“单位信息”中填写）") % {"names": names}))
        else:
            shortfalls.append(str(check.message))
    return shortfalls


def _field_label(path: str) -> str:
    name = path.rsplit(".", 1)[-1]
    for model in (Employer, RegistryEntry):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue
    return str(_("单位信息"))


def rights_history(employer: Employer) -> QuerySet[RightsEvent]:
    return RightsEvent.objects.filter(employer=employer).select_related("actor").order_by("at", "id")


def associations_for_employer(employer: Employer, status: str) -> QuerySet[Association]:
    return (
        Association.objects.select_related("applicant")
        .filter(employer=employer, status=status)
        .order_by("requested_at")
    )


def association_for_operator(user: User, public_id: UUID | str) -> Association | None:
    employer = employer_for_operator(user)
    if employer is None:
        return None
    return (
        Association.objects.select_related("applicant", "employer__registry")
        .filter(employer=employer, public_id=public_id)
        .first()
    )


def operators_of(employer: Employer) -> QuerySet[Operator]:
    return employer.operators.select_related("user").order_by("-is_admin", "created_at")


def open_invitations(employer: Employer) -> QuerySet[Invitation]:
    return employer.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)


def operator_users(employer: Employer) -> list[User]:
    return [operator.user for operator in operators_of(employer) if operator.user.is_active]


def organisation_checks(employer: Employer, today: date, lang: str = "zh") -> list[Any]:
    """The employer conditions (三（一）: ORG-LEGAL-ENTITY, ORG-HAIDIAN, ORG-TAX-TENURE, ORG-CAPITAL,
    ORG-ANNUAL-TAX) evaluated by the policy engine on `today`, shown to the reviewer of a rights request.
    Empty when the engine cannot evaluate (e.g. a parameter without a value in force)."""
    from eligibility.services import current_calendar, current_parameters
    from policy.context import Context
    from policy.errors import PolicyError
    from policy.facts import Facts
    from policy.rules import employer as rules

    try:
        facts = Facts.model_validate({"business": "new", "as_of": today, "employer": facts_for(employer)})
        ctx = Context(facts, current_parameters(), current_calendar(), lang)
        return [
            rule(facts, ctx)
            for rule in (
                rules.org_legal_entity,
                rules.org_haidian,
                rules.org_tax_tenure,
                rules.org_capital,
                rules.org_annual_tax,
            )
        ]
    except PolicyError:
        return []


def pending_fact_changes(employer: Employer) -> QuerySet[EmployerFactChange]:
    """Changes of decision facts waiting for a reviewer (issue 11): the values in force stay until then."""
    return employer.fact_changes.filter(status=FactChangeStatus.PENDING).select_related("proposed_by")


def fact_change_history(employer: Employer) -> QuerySet[EmployerFactChange]:
    return employer.fact_changes.select_related("proposed_by", "decided_by").order_by("-proposed_at", "-id")


def employers_with_pending_fact_changes() -> QuerySet[Employer]:
    return (
        Employer.objects.select_related("registry")
        .filter(fact_changes__status=FactChangeStatus.PENDING)
        .distinct()
        .order_by("registry__name")
    )
