"""Serving private files: only through this permission-checked view, never a public URL."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from core.audit import log_personal_data_access
from materials import access
from materials.models import Document


@login_required
def download(request: HttpRequest, public_id: str) -> FileResponse:
    document = get_object_or_404(Document, public_id=public_id)
    if not access.can_view(request.user, document):  # type: ignore[arg-type]
        raise Http404
    if request.user.is_district_staff:  # type: ignore[union-attr]
        log_personal_data_access(request.user, document, "download")  # type: ignore[arg-type]
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = f'inline; filename="{document.public_id}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
