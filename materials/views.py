"""Serving private files (only through this permission-checked view, never a public URL), the check
status fragment, versions, and the uploader's own page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from core.audit import log_personal_data_access
from materials import access, selectors
from materials.forms import UploadForm
from materials.models import Document
from materials.services import store_upload


def _visible(request: HttpRequest, public_id: str) -> Document:
    document = get_object_or_404(Document, public_id=public_id)
    if not access.can_view(request.user, document):  # type: ignore[arg-type]
        raise Http404
    return document


@xframe_options_sameorigin  # the reviewer's workbench shows the file beside the facts (issue 10, item 7)
@login_required
def download(request: HttpRequest, public_id: str) -> FileResponse:
    document = _visible(request, public_id)
    # Every reader but the person the file is about (staff, operators) is logged (issue 11, Medium 5).
    log_personal_data_access(request.user, document, "download", request=request)  # type: ignore[arg-type]
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    if selectors.may_render_inline(document):
        response["Content-Disposition"] = f'inline; filename="{document.public_id}"'
        # The workbench frames the file beside the facts: the strict policy, framed by us only.
        response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace(
            "frame-ancestors 'none'", "frame-ancestors 'self'"
        )
    else:  # active content (JavaScript, launch actions, XFA…) or not yet checked: never rendered by us
        response["Content-Disposition"] = f'attachment; filename="{document.public_id}"'
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def preview(request: HttpRequest, public_id: str, page: int) -> FileResponse:
    """A small image of one page of an income printout, shown beside its extracted table (issue 13)."""
    document = _visible(request, public_id)
    name = selectors.preview_name(document, page)
    if name is None:
        raise Http404
    log_personal_data_access(request.user, document, "page preview", request=request)  # type: ignore[arg-type]
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def status(request: HttpRequest, public_id: str) -> HttpResponse:
    """The htmx fragment with the check status; it polls itself every second while pending."""
    document = _visible(request, public_id)
    response = render(request, "materials/includes/document_status.html", {"document": document})
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def versions(request: HttpRequest, public_id: str) -> HttpResponse:
    document = _visible(request, public_id)
    log_personal_data_access(request.user, document, "versions", request=request)  # type: ignore[arg-type]
    rows: list[dict[str, Any]] = []
    previous = None
    for version in selectors.history(document):
        rows.append(
            {
                "document": version,
                "changes": selectors.changes_since(version, previous.version) if previous else None,
            }
        )
        previous = version
    return render(request, "materials/versions.html", {"document": document, "rows": rows})


@login_required
def my_documents(request: HttpRequest) -> HttpResponse:
    """The uploader's own documents with an upload form; a re-upload of a material adds a version."""
    user = request.user
    applicant = getattr(user, "applicant", None)
    operator = getattr(user, "operator", None)
    employer = operator.employer if operator is not None and applicant is None else None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        replaces = None
        if form.cleaned_data["replaces"]:
            replaces = get_object_or_404(Document, public_id=form.cleaned_data["replaces"], uploaded_by=user)
        try:
            store_upload(
                uploaded_file=form.cleaned_data["file"],
                material=replaces.material if replaces else form.cleaned_data["material"],
                uploaded_by=user,  # type: ignore[arg-type]
                applicant=applicant,
                employer=employer,
                replaces=replaces,
                valid_until=form.cleaned_data["valid_until"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            return redirect("materials:mine")
    documents = selectors.current_documents_of(user)
    return render(request, "materials/mine.html", {"form": form, "documents": documents})
