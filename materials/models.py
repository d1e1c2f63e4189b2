"""Uploaded documents. Files are private: served only through a permission-checked view."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("检查中")
    PASSED = "passed", _("检查通过")
    WARNING = "warning", _("有提示")
    FAILED = "failed", _("未通过检查")


class Document(models.Model):
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
