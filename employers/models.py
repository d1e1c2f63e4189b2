"""Employers (申请单位): base data from the market-regulation registry, profile, rights, operators,
and the association of applicants with an employer (BIZ-ONE-EMPLOYER)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels


class LegalPersonKind(models.TextChoices):
    """Matches the eligibility contract's employer.kind (ORG-LEGAL-ENTITY)."""

    ENTERPRISE = "enterprise", _("企业")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("民办非企业单位")
    SOCIAL_ORGANIZATION = "social_organization", _("社会团体")
    # ORG-LEGAL-ENTITY (edition 2): 律师事务所、会计师事务所 … are partnerships, not legal persons → review
    PROFESSIONAL_PARTNERSHIP = (
        "professional_partnership",
        _("合伙制专业服务机构（律师事务所、会计师事务所等）"),
    )
    OTHER = "other", _("其他（非法人）")


class RegistryEntry(models.Model):
    """One row of the market-regulation registry extract; read-only for users (注册 注意事项 1)."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    legal_person_kind = models.CharField(_("法人类型"), max_length=30, choices=LegalPersonKind.choices)
    registered_district = models.CharField(_("注册区"), max_length=30, help_text=_("如 haidian"))
    registered_address = models.CharField(_("注册地址"), max_length=300)
    legal_representative = models.CharField(_("法定代表人"), max_length=100)
    registered_on = models.DateField(_("成立日期"))
    registered_capital = models.BigIntegerField(_("注册资本（元）"), default=0)
    deregistered_on = models.DateField(_("注销登记日期"), null=True, blank=True)
    # The registry's contact e-mail: the registrant's authority is verified by a code sent there.
    contact_email = models.EmailField(_("登记联系邮箱"), blank=True, default="")
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("市场监管登记信息")
        verbose_name_plural = _("市场监管登记信息")

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})"


class QualificationCategory(models.TextChoices):
    HIGH_TECH = "high_tech", _("国家高新技术企业")
    NEW_RND = "new_rnd", _("新型研发机构")
    INNOVATIVE_HQ = "innovative_hq", _("创新型总部企业")
    LAW_FIRM = "law_firm", _("律师事务所")
    ACCOUNTING_FIRM = "accounting_firm", _("会计师事务所")
    AUDIT_FIRM = "audit_firm", _("审计师事务所")
    TAX_AGENT = "tax_agent", _("税务师事务所")
    FINANCIAL = "financial", _("金融机构")
    OTHER = "other", _("其他")


INNOVATION_CATEGORIES = frozenset({"high_tech", "new_rnd", "innovative_hq"})  # CL4
SERVICE_CATEGORIES = frozenset({"law_firm", "accounting_firm", "audit_firm", "tax_agent", "financial"})  # CL5


class RightsStatus(models.TextChoices):
    NONE = "none", _("未申请")
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已开通")
    REJECTED = "rejected", _("未通过")


class RightsKind(models.TextChoices):
    FULL = "full", _("全部业务")
    RECEIVE_ONLY = "receive_only", _("仅接收已持证人员（承诺书）")


class Employer(ChoiceLabels, models.Model):
    """A registered employer. Base data lives in `registry`; the rest is the employer's own profile."""

    registry = models.OneToOneField(RegistryEntry, on_delete=models.PROTECT, related_name="employer")
    category = models.CharField(
        _("单位分类"),
        max_length=30,
        choices=QualificationCategory.choices,
        default=QualificationCategory.OTHER,
    )
    ai_key_area = models.BooleanField(_("人工智能等重点领域单位"), default=False)
    growth_tech = models.BooleanField(_("高精尖产业成长型科技类企业"), default=False)
    tax_registered_on = models.DateField(_("在海淀区登记并缴纳税费起始日"), null=True, blank=True)
    annual_tax = models.BigIntegerField(_("年纳税额（元）"), null=True, blank=True)
    office_address = models.CharField(_("办公地址"), max_length=300, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    rights_status = models.CharField(
        _("办理权限状态"), max_length=20, choices=RightsStatus.choices, default=RightsStatus.NONE
    )
    rights_kind = models.CharField(_("办理权限类型"), max_length=20, choices=RightsKind.choices, blank=True)
    rights_requested_at = models.DateTimeField(_("权限申请时间"), null=True, blank=True)
    rights_decided_at = models.DateTimeField(_("权限审核时间"), null=True, blank=True)
    rights_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rights_reason = models.TextField(_("审核意见"), blank=True)
    # Item 8 of issue 10: a receive-only employer (承诺书) that now meets the employer conditions asks for
    # full rights; it keeps receiving holders while the district decides.
    upgrade_status = models.CharField(
        _("全部业务权限申请状态"), max_length=20, choices=RightsStatus.choices, default=RightsStatus.NONE
    )
    upgrade_requested_at = models.DateTimeField(_("全部业务权限申请时间"), null=True, blank=True)
    upgrade_decided_at = models.DateTimeField(_("全部业务权限审核时间"), null=True, blank=True)
    upgrade_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    upgrade_reason = models.TextField(_("全部业务权限审核意见"), blank=True)
    association_code = models.CharField(_("关联码"), max_length=12, unique=True, null=True, blank=True)
    association_code_expires_on = models.DateField(_("关联码有效期至"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申请单位")
        verbose_name_plural = _("申请单位")

    def __str__(self) -> str:
        return self.registry.name

    @property
    def name(self) -> str:
        return self.registry.name

    @property
    def credit_code(self) -> str:
        return self.registry.credit_code

    @property
    def can_file_new(self) -> bool:
        """ORG-PERMISSION: receive-only employers may not file new applications."""
        return self.rights_status == RightsStatus.APPROVED and self.rights_kind == RightsKind.FULL


class RightsEvent(models.Model):
    """Append-only history of an employer's handling rights: requests and the district's decisions."""

    class Action(models.TextChoices):
        REQUEST = "request", _("申请办理权限")
        APPROVE = "approve", _("办理权限审核通过")
        REJECT = "reject", _("办理权限不予通过")
        UPGRADE_REQUEST = "upgrade_request", _("申请全部业务权限")
        UPGRADE_APPROVE = "upgrade_approve", _("全部业务权限审核通过")
        UPGRADE_REJECT = "upgrade_reject", _("全部业务权限不予通过")

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="rights_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    kind = models.CharField(_("权限类型"), max_length=20, choices=RightsKind.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("办理权限记录")
        verbose_name_plural = _("办理权限记录")

    def __str__(self) -> str:
        return f"{self.employer_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("RightsEvent rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("RightsEvent rows are append-only")


class Operator(models.Model):
    """An employer's HR operator (经办人). The first one registers the employer and invites the others."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="operator")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="operators")
    is_admin = models.BooleanField(_("管理员（可邀请经办人）"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("单位经办人")
        verbose_name_plural = _("单位经办人")

    def __str__(self) -> str:
        return f"{self.user} @ {self.employer}"


class AssociationStatus(models.TextChoices):
    PENDING = "pending", _("待单位确认")
    APPROVED = "approved", _("已关联")
    REJECTED = "rejected", _("单位未同意")
    WITHDRAWN = "withdrawn", _("申请人已撤回")
    DISSOCIATED = "dissociated", _("已解除关联")


class Association(ChoiceLabels, models.Model):
    """An applicant's request to be associated with an employer (申请人关联单位, BIZ-ONE-EMPLOYER)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        "applicants.Applicant", on_delete=models.PROTECT, related_name="associations"
    )
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="associations")
    status = models.CharField(
        _("状态"), max_length=20, choices=AssociationStatus.choices, default=AssociationStatus.PENDING
    )
    employed_since = models.DateField(_("入职日期"), null=True, blank=True)
    contract_ends_on = models.DateField(_("劳动合同截止日期"), null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由"), blank=True)
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    labour_contract = models.ForeignKey(
        "materials.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resignation_certificate = models.ForeignKey(
        "materials.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("申请人关联")
        verbose_name_plural = _("申请人关联")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status="approved"),
                name="one_approved_employer_per_applicant",
            ),
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status="pending"),
                name="one_pending_association_per_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.employer} ({self.status})"


