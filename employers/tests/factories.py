"""Test data for the employers context: registry rows, employers with rights, operators, applicants."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from accounts.testing import make_user
from applicants.models import Applicant
from employers import materials_catalogue as mc
from employers.credit_code import check_char
from employers.models import Association, Employer, Operator, RegistryEntry, RightsKind, RightsStatus
from materials.models import Document
from materials.services import store_upload

_seq = itertools.count(1)


def credit_code(division: str = "110108") -> str:
    first17 = f"91{division}MA{next(_seq):07d}"
    return first17 + check_char(first17)


def registry_entry(**fields: object) -> RegistryEntry:
    values: dict[str, object] = {
        "credit_code": credit_code(),
        "name": f"北京测试科技有限公司{next(_seq)}",
        "legal_person_kind": "enterprise",
        "registered_district": "haidian",
        "registered_address": "北京市海淀区中关村大街1号",
        "legal_representative": "张三",
        "registered_on": date(2015, 1, 1),
        "registered_capital": 5_000_000,
        "contact_email": "registry-contact@example.cn",
    }
    values.update(fields)
    return RegistryEntry.objects.create(**values)


def pdf_bytes(text: str = "test") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_file(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def operator(employer: Employer | None = None, *, is_admin: bool = True, **user_fields: object) -> User:
    employer = employer or make_employer()
    user = make_user(Role.OPERATOR, **user_fields)
    Operator.objects.create(user=user, employer=employer, is_admin=is_admin)
    return user


def make_employer(
    *, rights: str = RightsStatus.NONE, kind: str = "", code: str | None = None, **fields: object
) -> Employer:
    registry_fields = {
        key: fields.pop(key)
        for key in list(fields)
        if key in {"legal_person_kind", "registered_district", "registered_capital", "name"}
    }
    employer = Employer.objects.create(registry=registry_entry(**registry_fields), **fields)
    if rights != RightsStatus.NONE:
        employer.rights_status = rights
        employer.rights_kind = kind or RightsKind.FULL
        employer.rights_requested_at = timezone.now()
        if rights == RightsStatus.APPROVED:
            employer.association_code = code or f"T{next(_seq):07d}"[:8]
            employer.association_code_expires_on = timezone.localdate() + timedelta(days=365)
        employer.save()
    return employer


def upload(employer: Employer, user: User, material: str, valid_until: date | None = None) -> Document:
    return store_upload(
        uploaded_file=pdf_file(),
        material=material,
        uploaded_by=user,
        employer=employer,
        valid_until=valid_until,
    )


def upload_registration_materials(employer: Employer, user: User, *, receive_only: bool = False) -> None:
    for material in (mc.BUSINESS_LICENCE, mc.EMPLOYER_TAX, mc.HANDLER_ID):
        upload(employer, user, material)
    upload(employer, user, mc.EMPLOYER_INTEGRITY, valid_until=date(timezone.localdate().year, 12, 31))
    if receive_only:
        upload(employer, user, mc.COMMITMENT_LETTER)


def applicant(**fields: object) -> Applicant:
    user = make_user(Role.APPLICANT)
    n = next(_seq)
    values: dict[str, object] = {
        "user": user,
        "name": "李四光",
        "id_number": f"11010819900101{n:04d}"[-18:],
        "birth_date": date(1990, 1, 1),
        "sex": "male",
        "identity_verified_at": timezone.now(),
    }
    values.update(fields)
    return Applicant.objects.create(**values)


def association(
    applicant_: Applicant, employer: Employer, status: str = "pending", **fields: object
) -> Association:
    return Association.objects.create(applicant=applicant_, employer=employer, status=status, **fields)
