"""Pages of policy simulation for supervisors (TOTP): drafts, runs, results, publication, API token."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import supervisor_required
from core.audit import log_personal_data_access
from oversight import exports as sheet
from simulations import charts, exports, forms, selectors, services
from simulations.models import DraftStatus, Population, RunStatus


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@supervisor_required
def index(request: HttpRequest) -> HttpResponse:
    form = forms.DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.create_draft(actor=_user(request), name=form.cleaned_data["name"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return redirect("simulations:draft", public_id=draft.public_id)
    return render(
        request,
        "simulations/index.html",
        {
            "form": form,
            "drafts": selectors.drafts()[:100],
            "waiting": selectors.proposals_waiting_for(_user(request)),
        },
    )


def _draft_page(request: HttpRequest, draft: Any, **forms_: Any) -> HttpResponse:
    user = _user(request)
    done_runs = selectors.runs().filter(draft=draft, status=RunStatus.DONE)
    context = {
        "draft": draft,
        "runs": selectors.runs().filter(draft=draft),
        "value_form": forms_.get("value_form") or forms.value_form(),
        "run_form": forms_.get("run_form") or forms.RunForm(initial={"on": timezone.localdate()}),
        "propose_form": forms_.get("propose_form") or forms.ProposeForm(runs=done_runs),
        "decision_form": forms_.get("decision_form") or forms.DecisionForm(),
        "can_edit": draft.status == DraftStatus.DRAFT,
        "can_decide": draft.status == DraftStatus.PROPOSED and draft.proposed_by_id != user.pk,
    }
    return render(request, "simulations/draft.html", context)


@supervisor_required
def draft(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = selectors.draft_by_public_id(public_id)
    if request.method != "POST":
        return _draft_page(request, item)
    user = _user(request)
    action = request.POST.get("action", "")
    try:
        if action == "add":
            form = forms.value_form(request.POST)
            if not form.is_valid():
                return _draft_page(request, item, value_form=form)
            data = form.cleaned_data
            try:
                services.add_value(
                    item,
                    actor=user,
                    parameter_id=data["parameter_id"],
                    effective_from=data["effective_from"],
                    value=data["value"],
                    citation=data["citation"],
                )
            except ValidationError as exc:
                _errors(form, exc)
                return _draft_page(request, item, value_form=form)
            messages.success(request, _("参数值已加入草案（现行取值不变）。"))
        elif action == "remove":
            services.remove_value(item, actor=user, index=int(request.POST.get("index", "-1") or -1))
        elif action == "run":
            run_form = forms.RunForm(request.POST)
            if not run_form.is_valid():
                return _draft_page(request, item, run_form=run_form)
            data = run_form.cleaned_data
            try:
                run = services.start_run(
                    item,
                    actor=user,
                    on=data["on"],
                    populations=data["populations"],
                    period_from=data["period_from"],
                    period_until=data["period_until"],
                )
            except ValidationError as exc:
                _errors(run_form, exc)
                return _draft_page(request, item, run_form=run_form)
            return redirect("simulations:run", public_id=run.public_id)
        elif action == "propose":
            done_runs = selectors.runs().filter(draft=item, status=RunStatus.DONE)
            propose_form = forms.ProposeForm(request.POST, runs=done_runs)
            if not propose_form.is_valid():
                return _draft_page(request, item, propose_form=propose_form)
            try:
                services.propose_publication(item, actor=user, run=propose_form.cleaned_data["run"])
            except ValidationError as exc:
                _errors(propose_form, exc)
                return _draft_page(request, item, propose_form=propose_form)
            messages.success(request, _("已提请发布，待另一名主管人员审批。"))
        elif action == "decide":
            decision_form = forms.DecisionForm(request.POST)
            if not decision_form.is_valid():
                return _draft_page(request, item, decision_form=decision_form)
            approve = decision_form.cleaned_data["decision"] == "approve"
            services.decide_publication(
                item, actor=user, approve=approve, note=decision_form.cleaned_data["note"]
            )
            messages.success(request, _("已批准，参数值已发布。") if approve else _("已不予批准，草案退回。"))
        elif action == "reopen":
            services.reopen(item, actor=user)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise Http404 from None
    return redirect("simulations:draft", public_id=item.public_id)


def _filters(request: HttpRequest) -> selectors.OutcomeFilters:
    get = request.GET
    return selectors.OutcomeFilters(
        population=get.get("population", "") if get.get("population") in Population.values else "",
        transition=get.get("transition", "")[:40],
        rule=get.get("rule", "")[:40],
        kind=get.get("kind", "")[:40],
        ai=get.get("ai", "") if get.get("ai") in ("0", "1") else "",
    )


def _table(table: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted(table.items())


def _result_context(run: Any) -> dict[str, Any]:
    counts = selectors.summary(run)
    chart = charts.income_chart_svg(
        _("平均月收入分布与收入门槛"), counts, labels=(_("现行门槛"), _("调整后门槛"))
    )
    return {
        "run": run,
        "counts": counts,
        "transitions": _table(counts["transitions"]),
        "rules": [(rule, _table(steps)) for rule, steps in sorted(counts["rules"].items())],
        "clauses": _table(counts["clauses"]),
        "kinds": [(kind, _table(steps)) for kind, steps in sorted(counts["kinds"].items())],
        "ai": [(key, _table(steps)) for key, steps in sorted(counts["ai"].items())],
        "chart": mark_safe(chart),  # noqa: S308 (numbers and escaped labels only)
        "progress": selectors.progress(run),
    }


@supervisor_required
def run(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = selectors.run_by_public_id(public_id)
    filters = _filters(request)
    page = Paginator(selectors.outcomes(item, filters), 50).get_page(request.GET.get("page"))
    log_personal_data_access(_user(request), item, "simulation affected list")
    context = _result_context(item)
    context.update(
        {
            "page": page,
            "filters": filters,
            "populations": Population.choices,
            "other_runs": selectors.other_runs(item),
            "query": request.GET.urlencode(),
        }
    )
    return render(request, "simulations/run.html", context)


@supervisor_required
def run_progress(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = selectors.run_by_public_id(public_id)
    response = render(
        request, "simulations/_progress.html", {"run": item, "progress": selectors.progress(item)}
    )
    if item.status == RunStatus.DONE and request.GET.get("poll"):
        response["HX-Refresh"] = "true"  # show the results once the last chunk is done
    return response


@supervisor_required
@require_POST
def run_resume(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = selectors.run_by_public_id(public_id)
    count = services.resume_run(item, actor=_user(request))
    messages.success(request, _("已重新排队 %(n)d 个未完成的分块。") % {"n": count})
    return redirect("simulations:run", public_id=item.public_id)


@supervisor_required
def run_export(request: HttpRequest, public_id: UUID, fmt: str) -> HttpResponse:
    item = selectors.run_by_public_id(public_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    log_personal_data_access(_user(request), item, "simulation export")
    outcomes = selectors.outcomes(item, _filters(request))
    name = f"simulation-{item.on.isoformat()}"
    if fmt == "csv":
        return sheet.csv_response(name, exports.headers(), exports.rows(outcomes))
    return sheet.xlsx_response(name, [(_("受影响对象"), exports.headers(), exports.rows(outcomes))])


@supervisor_required
def compare(request: HttpRequest) -> HttpResponse:
    a = selectors.run_by_public_id(request.GET.get("a", ""))
    b = selectors.run_by_public_id(request.GET.get("b", ""))
    return render(request, "simulations/compare.html", {"sides": [_result_context(a), _result_context(b)]})


@supervisor_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _token, key = services.create_token(actor=user, verified=bool(user.is_verified()))  # type: ignore[attr-defined]
    return render(request, "simulations/token.html", {"key": key})
