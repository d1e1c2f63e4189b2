"""Applicants for tests, registered through the real service."""

from __future__ import annotations

import itertools
from datetime import date

from accounts.identity import DevIdentityProvider, make_id_number
from applicants import services
from applicants.models import Applicant

_seq = itertools.count(1)


def make_applicant(*, female: bool = False, birth: date = date(1990, 5, 17), **profile: object) -> Applicant:
    n = next(_seq)
    sequence = (n * 2) % 1000 if female else (n * 2 + 1) % 1000
    identity = DevIdentityProvider().verify(f"申请人{n}", make_id_number("110108", birth, sequence))
    applicant = services.register_applicant(
        identity=identity,
        email=f"applicant-{n}@example.cn",
        phone="13800138000",
        password="Test-pass-2025",
        provider="dev",
    )
    for name, value in profile.items():
        setattr(applicant, name, value)
    if profile:
        applicant.save()
    return applicant
