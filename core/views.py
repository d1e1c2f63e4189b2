"""The public start page and each role's home page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from accounts.permissions import supervisor_required
from core import home_panels, outbox, selectors, services
from core.files import storage_writable
from core.models import Notification, OutboxMail
from core.recovery import oldest_queued_age

FAVICON = Path(__file__).resolve().parent / "static" / "core" / "favicon.ico"


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on every site whatever base.html links (issue 10, 9)."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous users see the service and its entry points; signed-in users see what waits for them."""
    if not request.user.is_authenticated:
        return render(request, "core/home_public.html")
    panels = home_panels.panels_for(request)
    return render(request, "core/home_user.html", {"panels": panels})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (dependencies are /readyz's business)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, file storage, cache and the age of the oldest queued task; 503 when one fails."""
    checks: dict[str, dict[str, object]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": type(exc).__name__}
    writable, error = storage_writable()
    checks["storage"] = {"ok": writable, **({"error": error} if error else {})}
    try:
        probe = f"readyz:{get_random_string(8)}"
        cache.set(probe, "1", 10)
        cache_ok = cache.get(probe) == "1"
        cache.delete(probe)
        checks["cache"] = {"ok": cache_ok}
    except Exception as exc:
        checks["cache"] = {"ok": False, "error": type(exc).__name__}
    if checks["database"]["ok"]:
        try:
            age = oldest_queued_age()
            limit = settings.READY_MAX_QUEUE_AGE_SECONDS
            seconds = None if age is None else round(age.total_seconds())
            checks["queue"] = {
                "ok": seconds is None or seconds <= limit,
                "oldest_seconds": seconds,
                "limit": limit,
            }
        except Exception as exc:
            checks["queue"] = {"ok": False, "error": type(exc).__name__}
    else:
        checks["queue"] = {"ok": False, "error": "database"}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


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


@supervisor_required
def undelivered_mail(request: HttpRequest) -> HttpResponse:
    """Supervisors: mail not delivered after the last retry, with a button to send it again."""
    return render(request, "core/undelivered_mail.html", {"mails": outbox.undelivered()})


@supervisor_required
@require_POST
def resend_mail(request: HttpRequest, mail_id: int) -> HttpResponse:
    try:
        outbox.resend(actor=request.user, mail_id=mail_id)  # type: ignore[arg-type]
    except OutboxMail.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("已重新排队发送。"))
    return redirect("core:undelivered_mail")
