"""The one upload service: every file enters through `store_upload`; checks and verdicts."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.files import save_staged
from materials.checking import findings_block_pages as findings_block_pages
from materials.checking import run_document_checks as run_document_checks
from materials.checking import status_from_findings as status_from_findings
from materials.checks.findings import finding
from materials.checks.sniff import PHOTO_MATERIALS, content_type_of, sniff
from materials.models import CheckStatus, Document, DocumentVerdict, Extraction, ExtractionStatus, Verdict
from materials.tasks import check_document
from policy.materials_catalogue import STAMPED_MATERIALS as CATALOGUE_STAMPED_MATERIALS

if TYPE_CHECKING:
    from accounts.models import User
    from applicants.models import Applicant
    from employers.models import Employer

logger = logging.getLogger(__name__)

IMAGE_MATERIALS = PHOTO_MATERIALS
STAMPED_MATERIALS = CATALOGUE_STAMPED_MATERIALS
"""DOC-STAMPED: a reviewer confirms the employer's seal and annotations on these (policy's catalogue)."""

_SNIFF_CODES = {
    "EMPTY": "empty",
    "TOO-LARGE": "too_large",
    "TYPE-PDF": "type",
    "TYPE-PHOTO": "type",
    "NAME-MISMATCH": "name",
    "POLYGLOT": "polyglot",
}


def sniff_content_type(head: bytes, material: str) -> str:
    """The type read from the file's first bytes, never from its name or the browser's claim."""
    content_type = content_type_of(head)
    if content_type == "application/pdf" or (content_type and material in IMAGE_MATERIALS):
        return content_type
    return ""


def finding_message(item: Mapping[str, Any]) -> str:
    """A finding's message in the active language (Chinese unless English is active)."""
    language = get_language() or ""
    return str(item["message_en"] if language.startswith("en") else item["message_zh"])


def validate_upload(uploaded_file: UploadedFile, material: str) -> str:
    """Raise ValidationError with a message for the field; return the sniffed content type.

    Only cheap checks on the raw bytes (DOC-FORMAT: type by content, size, name, polyglot); parsing
    and rendering happen later in the checking worker.
    """
    size = uploaded_file.size or 0
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("文件大小为 %(size)s MB，超过上限 %(limit)s MB。")
            % {"size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)},
            code="too_large",
        )
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    uploaded_file.seek(0)
    content_type, refused = sniff(data, material, uploaded_file.name or "", limit)
    if refused:
        first = refused[0]
        raise ValidationError(finding_message(first), code=_SNIFF_CODES.get(first["code"], "invalid"))
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
    check: bool = True,
) -> Document:
    """Validate and store a file privately; a replacement becomes the next version of `replaces`.

    After the transaction commits, the DOC-FORMAT checks are queued as a background task (`check`
    False leaves the document pending, for imports that check later).
    """
    content_type = validate_upload(uploaded_file, material)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    if replaces is not None:
        replaces = Document.objects.select_for_update().get(pk=replaces.pk)
        if not replaces.is_current:
            raise ValidationError(_("该材料已有更新的版本，请刷新页面后再上传。"), code="stale")
        if replaces.material != material:
            raise ValidationError(_("新版本须为同一种材料。"), code="material")
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
    # Staged until the transaction commits: a rollback or a crash leaves no file without a row.
    save_staged(document.file, f"{document.public_id}{extension}", uploaded_file)
    document.save()
    if check:
        public_id = str(document.public_id)
        transaction.on_commit(lambda: enqueue_checks(public_id))
    return document


def enqueue_checks(public_id: str) -> None:
    check_document.enqueue(public_id)


def give_up_checks(public_id: str) -> None:
    """The check could not finish after its last retry (workers kept stopping): say so, stop polling."""
    unfinished = finding("UNCHECKABLE", detail=("检查未能完成", "the check could not be completed"))
    Document.objects.filter(public_id=public_id, check_status=CheckStatus.PENDING).update(
        findings=[unfinished], check_status=CheckStatus.FAILED, checked_at=timezone.now()
    )


@transaction.atomic
def record_verdict(
    reviewer: User,
    document: Document,
    verdict: str,
    reason: str = "",
    stamp_confirmed: bool | None = None,
    accept_failed_check: bool = False,
) -> DocumentVerdict:
    """A reviewer's verdict on one document version (append-only; the latest one counts).

    A problem needs a reason. For DOC-STAMPED materials accepting needs `stamp_confirmed=True`: the
    reviewer has seen the employer's seal and the annotations the guide asks for (四（一）). Accepting
    a version whose automatic checks failed (DOC-FORMAT) needs `accept_failed_check=True` and a
    written reason; a file that could not be opened at all cannot be accepted (it must be replaced).
    """
    if not reviewer.is_authenticated or not reviewer.is_district_staff:
        raise PermissionDenied(_("只有审核人员可以记录审核结论。"))
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("请选择审核结论。")})
    reason = reason.strip()
    if verdict == Verdict.PROBLEM and not reason:
        raise ValidationError({"reason": _("请填写材料存在的问题。")})
    if document.material in STAMPED_MATERIALS:
        if stamp_confirmed is None:
            raise ValidationError({"stamp_confirmed": _("请确认盖章及签注情况。")})
        if verdict == Verdict.ACCEPTED and not stamp_confirmed:
            raise ValidationError(
                {"stamp_confirmed": _("未核对申请单位财务章及“经核真实有效”等签注的，不能确认材料无误。")}
            )
    else:
        stamp_confirmed = None
    failed = document.check_status == CheckStatus.FAILED
    if verdict == Verdict.ACCEPTED and failed:
        if findings_block_pages(document.findings or []):
            raise ValidationError(
                {"verdict": _("该文件无法打开或读取，不能确认材料无误，请退回由上传方重新上传。")}
            )
        if not accept_failed_check:
            raise ValidationError(
                {
                    "accept_failed_check": _(
                        "该文件未通过自动检查：确认材料无误前，须勾选接受检查结果并填写理由。"
                    )
                }
            )
        if not reason:
            raise ValidationError({"reason": _("接受未通过自动检查的文件，须填写理由。")})
    return DocumentVerdict.objects.create(
        document=document,
        reviewer=reviewer,
        verdict=verdict,
        reason=reason,
        stamp_confirmed=stamp_confirmed,
        failed_check_accepted=verdict == Verdict.ACCEPTED and failed,
    )


@transaction.atomic
def accept_extraction(
    *, actor: User, document: Document, corrections: list[dict[str, Any]], case_public_id: Any
) -> Extraction:
    """Record that `actor` accepted the table read from `document` into a case's income facts, with
    the cells they corrected (issue 13). Called by the cases context, which checked the permission
    on the case; here only the document's own readers may do it."""
    from materials import access

    if not access.can_view(actor, document):
        raise PermissionDenied(_("您无权处理该材料。"))
    extraction = Extraction.objects.select_for_update().get(document=document)
    if extraction.status != ExtractionStatus.DONE:
        raise ValidationError(_("该材料尚未识别完成。"))
    extraction.corrections = [*extraction.corrections, *corrections]
    extraction.accepted_at = timezone.now()
    extraction.accepted_by = actor
    extraction.accepted_case = case_public_id
    extraction.save(update_fields=["corrections", "accepted_at", "accepted_by", "accepted_case"])
    return extraction
