"""Demo applicants with valid, checksummed ID numbers (generated with the GB 11643 check)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.identity import make_id_number, parse_id_number
from accounts.models import Role, User
from applicants.models import Applicant, Child, Period
from core.demo import DEMO_PASSWORD, DemoLogin


def _photo_file() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (295, 413), (255, 255, 255)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


DEMO: list[dict[str, Any]] = [
    {
        "username": "applicant1",
        "name": "张伟",
        "id_number": make_id_number("110108", date(1992, 4, 15), 13),
        "note": "个人信息完整（学历学位路径）",
        "profile": {
            "hukou": "non_beijing",
            "hukou_address": "河北省保定市莲池区东风路1号",
            "degree": "master",
            "school": "北京大学",
            "graduation_date": date(2018, 7, 1),
            "education_verification": "valid",
            "residence_kind": "rented",
            "residence_address": "北京市海淀区中关村大街27号3单元501",
            "landlord": "other",
        },
        "periods": [
            ("study", "北京大学", "计算机科学与技术", date(2015, 9, 1), date(2018, 7, 1)),
            ("work", "北京海淀示例科技有限公司", "软件工程师", date(2018, 7, 15), None),
        ],
        "photo": True,
    },
    {
        "username": "applicant2",
        "name": "李娜",
        "id_number": make_id_number("320102", date(1986, 11, 3), 24),
        "note": "有随往子女，以职称申报",
        "profile": {
            "hukou": "non_beijing",
            "hukou_address": "江苏省南京市玄武区北京东路41号",
            "retirement_category": "female_55",
            "degree": "bachelor",
            "school": "南京大学",
            "graduation_date": date(2008, 7, 1),
            "education_verification": "manual",
            "has_title": True,
            "title": "intermediate",
            "title_route": "review",
            "title_verifiable_online": True,
            "residence_kind": "owned",
            "residence_address": "北京市海淀区学院路38号2号楼1102",
        },
        "periods": [("work", "北京海淀示例科技有限公司", "高级工程师", date(2008, 8, 1), None)],
        "children": [("王小明", make_id_number("320102", date(2016, 5, 20), 35), "non_beijing", "married")],
        "photo": True,
    },
    {
        "username": "applicant3",
        "name": "王芳",
        "id_number": make_id_number("410105", date(1995, 2, 28), 46),
        "note": "个人信息未完善",
        "profile": {"hukou": "non_beijing"},
        "periods": [],
        "photo": False,
    },
    {
        "username": "applicant4",
        "name": "赵强",
        "id_number": make_id_number("370102", date(1990, 9, 9), 57),
        "note": "待关联单位",
        "profile": {
            "hukou": "non_beijing",
            "hukou_address": "山东省济南市历下区泉城路5号",
            "degree": "doctor",
            "school": "清华大学",
            "graduation_date": date(2019, 6, 30),
            "education_verification": "valid",
            "residence_kind": "residence_card",
            "residence_address": "北京市海淀区上地十街10号",
        },
        "periods": [("work", "中关村示例研究院", "研究员", date(2019, 8, 1), None)],
        "photo": True,
    },
]


def load() -> list[DemoLogin]:
    logins = []
    for spec in DEMO:
        user, created = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "email": f"{spec['username']}@example.cn",
                "role": Role.APPLICANT,
                "display_name": spec["name"],
                "phone": "13800138000",
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        birth, sex = parse_id_number(spec["id_number"])
        applicant, _ = Applicant.objects.update_or_create(
            user=user,
            defaults={
                "name": spec["name"],
                "id_number": spec["id_number"],
                "birth_date": birth,
                "sex": sex,
                "retirement_category": "male" if sex == "male" else "",
                "identity_provider": "dev",
                "identity_verified_at": timezone.now(),
                **spec["profile"],
            },
        )
        for kind, organisation, role, start, end in spec["periods"]:
            Period.objects.get_or_create(
                applicant=applicant,
                kind=kind,
                organisation=organisation,
                start=start,
                defaults={"role": role, "end": end},
            )
        for name, id_number, hukou, parents in spec.get("children", []):
            Child.objects.get_or_create(
                applicant=applicant,
                name=name,
                defaults={
                    "id_number": id_number,
                    "birth_date": parse_id_number(id_number)[0],
                    "hukou": hukou,
                    "parents": parents,
                },
            )
        if spec["photo"] and applicant.photo_id is None:
            from materials.services import store_upload

            applicant.photo = store_upload(
                uploaded_file=_photo_file(), material="ID-PHOTO", uploaded_by=user, applicant=applicant
            )
            applicant.save(update_fields=["photo"])
        logins.append(DemoLogin(role="申请人", username=spec["username"], note=spec["note"]))
    return logins
