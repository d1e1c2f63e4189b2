"""Oversight pages for district staff: sanctions (four eyes), inspections, statistics."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import cast
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import staff_required, supervisor_required
from core.audit import log_personal_data_access
from core.masking import mask_id_number, mask_name
from oversight import exports, services, stats
from oversight import inspection as inspection_job
from oversight.forms import CancelFindingsForm, DecisionForm, LiftForm, SanctionForm, StartInspectionForm
from oversight.models import (
    FindingDecision,
    FindingReason,
    Inspection,
    InspectionFinding,
    InspectionStatus,
    Sanction,
    SanctionStatus,
)


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "oversight/index.html",
        {
            "pending": Sanction.objects.filter(
                status__in=[SanctionStatus.PROPOSED, SanctionStatus.LIFT_PROPOSED]
            ).count(),
            "inspections": Inspection.objects.all()[:5],
        },
    )


# --- sanctions -------------------------------------------------------------------------------------


@staff_required
def sanction_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = Sanction.objects.select_related("employer__registry", "applicant", "proposed_by")
    if status in SanctionStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    reader = cast("User", request.user)
    log_personal_data_access(
        reader, "list:oversight.sanction_list", f"sanction list {status}", request=request
    )
    return render(
        request,
        "oversight/sanction_list.html",
        {"page": page, "status": status, "statuses": SanctionStatus.choices},
    )


@staff_required
def sanction_new(request: HttpRequest) -> HttpResponse:
    form = SanctionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sanction = services.propose_sanction(
                request.user,  # type: ignore[arg-type]
                kind=data["kind"],
                reason=data["reason"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                quota=data["quota"],
                evidence=data["evidence"],
                employer=form.employer,
                applicant=form.applicant,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("处理措施已提出，待另一名主管人员批准后生效。"))
            return redirect("oversight:sanction_detail", public_id=sanction.public_id)
    return render(request, "oversight/sanction_form.html", {"form": form})


def _sanction(public_id: UUID) -> Sanction:
    return get_object_or_404(
        Sanction.objects.select_related(
            "employer__registry", "applicant", "proposed_by", "decided_by", "evidence", "lift_evidence"
        ),
        public_id=public_id,
    )


@staff_required
def sanction_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    sanction = _sanction(public_id)
    if sanction.applicant is not None:
        log_personal_data_access(request.user, sanction.applicant, "sanction detail", request=request)  # type: ignore[arg-type]
    user = cast(User, request.user)
    can_decide = (
        user.is_supervisor
        and sanction.status == SanctionStatus.PROPOSED
        and sanction.proposed_by_id != user.pk
    )
    can_decide_lift = (
        user.is_supervisor
        and sanction.status == SanctionStatus.LIFT_PROPOSED
        and sanction.lift_proposed_by_id != user.pk
    )
    return render(
        request,
        "oversight/sanction_detail.html",
        {
            "sanction": sanction,
            "events": sanction.events.select_related("actor"),
            "masked_id": mask_id_number(sanction.applicant.id_number) if sanction.applicant else "",
            "can_decide": can_decide,
            "can_decide_lift": can_decide_lift,
            "can_lift": sanction.status == SanctionStatus.ACTIVE,
            "decision_form": DecisionForm(),
            "lift_form": LiftForm(),
        },
    )


@supervisor_required
@require_POST
def sanction_decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    sanction = _sanction(public_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_sanction(
                sanction,
                request.user,  # type: ignore[arg-type]
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                today=timezone.localdate(),
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("审批结果已记录。"))
        return redirect("oversight:sanction_detail", public_id=public_id)
    return render(
        request,
        "oversight/sanction_detail.html",
        {"sanction": sanction, "events": sanction.events.all(), "can_decide": True, "decision_form": form},
        status=400,
    )


@staff_required
@require_POST
def sanction_lift(request: HttpRequest, public_id: UUID) -> HttpResponse:
    sanction = _sanction(public_id)
    form = LiftForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.propose_lift(
                sanction,
                request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                lift_on=form.cleaned_data["lift_on"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("解除申请已提出，待另一名主管人员批准。"))
            return redirect("oversight:sanction_detail", public_id=public_id)
    return render(
        request,
        "oversight/sanction_detail.html",
        {"sanction": sanction, "events": sanction.events.all(), "can_lift": True, "lift_form": form},
        status=400,
    )


@supervisor_required
@require_POST
def sanction_lift_decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    sanction = _sanction(public_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_lift(
                sanction,
                request.user,  # type: ignore[arg-type]
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("审批结果已记录。"))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("oversight:sanction_detail", public_id=public_id)


# --- inspections -----------------------------------------------------------------------------------


@supervisor_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    form = StartInspectionForm(request.POST or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.start_inspection(
                request.user,  # type: ignore[arg-type]
                as_of=form.cleaned_data["as_of"],
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("年检已开始，正在后台检查全部证件。"))
            return redirect("oversight:inspection_detail", public_id=inspection.public_id)
    return render(
        request,
        "oversight/inspection_list.html",
        {"form": form, "inspections": Inspection.objects.all()[:50]},
    )


def _inspection(public_id: UUID) -> Inspection:
    return get_object_or_404(Inspection, public_id=public_id)


def _findings(inspection: Inspection, reason: str, decision: str) -> QuerySet[InspectionFinding]:
    qs = inspection.findings.select_related("permit__holder", "permit__employer__registry")
    if reason in FindingReason.values:
        qs = qs.filter(reason=reason)
    if decision in FindingDecision.values:
        qs = qs.filter(decision=decision)
    return qs


@supervisor_required
def inspection_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    inspection = _inspection(public_id)
    reason = request.GET.get("reason", "")
    decision = request.GET.get("decision", FindingDecision.PENDING)
    page = Paginator(_findings(inspection, reason, decision), 50).get_page(request.GET.get("page"))
    form = CancelFindingsForm(choices=[(f.pk, f.permit.number) for f in page])
    return render(
        request,
        "oversight/inspection_detail.html",
        {
            "inspection": inspection,
            "page": page,
            "reason": reason,
            "decision": decision,
            "reasons": FindingReason.choices,
            "decisions": FindingDecision.choices,
            "counts": inspection_job.count_by_reason(inspection),
            "form": form,
            "running": inspection.status in (InspectionStatus.QUEUED, InspectionStatus.RUNNING),
        },
    )


@supervisor_required
def inspection_progress(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """htmx polls this fragment; when classification ends it asks the page to reload (HX-Refresh)."""
    inspection = _inspection(public_id)
    response = render(request, "oversight/_inspection_progress.html", {"inspection": inspection})
    if inspection.status not in (InspectionStatus.QUEUED, InspectionStatus.RUNNING) and request.GET.get(
        "poll"
    ):
        response["HX-Refresh"] = "true"
    return response


@supervisor_required
@require_POST
def inspection_resume(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Re-enqueue an interrupted classification; it continues from its cursor."""
    inspection = _inspection(public_id)
    if inspection.status in (InspectionStatus.QUEUED, InspectionStatus.RUNNING):
        services.enqueue_inspection(inspection.pk)
        messages.success(request, _("已重新启动年检分类，将从中断处继续。"))
    return redirect("oversight:inspection_detail", public_id=public_id)


