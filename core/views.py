"""The public start page and each role's home page."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from core import home_panels


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
