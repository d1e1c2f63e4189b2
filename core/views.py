"""The public start page and each role's home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core import home_panels, selectors, services
from core.models import Notification


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous users see the service and its entry points; signed-in users see what waits for them."""
    if not request.user.is_authenticated:
        return render(request, "core/home_public.html")
    panels = home_panels.panels_for(request)
    return render(request, "core/home_user.html", {"panels": panels})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for(request.user), 20).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(request, "core/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark a message read and go to what it is about."""
    try:
        notification = services.mark_read(request.user, notification_id)  # type: ignore[arg-type]
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:inbox")