@supervisor_required
@require_POST
def inspection_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Two steps: the chosen findings and the reason are shown back for confirmation, then applied.

    With action=keep the chosen findings are recorded as kept (with the reason) and nothing is cancelled.
    """
    inspection = _inspection(public_id)
    ids = [int(v) for v in request.POST.getlist("findings") if v.isdigit()]
    pending = inspection.findings.filter(pk__in=ids, decision=FindingDecision.PENDING).select_related(
        "permit__holder"
    )
    form = CancelFindingsForm(request.POST, choices=[(f.pk, f.permit.number) for f in pending])
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("oversight:inspection_detail", public_id=public_id)
    if request.POST.get("action") == "keep":
        kept = services.keep_findings(
            inspection,
            form.cleaned_data["findings"],
            reason=form.cleaned_data["reason"],
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("已保留 %(count)s 个证件。") % {"count": kept})
        return redirect("oversight:inspection_detail", public_id=public_id)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "oversight/inspection_confirm.html",
            {"inspection": inspection, "findings": pending, "reason": form.cleaned_data["reason"]},
        )
    count = services.cancel_findings(
        inspection,
        form.cleaned_data["findings"],
        reason=form.cleaned_data["reason"],
        actor=request.user,  # type: ignore[arg-type]
        today=timezone.localdate(),
    )
    messages.success(request, _("已注销 %(count)s 个证件。") % {"count": count})
    return redirect("oversight:inspection_detail", public_id=public_id)


@supervisor_required
@require_POST
def inspection_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        services.close_inspection(_inspection(public_id), request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("oversight:inspection_detail", public_id=public_id)


REPORT_HEADERS = [
    "证件编号",
    "持证人",
    "身份证号码",
    "聘用单位",
    "统一社会信用代码",
    "有效期至",
    "证件状态",
    "问题",
    "处理结果",
    "处理理由",
]


def _report_rows(inspection: Inspection) -> Iterator[tuple[object, ...]]:
    reasons, decisions = dict(FindingReason.choices), dict(FindingDecision.choices)
    rows = (
        InspectionFinding.objects.filter(inspection=inspection)
        .order_by("pk")
        .values_list(
            "permit__number",
            "permit__holder__name",
            "permit__holder__id_number",
            "permit__employer__registry__name",
            "permit__employer__registry__credit_code",
            "permit__expires_on",
            "permit__status",
            "reason",
            "decision",
            "decision_reason",
        )
        .iterator(chunk_size=2000)
    )
    for number, name, id_number, employer, code, expires, status, reason, decision, note in rows:
        yield (
            number,
            mask_name(name),
            mask_id_number(id_number),
            employer,
            code,
            expires,
            status,
            str(reasons.get(reason, reason)),
            str(decisions.get(decision, decision)),
            note,
        )


@supervisor_required
def inspection_export(request: HttpRequest, public_id: UUID, fmt: str) -> HttpResponse:
    inspection = _inspection(public_id)
    log_personal_data_access(request.user, inspection, f"inspection report {fmt}", request=request)  # type: ignore[arg-type]
    filename = f"inspection-{inspection.as_of.isoformat()}"
    if fmt == "xlsx":
        return exports.xlsx_response(filename, [("年检报告", REPORT_HEADERS, _report_rows(inspection))])
    if fmt == "csv":
        return exports.csv_response(filename, REPORT_HEADERS, _report_rows(inspection))
    raise Http404


# --- statistics ------------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        since = date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        since = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    try:
        until = date.fromisoformat(request.GET.get("until", ""))
    except ValueError:
        until = today
    if until < since:
        since, until = until, since
    return since, until


@supervisor_required
def stats_page(request: HttpRequest) -> HttpResponse:
    since, until = _period(request)
    data = stats.compute(since, until, expiring_from=timezone.localdate())
    charts = {
        "kind": mark_safe(stats.bar_chart_svg(_("按业务类型"), data.cases_by_kind)),  # noqa: S308 (escaped in bar_chart_svg)
        "state": mark_safe(stats.bar_chart_svg(_("按状态"), data.cases_by_state)),  # noqa: S308
        "month": mark_safe(stats.bar_chart_svg(_("按月份"), data.cases_by_month)),  # noqa: S308
        "expiring": mark_safe(stats.bar_chart_svg(_("证件到期（按月）"), data.expiring_by_month)),  # noqa: S308
    }
    return render(
        request, "oversight/stats.html", {"stats": data, "charts": charts, "since": since, "until": until}
    )


@supervisor_required
def stats_export(request: HttpRequest, fmt: str) -> HttpResponse:
    since, until = _period(request)
    data = stats.compute(since, until, expiring_from=timezone.localdate())
    sections: list[tuple[str, Sequence[tuple[str, object]]]] = [
        ("按业务类型", data.cases_by_kind),
        ("按状态", data.cases_by_state),
        ("按月份", data.cases_by_month),
        ("证件到期", data.expiring_by_month),
        (
            "比率",
            [
                ("审核通过率（%）", data.approval_rate if data.approval_rate is not None else ""),
                ("退回率（%）", data.return_rate if data.return_rate is not None else ""),
            ],
        ),
    ]
    filename = f"stats-{since.isoformat()}-{until.isoformat()}"
    if fmt == "xlsx":
        sheets: list[tuple[str, Sequence[str], Iterable[Sequence[object]]]] = [
            (title, ["项目", "数量"], items) for title, items in sections
        ]
        return exports.xlsx_response(filename, sheets)
    if fmt == "csv":
        flat = [(title, label, value) for title, items in sections for label, value in items]
        return exports.csv_response(filename, ["分类", "项目", "数量"], flat)
    raise Http404
