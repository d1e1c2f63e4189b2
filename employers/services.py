"""Writes for employers: registration, operators, profile and documents, handling rights and the
association of applicants (BIZ-ONE-EMPLOYER, CHG-RESIGNATION). One transaction per use case; the
actor's permission is checked first."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.notifications import notify
from core.outbox import queue_mail
from employers import materials_catalogue as mc
from employers import selectors
from employers.credit_code import CreditCodeError, validate
from employers.models import (
    Association,
    AssociationStatus,
    ClaimStatus,
    Employer,
    EmployerFactChange,
    FactChangeStatus,
    Invitation,
    Operator,
    QualificationCategory,
    RegistrationClaim,
    RegistryEntry,
    RightsEvent,
    RightsKind,
    RightsStatus,
)
from materials.models import Document
from materials.services import store_upload

if TYPE_CHECKING:
    from applicants.models import Applicant

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed without doubt
CODE_LENGTH = 8
CODE_VALIDITY_DAYS = 365
INVITATION_MAX_AGE = timedelta(days=7)
INVITATION_SALT = "employers.invitation"


def revoked_message() -> str:
    return _("该邀请已被撤销，链接不能再使用。如需加入，请联系单位管理员重新邀请。")


# --- permission helpers -------------------------------------------------------------------------


def _operator(user: User) -> Operator:
    operator = selectors.operator_for(user) if user.is_authenticated and user.is_operator else None
    if operator is None or not user.is_active:
        raise PermissionDenied
    return operator


def _admin_operator(user: User) -> Operator:
    operator = _operator(user)
    if not operator.is_admin:
        raise PermissionDenied
    return operator


def _reviewer(user: User) -> User:
    if not (user.is_authenticated and user.is_active and user.is_reviewer):
        raise PermissionDenied
    return user


def _applicant(user: User) -> Applicant:
    applicant = getattr(user, "applicant", None) if user.is_authenticated and user.is_applicant else None
    if applicant is None:
        raise PermissionDenied
    return applicant


def credit_code_message(error: CreditCodeError) -> str:
    messages = {
        "length": _("统一社会信用代码应为18位。"),
        "alphabet": _("统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）。"),
        "division": _("统一社会信用代码第3至8位应为行政区划码（数字）。"),
        "checksum": _("统一社会信用代码校验位不正确，请逐位核对。"),
    }
    return messages[error.reason]


def registry_entry_for(code: str) -> RegistryEntry:
    """The registry data for a code; ValidationError with the field message otherwise."""
    try:
        code = validate(code)
    except CreditCodeError as error:
        raise ValidationError(credit_code_message(error), code=error.reason) from error
    entry = RegistryEntry.objects.filter(credit_code=code).first()
    if entry is None:
        raise ValidationError(
            _("市场监管登记信息中未找到该统一社会信用代码，请核对或联系北京市市场监督管理局"), code="unknown"
        )
    if hasattr(entry, "employer"):
        raise ValidationError(
            _("该单位已注册。请联系本单位的管理员经办人邀请您，或联系海淀区人力资源公共服务中心。"),
            code="duplicate",
        )
    return entry


# --- registration and operators -----------------------------------------------------------------


@transaction.atomic
def register_employer(*, credit_code: str, name: str, email: str, phone: str, password: str) -> Operator:
    """注册 1, once the registrant is verified: the employer and its admin operator. Not reachable
    from the web without a verified claim (`verify_registration_claim`); used by it and by tools."""
    entry = registry_entry_for(credit_code)
    entry = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
    if Employer.objects.filter(registry=entry).exists():
        raise ValidationError({"credit_code": _("该单位已注册。")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("该电子邮箱已注册，请换一个或直接登录。")})
    user = User.objects.create_user(
        username=email.lower(),
        email=email.lower(),
        password=password,
        role=Role.OPERATOR,
        display_name=name,
        phone=phone,
    )
    return _create_employer(entry, user)


def _create_employer(entry: RegistryEntry, user: User) -> Operator:
    employer = Employer.objects.create(registry=entry)
    return Operator.objects.create(user=user, employer=employer, is_admin=True)


# --- registration claims (issue 11, Medium 6) ---------------------------------------------------

CLAIM_VALIDITY = timedelta(hours=24)
CLAIM_MAX_FAILED_ATTEMPTS = 5


class ClaimRefused(ValidationError):
    """A verification step refused; the message is for the registrant."""


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _code_hash(claim: RegistrationClaim, purpose: str, code: str) -> str:
    return salted_hmac("employers.claim", f"{claim.public_id}:{purpose}:{code.strip()}").hexdigest()


def _code_matches(claim: RegistrationClaim, purpose: str, code: str, stored: str) -> bool:
    return bool(stored) and constant_time_compare(_code_hash(claim, purpose, code or ""), stored)


@transaction.atomic
def start_registration_claim(
    *, credit_code: str, name: str, email: str, phone: str, password: str
) -> RegistrationClaim:
    """注册 1, first half: a pending claim; a code to the registrant's e-mail (is it theirs?) and one to
    the registry's contact e-mail (may they act for the employer?). Nothing is created for the
    employer, and another pending claim does not stop this one: the first verified wins."""
    entry = registry_entry_for(credit_code)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("该电子邮箱已注册，请换一个或直接登录。")})
    claim = RegistrationClaim(
        registry=entry,
        name=name,
        email=email,
        phone=phone,
        password_hash=make_password(password),
        expires_at=timezone.now() + CLAIM_VALIDITY,
    )
    email_code, authority_code = _new_code(), _new_code()
    claim.email_code_hash = _code_hash(claim, "email", email_code)
    if entry.contact_email:
        claim.authority_code_hash = _code_hash(claim, "authority", authority_code)
    claim.save()
    hours = int(CLAIM_VALIDITY.total_seconds() // 3600)
    queue_mail(
        None,
        _("单位注册：电子邮箱验证码"),
        _(
            "您正在为%(name)s注册经办人账号。电子邮箱验证码：%(code)s（%(hours)s小时内有效）。如非本人操作，请忽略本邮件。"
        )
        % {"name": entry.name, "code": email_code, "hours": hours},
        address=email,
        reference=f"claim-email:{claim.public_id}",
    )
    if entry.contact_email:
        queue_mail(
            None,
            _("单位注册：单位授权验证码"),
            _(
                "有人以经办人%(person)s（%(email)s）的名义申请注册本单位（%(name)s）在海淀区工作居住证服务中的账号。"
                "如确为本单位授权，请将单位授权验证码 %(code)s 交给该经办人（%(hours)s小时内有效）；"
                "如非本单位授权，请勿提供，该申请将自动失效。"
            )
            % {"person": name, "email": email, "name": entry.name, "code": authority_code, "hours": hours},
            address=entry.contact_email,
            reference=f"claim-authority:{claim.public_id}",
        )
    return claim


def claim_for(public_id: str | UUID) -> RegistrationClaim | None:
    return RegistrationClaim.objects.select_related("registry").filter(public_id=public_id).first()


def verify_registration_claim(*, claim: RegistrationClaim, email_code: str, authority_code: str) -> Operator:
    """注册 1, second half: both codes right → the employer and its admin operator; the other pending
    claims for the employer are superseded and told. ClaimRefused otherwise (wrong code, expired,
    or another registrant verified first)."""
    outcome = _verify_claim(claim, email_code, authority_code)
    if isinstance(outcome, ClaimRefused):
        raise outcome  # after the commit: a failed attempt stays counted
    return outcome


@transaction.atomic
def _verify_claim(claim: RegistrationClaim, email_code: str, authority_code: str) -> Operator | ClaimRefused:
    entry = RegistryEntry.objects.select_for_update().get(pk=claim.registry_id)
    claim = RegistrationClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status == ClaimStatus.SUPERSEDED or Employer.objects.filter(registry=entry).exists():
        return ClaimRefused(
            _(
                "该单位已由另一位经办人完成核验注册。请联系本单位的管理员经办人邀请您，或联系海淀区人力资源公共服务中心。"
            )
        )
    if claim.status != ClaimStatus.PENDING or claim.expires_at < timezone.now():
        return ClaimRefused(_("该注册申请已失效，请重新注册。"))
    if not claim.authority_code_hash:
        return ClaimRefused(
            _(
                "登记信息中没有该单位的联系邮箱，无法在线核验单位授权。请携带单位授权材料联系海淀区人力资源公共服务中心。"
            )
        )
    email_ok = _code_matches(claim, "email", email_code, claim.email_code_hash)
    authority_ok = _code_matches(claim, "authority", authority_code, claim.authority_code_hash)
    if not (email_ok and authority_ok):
        claim.failed_attempts += 1
        if claim.failed_attempts >= CLAIM_MAX_FAILED_ATTEMPTS:
            claim.status = ClaimStatus.EXPIRED
        claim.save(update_fields=["failed_attempts", "status"])
        errors = {}
        if not email_ok:
            errors["email_code"] = _("电子邮箱验证码不正确。")
        if not authority_ok:
            errors["authority_code"] = _("单位授权验证码不正确。")
        if claim.status == ClaimStatus.EXPIRED:
            return ClaimRefused(_("验证码错误次数过多，该注册申请已失效，请重新注册。"))
        return ClaimRefused(errors)
    if User.objects.filter(email__iexact=claim.email).exists():
        return ClaimRefused({"email_code": _("该电子邮箱已注册，请换一个或直接登录。")})
    now = timezone.now()
    user = User.objects.create_user(
        username=claim.email,
        email=claim.email,
        password=None,
        role=Role.OPERATOR,
        display_name=claim.name,
        phone=claim.phone,
    )
    user.password = claim.password_hash
    user.save(update_fields=["password"])
    operator = _create_employer(entry, user)
    claim.email_verified_at = claim.authority_verified_at = now
    claim.status = ClaimStatus.REGISTERED
    claim.password_hash = ""
    claim.save()
    for other in RegistrationClaim.objects.filter(registry=entry, status=ClaimStatus.PENDING).exclude(
        pk=claim.pk
    ):
        other.status = ClaimStatus.SUPERSEDED
        other.password_hash = ""
        other.save(update_fields=["status", "password_hash"])
        queue_mail(
            None,
            _("单位注册：申请未能完成"),
            _(
                "%(name)s已由另一位经办人完成核验注册，您的注册申请已终止。如需办理，请联系本单位的管理员经办人邀请您。"
            )
            % {"name": entry.name},
            address=other.email,
            reference=f"claim-superseded:{other.public_id}",
        )
    return operator


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(str(invitation.public_id), salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    try:
        public_id = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("邀请链接已过期，请联系单位管理员重新邀请。"), code="expired") from error
    except signing.BadSignature as error:
        raise ValidationError(_("邀请链接无效。"), code="invalid") from error
    invitation = Invitation.objects.select_related("employer__registry").filter(public_id=public_id).first()
    if invitation is None:
        raise ValidationError(_("邀请链接无效。"), code="invalid")
    if invitation.accepted_at is not None:
        raise ValidationError(_("该邀请已使用，请直接登录。"), code="used")
    if invitation.revoked_at is not None:
        raise ValidationError(revoked_message(), code="revoked")
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: User, public_id: UUID) -> Invitation:
    """Offboarding (issue 11, production 10): the employer's admin operator (the one who may invite)
    or district staff revoke an open invitation; its signed link then fails with a clear page.
    Anyone else gets PermissionDenied, whether or not the invitation exists."""
    invitation = Invitation.objects.select_for_update().filter(public_id=public_id).first()
    if invitation is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    if not actor.is_district_staff:
        operator = _admin_operator(actor)
        if operator.employer_id != invitation.employer_id:
            raise PermissionDenied
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError(_("该邀请已被接受或已撤销。"), code="closed")
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


@transaction.atomic
def invite_operator(*, actor: User, email: str) -> Invitation:
    """The admin operator invites another operator by e-mail (signed link valid 7 days)."""
    operator = _admin_operator(actor)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("该电子邮箱已有账号，不能再邀请。")})
    invitation = Invitation.objects.create(employer=operator.employer, email=email, invited_by=actor)
    url = settings.SITE_URL + reverse("employers:accept_invitation", args=[invitation_token(invitation)])
    context = {
        "employer": operator.employer.name,
        "inviter": str(actor),
        "url": url,
        "days": INVITATION_MAX_AGE.days,
    }
    subject = render_to_string("employers/email/invitation_subject.txt", context).strip()
    body = render_to_string("employers/email/invitation_body.txt", context).strip()
    queue_mail(None, subject, body, address=email, reference=f"invitation {invitation.pk}")
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, name: str, phone: str, password: str) -> Operator:
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is not None:
        raise ValidationError(revoked_message(), code="revoked")
    if invitation.accepted_at is not None:
        raise ValidationError(_("该邀请已使用，请直接登录。"))
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("该电子邮箱已有账号，请直接登录。"))
    user = User.objects.create_user(
        username=invitation.email,
        email=invitation.email,
        password=password,
        role=Role.OPERATOR,
        display_name=name,
        phone=phone,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return Operator.objects.create(user=user, employer=invitation.employer, is_admin=False)


# --- profile and documents ----------------------------------------------------------------------

PROFILE_FIELDS = (
    "category",
    "ai_key_area",
    "growth_tech",
    "tax_registered_on",
    "annual_tax",
    "office_address",
    "contact_name",
    "contact_phone",
)


@transaction.atomic
def update_profile(*, actor: User, data: dict[str, Any]) -> Employer:
    """The employer's own data; registry fields are never written here (注册 注意事项 1)."""
    operator = _operator(actor)
    employer = Employer.objects.select_for_update().get(pk=operator.employer_id)
    category = data.get("category", employer.category)
    if category != QualificationCategory.OTHER and mc.QUALIFICATION_CERT not in selectors.current_documents(
        employer
    ):
        raise ValidationError(
            {"category": _("未上传单位资质证书的，单位分类须选择“其他”。请先在下方上传资质证书。")}
        )
    reviewed = employer.rights_status == RightsStatus.APPROVED
    for field in PROFILE_FIELDS:
        if field not in data:
            continue
        if reviewed and field in REVIEWED_FACTS:
            _propose_fact_change(employer, field, data[field], actor)
        else:
            setattr(employer, field, data[field])
    employer.save()
    return employer


