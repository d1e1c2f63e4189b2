"""Writes for applicants: registration after the real-name check, and profile drafts.

Every profile write is guarded by optimistic locking on ``Applicant.version``: the caller passes
the version its form was rendered with; an older version is refused (`StaleProfile`) and nothing
is written, so a stale browser tab never overwrites newer data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identity import VerifiedIdentity
from accounts.models import Role, User
from applicants.models import Applicant, Child, Period, RetirementCategory, Sex
from applicants.signals import profile_changed
from core.crypto import id_hmac

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


# One message whether the ID number or the e-mail is taken: registration does not reveal which ID
# numbers are registered (issue 11, Low).
DUPLICATE_MESSAGE = _(
    "无法用这些信息完成注册。如果您已经注册过，请直接登录或通过“忘记密码”找回；如有疑问，请联系海淀区人力资源公共服务中心。"
)


class DuplicateRegistration(Exception):
    """The ID number or e-mail is already registered; the message does not say which (field None)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class StaleProfile(Exception):
    """The form was rendered from an older version of the profile."""

    def __init__(self, current: Applicant) -> None:
        super().__init__("stale profile")
        self.current = current


def _default_retirement(sex: str) -> str:
    return RetirementCategory.MALE if sex == Sex.MALE else ""


@transaction.atomic
def register_applicant(
    *,
    identity: VerifiedIdentity,
    email: str,
    phone: str,
    password: str | None,
    provider: str,
    username: str | None = None,
) -> Applicant:
    """申请人注册: one User (role applicant) and its Applicant with identity from the provider."""
    email = email.strip().lower()
    if Applicant.objects.filter(id_number_hmac=id_hmac(identity.id_number)).exists():
        raise DuplicateRegistration(None, DUPLICATE_MESSAGE)
    if User.objects.filter(email__iexact=email).exists():
        raise DuplicateRegistration(None, DUPLICATE_MESSAGE)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username or email,
                email=email,
                password=password,
                role=Role.APPLICANT,
                phone=phone,
                display_name=identity.name,
            )
            return Applicant.objects.create(
                user=user,
                name=identity.name,
                id_number=identity.id_number,
                birth_date=identity.birth_date,
                sex=identity.sex,
                retirement_category=_default_retirement(identity.sex),
                identity_provider=provider,
                identity_verified_at=timezone.now(),
            )
    except IntegrityError:
        # Two registrations raced; report it like the checks above.
        raise DuplicateRegistration(None, DUPLICATE_MESSAGE) from None


def _locked(applicant: Applicant, user: User, version: int, page: str = "") -> Applicant:
    """The profile row, locked; StaleProfile if another page saved since `version` was rendered.

    `page` identifies one rendering of the profile page: when every save after `version` came from
    that same page (its own autosaves, which may still be in flight when Save is pressed), the save
    is not a conflict: it compares against the version the page last saw (issue 10, item 3)."""
    if applicant.user_id != user.pk:
        raise PermissionDenied
    current = Applicant.objects.select_for_update().get(pk=applicant.pk)
    own = bool(page) and current.version_page == page and version < current.version
    if current.version != version and not own:
        raise StaleProfile(current)
    return current


def _bump(applicant: Applicant, page: str = "") -> Applicant:
    Applicant.objects.filter(pk=applicant.pk).update(
        version=F("version") + 1, version_page=page, updated_at=timezone.now()
    )
    applicant.refresh_from_db()
    profile_changed.send(sender=Applicant, applicant=applicant)
    return applicant


@transaction.atomic
def save_profile_fields(
    *, applicant: Applicant, user: User, version: int, fields: Mapping[str, Any], page: str = ""
) -> Applicant:
    """Save one section's draft values (all optional) if `version` is current (or only `page` saved)."""
    current = _locked(applicant, user, version, page)
    for name, value in fields.items():
        setattr(current, name, value)
    if current.sex == Sex.MALE:
        current.retirement_category = RetirementCategory.MALE
    current.save(update_fields=[*fields.keys(), "retirement_category"])
    return _bump(current, page)


@transaction.atomic
def save_photo(
    *, applicant: Applicant, user: User, version: int, uploaded_file: UploadedFile, page: str = ""
) -> Applicant:
    """ID photo (证件照片) through the one upload service; a new photo is the next version."""
    from materials.services import store_upload

    current = _locked(applicant, user, version, page)
    previous = current.photo if current.photo and current.photo.is_current else None
    document = store_upload(
        uploaded_file=uploaded_file,
        material="ID-PHOTO",
        uploaded_by=user,
        applicant=current,
        replaces=previous,
    )
    current.photo = document
    current.save(update_fields=["photo"])
    return _bump(current)


@transaction.atomic
def save_period(
    *, applicant: Applicant, user: User, version: int, fields: Mapping[str, Any], period: Period | None = None
) -> Period:
    current = _locked(applicant, user, version)
    if period is None:
        period = Period(applicant=current)
    elif period.applicant_id != current.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(period, name, value)
    period.save()
    _bump(current)
    return period


@transaction.atomic
def remove_period(*, applicant: Applicant, user: User, version: int, period: Period) -> None:
    current = _locked(applicant, user, version)
    if period.applicant_id != current.pk:
        raise PermissionDenied
    period.delete()
    _bump(current)


@transaction.atomic
def save_child(
    *, applicant: Applicant, user: User, version: int, fields: Mapping[str, Any], child: Child | None = None
) -> Child:
    current = _locked(applicant, user, version)
    if child is None:
        child = Child(applicant=current)
    elif child.applicant_id != current.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(child, name, value)
    if child.parents != Child.Parents.DIVORCED:
        child.sole_custody = None  # CHILD-MINOR: custody is asked only of divorced parents
    child.save()
    _bump(current)
    return child


@transaction.atomic
def remove_child(*, applicant: Applicant, user: User, version: int, child: Child) -> None:
    current = _locked(applicant, user, version)
    if child.applicant_id != current.pk:
        raise PermissionDenied
    child.delete()
    _bump(current)
