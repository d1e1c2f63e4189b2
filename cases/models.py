"""Cases (业务申请): the four business types from draft to decision (BIZ-FLOW).

One `Case` model carries every business type; `cases.workflow` holds the state machine as data and
`cases.services` performs each transition. History is the append-only `CaseEvent`; the facts judged
on the acceptance day (四（九）) are fixed in an `AcceptanceSnapshot`.

cases never points at permits: permits depend on cases. A renewal or change keeps the permit's
number and expiry as plain values.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels


class Kind(models.TextChoices):
    NEW = "new", _("新办")
    RENEWAL = "renewal", _("续签")
    EMPLOYER_CHANGE = "employer_change", _("单位变更")
    INFO_CHANGE = "info_change", _("信息变更")


EMPLOYER_STARTED_KINDS = frozenset({Kind.RENEWAL, Kind.EMPLOYER_CHANGE, Kind.INFO_CHANGE})


class State(models.TextChoices):
    DRAFT = "draft", _("填写中")
    WITH_EMPLOYER = "with_employer", _("待单位核查")
    RETURNED_TO_APPLICANT = "returned_to_applicant", _("退回申请人修改")
    SUBMITTED = "submitted", _("已提交，待受理")
    ACCEPTED = "accepted", _("已受理，审核中")
    RETURNED_TO_EMPLOYER = "returned_to_employer", _("退回单位修改")
    AWAITING_RATIFICATION = "awaiting_ratification", _("区级审核通过，待市级核准")
    APPROVED = "approved", _("已核准")
    REJECTED = "rejected", _("不予通过")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATES = frozenset(
    {
        State.DRAFT,
        State.WITH_EMPLOYER,
        State.RETURNED_TO_APPLICANT,
        State.SUBMITTED,
        State.ACCEPTED,
        State.RETURNED_TO_EMPLOYER,
        State.AWAITING_RATIFICATION,
    }
)
AUTHORITY_STATES = frozenset({State.SUBMITTED, State.ACCEPTED})
FINAL_STATES = frozenset({State.APPROVED, State.REJECTED, State.WITHDRAWN})


class InfoChangeKind(models.TextChoices):
    """INF-CHANGE: what an information change is about (materials.md `changes`)."""

    CHILD = "child", _("随往子女")
    ADDRESS = "address", _("居住地址")
    HUKOU_ADDRESS = "hukou_address", _("户口地址")
    OTHER = "other", _("其他信息")


class Case(ChoiceLabels, models.Model):
    """One application of one business type for one applicant through one employer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("业务编号"), max_length=20, unique=True)
    kind = models.CharField(_("业务类型"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=30, choices=State.choices, default=State.DRAFT)
    applicant = models.ForeignKey("applicants.Applicant", on_delete=models.PROTECT, related_name="cases")
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="cases")
    former_employer = models.ForeignKey(
        "employers.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_as_former_employer",
        verbose_name=_("原单位"),
    )
    association = models.ForeignKey(
        "employers.Association", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    former_association = models.ForeignKey(
        "employers.Association", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The permit this case renews or changes (plain values: no FK to permits).
    permit_number = models.CharField(_("证件编号"), max_length=40, blank=True)
    permit_expires_on = models.DateField(_("证件有效期至"), null=True, blank=True)
    permit_migrated = models.BooleanField(_("旧系统迁移数据"), default=False)
    permit_held_since = models.DateField(_("首次取得证件日期"), null=True, blank=True)

    # Case facts entered on the case (the profile supplies the rest).
    employed_since = models.DateField(_("入职日期"), null=True, blank=True)
    claimed_clause = models.PositiveSmallIntegerField(_("申报条款"), null=True, blank=True)
    evidence = models.JSONField(_("条款证明事实"), default=dict, blank=True)
    info_change_kinds = models.JSONField(_("变更事项"), default=list, blank=True)
    info_change_note = models.TextField(_("变更说明"), blank=True)
    info_change_before = models.JSONField(
        default=dict,
        blank=True,
        help_text="INF-CHANGE: the values of the chosen kinds when the change was started (old → new)",
    )
    # CHILD-MINOR (edition 2): the profile children this information change adds (public ids).
    added_children = models.JSONField(_("本次新增的随往子女"), default=list, blank=True)
    same_employer_contract = models.BooleanField(_("劳动合同签订单位为本单位"), null=True, blank=True)
    same_employer_tax = models.BooleanField(_("个税扣缴单位为本单位"), null=True, blank=True)
    same_employer_social_insurance = models.BooleanField(_("社保缴纳单位为本单位"), null=True, blank=True)
    social_insurance_continuous = models.BooleanField(_("社会保险足额连续缴纳"), null=True, blank=True)
    employer_checked = models.JSONField(_("单位已核查事项"), default=list, blank=True)

    # Authority side.
    submitted_at = models.DateTimeField(_("提交主管部门时间"), null=True, blank=True)
    submitted_on = models.DateField(_("提交主管部门日期"), null=True, blank=True)
    # The contract's `submitted_on`: the first submission to the authority; a resubmission keeps it.
    first_submitted_on = models.DateField(_("首次提交主管部门日期"), null=True, blank=True)
    # REN-DEADLINE / CHG-DEADLINE (edition 2): a late submission is filed at the submitter's risk.
    late_risk_acknowledged_at = models.DateTimeField(_("确认逾期风险时间"), null=True, blank=True)
    late_risk_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("审核期限"), null=True, blank=True, db_index=True)
    due_estimated = models.BooleanField(_("审核期限为估算"), default=False)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    # BIZ-TIME-LIMIT: the district's approval goes to the municipal authority's 核准, due
    # P-RATIFY-WORKING-DAYS working days after it; the permit is issued only at 核准.
    district_approved_on = models.DateField(_("区级审核通过日期"), null=True, blank=True)
    ratify_due_on = models.DateField(_("核准期限"), null=True, blank=True, db_index=True)
    ratify_due_estimated = models.BooleanField(_("核准期限为估算"), default=False)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("审核人员"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="optimistic lock: a stale form never overwrites"
    )

    class Meta:
        verbose_name = _("业务申请")
        verbose_name_plural = _("业务申请")
        indexes = [
            models.Index(fields=["state", "due_on", "id"], name="case_queue_idx"),
            models.Index(
                fields=["due_on", "id"],
                condition=models.Q(state__in=["submitted", "accepted"]),
                name="case_authority_due_idx",
            ),
            models.Index(fields=["employer", "state"], name="case_employer_state_idx"),
            models.Index(fields=["applicant", "state"], name="case_applicant_state_idx"),
            models.Index(fields=["assigned_to", "state", "due_on", "id"], name="case_assigned_idx"),
            # Issue 12: the participants' lists (newest first, keyset) and the filtered queue.
            models.Index(fields=["employer", "-updated_at", "-id"], name="case_employer_updated_idx"),
            models.Index(fields=["applicant", "-updated_at", "-id"], name="case_applicant_updated_idx"),
            models.Index(
                fields=["kind", "claimed_clause", "due_on", "id"],
                condition=models.Q(state__in=["submitted", "accepted"]),
                name="case_authority_kind_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def employer_started(self) -> bool:
        return self.kind in EMPLOYER_STARTED_KINDS


class ReferenceCounter(models.Model):
    """The last reference number issued in a year (HD + year + 6 digits)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class IncomeRecord(models.Model):
    """One month of taxable income (APP-INCOME-INTEGRITY / APP-INCOME-RECENT / REN-INCOME-3Y)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="income_records")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    amount = models.PositiveIntegerField(_("应税收入（元）"))
    corrected = models.BooleanField(_("曾更正申报"), default=False)
    # APP-INCOME-INTEGRITY (edition 2): 更正无效 — the amount first declared counts.
    original_amount = models.PositiveIntegerField(_("更正前申报金额（元）"), null=True, blank=True)

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["case", "month"], name="one_income_record_per_month")]
        verbose_name = _("月度应税收入")
        verbose_name_plural = _("月度应税收入")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.amount}"