# Employer facts that change decisions (ORG-AI-KEY-AREA, ORG-GROWTH-TECH, ORG-ANNUAL-TAX): once the
# handling rights are approved, an operator's change of one waits for a reviewer (issue 11, Low).
REVIEWED_FACTS = ("ai_key_area", "growth_tech", "annual_tax")


def _propose_fact_change(employer: Employer, field: str, value: Any, actor: User) -> None:
    pending = EmployerFactChange.objects.select_for_update().filter(
        employer=employer, field=field, status=FactChangeStatus.PENDING
    )
    current = getattr(employer, field)
    if value == current:
        return  # the form shows the value in force: saving other fields leaves a pending change waiting
    latest = pending.first()
    if latest is not None and latest.new_value == value:
        return  # the same change is already waiting
    pending.update(status=FactChangeStatus.SUPERSEDED)
    EmployerFactChange.objects.create(
        employer=employer, field=field, old_value=current, new_value=value, proposed_by=actor
    )


@transaction.atomic
def decide_fact_change(
    *, actor: User, change: EmployerFactChange, approve: bool, reason: str
) -> EmployerFactChange:
    """A reviewer approves (the new value comes into force) or refuses (with a reason) a pending change."""
    _reviewer(actor)
    employer = Employer.objects.select_for_update().get(pk=change.employer_id)
    change = EmployerFactChange.objects.select_for_update().get(pk=change.pk)
    if change.status != FactChangeStatus.PENDING:
        raise ValidationError(_("该变更已处理，请刷新页面。"))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("不予通过时请填写理由。")})
    if approve:
        setattr(employer, change.field, change.new_value)
        employer.save()
    change.status = FactChangeStatus.APPROVED if approve else FactChangeStatus.REFUSED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.reason = reason
    change.save()
    return change


