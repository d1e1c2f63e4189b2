"""Policy simulation (issue 14): draft reforms, runs over a population, their chunks and outcomes.

A draft never touches the parameter values in force: its values live here until a second supervisor
approves its publication, which then appends them through the eligibility back office.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("草案")
    PROPOSED = "proposed", _("已提请发布，待审批")
    PUBLISHED = "published", _("已发布")
    REFUSED = "refused", _("发布未获批准")


class Draft(models.Model):
    """A named set of dated parameter values overlaying those in force (never in force itself)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=200)
    # [{"parameter_id", "effective_from" (ISO), "value" (text as entered), "citation"}]
    values = models.JSONField(_("参数值"), default=list)
    status = models.CharField(
        _("状态"), max_length=20, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    proposal_run = models.ForeignKey(
        "simulations.Run", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.JSONField(_("模拟结果摘要"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    published_values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("参数调整草案")
        verbose_name_plural = _("参数调整草案")
        constraints = [
            # Four eyes, also in the database: the approver is never the proposer.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(proposed_by__isnull=True)
                | ~Q(decided_by=F("proposed_by")),
                name="simulation_draft_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Population(models.TextChoices):
    OPEN_CASES = "open_cases", _("办理中的申请（当前事实）")
    SNAPSHOTS = "snapshots", _("期间内的受理判定快照")
    HOLDERS = "holders", _("现持证人（按最晚续签日续签）")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")


class Run(models.Model):
    """One evaluation of a population under the values in force (baseline) and under a draft."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="runs")
    on = models.DateField(_("判定日期"))
    populations = models.JSONField(default=list)
    period_from = models.DateField(_("快照起始日期"), null=True, blank=True)
    period_until = models.DateField(_("快照截止日期"), null=True, blank=True)
    # The draft's values as they were when the run started (a draft may change afterwards).
    values = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    chunks_total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("模拟运行")
        verbose_name_plural = _("模拟运行")

    def __str__(self) -> str:
        return f"{self.draft} @ {self.on}"


class Chunk(models.Model):
    """One task's share of a run: the subjects of one population with ids in [first_id, last_id]."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="chunks")
    population = models.CharField(max_length=20, choices=Population.choices)
    number = models.PositiveIntegerField()
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    done = models.BooleanField(default=False)
    tally = models.JSONField(default=dict)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "population", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "population", "number"], name="simulation_chunk_unique")
        ]
        indexes = [models.Index(fields=["run", "done"])]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.population}/{self.number}"


class Outcome(models.Model):
    """A subject whose decision or a rule's outcome differs between baseline and reform."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="outcomes")
    chunk = models.ForeignKey(Chunk, on_delete=models.CASCADE, related_name="outcomes")
    population = models.CharField(max_length=20, choices=Population.choices)
    subject = models.CharField(max_length=64)  # case reference / permit number / snapshot id
    subject_url = models.CharField(max_length=200, blank=True)
    masked_name = models.CharField(max_length=100, blank=True)
    employer_kind = models.CharField(max_length=40, blank=True)
    ai_key_area = models.BooleanField(default=False)
    before = models.CharField(max_length=20)
    after = models.CharField(max_length=20)
    changes = models.JSONField(default=list)
    rules = models.CharField(max_length=500, blank=True)  # " RULE-A RULE-B " for filtering
    income = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["population", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["run", "population", "subject"], name="simulation_outcome_unique")
        ]
        indexes = [models.Index(fields=["run", "before", "after"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def flipped(self) -> bool:
        return self.before != self.after


class ApiToken(models.Model):
    """A supervisor's token for the simulation API; only its sha256 is stored (shown once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"
