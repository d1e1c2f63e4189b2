"""Permit pages: the holder's and employer's view, the slip, and the public verification page."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.audit import log_personal_data_access
from core.masking import mask_name
from permits import lifecycle, selectors, slip
from permits.models import CURRENT_STATUSES, PermitStatus


@login_required
def permit_list(request: HttpRequest) -> HttpResponse:
    page = selectors.permit_page(request.user, cursor=request.GET.get("after", ""))  # type: ignore[arg-type]
    if not request.user.is_applicant:  # type: ignore[union-attr]
        log_personal_data_access(request.user, "list:permits.permit_list", "permit list", request=request)  # type: ignore[arg-type]
    return render(request, "permits/list.html", {"permits": page.rows, "page": page})


@login_required
def permit_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    permit = selectors.permit_for_user(request.user, public_id)  # type: ignore[arg-type]
    if permit is None:
        raise Http404
    is_holder = permit.holder.user_id == request.user.pk
    if not is_holder:
        log_personal_data_access(
            request.user,  # type: ignore[arg-type]
            permit,
            "permit detail",
            request=request,
            subject_applicant_id=permit.holder_id,
        )
    events = permit.events.select_related("actor").all()
    today = timezone.localdate()
    deadlines = None
    if permit.is_current and permit.expires_on >= today:
        d = lifecycle.deadlines_on(permit.expires_on, today)
        deadlines = {
            "window_opens": d.window_opens,
            "complete_by": d.complete_by,
            "latest_working_day": lifecycle.latest_working_day(d),
            "estimated": d.estimated,
        }
    return render(
        request,
        "permits/detail.html",
        {"permit": permit, "events": events, "is_holder": is_holder, "deadlines": deadlines},
    )


@login_required
@never_cache
def slip_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Only the holder prints the slip (六: 申请人可自行在线打印), and only for a current permit."""
    permit = selectors.permit_for_user(request.user, public_id)  # type: ignore[arg-type]
    if permit is None or permit.holder.user_id != request.user.pk:
        raise Http404
    if permit.status not in CURRENT_STATUSES:
        messages.error(
            request, _("该证件已%(status)s，不能打印确认单。") % {"status": permit.get_status_display()}
        )
        return redirect("permits:detail", public_id=permit.public_id)
    content = slip.render_slip(permit, printed_on=timezone.localdate())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="slip-{permit.public_id}.pdf"'
    return response


@require_GET
@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: is this slip genuine and current? Only masked name, number, status and validity."""
    try:
        permit = slip.permit_from_token(token)
    except signing.BadSignature:
        return render(request, "permits/verify_invalid.html", status=400)
    if permit is None:
        return render(request, "permits/verify_invalid.html", status=404)
    today = timezone.localdate()
    lapsed = permit.status in CURRENT_STATUSES and permit.expires_on < today
    current = permit.status in CURRENT_STATUSES and not lapsed
    status_label = PermitStatus.EXPIRED.label if lapsed else permit.get_status_display()
    context = {
        "masked_name": mask_name(permit.holder.name),
        "number": permit.number,
        "status": permit.status if not lapsed else PermitStatus.EXPIRED,
        "status_label": status_label,
        "issued_on": permit.issued_on,
        "expires_on": permit.expires_on,
        "current": current,
        "today": today,
    }
    response = render(request, "permits/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
