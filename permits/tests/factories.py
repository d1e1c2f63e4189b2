"""Test data for the permits and oversight tests: applicants, employers, associations, permits."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from accounts.models import Role
from accounts.testing import make_user
from applicants.models import Applicant, Sex
from employers.models import Association, Employer, Operator, RegistryEntry
from permits.models import Permit, PermitStatus
from permits.services import next_number

_seq = itertools.count(1)


def id_number(n: int) -> str:
    """A well-formed 18-digit resident ID number (GB 11643 check digit)."""
    body = f"110108199{n % 10}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"[:17]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def make_applicant(name: str = "", **fields: Any) -> Applicant:
    n = next(_seq)
    user = make_user(Role.APPLICANT, display_name=name or f"申请人{n}")
    return Applicant.objects.create(
        user=user,
        name=name or f"王小{n}",
        id_number=fields.pop("id_number", id_number(n + 100000 * (n % 7))),
        birth_date=date(1990, 1, 1),
        sex=Sex.MALE,
        identity_verified_at=timezone.now(),
        **fields,
    )


def make_employer(name: str = "") -> Employer:
    n = next(_seq)
    registry = RegistryEntry.objects.create(
        credit_code=f"91110108{n:010d}",
        name=name or f"北京测试科技有限公司{n}",
        legal_person_kind="enterprise",
        registered_district="haidian",
        registered_address="海淀区中关村大街1号",
        legal_representative="李四",
        registered_on=date(2015, 1, 1),
        registered_capital=5_000_000,
    )
    return Employer.objects.create(registry=registry, rights_status="approved", rights_kind="full")


def make_operator(employer: Employer) -> Any:
    user = make_user(Role.OPERATOR)
    Operator.objects.create(user=user, employer=employer, is_admin=True)
    return user


def associate(
    applicant: Applicant,
    employer: Employer,
    *,
    contract_ends_on: date | None = None,
    status: str = "approved",
) -> Association:
    return Association.objects.create(
        applicant=applicant,
        employer=employer,
        status=status,
        employed_since=date(2020, 1, 1),
        contract_ends_on=contract_ends_on,
        decided_at=timezone.now(),
    )


@dataclass
class FakeCase:
    """What permits.services reads from cases.Case (kind, applicant, employer)."""

    kind: str
    applicant: Applicant
    employer: Employer
    pk: Any = None


def make_permit(
    holder: Applicant | None = None,
    employer: Employer | None = None,
    *,
    issued_on: date = date(2024, 1, 10),
    expires_on: date = date(2027, 1, 10),
    status: str = PermitStatus.VALID,
    **fields: Any,
) -> Permit:
    holder = holder or make_applicant()
    employer = employer or make_employer()
    return Permit.objects.create(
        number=next_number(issued_on.year),
        holder=holder,
        employer=employer,
        issued_on=issued_on,
        expires_on=expires_on,
        status=status,
        **fields,
    )
