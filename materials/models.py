"""Uploaded documents. Files are private: served only through a permission-checked view."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("检查中")
    PASSED = "passed", _("检查通过")
    WARNING = "warning", _("有提示")
    FAILED = "failed", _("未通过检查")


class Document(ChoiceLabels, models.Model):
    """One version of one material. A re-upload adds a version (`replaces`); nothing is deleted by users."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    material = models.CharField(_("材料"), max_length=40, help_text="material ID from materials.md")
    employer = models.ForeignKey(
        "employers.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    applicant = models.ForeignKey(
        "applicants.Applicant", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("文件"), upload_to="documents/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    issued_on = models.DateField(_("出具日期"), null=True, blank=True)
    check_status = models.CharField(max_length=20, choices=CheckStatus.choices, default=CheckStatus.PENDING)
    findings = models.JSONField(default=list, blank=True)
    check_done = models.PositiveIntegerField(default=0, help_text="pages checked so far")
    check_total = models.PositiveIntegerField(default=0, help_text="pages to check (0 while unknown)")
    checked_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")
        indexes = [
            models.Index(fields=["employer", "material"]),
            models.Index(fields=["applicant", "material"]),
        ]

    def __str__(self) -> str:
        return f"{self.material} v{self.version} ({self.original_name})"

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "replaced_by")

    @property
    def is_pending(self) -> bool:
        return self.check_status == CheckStatus.PENDING

    @property
    def check_delayed(self) -> bool:
        """Pending, and its check was handed to another worker after the first one stopped."""
        if not self.is_pending:
            return False
        from core.recovery import retried

        return retried("materials.tasks.check_document", str(self.public_id))

    @property
    def progress_percent(self) -> int:
        if not self.check_total:
            return 0
        return min(100, round(100 * self.check_done / self.check_total))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Documents are evidence: no version is ever deleted (a re-upload adds a version)."""
        raise PermissionDenied(_("材料文件不能删除。"))


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("材料无误")
    PROBLEM = "problem", _("材料有问题")


class DocumentVerdict(models.Model):
    """A reviewer's verdict on one document version; append-only (a new verdict supersedes).

    `stamp_confirmed` records the reviewer's confirmation of the seal and annotations that DOC-STAMPED
    asks for (policy.materials_catalogue.STAMPED_MATERIALS); it is None for other materials.
    `failed_check_accepted` records that the reviewer explicitly accepted a version whose automatic
    checks (DOC-FORMAT) failed, with the reason in `reason`.
    """

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="verdicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("审核结论"), max_length=20, choices=Verdict.choices)
    reason = models.TextField(_("理由"), blank=True)
    stamp_confirmed = models.BooleanField(_("已核对盖章及签注"), null=True, blank=True)
    failed_check_accepted = models.BooleanField(
        _("已确认接受未通过的自动检查"),
        default=False,
        help_text="the reviewer accepted this version although its automatic checks failed (reason given)",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("材料审核结论")
        verbose_name_plural = _("材料审核结论")

    def __str__(self) -> str:
        return f"{self.document} {self.verdict}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionDenied(_("审核结论只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied(_("审核结论只能追加，不能删除。"))


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("识别中")
    DONE = "done", _("已识别")
    FAILED = "failed", _("未能识别")


class Extraction(models.Model):
    """The income table read from an income printout (issue 13): rows, each value with its page, box
    (fractions of the page) and confidence; per-page seal hints; page previews; the uploader's
    corrections and the acceptance into a case's income facts. One per document version."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="extraction")
    status = models.CharField(
        max_length=20, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING
    )
    engine = models.CharField(max_length=60, blank=True)
    rows = models.JSONField(default=list, blank=True)
    pages = models.JSONField(default=list, blank=True)
    previews = models.JSONField(default=list, blank=True, help_text="storage names of the page previews")
    seconds = models.FloatField(null=True, blank=True)
    cpu_seconds = models.FloatField(null=True, blank=True)
    peak_rss_kb = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=100, blank=True)
    corrections = models.JSONField(default=list, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_case = models.UUIDField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("收入记录识别结果")
        verbose_name_plural = _("收入记录识别结果")

    def __str__(self) -> str:
        return f"{self.document} {self.status} ({len(self.rows)})"