@transaction.atomic
def upload_employer_document(
    *, actor: User, material: str, uploaded_file: UploadedFile, today: date
) -> Document:
    """A new upload, or the next version of the current one. The yearly integrity statement is valid
    to the end of the year it is uploaded in."""
    operator = _operator(actor)
    if material not in mc.EMPLOYER_MATERIALS:
        raise ValidationError(_("不支持的材料类型。"))
    current = selectors.current_documents(operator.employer).get(material)
    valid_until = date(today.year, 12, 31) if material == mc.EMPLOYER_INTEGRITY else None
    return store_upload(
        uploaded_file=uploaded_file,
        material=material,
        uploaded_by=actor,
        employer=operator.employer,
        replaces=current,
        valid_until=valid_until,
    )


# --- handling rights ----------------------------------------------------------------------------


class MissingMaterials(ValidationError):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        names = "、".join(mc.label(material) for material in missing)
        super().__init__(_("请先上传以下材料：%(names)s") % {"names": names}, code="missing")


@transaction.atomic
def request_rights(*, actor: User, kind: str, today: date) -> Employer:
    """注册 1 / 单位变更 注意事项 3: apply for full rights, or receive-only with the commitment letter."""
    operator = _operator(actor)
    employer = Employer.objects.select_for_update().get(pk=operator.employer_id)
    if kind not in RightsKind.values:
        raise ValidationError({"kind": _("请选择权限类型。")})
    if employer.rights_status == RightsStatus.PENDING:
        raise ValidationError(_("办理权限申请正在审核中，请勿重复提交。"))
    if employer.rights_status == RightsStatus.APPROVED:
        raise ValidationError(_("本单位已开通办理权限。"))
    missing = selectors.missing_rights_materials(employer, kind, today)
    if missing:
        raise MissingMaterials(missing)
    employer.rights_status = RightsStatus.PENDING
    employer.rights_kind = kind
    employer.rights_requested_at = timezone.now()
    employer.rights_reason = ""
    employer.save()
    RightsEvent.objects.create(employer=employer, actor=actor, action=RightsEvent.Action.REQUEST, kind=kind)
    return employer


