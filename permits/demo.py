"""Demo permits (idempotent; runs after cases/demo.py): a valid permit for applicant2 so the slip can
be printed, one holder in the renewal window and one cancelled permit.

Permits normally come only from an approved case (BIZ-CONFIRMATION); demo holders stand for data
migrated from the old system, and their history says so.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from accounts.identity import make_id_number
from accounts.models import Role, User
from applicants.models import Applicant, Sex
from core.demo import DEMO_PASSWORD, DemoLogin
from employers.models import Association, AssociationStatus, Employer
from permits.models import EventKind, Permit, PermitEvent, PermitStatus
from permits.services import add_years, next_number

TECH = "91110108MA01HX0015"
RECEIVER = "91110108MA01JT005K"
MIGRATED_USERNAME = "holder_migrated"
HOLDERS = [
    # username, name, id region, birth, sequence, status
    ("holder_renewal", "赵磊", "130102", date(1988, 6, 12), 57, PermitStatus.RENEWAL_DUE),
    ("holder_cancelled", "陈静", "370202", date(1990, 9, 30), 68, PermitStatus.CANCELLED),
]


def _issue(
    applicant: Applicant,
    employer: Employer,
    issued_on: date,
    expires_on: date,
    status: str,
    *,
    migrated: bool = False,
) -> Permit:
    existing = Permit.objects.filter(holder=applicant).first()
    if existing is not None:
        return existing
    permit = Permit.objects.create(
        number=next_number(issued_on.year),
        holder=applicant,
        employer=employer,
        issued_on=issued_on,
        expires_on=expires_on,
        status=status,
        migrated=migrated,
    )
    PermitEvent.objects.create(
        permit=permit,
        kind=EventKind.ISSUED,
        on=issued_on,
        details={"expires_on": expires_on.isoformat(), "migrated": migrated, "demo": True},
    )
    if status == PermitStatus.CANCELLED:
        permit.cancelled_on = timezone.localdate() - timedelta(days=30)
        permit.cancel_reason = "年检发现持证人已离职且未办理单位变更（演示数据）"
        permit.save(update_fields=["cancelled_on", "cancel_reason"])
        PermitEvent.objects.create(
            permit=permit,
            kind=EventKind.CANCELLED,
            on=permit.cancelled_on,
            details={"reason": permit.cancel_reason},
        )
    elif status == PermitStatus.RENEWAL_DUE:
        PermitEvent.objects.create(
            permit=permit, kind=EventKind.RENEWAL_DUE, on=timezone.localdate(), details={}
        )
    return permit


def _holder(username: str, name: str, id_number: str) -> Applicant:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.cn", "role": Role.APPLICANT, "display_name": name},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    applicant, _ = Applicant.objects.get_or_create(
        user=user,
        defaults={
            "name": name,
            "id_number": id_number,
            "birth_date": date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
            "sex": Sex.MALE if int(id_number[16]) % 2 else Sex.FEMALE,
            "identity_verified_at": timezone.now(),
            "hukou": "non_beijing",
        },
    )
    return applicant


def load() -> list[DemoLogin]:
    today = timezone.localdate()
    logins: list[DemoLogin] = []
    applicant2 = Applicant.objects.filter(user__username="applicant2").first()
    if applicant2 is not None:
        association = (
            Association.objects.filter(applicant=applicant2, status=AssociationStatus.APPROVED)
            .select_related("employer")
            .first()
        )
        if association is not None:
            issued = today - timedelta(days=200)
            expires = add_years(issued, 3)
            if association.contract_ends_on and association.contract_ends_on < expires:
                expires = association.contract_ends_on
            permit = _issue(applicant2, association.employer, issued, expires, PermitStatus.VALID)
            logins.append(
                DemoLogin(
                    role="持证人", username="applicant2", note=f"有效证件 {permit.number}，可打印确认单"
                )
            )

    employer = Employer.objects.filter(registry__credit_code=TECH).first()
    if employer is None:
        return logins
    for username, name, region, birth, sequence, status in HOLDERS:
        applicant = _holder(username, name, make_id_number(region, birth, sequence))
        if status == PermitStatus.RENEWAL_DUE:
            expires = today + timedelta(days=40)
            issued = add_years(expires, -3)
            Association.objects.get_or_create(
                applicant=applicant,
                employer=employer,
                defaults={
                    "status": AssociationStatus.APPROVED,
                    "employed_since": issued - timedelta(days=400),
                    "contract_ends_on": date(today.year + 4, 12, 31),
                    "decided_at": timezone.now(),
                },
            )
            note = "证件已进入续签期"
        else:
            expires = today + timedelta(days=500)
            issued = add_years(expires, -3)
            Association.objects.get_or_create(
                applicant=applicant,
                employer=employer,
                defaults={
                    "status": AssociationStatus.DISSOCIATED,
                    "employed_since": issued - timedelta(days=400),
                    "left_on": today - timedelta(days=60),
                    "decided_at": timezone.now(),
                },
            )
            note = "证件已注销"
        permit = _issue(applicant, employer, issued, expires, status)
        logins.append(DemoLogin(role="持证人", username=username, note=f"{note}（{permit.number}）"))
    migrated = _migrated_holder(employer, today)
    if migrated is not None:
        logins.append(migrated)
    return logins


def _migrated_holder(former: Employer, today: date) -> DemoLogin | None:
    """CHG-RESIGNATION (edition 2): a permit from the old system (no association with the former
    employer here); the holder has joined the receive-only employer, which files the employer
    change, and the holder uploads the resignation certificate themself."""
    from cases.demo import extra_applicant

    receiver = Employer.objects.filter(registry__credit_code=RECEIVER).first()
    operator = User.objects.filter(operator__employer=receiver).first() if receiver else None
    if receiver is None or operator is None:
        return None
    applicant = extra_applicant(
        MIGRATED_USERNAME, "孙伟", make_id_number("410105", date(1987, 3, 9), 73), receiver, operator
    )
    expires = today + timedelta(days=400)
    permit = _issue(applicant, former, add_years(expires, -3), expires, PermitStatus.VALID, migrated=True)
    return DemoLogin(
        role="持证人",
        username=MIGRATED_USERNAME,
        note=f"旧系统迁移证件（{permit.number}），已入职仅接收单位，待办理单位变更",
    )
