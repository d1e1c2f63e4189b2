"""The one upload service: every file enters through `store_upload`."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from materials.models import Document

if TYPE_CHECKING:
    from accounts.models import User
    from applicants.models import Applicant
    from employers.models import Employer

PDF_MAGIC = b"%PDF-"
IMAGE_MATERIALS = frozenset({"ID-PHOTO"})
IMAGE_MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def sniff_content_type(head: bytes, material: str) -> str:
    """The type read from the file's first bytes, never from its name or the browser's claim."""
    if head.startswith(PDF_MAGIC):
        return "application/pdf"
    if material in IMAGE_MATERIALS:
        for magic, content_type in IMAGE_MAGIC.items():
            if head.startswith(magic):
                return content_type
    return ""


def validate_upload(uploaded_file: UploadedFile, material: str) -> str:
    """Raise ValidationError with a message for the field; return the sniffed content type."""
    if uploaded_file.size is None or uploaded_file.size == 0:
        raise ValidationError(_("文件为空，请重新选择。"), code="empty")
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            _("文件大小为 %(size)s MB，超过上限 %(limit)s MB。")
            % {"size": round(uploaded_file.size / 1048576, 1), "limit": round(limit / 1048576, 1)},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    content_type = sniff_content_type(head, material)
    if not content_type:
        if material in IMAGE_MATERIALS:
            raise ValidationError(_("照片须为 JPEG 或 PNG 图片。"), code="type")
        raise ValidationError(_("只能上传 PDF 文件（按文件内容判断，不看扩展名）。"), code="type")
    return content_type


@transaction.atomic
def store_upload(
    *,
    uploaded_file: UploadedFile,
    material: str,
    uploaded_by: User,
    employer: Employer | None = None,
    applicant: Applicant | None = None,
    replaces: Document | None = None,
    valid_until: date | None = None,
    issued_on: date | None = None,
) -> Document:
    """Validate and store a file privately; a replacement becomes the next version of `replaces`."""
    content_type = validate_upload(uploaded_file, material)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    if replaces is not None:
        replaces = Document.objects.select_for_update().get(pk=replaces.pk)
        if not replaces.is_current:
            raise ValidationError(_("该材料已有更新的版本，请刷新页面后再上传。"), code="stale")
    document = Document(
        material=material,
        employer=employer,
        applicant=applicant,
        original_name=(uploaded_file.name or "upload")[-255:],
        content_type=content_type,
        size=uploaded_file.size or 0,
        sha256=digest.hexdigest(),
        version=(replaces.version + 1) if replaces else 1,
        replaces=replaces,
        valid_until=valid_until,
        issued_on=issued_on,
        uploaded_by=uploaded_by,
    )
    extension = ".pdf" if content_type == "application/pdf" else ".jpg" if "jpeg" in content_type else ".png"
    document.file.save(f"{document.public_id}{extension}", uploaded_file, save=False)
    document.save()
    return document
