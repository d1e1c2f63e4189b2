"""Test worlds for cases: an employer with rights, its operator, an associated applicant with a complete
profile, reviewers; and helpers that drive a case through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from accounts.testing import make_user
from applicants.models import Applicant, Period
from cases import services
from cases.models import Case
from employers.models import Association, Employer, Operator, RegistryEntry, RightsKind, RightsStatus
from materials.models import Document

_seq = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 64


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_employer(*, rights_kind: str = RightsKind.FULL, **fields: Any) -> Employer:
    n = next(_seq)
    registry = RegistryEntry.objects.create(
        credit_code=f"91110108MA{n:08d}",
        name=f"北京海淀测试科技有限公司{n}",
        legal_person_kind="enterprise",
        registered_district="haidian",
        registered_address="北京市海淀区中关村大街1号",
        legal_representative="张三",
        registered_on=date(2015, 1, 1),
        registered_capital=5_000_000,
    )
    values: dict[str, Any] = {
        "tax_registered_on": date(2019, 5, 1),
        "annual_tax": 800_000,
        "rights_status": RightsStatus.APPROVED,
        "rights_kind": rights_kind,
        "office_address": "北京市海淀区中关村大街1号",
    }
    values.update(fields)
    return Employer.objects.create(registry=registry, **values)


def make_operator(employer: Employer) -> User:
    user = make_user(Role.OPERATOR, display_name=f"经办人{next(_seq)}")
    Operator.objects.create(user=user, employer=employer, is_admin=True)
    return user


def make_applicant(**fields: Any) -> Applicant:
    n = next(_seq)
    user = make_user(Role.APPLICANT, display_name=f"申请人{n}")
    values: dict[str, Any] = {
        "user": user,
        "name": f"王{n}",
        "id_number": f"110108199004{n:06d}"[:18],
        "birth_date": date(1990, 4, 15),
        "sex": "male",
        "identity_verified_at": timezone.now(),
        "retirement_category": "male",
        "hukou": "non_beijing",
        "hukou_address": "河北省石家庄市长安区",
        "degree": "master",
        "school": "北京大学",
        "graduation_date": date(2015, 7, 1),
        "education_verification": "valid",
        "residence_kind": "rented",
        "residence_address": "北京市海淀区学院路1号",
        "landlord": "other",
    }
    values.update(fields)
    applicant = Applicant.objects.create(**values)
    applicant.photo = Document.objects.create(
        material="ID-PHOTO",
        applicant=applicant,
        file="documents/photo.jpg",
        original_name="photo.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
        uploaded_by=user,
        check_status="passed",
    )
    applicant.save(update_fields=["photo"])
    Period.objects.create(
        applicant=applicant, kind=Period.Kind.WORK, organisation="前单位", start=date(2015, 7, 1)
    )
    return applicant


def associate(
    applicant: Applicant, employer: Employer, *, status: str = "approved", **fields: Any
) -> Association:
    values = {"employed_since": date(2023, 3, 1)}
    values.update(fields)
    return Association.objects.create(applicant=applicant, employer=employer, status=status, **values)


def make_reviewer(*, supervisor: bool = False) -> User:
    return make_user(Role.SUPERVISOR if supervisor else Role.REVIEWER, display_name=f"审核员{next(_seq)}")


@dataclass
class World:
    employer: Employer
    operator: User
    applicant: Applicant
    association: Association
    reviewer: User
    other_reviewer: User
    supervisor: User
    other_employer: Employer
    other_operator: User
    other_applicant: Applicant

    @property
    def applicant_user(self) -> User:
        return self.applicant.user


def make_world() -> World:
    employer = make_employer()
    applicant = make_applicant()
    other_employer = make_employer()
    other_applicant = make_applicant()
    associate(other_applicant, other_employer)
    return World(
        employer=employer,
        operator=make_operator(employer),
        applicant=applicant,
        association=associate(applicant, employer),
        reviewer=make_reviewer(),
        other_reviewer=make_reviewer(),
        supervisor=make_reviewer(supervisor=True),
        other_employer=other_employer,
        other_operator=make_operator(other_employer),
        other_applicant=other_applicant,
    )


def recent_months(today: date, count: int) -> list[date]:
    """The `count` calendar months before today's month, oldest first."""
    months = []
    year, month = today.year, today.month
    for _i in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    return sorted(months)


def fill_new_case(case: Case, user: User, today: date, *, amount: int = 21_000) -> Case:
    """Fill a new case as the applicant: clause 1, six months of income, every applicant material."""
    case = services.save_case_facts(user, case, version=case.version, data={"claimed_clause": 1})
    case = services.save_income(
        user, case, version=case.version, monthly=[(m, amount, False) for m in recent_months(today, 6)]
    )
    upload_all(case, user, today, "applicant")
    case.refresh_from_db()
    return case


def upload_all(case: Case, user: User, today: date, uploader: str) -> None:
    for item in services.missing_materials(case, today, [uploader]):
        services.attach_document(
            user,
            case,
            material=item.id,
            uploader=uploader,
            child=item.child,
            uploaded_file=pdf(f"{item.id}.pdf"),
            valid_until=today + timedelta(days=800) if item.id in ("LABOUR-CONTRACT", "LEASE") else None,
            today=today,
        )


def employer_complete(case: Case, operator: User, today: date) -> Case:
    """The employer uploads its materials and records its check."""
    upload_all(case, operator, today, "employer")
    case.refresh_from_db()
    return services.save_employer_check(
        operator,
        case,
        version=case.version,
        contract=True,
        tax_withholding=True,
        social_insurance=True,
        social_insurance_continuous=True,
        checked=services.EMPLOYER_CHECK_SECTIONS,
    )


def new_case_with_authority(world: World, today: date) -> Case:
    """A new case submitted by the applicant and by the employer: state `submitted`."""
    case = services.start_new_case(world.applicant_user, today=today)
    case = fill_new_case(case, world.applicant_user, today)
    case = services.submit(world.applicant_user, case, version=case.version, today=today)
    case = employer_complete(case, world.operator, today)
    return services.employer_submit(world.operator, case, version=case.version, today=today)


def accepted_case(world: World, today: date) -> Case:
    case = new_case_with_authority(world, today)
    return services.accept(world.reviewer, case, version=case.version, today=today)
