"""Real-name identity check for applicants (申请人注册: 北京通实名认证).

`get_identity_provider()` returns the provider chosen by ``settings.IDENTITY_PROVIDER``:
``"dev"`` checks the ID number's structure and GB 11643 checksum locally; ``"oidc"`` trusts the
claims of the Beijing Tong OpenID Connect provider (through mozilla-django-oidc) and derives birth
date and sex from the ID number the provider confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# First two digits: province-level divisions of the PRC (GB/T 2260).
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)
ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class VerifiedIdentity:
    name: str
    id_number: str
    birth_date: date
    sex: str  # "male" | "female" (applicants.models.Sex)


class IdentityError(Exception):
    """The real-name check refused; `field` is the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class IdentityProvider(Protocol):
    key: str

    def verify(self, name: str, id_number: str) -> VerifiedIdentity: ...


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643-1999)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse_id_number(id_number: str, *, today: date | None = None) -> tuple[date, str]:
    """Validate an 18-digit resident ID number; return (birth date, sex). Raises IdentityError."""
    value = normalise_id_number(id_number)
    if not ID_SHAPE.match(value):
        raise IdentityError("id_number", _("身份证号码应为18位，前17位为数字，最后一位为数字或X。"))
    if int(value[:2]) not in PROVINCE_CODES or value[2:6] == "0000":
        raise IdentityError("id_number", _("身份证号码前6位不是有效的行政区划代码。"))
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdentityError(
            "id_number", _("身份证号码中的出生日期 %(digits)s 不是有效日期。") % {"digits": value[6:14]}
        ) from None
    today = today or date.today()
    if birth > today or birth.year < 1900:
        raise IdentityError(
            "id_number", _("身份证号码中的出生日期 %(date)s 不可能。") % {"date": birth.isoformat()}
        )
    if check_char(value[:17]) != value[17]:
        raise IdentityError("id_number", _("身份证号码校验位不正确，请核对每一位数字。"))
    sex = "male" if int(value[16]) % 2 == 1 else "female"
    return birth, sex


def make_id_number(region: str, birth: date, sequence: int) -> str:
    """A checksummed ID number (for demo data and tests): region 6 digits, sequence 0-999."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def _check_name(name: str) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise IdentityError("name", _("请填写与身份证一致的姓名。"))
    if len(cleaned) > 100:
        raise IdentityError("name", _("姓名过长。"))
    return cleaned


class DevIdentityProvider:
    """Development stand-in for the Beijing Tong real-name check: structure and checksum only."""

    key = "dev"

    def verify(self, name: str, id_number: str) -> VerifiedIdentity:
        cleaned = _check_name(name)
        birth, sex = parse_id_number(id_number)
        return VerifiedIdentity(cleaned, normalise_id_number(id_number), birth, sex)


class OidcIdentityProvider:
    """Beijing Tong over OpenID Connect: the provider has verified the person; we map its claims."""

    key = "oidc"

    def verify(self, name: str, id_number: str) -> VerifiedIdentity:
        cleaned = _check_name(name)
        birth, sex = parse_id_number(id_number)
        return VerifiedIdentity(cleaned, normalise_id_number(id_number), birth, sex)

    def identity_from_claims(self, claims: dict[str, Any]) -> VerifiedIdentity:
        """Claims `name` and `id_number` (or `idcard`) from the userinfo endpoint."""
        id_number = str(claims.get("id_number") or claims.get("idcard") or "")
        return self.verify(str(claims.get("name") or ""), id_number)


def get_identity_provider() -> IdentityProvider:
    if getattr(settings, "IDENTITY_PROVIDER", "dev") == "oidc":
        return OidcIdentityProvider()
    return DevIdentityProvider()
