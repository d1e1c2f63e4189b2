"""Demo employers of each kind, their operators, rights and documents, and demo applicants' associations.

Runs after applicants/demo.py (INSTALLED_APPS order); idempotent.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from applicants.models import Applicant
from core.demo import DEMO_PASSWORD, DemoLogin
from employers import materials_catalogue as mc
from employers import selectors
from employers.models import (
    Association,
    AssociationStatus,
    Employer,
    Operator,
    RegistryEntry,
    RightsKind,
    RightsStatus,
)
from employers.registry_import import import_registry
from employers.services import CODE_VALIDITY_DAYS, new_association_code
from materials.services import store_upload

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "registry-sample.csv"

EMPLOYERS: list[dict[str, Any]] = [
    {
        "username": "hr_tech",
        "name": "刘经办",
        "credit_code": "91110108MA01HX0015",
        "profile": {
            "category": "high_tech",
            "tax_registered_on": date(2016, 4, 1),
            "annual_tax": 1_200_000,
            "office_address": "北京市海淀区中关村大街1号8层801",
        },
        "rights": (RightsStatus.APPROVED, RightsKind.FULL),
        "note": "海淀区国家高新技术企业，已开通全部业务权限",
    },
    {
        "username": "hr_ai",
        "name": "陈经办",
        "credit_code": "91110108MA01AY0029",
        "profile": {
            "category": "other",
            "ai_key_area": True,
            "tax_registered_on": date(2024, 7, 1),
            "annual_tax": 150_000,
            "office_address": "北京市海淀区海淀西大街36号5层",
        },
        "rights": (RightsStatus.APPROVED, RightsKind.FULL),
        "note": "人工智能重点领域企业，已开通全部业务权限",
    },
    {
        "username": "hr_inst",
        "name": "杨经办",
        "credit_code": "12110108MB0A12003T",
        "profile": {
            "category": "other",
            "tax_registered_on": date(2012, 10, 1),
            "annual_tax": 300_000,
            "office_address": "北京市海淀区西四环北路73号",
        },
        "rights": (RightsStatus.APPROVED, RightsKind.FULL),
        "note": "事业单位，已开通全部业务权限",
    },
    {
        "username": "hr_receive",
        "name": "黄经办",
        "credit_code": "91110108MA01JT005K",
        "profile": {
            "category": "other",
            "tax_registered_on": date(2023, 3, 1),
            "annual_tax": 50_000,
            "office_address": "北京市海淀区上地十街10号2层",
        },
        "rights": (RightsStatus.APPROVED, RightsKind.RECEIVE_ONLY),
        "note": "仅接收已持证人员（承诺书）",
    },
    {
        "username": "hr_outside",
        "name": "周经办",
        "credit_code": "91110105MA02CY006C",
        "profile": {
            "category": "other",
            "tax_registered_on": date(2014, 6, 1),
            "annual_tax": 600_000,
            "office_address": "北京市朝阳区建国路88号",
        },
        "rights": (RightsStatus.PENDING, RightsKind.FULL),
        "note": "注册地在朝阳区，办理权限待审核",
    },
]

ASSOCIATIONS = [
    ("applicant1", "91110108MA01HX0015", AssociationStatus.APPROVED, date(2022, 3, 1)),
    ("applicant2", "91110108MA01AY0029", AssociationStatus.APPROVED, date(2024, 9, 1)),
    ("applicant4", "91110108MA01HX0015", AssociationStatus.PENDING, None),
]


def _pdf(title: str) -> SimpleUploadedFile:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 770, f"Demo document: {title}")
    pdf.showPage()
    pdf.save()
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def _materials_for(kind: str) -> list[str]:
    materials = [mc.BUSINESS_LICENCE, mc.EMPLOYER_TAX, mc.HANDLER_ID, mc.EMPLOYER_INTEGRITY]
    if kind == RightsKind.RECEIVE_ONLY:
        materials.append(mc.COMMITMENT_LETTER)
    return materials


def _employer(spec: dict[str, Any], today: date) -> tuple[Employer, User]:
    entry = RegistryEntry.objects.get(credit_code=spec["credit_code"])
    employer, _ = Employer.objects.get_or_create(registry=entry, defaults=spec["profile"])
    user, created = User.objects.get_or_create(
        username=spec["username"],
        defaults={
            "email": f"{spec['username']}@demo.example.cn",
            "role": Role.OPERATOR,
            "display_name": spec["name"],
            "phone": "13800000000",
        },
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    Operator.objects.get_or_create(user=user, defaults={"employer": employer, "is_admin": True})
    status, kind = spec["rights"]
    if spec["profile"]["category"] != "other":
        kinds = [*_materials_for(kind), mc.QUALIFICATION_CERT]
    else:
        kinds = _materials_for(kind)
    current = selectors.current_documents(employer)
    for material in kinds:
        if material not in current:
            store_upload(
                uploaded_file=_pdf(material),
                material=material,
                uploaded_by=user,
                employer=employer,
                valid_until=date(today.year, 12, 31) if material == mc.EMPLOYER_INTEGRITY else None,
            )
    if employer.rights_status == RightsStatus.NONE:
        employer.rights_status = status
        employer.rights_kind = kind
        employer.rights_requested_at = timezone.now()
        if status == RightsStatus.APPROVED:
            employer.rights_decided_at = timezone.now()
            employer.rights_decided_by = User.objects.filter(role=Role.REVIEWER).first()
            employer.association_code = new_association_code()
            employer.association_code_expires_on = today + timedelta(days=CODE_VALIDITY_DAYS)
        employer.save()
    return employer, user


def load() -> list[DemoLogin]:
    today = timezone.localdate()
    import_registry(SAMPLE)
    logins = []
    by_code: dict[str, tuple[Employer, User]] = {}
    for spec in EMPLOYERS:
        employer, user = _employer(spec, today)
        by_code[spec["credit_code"]] = (employer, user)
        note = spec["note"]
        if employer.association_code:
            note = f"{note}；关联码 {employer.association_code}"
        logins.append(DemoLogin(role="单位经办人", username=spec["username"], note=note))
    for username, credit_code, status, employed_since in ASSOCIATIONS:
        applicant = Applicant.objects.filter(user__username=username).first()
        if applicant is None or Association.objects.filter(applicant=applicant).exists():
            continue
        employer, operator_user = by_code[credit_code]
        association = Association(applicant=applicant, employer=employer, status=status)
        if status == AssociationStatus.APPROVED and employed_since is not None:
            association.employed_since = employed_since
            association.contract_ends_on = date(today.year + 2, 12, 31)
            association.decided_at = timezone.now()
            association.decided_by = operator_user
            association.labour_contract = store_upload(
                uploaded_file=_pdf(mc.LABOUR_CONTRACT),
                material=mc.LABOUR_CONTRACT,
                uploaded_by=operator_user,
                employer=employer,
                applicant=applicant,
                valid_until=association.contract_ends_on,
            )
        association.save()
    return logins
