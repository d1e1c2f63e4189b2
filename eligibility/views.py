"""Public self-check and deadline calculator; the supervisors' parameter and calendar back office."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import supervisor_required
from eligibility import forms, presentation, ratelimit, selectors, services


def _lang() -> str:
    return services.engine_lang(translation.get_language())


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest) -> HttpResponse:
    """资格自测: the facts asked in plain Chinese, evaluated by the same function as the API and CLI.

    POST (not GET) so that birth dates and incomes never appear in a URL.
    """
    today = timezone.localdate()
    result = None
    if request.method == "POST":
        form = forms.SelfCheckForm(request.POST, today=today)
        allowed, retry_after = ratelimit.hit("eligibility-self-check", request)
        if not allowed:
            form.is_valid()
            form.add_error(
                None, _("提交过于频繁，请 %(s)d 秒后再试；您填写的内容已保留。") % {"s": retry_after}
            )
        elif form.is_valid():
            try:
                result = presentation.result_view(services.evaluate_json(form.facts(), lang=_lang()))
            except services.EvaluationError as exc:
                for error in exc.errors:
                    field = {"as_of": "as_of", "submitted_on": "as_of"}.get(error.loc.split(".")[0])
                    if error.loc.startswith("permit."):
                        field = "permit_expires_on"
                    form.add_error(field, f"{error.loc}: {error.msg}" if field is None else error.msg)
    else:
        form = forms.SelfCheckForm(today=today)
    return render(request, "eligibility/self_check.html", {"form": form, "result": result})


def deadlines(request: HttpRequest) -> HttpResponse:
    """续签期限计算 (REN-WINDOW, REN-DEADLINE, CAL-WORKING-DAYS). GET: an expiry date is not personal."""
    outcome: dict[str, Any] | None = None
    form = forms.DeadlineForm(request.GET or None)
    if form.is_valid():
        try:
            outcome = selectors.renewal_deadlines(
                form.cleaned_data["expires_on"], form.cleaned_data.get("submitted_on")
            )
        except selectors.DeadlineError as exc:
            form.add_error(exc.field, exc.message)
    return render(request, "eligibility/deadlines.html", {"form": form, "outcome": outcome})


@supervisor_required
@require_http_methods(["GET", "POST"])
def admin_parameters(request: HttpRequest) -> HttpResponse:
    """政策参数: shipped and entered values with who/when, and a form to append a value (P-FALLBACK)."""
    first, kinds = services.first_entries(), services.value_kinds()
    if request.method == "POST":
        form = forms.ParameterValueForm(request.POST, first_entries=first, kinds=kinds)
        if form.is_valid():
            entry = services.add_parameter_value(
                request.user,  # type: ignore[arg-type]
                parameter_id=form.cleaned_data["parameter_id"],
                effective_from=form.cleaned_data["effective_from"],
                value=form.cleaned_data["value"],
                citation=form.cleaned_data["citation"],
            )
            messages.success(
                request,
                _("已录入 %(id)s：自 %(d)s 起为 %(v)s。")
                % {"id": entry.parameter_id, "d": entry.effective_from.isoformat(), "v": entry.value},
            )
            url = reverse("eligibility:admin_parameters")
            return redirect(f"{url}?id={entry.parameter_id}#{entry.parameter_id}")
    else:
        form = forms.ParameterValueForm(
            initial={"parameter_id": request.GET.get("id", "")}, first_entries=first, kinds=kinds
        )
    return render(
        request,
        "eligibility/admin_parameters.html",
        {
            "form": form,
            "parameters": selectors.parameter_table(timezone.localdate()),
            "selected": request.GET.get("id", ""),
        },
    )


@supervisor_required
@require_http_methods(["GET", "POST"])
def admin_calendar(request: HttpRequest) -> HttpResponse:
    """工作日历: published years (shipped and entered) and a form to enter a new year's calendar."""
    if request.method == "POST":
        form = forms.CalendarYearForm(request.POST)
        if form.is_valid():
            entry = services.add_calendar_year(
                request.user,  # type: ignore[arg-type]
                year=form.cleaned_data["year"],
                holidays=form.cleaned_data["holidays_dates"],
                workdays=form.cleaned_data["workdays_dates"],
                citation=form.cleaned_data["citation"],
            )
            messages.success(request, _("已录入 %(y)d 年工作日历。") % {"y": entry.year})
            return redirect("eligibility:admin_calendar")
    else:
        form = forms.CalendarYearForm(initial={"year": timezone.localdate().year + 1})
    return render(
        request,
        "eligibility/admin_calendar.html",
        {"form": form, "years": selectors.calendar_table(), "today": timezone.localdate()},
    )