@transaction.atomic
def request_full_rights(*, actor: User, today: date) -> Employer:
    """Issue 10, item 8 (ORG-PERMISSION): a receive-only employer (承诺书) that now meets the employer
    conditions (三（一）) asks for full rights. It keeps its receive-only rights while the district
    decides; the materials of a full request are needed (注册 1)."""
    operator = _operator(actor)
    employer = Employer.objects.select_for_update().select_related("registry").get(pk=operator.employer_id)
    if employer.rights_status != RightsStatus.APPROVED or employer.rights_kind != RightsKind.RECEIVE_ONLY:
        raise ValidationError(_("只有已开通“仅接收已持证人员”权限的单位可以申请全部业务权限。"))
    if employer.upgrade_status == RightsStatus.PENDING:
        raise ValidationError(_("全部业务权限申请正在审核中，请勿重复提交。"))
    missing = selectors.missing_rights_materials(employer, RightsKind.FULL, today)
    if missing:
        raise MissingMaterials(missing)
    shortfalls = selectors.condition_shortfalls(employer, today)
    if shortfalls:
        raise ValidationError(
            _("本单位尚不符合单位申请条件，暂不能申请全部业务权限：%(items)s")
            % {"items": "；".join(shortfalls)}
        )
    employer.upgrade_status = RightsStatus.PENDING
    employer.upgrade_requested_at = timezone.now()
    employer.upgrade_reason = ""
    employer.save()
    RightsEvent.objects.create(
        employer=employer, actor=actor, action=RightsEvent.Action.UPGRADE_REQUEST, kind=RightsKind.FULL
    )
    return employer