class Invitation(models.Model):
    """An admin operator's invitation of another operator; the link carries a signed, expiring token."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("电子邮箱"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("经办人邀请")
        verbose_name_plural = _("经办人邀请")

    def __str__(self) -> str:
        return f"{self.email} → {self.employer}"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待核验")
    REGISTERED = "registered", _("已注册")
    SUPERSEDED = "superseded", _("已由他人核验注册")
    EXPIRED = "expired", _("已失效")


class RegistrationClaim(models.Model):
    """注册 1 pending verification (issue 11, Medium 6): a registrant's claim to register an employer.

    Nothing is created for the employer until the registrant's e-mail and authority are verified (a
    code sent to the registrant's e-mail, and one sent to the registry's contact e-mail). Several
    pending claims for one employer may coexist; the first verified becomes the employer's admin
    operator and the others are superseded and told. Codes and the password are stored hashed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registry = models.ForeignKey(RegistryEntry, on_delete=models.CASCADE, related_name="claims")
    name = models.CharField(_("经办人姓名"), max_length=100)
    email = models.EmailField(_("电子邮箱"))
    phone = models.CharField(_("手机号码"), max_length=30)
    password_hash = models.CharField(max_length=128)
    email_code_hash = models.CharField(max_length=128)
    authority_code_hash = models.CharField(max_length=128, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    authority_verified_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("单位注册申请")
        verbose_name_plural = _("单位注册申请")
        indexes = [models.Index(fields=["registry", "status"])]

    def __str__(self) -> str:
        return f"{self.registry_id} {self.status}"


class FactChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已生效")
    REFUSED = "refused", _("未通过")
    SUPERSEDED = "superseded", _("已被新的修改取代")


class EmployerFactChange(models.Model):
    """An operator's change of an employer fact that changes decisions (issue 11, Low): proposed after
    the handling rights were approved, it waits for a reviewer; the value in force stays until then.
    Append-only history: one row per proposal, with who proposed and who decided."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="fact_changes")
    field = models.CharField(max_length=40)
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    status = models.CharField(
        max_length=20, choices=FactChangeStatus.choices, default=FactChangeStatus.PENDING
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("审核意见"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("单位信息变更")
        verbose_name_plural = _("单位信息变更")
        indexes = [models.Index(fields=["employer", "status"])]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.field} {self.status}"

    @property
    def field_label(self) -> str:
        return str(getattr(Employer._meta.get_field(self.field), "verbose_name", self.field))