class AnnualIncome(models.Model):
    """Taxable income in Beijing in one calendar year (CL4 / CL5)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="annual_incomes")
    year = models.PositiveIntegerField(_("年度"))
    amount = models.PositiveBigIntegerField(_("全年应税收入（元）"))

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["case", "year"], name="one_annual_income_per_year")]
        verbose_name = _("年度应税收入")
        verbose_name_plural = _("年度应税收入")

    def __str__(self) -> str:
        return f"{self.year} {self.amount}"


class CaseEvent(models.Model):
    """Append-only history: one row per transition (and per note-worthy step) of a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=40)
    from_state = models.CharField(max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=30, choices=State.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    opinion = models.TextField(_("审核意见"), blank=True)
    tips = models.TextField(_("温馨提示"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("业务记录")
        verbose_name_plural = _("业务记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.from_state}->{self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("CaseEvent rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("CaseEvent rows are append-only")


class CaseDocument(models.Model):
    """A material of the checklist linked to this case (DOC-CHECKLIST)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    material = models.CharField(_("材料"), max_length=40)
    uploader = models.CharField(_("上传方"), max_length=20)
    child = models.PositiveSmallIntegerField(_("子女序号"), null=True, blank=True)
    document = models.ForeignKey("materials.Document", on_delete=models.PROTECT, related_name="case_links")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["material", "child", "-added_at"]
        indexes = [models.Index(fields=["case", "material", "child"], name="case_document_slot_idx")]
        verbose_name = _("业务材料")
        verbose_name_plural = _("业务材料")

    def __str__(self) -> str:
        return f"{self.case_id} {self.material}[{self.child}]"


class AcceptanceSnapshot(models.Model):
    """四（九）: what was judged on the acceptance day: facts, parameters, engine version and result."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="snapshots")
    as_of = models.DateField(_("判定日期（受理日）"))
    facts = models.JSONField()
    parameters = models.JSONField()
    parameters_hash = models.CharField(max_length=64)
    engine_version = models.CharField(max_length=40)
    result = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = _("受理时判定快照")
        verbose_name_plural = _("受理时判定快照")

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.as_of}"


class CheckOverride(models.Model):
    """A reviewer's written override of one check's computed outcome, citing the guide (edition 2).

    To or from `fail` it is in force only once a supervisor other than the proposer approves it
    (four eyes, also in the database); other overrides are in force when recorded. Rows are never
    deleted: proposed, approved and refused overrides all stay with the acceptance snapshot."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("通过")
        FAIL = "fail", _("不通过")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待主管批准")
        APPROVED = "approved", _("已生效")
        REFUSED = "refused", _("未批准")

    snapshot = models.ForeignKey(AcceptanceSnapshot, on_delete=models.PROTECT, related_name="overrides")
    rule = models.CharField(_("规则"), max_length=40)
    clause = models.PositiveSmallIntegerField(null=True, blank=True)
    original_outcome = models.CharField(max_length=20)
    outcome = models.CharField(_("人工判定"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("理由"))
    citation = models.CharField(_("指南依据"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    needs_approval = models.BooleanField(_("须主管批准"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.APPROVED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("批准意见"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("人工判定")
        verbose_name_plural = _("人工判定")
        constraints = [
            # Four eyes, also in the database: the proposer never decides.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("by")),
                name="check_override_four_eyes",
            ),
            # To or from `fail`: in force or refused only with a supervisor's decision.
            models.CheckConstraint(
                condition=Q(needs_approval=False) | Q(status="proposed") | Q(decided_by__isnull=False),
                name="check_override_decided_by_supervisor",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "approved", "refused"]),
                name="check_override_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.original_outcome}->{self.outcome} ({self.status})"

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.APPROVED


class _Template(models.Model):
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"))
    active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class OpinionTemplate(_Template):
    """A reusable binding review opinion (审核意见) maintained by supervisors."""

    class Meta(_Template.Meta):
        verbose_name = _("审核意见模板")
        verbose_name_plural = _("审核意见模板")


class TipTemplate(_Template):
    """A reusable non-binding tip (温馨提示, 新办 注意事项 6) maintained by supervisors."""

    class Meta(_Template.Meta):
        verbose_name = _("温馨提示模板")
        verbose_name_plural = _("温馨提示模板")