def _locked_pending(employer: Employer, status_field: str) -> Employer:
    """The employer's row, locked, while the request named by `status_field` is still pending."""
    employer = Employer.objects.select_for_update().select_related("registry").get(pk=employer.pk)
    if getattr(employer, status_field) != RightsStatus.PENDING:
        raise ValidationError(_("该申请已处理，请刷新页面。"))
    return employer


def _decision_reason(approve: bool, reason: str) -> str:
    """A rights decision's reason; a rejection must give one."""
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("不予通过时请填写理由。")})
    return reason


@transaction.atomic
def decide_full_rights(
    *, actor: User, employer: Employer, approve: bool, reason: str, today: date
) -> Employer:
    """The district decides a receive-only employer's request for full rights, as for a first request:
    a rejection needs a reason; the operators are told. Approval lets it file new applications."""
    _reviewer(actor)
    employer = _locked_pending(employer, "upgrade_status")
    reason = _decision_reason(approve, reason)
    employer.upgrade_status = RightsStatus.APPROVED if approve else RightsStatus.REJECTED
    employer.upgrade_decided_at = timezone.now()
    employer.upgrade_decided_by = actor
    employer.upgrade_reason = reason
    if approve:
        employer.rights_kind = RightsKind.FULL
    employer.save()
    RightsEvent.objects.create(
        employer=employer,
        actor=actor,
        action=RightsEvent.Action.UPGRADE_APPROVE if approve else RightsEvent.Action.UPGRADE_REJECT,
        kind=RightsKind.FULL,
        reason=reason,
    )
    notify(
        selectors.operator_users(employer),
        "employers_upgrade_approved" if approve else "employers_upgrade_rejected",
        {"employer": employer.name, "reason": reason},
        reverse("employers:profile"),
    )
    return employer


