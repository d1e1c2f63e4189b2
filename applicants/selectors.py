"""Reads for applicants: profile completeness and the applicant's facts for the eligibility engine."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from applicants.models import Applicant, Child, Period, ResidenceKind, Sex

# Section keys, in the order the profile page shows them.
SECTIONS: list[tuple[str, Any]] = [
    ("basic", _("基础信息")),
    ("education", _("教育信息")),
    ("title", _("专业技术职务")),
    ("periods", _("学习和工作经历")),
    ("photo", _("证件照片")),
    ("residence", _("在京住所")),
    ("children", _("随往子女")),
]
SECTION_LABELS = dict(SECTIONS)


def missing_profile_items(applicant: Applicant) -> list[tuple[str, str]]:
    """What the applicant still has to fill in before a case can be submitted: (section, label)."""
    missing: list[tuple[str, str]] = []

    def need(section: str, label: Any) -> None:
        missing.append((section, str(label)))

    if not applicant.hukou:
        need("basic", _("户籍类型"))
    if not applicant.hukou_address.strip():
        need("basic", _("户口所在地"))
    if applicant.sex == Sex.FEMALE and not applicant.retirement_category:
        need("basic", _("退休年龄类别"))
    if not applicant.degree:
        need("education", _("最高学位"))
    if not applicant.school.strip():
        need("education", _("毕业院校"))
    if applicant.graduation_date is None:
        need("education", _("毕业日期"))
    if not applicant.education_verification:
        need("education", _("学历在线核验状态"))
    if applicant.has_title:
        if not applicant.title:
            need("title", _("专业技术职务"))
        if not applicant.title_route:
            need("title", _("职称取得方式"))
    if not applicant.periods.filter(kind=Period.Kind.WORK).exists():
        need("periods", _("至少一段工作经历"))
    if applicant.photo_id is None:
        need("photo", _("证件照片"))
    if not applicant.residence_kind:
        need("residence", _("住所类型"))
    if not applicant.residence_address.strip():
        need("residence", _("现居住地址"))
    if applicant.residence_kind == ResidenceKind.RENTED and not applicant.landlord:
        need("residence", _("出租方类型"))
    return missing


def section_status(applicant: Applicant) -> dict[str, bool]:
    """section key -> done (True) / to do (False)."""
    missing_sections = {section for section, _label in missing_profile_items(applicant)}
    return {key: key not in missing_sections for key, _label in SECTIONS}


def facts_for(applicant: Applicant) -> dict[str, Any]:
    """The profile as the eligibility contract's `applicant` keys (values as in the contract).

    Facts the applicant has not filled in yet are left out, so the engine reports them as
    "not provided" instead of judging a guess. `title` is null when the applicant holds none.
    Employment, income and social-insurance facts come from the employer's side of the case.
    """
    facts: dict[str, Any] = {"birth_date": applicant.birth_date.isoformat()}
    if applicant.retirement_category:
        facts["retirement_category"] = applicant.retirement_category
    if applicant.hukou:
        facts["hukou"] = applicant.hukou
    if applicant.residence_kind:
        residence: dict[str, Any] = {
            "kind": applicant.residence_kind,
            "in_beijing": applicant.residence_in_beijing,
            "residential": applicant.residence_residential,
        }
        if applicant.residence_kind == ResidenceKind.RENTED and applicant.landlord:
            residence["landlord"] = applicant.landlord
        if applicant.residence_kind == ResidenceKind.RELATIVES:
            residence["co_owned"] = applicant.co_owned
        facts["residence"] = residence
    if applicant.degree:
        facts["degree"] = applicant.degree
    if applicant.education_verification:
        facts["education_verification"] = applicant.education_verification
    facts["work_periods"] = [
        {"start": period.start.isoformat(), "end": period.end.isoformat() if period.end else None}
        for period in applicant.periods.filter(kind=Period.Kind.WORK).order_by("start")
    ]
    if applicant.has_title and applicant.title:
        facts["title"] = applicant.title
        facts["title_route"] = applicant.title_route or None
        facts["title_verifiable_online"] = applicant.title_verifiable_online
    else:
        facts["title"] = None
    facts["children"] = [
        {"birth_date": child.birth_date.isoformat(), "hukou": child.hukou, "parents": child.parents}
        for child in children_for(applicant)
    ]
    return facts


def applicant_for_user(user: Any) -> Applicant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Applicant.objects.filter(user=user).first()


def children_for(applicant: Applicant) -> list[Child]:
    """The accompanying children of the profile, eldest first (the order of the contract's list)."""
    return list(applicant.children.order_by("birth_date", "id"))
