"""Demo cases (idempotent; runs after the employers demo): applicant1's new case with the authority,
one case returned with an opinion and tips, one draft."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from applicants.models import Applicant, Period
from cases import services
from cases.models import Case, Kind, State
from core.demo import DEMO_PASSWORD, DemoLogin
from employers.models import Association, AssociationStatus, Employer

EMPLOYER_OPERATOR = "hr_tech"
EXTRA_APPLICANTS = [
    # username, name, id number, note
    ("applicant5", "陈静", "110108199107210027", "新办申请已被退回（含审核意见和温馨提示）"),
    ("applicant6", "刘洋", "110108199303150051", "新办申请填写中"),
    ("applicant7", "孙悦", "110108199405120039", "新办申请已受理，一项人工判定待主管批准（双人复核）"),
]


def _pdf(title: str) -> SimpleUploadedFile:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 770, f"Demo document: {title}")
    pdf.showPage()
    pdf.save()
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def _months(today: date, count: int) -> list[date]:
    months = []
    year, month = today.year, today.month
    for _i in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    return sorted(months)


def extra_applicant(
    username: str, name: str, id_number: str, employer: Employer, operator: User
) -> Applicant:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.cn", "role": Role.APPLICANT, "display_name": name},
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    applicant, made = Applicant.objects.get_or_create(
        user=user,
        defaults={
            "name": name,
            "id_number": id_number,
            "birth_date": date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
            "sex": "female" if int(id_number[16]) % 2 == 0 else "male",
            "identity_verified_at": timezone.now(),
            "retirement_category": "female_55" if int(id_number[16]) % 2 == 0 else "male",
            "hukou": "non_beijing",
            "hukou_address": "河南省郑州市金水区花园路1号",
            "degree": "bachelor",
            "school": "武汉大学",
            "graduation_date": date(2014, 7, 1),
            "education_verification": "valid",
            "residence_kind": "rented",
            "residence_address": "北京市海淀区北四环西路9号",
            "landlord": "other",
        },
    )
    if made:
        Period.objects.create(
            applicant=applicant,
            kind=Period.Kind.WORK,
            organisation="北京示例软件有限公司",
            start=date(2014, 8, 1),
        )
        from materials.services import store_upload

        photo_buffer = io.BytesIO()
        from PIL import Image

        Image.new("RGB", (295, 413), (255, 255, 255)).save(photo_buffer, format="PNG")
        applicant.photo = store_upload(
            uploaded_file=SimpleUploadedFile("photo.png", photo_buffer.getvalue(), content_type="image/png"),
            material="ID-PHOTO",
            uploaded_by=user,
            applicant=applicant,
        )
        applicant.save(update_fields=["photo"])
    if not Association.objects.filter(applicant=applicant).exists():
        Association.objects.create(
            applicant=applicant,
            employer=employer,
            status=AssociationStatus.APPROVED,
            employed_since=date(2023, 1, 3),
            contract_ends_on=date(timezone.localdate().year + 3, 12, 31),
            decided_at=timezone.now(),
            decided_by=operator,
        )
    return applicant


def _fill(case: Case, user: User, today: date) -> Case:
    case = services.save_case_facts(user, case, version=case.version, data={"claimed_clause": 1})
    case = services.save_income(
        user, case, version=case.version, monthly=[(m, 23_000, False) for m in _months(today, 6)]
    )
    for item in services.missing_materials(case, today, ["applicant"]):
        valid = today + timedelta(days=700) if item.id == "LEASE" else None
        services.attach_document(
            user,
            case,
            material=item.id,
            uploader="applicant",
            child=item.child,
            uploaded_file=_pdf(item.id),
            valid_until=valid,
            today=today,
        )
    case.refresh_from_db()
    return case


def _to_authority(case: Case, applicant_user: User, operator: User, today: date) -> Case:
    case = _fill(case, applicant_user, today)
    case = services.submit(applicant_user, case, version=case.version, today=today)
    for item in services.missing_materials(case, today, ["employer"]):
        valid = today + timedelta(days=700) if item.id == "LABOUR-CONTRACT" else None
        services.attach_document(
            operator,
            case,
            material=item.id,
            uploader="employer",
            child=item.child,
            uploaded_file=_pdf(item.id),
            valid_until=valid,
            today=today,
        )
    case.refresh_from_db()
    case = services.save_employer_check(
        operator,
        case,
        version=case.version,
        contract=True,
        tax_withholding=True,
        social_insurance=True,
        social_insurance_continuous=True,
        checked=services.EMPLOYER_CHECK_SECTIONS,
    )
    return services.employer_submit(operator, case, version=case.version, today=today)


def load() -> list[DemoLogin]:
    today = timezone.localdate()
    operator = User.objects.filter(username=EMPLOYER_OPERATOR).first()
    reviewer = User.objects.filter(username="reviewer").first()
    employer = getattr(getattr(operator, "operator", None), "employer", None)
    if operator is None or employer is None:
        return []
    logins: list[DemoLogin] = []

    applicant1 = Applicant.objects.filter(user__username="applicant1").first()
    if (
        applicant1 is not None
        and not Case.objects.filter(applicant=applicant1, kind=Kind.NEW).exists()
        and Association.objects.filter(applicant=applicant1, employer=employer, status="approved").exists()
    ):
        started = services.start_new_case(applicant1.user, today=today)
        _to_authority(started, applicant1.user, operator, today)
    first = Case.objects.filter(applicant__user__username="applicant1").first()
    if first is not None:
        note = f"新办 {first.reference}：{first.get_state_display()}"
        logins.append(DemoLogin(role="申请人", username="applicant1", note=note))

    for username, name, id_number, note in EXTRA_APPLICANTS:
        applicant = extra_applicant(username, name, id_number, employer, operator)
        if not Case.objects.filter(applicant=applicant).exists():
            case = services.start_new_case(applicant.user, today=today)
            if username == "applicant5" and reviewer is not None:
                case = _to_authority(case, applicant.user, operator, today)
                case = services.accept(reviewer, case, version=case.version, today=today)
                case = services.return_case(
                    reviewer,
                    case,
                    to="applicant",
                    version=case.version,
                    today=today,
                    opinion="《申请人应税收入材料》未逐页加盖单位财务章，请按要求重新上传。",
                    tips="住房材料为租赁合同的，请确认合同载明房屋详细地址及租赁期限。",
                )
            elif username == "applicant7" and reviewer is not None:
                case = _to_authority(case, applicant.user, operator, today)
                case = services.accept(reviewer, case, version=case.version, today=today)
                # Edition 2 overrides: to `fail`, so it waits for a supervisor (supervisor2 approves).
                services.propose_override(
                    actor=reviewer,
                    case=case,
                    version=case.version,
                    rule="APP-SOCIAL-INSURANCE",
                    clause=None,
                    outcome="fail",
                    reason="社会保险缴费记录显示近期有两个月未缴纳，不属于足额、连续缴纳。",
                    citation="四（四） 社会保险足额、连续缴纳",
                )
            elif username == "applicant6":
                services.save_case_facts(
                    applicant.user, case, version=case.version, data={"claimed_clause": 1}
                )
        existing = Case.objects.filter(applicant=applicant).first()
        state = existing.get_state_display() if existing else ""
        logins.append(DemoLogin(role="申请人", username=username, note=f"{note}（{state}）"))
    if Case.objects.filter(state=State.SUBMITTED).exists():
        logins.append(DemoLogin(role="审核人员", username="reviewer", note="审核工作台 /cases/review/"))
    return logins