def new_association_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Employer.objects.filter(association_code=code).exists():
            return code


@transaction.atomic
def decide_rights(*, actor: User, employer: Employer, approve: bool, reason: str, today: date) -> Employer:
    """The district reviews a rights request; a rejection needs a reason. Approval issues the code."""
    _reviewer(actor)
    employer = _locked_pending(employer, "rights_status")
    reason = _decision_reason(approve, reason)
    employer.rights_status = RightsStatus.APPROVED if approve else RightsStatus.REJECTED
    employer.rights_decided_at = timezone.now()
    employer.rights_decided_by = actor
    employer.rights_reason = reason
    if approve:
        employer.association_code = new_association_code()
        employer.association_code_expires_on = today + timedelta(days=CODE_VALIDITY_DAYS)
    employer.save()
    RightsEvent.objects.create(
        employer=employer,
        actor=actor,
        action=RightsEvent.Action.APPROVE if approve else RightsEvent.Action.REJECT,
        kind=employer.rights_kind,
        reason=reason,
    )
    notify(
        selectors.operator_users(employer),
        "employers_rights_approved" if approve else "employers_rights_rejected",
        {"employer": employer.name, "kind": employer.get_rights_kind_display(), "reason": reason},
        reverse("employers:profile"),
    )
    return employer


@transaction.atomic
def regenerate_code(*, actor: User, today: date) -> Employer:
    """A new association code replaces the old one at once (e.g. when it was passed on too widely)."""
    operator = _operator(actor)
    employer = Employer.objects.select_for_update().get(pk=operator.employer_id)
    if employer.rights_status != RightsStatus.APPROVED:
        raise ValidationError(_("开通办理权限后才有关联码。"))
    employer.association_code = new_association_code()
    employer.association_code_expires_on = today + timedelta(days=CODE_VALIDITY_DAYS)
    employer.save(update_fields=["association_code", "association_code_expires_on", "updated_at"])
    return employer


# --- association (BIZ-ONE-EMPLOYER) -------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


