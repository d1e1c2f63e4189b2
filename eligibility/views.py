"""Public self-check and deadline calculator; the supervisors' parameter and calendar back office."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import supervisor_required
from eligibility import forms, presentation, ratelimit, selectors, services


def _lang() -> str:
    return services.engine_lang(translation.get_language())


def _defaults(today: date) -> QueryDict:
    """The answers a fresh form starts from (its initial values), as the form would post them."""
    blank = forms.SelfCheckForm(today=today)
    data = QueryDict(mutable=True)
    for name in blank.fields:
        value = blank[name].value()
        if value is None or value == "" or name == "has_children":
            continue
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = value.isoformat() if isinstance(value, date) else str(value)
    return data


def _answers(request: HttpRequest, today: date) -> QueryDict:
    """The initial values overlaid with what was posted (the current page and the hidden answers)."""
    data = _defaults(today)
    for name in forms.SelfCheckForm(today=today).fields:
        if name in request.POST:
            data.setlist(name, request.POST.getlist(name))
    return data


def _carry(form: forms.SelfCheckForm, data: QueryDict, shown: tuple[str, ...]) -> list[tuple[str, str]]:
    """The answers of the other pages, carried as hidden fields (nothing is stored on the server)."""
    return [(name, value) for name in form.fields if name not in shown for value in data.getlist(name)]


def _keep_errors(form: forms.SelfCheckForm, names: tuple[str, ...]) -> None:
    """Shows only the errors of the fields on this page (the form is bound to all the answers)."""
    errors = form.errors
    form._errors = ErrorDict({k: v for k, v in errors.items() if k in names or k == "__all__"})  # type: ignore[attr-defined]


def _page(
    request: HttpRequest,
    form: forms.SelfCheckForm,
    data: QueryDict,
    step: forms.Step,
    *,
    errors: bool,
) -> HttpResponse:
    if errors:
        _keep_errors(form, step.fields)
    else:
        form._errors = ErrorDict()  # type: ignore[attr-defined]
    steps = forms.applicable_steps(data)
    number = [s.name for s in steps].index(step.name) + 1 if step in steps else 1
    return render(
        request,
        "eligibility/self_check_step.html",
        {
            "form": form,
            "step": step,
            "fields": [form[name] for name in step.fields],
            "carry": _carry(form, data, step.fields),
            "number": number,
            "total": len(steps),
            "first": number == 1,
        },
    )


#: The first page's questions as rendered, per (language, day): they depend on nothing else (issue 12:
#: building the form and rendering its fields was most of the page). A few entries per process.
_FIRST_PAGE: dict[tuple[str, date], tuple[str, int, forms.SelfCheckForm, list[tuple[str, str]]]] = {}


def _first_page(request: HttpRequest, today: date) -> HttpResponse:
    """The first page of the self-check (GET): the same questions for everyone on the same day."""
    key = (translation.get_language() or "", today)
    cached = _FIRST_PAGE.get(key)
    if cached is None:
        data = _defaults(today)
        form = forms.SelfCheckForm(data, today=today)
        form._errors = ErrorDict()  # type: ignore[attr-defined]
        step = forms.STEPS[0]
        carry = _carry(form, data, step.fields)
        fields = [form[name] for name in step.fields]
        rendered = render_to_string(
            "eligibility/includes/step_fields.html", {"form": form, "fields": fields, "carry": carry}
        )
        if len(_FIRST_PAGE) >= 8:
            _FIRST_PAGE.clear()
        total = len(forms.applicable_steps(data))
        cached = _FIRST_PAGE[key] = (rendered, total, form, carry)
    html, total, form, carry = cached
    context: dict[str, Any] = {
        "step": forms.STEPS[0],
        "fields_html": mark_safe(html),  # noqa: S308 (rendered by our template, above)
        "form": form,  # read only: the page shows fields_html
        "carry": carry,
        "number": 1,
        "total": total,
        "first": True,
    }
    return render(request, "eligibility/self_check_step.html", context)


def _result(request: HttpRequest, form: forms.SelfCheckForm, data: QueryDict) -> HttpResponse | None:
    """Evaluates complete answers; None (with errors added to the form) if the engine refuses them."""
    allowed, retry_after = ratelimit.hit("eligibility-self-check", request)
    if not allowed:
        form.add_error(None, _("提交过于频繁，请 %(s)d 秒后再试；您填写的内容已保留。") % {"s": retry_after})
        return None
    try:
        raw = services.evaluate_json(form.facts(), lang=_lang())
    except services.EvaluationError as exc:
        for error in exc.errors:
            field = "permit_expires_on" if error.loc.startswith("permit.") else "as_of"
            form.add_error(field, error.msg)
        return None
    result = presentation.result_view(raw)
    answer = presentation.plain_answer(result, form.chosen_clauses())
    return render(
        request,
        "eligibility/self_check.html",
        {
            "form": form,
            "result": result,
            "answer": answer,
            "carry": _carry(form, data, ()),
            "last_step": forms.applicable_steps(data)[-1].name,
        },
    )


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest) -> HttpResponse:
    """资格自测 as a short guided flow: one page of questions at a time, skipping what does not apply
    (clause questions only for the clauses chosen, children only if any), ending in a plain answer.

    The answers travel as hidden fields of each POST (no JavaScript, nothing stored; POST so that
    birth dates and incomes never appear in a URL). A POST without ``step`` answers all at once.
    """
    today = timezone.localdate()
    if request.method == "GET":
        return _first_page(request, today)
    data = _answers(request, today)
    form = forms.SelfCheckForm(data, today=today)
    action = request.POST.get("action", "next")
    current = forms.step_named(request.POST.get("step", ""))
    steps = forms.applicable_steps(data)
    if "step" in request.POST:
        if action == "back":
            earlier = [s for s in steps if forms.STEPS.index(s) < forms.STEPS.index(current)]
            return _page(request, form, data, earlier[-1] if earlier else steps[0], errors=False)
        if action.startswith("edit:"):
            return _page(request, form, data, forms.step_named(action[5:]), errors=False)
        form.is_valid()
        if current.name == "route" and not data.getlist("clauses"):
            form.add_error("clauses", _("请至少选择一类条件；不确定可全选。"))
        if current.name == "children_any" and data.get("has_children") not in ("yes", "no"):
            form.add_error("has_children", _("请选择是或否。"))
        if any(name in form.errors for name in current.fields):
            return _page(request, form, data, current, errors=True)
        later = [s for s in steps if forms.STEPS.index(s) > forms.STEPS.index(current)]
        if later:
            return _page(request, form, data, later[0], errors=False)
    if form.is_valid():
        response = _result(request, form, data)
        if response is not None:
            return response
    wrong = next((s for s in forms.STEPS if any(n in form.errors for n in s.fields)), steps[0])
    if "__all__" in form.errors and not any(n in form.errors for n in wrong.fields):
        wrong = current if "step" in request.POST else steps[-1]
    return _page(request, form, data, wrong, errors=True)


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
