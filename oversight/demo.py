"""Demo oversight data (idempotent): a blacklisting proposed by the reviewer, waiting for the supervisor."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from core.demo import DemoLogin
from employers.models import Employer
from materials.services import store_upload
from oversight.models import Sanction, SanctionEvent, SanctionKind
from oversight.services import EVIDENCE_MATERIAL

OUTSIDE = "91110105MA02CY006C"


def _pdf() -> SimpleUploadedFile:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 770, "Demo evidence: inspection record")
    pdf.showPage()
    pdf.save()
    return SimpleUploadedFile("evidence.pdf", buffer.getvalue(), content_type="application/pdf")


def load() -> list[DemoLogin]:
    reviewer = User.objects.filter(username="reviewer").first()
    employer = Employer.objects.filter(registry__credit_code=OUTSIDE).first()
    if reviewer is None or employer is None or Sanction.objects.filter(employer=employer).exists():
        return []
    evidence = store_upload(uploaded_file=_pdf(), material=EVIDENCE_MATERIAL, uploaded_by=reviewer)
    sanction = Sanction.objects.create(
        employer=employer,
        kind=SanctionKind.BLACKLIST,
        reason="为超出管辖范围的申请单位办理业务（指南四（六）1，演示数据）",
        evidence=evidence,
        starts_on=timezone.localdate() + timedelta(days=1),
        proposed_by=reviewer,
    )
    SanctionEvent.objects.create(sanction=sanction, action=SanctionEvent.Action.PROPOSED, actor=reviewer)
    return []