@transaction.atomic
def request_association(*, actor: User, code: str, today: date) -> Association:
    """申请人关联单位: the applicant enters the employer's code; the employer then confirms."""
    applicant = _applicant(actor)
    type(applicant).objects.select_for_update().get(pk=applicant.pk)  # one request at a time
    approved = selectors.approved_association_for(applicant)
    if approved is not None:
        raise ValidationError(
            _("您已关联%(employer)s。申请人仅可关联一家单位；更换单位须由原单位先解除关联。")
            % {"employer": approved.employer.name}
        )
    pending = selectors.pending_association_for(applicant)
    if pending is not None:
        raise ValidationError(
            _("您已向%(employer)s发起关联申请，请等待单位确认，或先撤回该申请再关联其他单位。")
            % {"employer": pending.employer.name}
        )
    code = normalise_code(code)
    employer = (
        Employer.objects.select_related("registry").filter(association_code=code).first() if code else None
    )
    if employer is None or employer.rights_status != RightsStatus.APPROVED:
        raise ValidationError({"code": _("关联码不正确，请向单位经办人核对。")})
    if employer.association_code_expires_on is None or employer.association_code_expires_on < today:
        raise ValidationError({"code": _("该关联码已过期，请向单位经办人索取新的关联码。")})
    try:
        with transaction.atomic():
            association = Association.objects.create(applicant=applicant, employer=employer)
    except IntegrityError as error:
        raise ValidationError(_("您已有一个关联申请或已关联单位。")) from error
    notify(
        selectors.operator_users(employer),
        "employers_association_requested",
        {"employer": employer.name},
        reverse("employers:association_detail", args=[association.public_id]),
    )
    return association


@transaction.atomic
def withdraw_association(*, actor: User, public_id: UUID | str) -> Association:
    """Until the employer approves, the applicant may withdraw and choose another (BIZ-ONE-EMPLOYER)."""
    applicant = _applicant(actor)
    association = (
        Association.objects.select_for_update().filter(applicant=applicant, public_id=public_id).first()
    )
    if association is None:
        raise PermissionDenied
    if association.status != AssociationStatus.PENDING:
        raise ValidationError(_("只有待单位确认的申请可以撤回。"))
    association.status = AssociationStatus.WITHDRAWN
    association.decided_at = timezone.now()
    association.save()
    return association


def _operator_association(actor: User, public_id: UUID | str) -> tuple[Operator, Association]:
    operator = _operator(actor)
    association = (
        Association.objects.select_for_update()
        .filter(employer=operator.employer, public_id=public_id)
        .first()
    )
    if association is None:
        raise PermissionDenied
    return operator, association


@transaction.atomic
def approve_association(
    *,
    actor: User,
    public_id: UUID | str,
    employed_since: date,
    contract_ends_on: date,
    contract_file: UploadedFile,
    today: date,
) -> Association:
    """The employer completes the employment data, uploads the labour contract and associates."""
    operator, association = _operator_association(actor, public_id)
    if association.status != AssociationStatus.PENDING:
        raise ValidationError(_("该申请已处理，请刷新页面。"))
    errors: dict[str, str] = {}
    if employed_since > today:
        errors["employed_since"] = _("入职日期不能晚于今天。")
    if contract_ends_on <= employed_since:
        errors["contract_ends_on"] = _("劳动合同截止日期应晚于入职日期。")
    if errors:
        raise ValidationError(errors)
    try:
        contract = store_upload(
            uploaded_file=contract_file,
            material=mc.LABOUR_CONTRACT,
            uploaded_by=actor,
            employer=operator.employer,
            applicant=association.applicant,
            valid_until=contract_ends_on,
        )
    except ValidationError as error:
        raise ValidationError({"contract_file": error.messages}) from error
    association.status = AssociationStatus.APPROVED
    association.employed_since = employed_since
    association.contract_ends_on = contract_ends_on
    association.labour_contract = contract
    association.decided_at = timezone.now()
    association.decided_by = actor
    association.reason = ""
    try:
        with transaction.atomic():
            association.save()
    except IntegrityError as error:
        raise ValidationError(_("该申请人已关联其他单位。")) from error
    notify(
        [association.applicant.user],
        "employers_association_approved",
        {"employer": operator.employer.name},
        reverse("employers:associate"),
    )
    return association


