"""Oversight (四（六）（七）): sanctions on employers and applicants, annual inspection of permits."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels


class SanctionKind(models.TextChoices):
    """SAN-MEASURES: 压减办理数量、列入黑名单、取消申报资格、注销证件、移交纪检监察或司法机关."""

    REDUCED_QUOTA = "reduced_quota", _("压减办理数量")
    BLACKLIST = "blacklist", _("列入黑名单")
    DISQUALIFICATION = "disqualification", _("取消申报资格")
    PERMIT_CANCELLATION = "permit_cancellation", _("注销工作居住证")
    REFERRAL = "referral", _("移交纪检监察或司法机关")


BARRING_KINDS = (SanctionKind.BLACKLIST, SanctionKind.DISQUALIFICATION)


class SanctionStatus(models.TextChoices):
    PROPOSED = "proposed", _("待批准")
    ACTIVE = "active", _("已生效")
    REJECTED = "rejected", _("未批准")
    LIFT_PROPOSED = "lift_proposed", _("解除待批准")
    LIFTED = "lifted", _("已解除")


class Sanction(ChoiceLabels, models.Model):
    """A measure on an employer or an applicant; proposed by a reviewer, approved by another supervisor."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(
        "employers.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )
    applicant = models.ForeignKey(
        "applicants.Applicant", null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("处理措施"), max_length=30, choices=SanctionKind.choices)
    quota = models.PositiveIntegerField(_("压减后办理数量上限"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    evidence = models.ForeignKey(
        "materials.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("证据材料"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=SanctionStatus.choices, default=SanctionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    lift_reason = models.TextField(_("解除理由"), blank=True)
    lift_evidence = models.ForeignKey(
        "materials.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("解除证据材料"),
    )
    lift_on = models.DateField(_("解除日期"), null=True, blank=True)
    lift_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_proposed_at = models.DateTimeField(null=True, blank=True)
    lift_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("处理措施")
        verbose_name_plural = _("处理措施")
        constraints = [
            models.CheckConstraint(
                condition=(Q(employer__isnull=False) & Q(applicant__isnull=True))
                | (Q(employer__isnull=True) & Q(applicant__isnull=False)),
                name="sanction_one_target",
            ),
            # Four eyes, also in the database: the proposer never decides.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="sanction_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(lift_decided_by__isnull=True) | ~Q(lift_decided_by=F("lift_proposed_by")),
                name="sanction_lift_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="sanction_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reduced_quota") | Q(quota__isnull=False), name="sanction_quota_given"
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "status"]),
            models.Index(fields=["applicant", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.target_name}"

    @property
    def target_name(self) -> str:
        if self.employer is not None:
            return self.employer.name
        return self.applicant.name if self.applicant is not None else ""


class InspectionStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("检查中")
    CLASSIFIED = "classified", _("待复核")
    CLOSED = "closed", _("已完成")


class Inspection(models.Model):
    """An annual inspection (证件年检, INSPECTION) of every current permit as of a day."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    as_of = models.DateField(_("检查基准日"))
    status = models.CharField(
        _("状态"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("应检证件数"), default=0)
    processed = models.PositiveIntegerField(_("已检证件数"), default=0)
    cursor = models.BigIntegerField(default=0, help_text="last permit id classified (resume point)")
    upper_bound = models.BigIntegerField(default=0, help_text="highest permit id in scope when started")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    classified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("证件年检")
        verbose_name_plural = _("证件年检")

    def __str__(self) -> str:
        return f"{self.as_of} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status != InspectionStatus.QUEUED else 0
        return min(100, self.processed * 100 // self.total)


class FindingReason(models.TextChoices):
    EXPIRED = "expired", _("证件已过期")
    DISSOCIATED = "dissociated", _("持证人已离职且未办理单位变更")
    EMPLOYER_DEREGISTERED = "employer_deregistered", _("单位已注销登记")
    EMPLOYER_SANCTIONED = "employer_sanctioned", _("单位被列入黑名单或取消申报资格")
    RENEWAL_OVERDUE = "renewal_overdue", _("已过续签最晚完成日仍未续签")


class FindingDecision(models.TextChoices):
    PENDING = "pending", _("待复核")
    CANCELLED = "cancelled", _("已注销")
    KEPT = "kept", _("保留")


class InspectionFinding(models.Model):
    """A permit the inspection found invalid, and what the supervisor decided."""

    # No index of its own: the unique (inspection, permit) index leads with it, and one index less to
    # maintain matters when a run inserts hundreds of thousands of findings.
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", db_index=False
    )
    permit = models.ForeignKey("permits.Permit", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("问题"), max_length=30, choices=FindingReason.choices)
    decision = models.CharField(
        _("处理结果"), max_length=20, choices=FindingDecision.choices, default=FindingDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("处理理由"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("年检问题证件")
        verbose_name_plural = _("年检问题证件")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "permit"], name="one_finding_per_permit"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.permit_id} {self.reason}"


class SanctionEvent(models.Model):
    """Append-only record of each step of a sanction: proposed, approved, rejected, lift steps."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", _("提出")
        APPROVED = "approved", _("批准")
        REJECTED = "rejected", _("不予批准")
        LIFT_PROPOSED = "lift_proposed", _("提出解除")
        LIFT_APPROVED = "lift_approved", _("批准解除")
        LIFT_REJECTED = "lift_rejected", _("不予解除")

    sanction = models.ForeignKey(Sanction, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("处理措施记录")
        verbose_name_plural = _("处理措施记录")

    def __str__(self) -> str:
        return f"{self.sanction_id} {self.action}"