@transaction.atomic
def reject_association(*, actor: User, public_id: UUID | str, reason: str) -> Association:
    operator, association = _operator_association(actor, public_id)
    if association.status != AssociationStatus.PENDING:
        raise ValidationError(_("该申请已处理，请刷新页面。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写不同意关联的理由。")})
    association.status = AssociationStatus.REJECTED
    association.reason = reason
    association.decided_at = timezone.now()
    association.decided_by = actor
    association.save()
    notify(
        [association.applicant.user],
        "employers_association_rejected",
        {"employer": operator.employer.name, "reason": reason},
        reverse("employers:associate"),
    )
    return association


def _check_renewal_first(association: Association, left_on: date, renewal_acknowledged: bool) -> None:
    """CHG-RENEW-FIRST: when renewal and employer change fall together, the former employer renews
    first, then dissociates. A leaving date inside the holder's current permit's REN-WINDOW
    (window opens = expires_on − 1 day − P-RENEWAL-WINDOW-DAYS, up to complete_by = expires_on − 1
    day) is refused unless the operator confirms knowing it. An approved renewal moves `expires_on`
    on, so a permit a renewal has extended is no longer in the window on that day."""
    from permits.selectors import current_permit_for

    permit = current_permit_for(association.applicant)
    if permit is None or renewal_acknowledged:
        return
    opens = permit.window_opens(left_on)
    if opens <= left_on <= permit.complete_by:
        raise ValidationError(
            {
                "renewal_acknowledged": _(
                    "离职日期%(left_on)s处于工作居住证%(number)s的续签期（%(opens)s至%(complete_by)s，"
                    "证件%(expires_on)s到期）。续签与单位变更同时发生时应先由原单位办理续签，再解除关联；"
                    "如仍需解除关联，请勾选确认：解除关联后须由新单位办理变更。"
                )
                % {
                    "left_on": left_on.isoformat(),
                    "number": permit.number,
                    "opens": opens.isoformat(),
                    "complete_by": permit.complete_by.isoformat(),
                    "expires_on": permit.expires_on.isoformat(),
                }
            }
        )


def _check_no_open_renewal(association: Association) -> None:
    """CHG-RENEW-FIRST: the former employer finishes or withdraws its open renewal before it
    dissociates the holder (an employer change cannot start while a renewal is open)."""
    from cases.selectors import open_renewal

    case = open_renewal(association.applicant, association.employer)
    if case is not None:
        raise ValidationError(
            _(
                "该员工有未办结的续签业务（%(ref)s）。续签与单位变更同时发生时应先办结续签；"
                "如不再续签，请先撤回该业务，再解除关联（CHG-RENEW-FIRST）。"
            )
            % {"ref": case.reference}
        )


@transaction.atomic
def dissociate(
    *,
    actor: User,
    public_id: UUID | str,
    left_on: date,
    certificate_file: UploadedFile,
    today: date,
    renewal_acknowledged: bool = False,
) -> Association:
    """CHG-RESIGNATION: the former employer dissociates a leaver at once, with the resignation
    certificate stating the leaving date; CHG-RENEW-FIRST: inside the renewal window only with the
    operator's explicit confirmation."""
    operator, association = _operator_association(actor, public_id)
    if association.status != AssociationStatus.APPROVED:
        raise ValidationError(_("只有已关联的员工可以解除关联。"))
    if left_on > today:
        raise ValidationError({"left_on": _("离职日期不能晚于今天；请在员工离职后解除关联。")})
    if association.employed_since and left_on < association.employed_since:
        raise ValidationError({"left_on": _("离职日期不能早于入职日期。")})
    _check_renewal_first(association, left_on, renewal_acknowledged)
    _check_no_open_renewal(association)
    try:
        certificate = store_upload(
            uploaded_file=certificate_file,
            material=mc.RESIGNATION_CERT,
            uploaded_by=actor,
            employer=operator.employer,
            applicant=association.applicant,
            issued_on=left_on,
        )
    except ValidationError as error:
        raise ValidationError({"certificate_file": error.messages}) from error
    association.status = AssociationStatus.DISSOCIATED
    association.left_on = left_on
    association.resignation_certificate = certificate
    association.save()
    notify(
        [association.applicant.user],
        "employers_dissociated",
        {"employer": operator.employer.name, "left_on": left_on},
        reverse("employers:associate"),
    )
    return association
