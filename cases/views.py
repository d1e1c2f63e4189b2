"""Case pages. Thin: forms in, services/selectors called, refusals shown as messages (never a 500)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from accounts.permissions import ratifier_required, staff_required, supervisor_required
from applicants import selectors as applicant_selectors
from cases import engine, selectors, services
from cases import income_import as income_parser
from cases.forms import (
    CLAUSE_CHOICES,
    AnnualFormSet,
    BulkForm,
    CaseFactsForm,
    DecisionForm,
    DocumentVerdictForm,
    EmployerCheckForm,
    IncomeFormSet,
    IncomeImportForm,
    OverrideDecisionForm,
    OverrideForm,
    QueueFilterForm,
    ReasonForm,
    StartEmployerCaseForm,
    TemplateForm,
    UploadForm,
)
from cases.labels import OUTCOME_LABELS, UPLOADER_LABELS, material_label
from cases.models import (
    AUTHORITY_STATES,
    Case,
    CheckOverride,
    InfoChangeKind,
    Kind,
    OpinionTemplate,
    State,
    TipTemplate,
)
from cases.workflow import ACTION_LABELS, APPLICANT, OPERATOR, REVIEWER, Action, actions_from
from core.audit import log_personal_data_access
from core.masking import mask_name
from employers import selectors as employer_selectors
from employers.models import AssociationStatus
from materials.models import CheckStatus
from materials.services import STAMPED_MATERIALS


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def today() -> date:
    return timezone.localdate()


def _participant(request: HttpRequest, public_id: UUID) -> tuple[Case, set[str]]:
    case = selectors.case_for_participant(_user(request), public_id)
    # An operator's read of the applicant's case is logged (the applicant's own reads are not).
    match = request.resolver_match
    log_personal_data_access(
        _user(request), case, f"case {match.url_name if match else 'page'}", request=request
    )
    return case, services.roles_of(_user(request), case)


# --- participants: list and start ---------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.is_district_staff:
        return redirect("cases:queue")
    page = selectors.list_page(user, cursor=request.GET.get("after", ""))
    if user.is_operator:  # a list of the employer's applicants (names, states)
        log_personal_data_access(user, "list:cases.case_list", "case list", request=request)
    return render(request, "cases/list.html", {"cases": page.rows, "page": page})


@login_required
@require_POST
def start_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_applicant:
        raise Http404
    try:
        case = services.start_new_case(user, today=today())
    except services.CaseError as exc:
        messages.error(request, exc.message)
        return redirect("cases:list")
    return redirect("cases:detail", case.public_id)


@login_required
def start_employer_case(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_operator:
        raise Http404
    employer = employer_selectors.employer_for_operator(user)
    if employer is None:
        raise Http404
    associations = list(employer_selectors.associations_for_employer(employer, AssociationStatus.APPROVED))
    choices = [(str(a.applicant.public_id), a.applicant.name) for a in associations]
    form = StartEmployerCaseForm(request.POST or None, applicants=choices)
    if request.method == "POST" and form.is_valid():
        applicant = next(
            a.applicant for a in associations if str(a.applicant.public_id) == form.cleaned_data["applicant"]
        )
        try:
            case = services.start_employer_case(
                user,
                applicant=applicant,
                kind=form.cleaned_data["kind"],
                today=today(),
                info_change_kinds=form.cleaned_data.get("info_change_kinds") or [],
                info_change_note=form.cleaned_data.get("info_change_note", ""),
            )
        except services.CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已发起%(kind)s，业务编号 %(ref)s。")
                % {"kind": case.get_kind_display(), "ref": case.reference},
            )
            if case.kind == Kind.EMPLOYER_CHANGE:
                for warning in services.renew_first_warnings(case.permit_expires_on, today()):
                    messages.warning(request, warning)
            return redirect("cases:detail", case.public_id)
    return render(request, "cases/start_employer.html", {"form": form})


# --- participants: the task list -----------------------------------------------------------------


def _sections(case: Case, roles: set[str], on: date) -> list[dict[str, Any]]:
    """The task list: each section done / to do / problem, linking to where to fix it."""
    problems_submit = services.submission_problems(case, Action.SUBMIT, on)
    problems_employer = (
        services.submission_problems(case, Action.EMPLOYER_SUBMIT, on) if OPERATOR in roles else []
    )
    by_section: dict[str, list[services.Problem]] = {}
    for problem in problems_employer or problems_submit:
        by_section.setdefault(problem.section, []).append(problem)
    sections = []

    def add(key: str, label: str, url: str, *, problem_sections: tuple[str, ...] = ()) -> None:
        found = [p for s in (key, *problem_sections) for p in by_section.get(s, [])]
        sections.append(
            {"key": key, "label": label, "url": url, "problems": found, "status": "todo" if found else "done"}
        )

    add("profile", _("个人信息"), reverse("applicants:profile"))
    add("facts", _("申报信息"), reverse("cases:facts", args=[case.public_id]))
    if case.kind in (Kind.NEW, Kind.RENEWAL):
        add("income", _("应税收入记录"), reverse("cases:income", args=[case.public_id]))
    add("materials", _("材料清单"), reverse("cases:materials", args=[case.public_id]))
    if OPERATOR in roles:
        add("check", _("单位核查"), reverse("cases:employer_check", args=[case.public_id]))
        deadline = [p for s in ("deadline", "employer", "applicant") for p in by_section.get(s, [])]
        if deadline:
            sections.append(
                {
                    "key": "deadline",
                    "label": _("办理条件与时限"),
                    "url": "",
                    "problems": deadline,
                    "status": "problem",
                }
            )
    return sections


@login_required
def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, roles = _participant(request, public_id)
    on = today()
    role = OPERATOR if OPERATOR in roles else APPLICANT
    actions = actions_from(case.kind, case.state, role)
    editable = services.can_edit_facts(roles, case) or services.can_upload(
        roles, case, "applicant" if role == APPLICANT else "employer"
    )
    context = {
        "case": case,
        "role": role,
        "sections": _sections(case, roles, on) if editable else [],
        "actions": actions,
        "can_submit": Action.SUBMIT in actions or Action.EMPLOYER_SUBMIT in actions,
        "can_withdraw": Action.WITHDRAW in actions,
        "can_return": Action.EMPLOYER_RETURN in actions,
        "timeline": selectors.timeline(case, full=False),
        "opinion": selectors.latest_opinion(case),
        "action_labels": ACTION_LABELS,
        "ratify_days": _ratify_days(case, on),
    }
    return render(request, "cases/detail.html", context)


def _ratify_days(case: Case, on: date) -> int | None:
    """P-RATIFY-WORKING-DAYS for the applicant's texts (BIZ-TIME-LIMIT, 六 办理时限)."""
    try:
        return engine.ratify_working_days(case.district_approved_on or on)
    except engine.PolicyError:
        return None


@login_required
def facts(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, roles = _participant(request, public_id)
    editable = services.can_edit_facts(roles, case)
    form = CaseFactsForm(
        request.POST if request.method == "POST" else None,
        initial=CaseFactsForm.initial_from(case),
        kind=case.kind,
        as_of=today(),
        children=[
            (str(child.public_id), f"{mask_name(child.name)}（{child.birth_date:%Y-%m-%d}）")
            for child in applicant_selectors.children_for(case.applicant)
        ],
    )
    if request.method == "POST":
        if not editable:
            messages.error(
                request, _("申请当前状态为「%(state)s」，您不能修改。") % {"state": case.get_state_display()}
            )
            return redirect("cases:detail", case.public_id)
        if form.is_valid():
            try:
                services.save_case_facts(
                    _user(request),
                    case,
                    version=form.cleaned_data["version"],
                    data=form.case_data(),
                )
            except services.CaseError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("申报信息已保存。"))
                return redirect("cases:detail", case.public_id)
    labels = dict(InfoChangeKind.choices)
    return render(
        request,
        "cases/facts.html",
        {
            "case": case,
            "form": form,
            "editable": editable,
            "clause_label": dict(CLAUSE_CHOICES).get(str(case.claimed_clause or ""), ""),
            "change_labels": [labels.get(k, k) for k in case.info_change_kinds or []],
        },
    )


LOW_CONFIDENCE = 0.9
"""Cells read with less confidence than this are highlighted for the uploader to check (issue 13)."""
SCAN_FIELDS = ("month", "item", "agent", "declared", "corrected", "amount", "tax")


def _scan_view(scan: dict[str, Any]) -> dict[str, Any]:
    """An income scan prepared for the template: pages with their boxes in a 1000-wide frame, and
    rows of cells (value, low confidence, the id of its box)."""
    extraction = scan["extraction"]
    done = extraction is not None and extraction.status == "done"
    rows = extraction.rows if done else []
    pages: list[dict[str, Any]] = []
    for info in extraction.pages if done else []:
        pages.append(
            {
                "number": info["page"],
                "height": round(1000 * float(info.get("aspect") or 1.4142)),
                "has_preview": info["page"] <= len(extraction.previews),
                "info": info,
                "boxes": [],
                "marks": [],
            }
        )
    by_page = {p["number"]: p for p in pages}

    def frame(page: int | None, box: Any, ident: str, target: list[str]) -> None:
        if page in by_page and box:
            height = by_page[page]["height"]
            x0, y0, x1, y1 = (float(v) for v in box)
            by_page[page][target[0]].append(
                {
                    "id": ident,
                    "x": round(x0 * 1000) - 4,
                    "y": round(y0 * height) - 4,
                    "w": round((x1 - x0) * 1000) + 8,
                    "h": round((y1 - y0) * height) + 8,
                }
            )

    prefix = str(scan["document"].public_id)[:8]
    table = []
    for index, row in enumerate(rows):
        cells: dict[str, dict[str, Any]] = {}
        for field in SCAN_FIELDS:
            cell = row.get(field)
            if not isinstance(cell, dict):
                cells[field] = {"value": None, "low": field in ("month", "amount"), "id": "", "conf": 0.0}
                continue
            ident = f"box-{prefix}-{index}-{field}"
            frame(cell.get("page"), cell.get("box"), ident, ["boxes"])
            conf = float(cell.get("conf") or 0)
            cells[field] = {
                "value": cell.get("value"),
                "low": conf < LOW_CONFIDENCE,
                "id": ident,
                "conf": conf,
            }
        month = cells["month"]["value"]
        table.append({"index": index, "cells": cells, "flags": scan["flags"].get(month, [])})
    findings = []
    for number, item in enumerate(scan["findings"]):
        ident = f"mark-{prefix}-{number}" if item.get("box") else ""
        frame(item.get("page"), item.get("box"), ident, ["marks"])
        findings.append({**item, "id": ident})
    return {**scan, "done": done, "pages": pages, "table": table, "findings": findings, "prefix": prefix}


@login_required
def income_scan(request: HttpRequest, public_id: UUID, document_id: UUID) -> HttpResponse:
    """The table read from an income printout beside its pages: correct misread cells (the low-
    confidence ones are highlighted) and accept it into the monthly income (issue 13)."""
    case, roles = _participant(request, public_id)
    window = selectors.income_window(case, today())
    scan = next(
        (s for s in selectors.income_scans(case, window) if s["document"].public_id == document_id), None
    )
    if scan is None:
        raise Http404
    editable = services.can_edit_facts(roles, case)
    view = _scan_view(scan)
    errors: dict[int, str] = {}
    if request.method == "POST":
        if not editable:
            messages.error(
                request, _("申请当前状态为「%(state)s」，您不能修改。") % {"state": case.get_state_display()}
            )
            return redirect("cases:detail", case.public_id)
        accepted, corrections = _read_scan_rows(request.POST, view["table"], errors)
        version = request.POST.get("version", "")
        if not errors:
            try:
                services.accept_extracted_income(
                    _user(request),
                    case,
                    version=int(version) if version.isdigit() else None,
                    document_id=document_id,
                    rows=accepted,
                    corrections=corrections,
                )
            except services.CaseError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("已按扫描件填写 %(count)s 个月的收入。") % {"count": len(accepted)}
                )
                return redirect("cases:income", case.public_id)
        for row in view["table"]:
            row["error"] = errors.get(row["index"], "")
            row["posted"] = {
                "month": request.POST.get(f"r{row['index']}-month", ""),
                "amount": request.POST.get(f"r{row['index']}-amount", ""),
            }
    return render(
        request,
        "cases/income_scan.html",
        {"case": case, "scan": view, "editable": editable, "errors": errors},
    )


def _read_scan_rows(
    data: QueryDict, table: list[dict[str, Any]], errors: dict[int, str]
) -> tuple[list[tuple[date, Any, bool]], list[dict[str, Any]]]:
    """The rows ticked for acceptance, as (month, amount, corrected); and the cells changed from what
    was read. Errors (by row index) for a month or amount that is not valid."""
    import re
    from decimal import Decimal, InvalidOperation

    accepted: list[tuple[date, Any, bool]] = []
    corrections: list[dict[str, Any]] = []
    for row in table:
        index = row["index"]
        if f"r{index}-include" not in data:
            continue
        month_text = data.get(f"r{index}-month", "").strip()
        amount_text = data.get(f"r{index}-amount", "").strip().replace(",", "")
        corrected = f"r{index}-corrected" in data
        match = re.fullmatch(r"(20\d{2})-(0[1-9]|1[0-2])", month_text)
        try:
            amount = Decimal(amount_text)
        except InvalidOperation:
            amount = None
        if match is None:
            errors[index] = _("请按“2025-01”的格式填写月份。")
            continue
        if amount is None or amount < 0 or amount >= 10**9:
            errors[index] = _("请填写有效的金额（元）。")
            continue
        accepted.append((date(int(match[1]), int(match[2]), 1), amount, corrected))
        cells = row["cells"]
        for field, new in (("month", month_text), ("amount", f"{amount:.2f}"), ("corrected", corrected)):
            old = cells[field]["value"]
            if (old if field != "amount" or old is None else f"{Decimal(old):.2f}") != new:
                corrections.append({"row": index, "field": field, "from": old, "to": new})
    return accepted, corrections


@login_required
def income(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, roles = _participant(request, public_id)
    editable = services.can_edit_facts(roles, case)
    on = today()
    records = list(case.income_records.order_by("month"))
    monthly_initial = [
        {"month": r.month, "amount": r.amount, "corrected": r.corrected, "original_amount": r.original_amount}
        for r in records
    ] or [{"month": m} for m in selectors.income_window(case, on)]
    annual_initial = [{"year": a.year, "amount": a.amount} for a in case.annual_incomes.order_by("year")] or [
        {"year": on.year - i} for i in (3, 2, 1)
    ]
    show_annual = case.kind == Kind.NEW and case.claimed_clause in (4, 5)
    data = request.POST if request.method == "POST" else None
    monthly = IncomeFormSet(data, initial=monthly_initial, prefix="m")
    annual = AnnualFormSet(data, initial=annual_initial, prefix="a")
    version_form = ReasonForm(data, initial={"version": case.version}, required=False)
    if request.method == "POST":
        if not editable:
            messages.error(
                request, _("申请当前状态为「%(state)s」，您不能修改。") % {"state": case.get_state_display()}
            )
            return redirect("cases:detail", case.public_id)
        if monthly.is_valid() and annual.is_valid() and version_form.is_valid():
            rows = [
                (
                    f.cleaned_data["month"],
                    f.cleaned_data["amount"],
                    f.cleaned_data.get("corrected", False),
                    f.cleaned_data.get("original_amount"),
                )
                for f in monthly
                if f.cleaned_data.get("month")
            ]
            years = (
                [
                    (f.cleaned_data["year"], f.cleaned_data["amount"])
                    for f in annual
                    if f.cleaned_data.get("year") and f.cleaned_data.get("amount") is not None
                ]
                if show_annual
                else None
            )
            try:
                services.save_income(
                    _user(request),
                    case,
                    version=version_form.cleaned_data["version"],
                    monthly=rows,
                    annual=years,
                )
            except services.CaseError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("应税收入记录已保存。"))
                return redirect("cases:detail", case.public_id)
    return render(
        request,
        "cases/income.html",
        {
            "case": case,
            "monthly": monthly,
            "annual": annual,
            "show_annual": show_annual,
            "editable": editable,
            "version_form": version_form,
            "records": records,
            "annuals": list(case.annual_incomes.order_by("year")),
            "scans": selectors.income_scans(case, selectors.income_window(case, on)),
        },
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").strip().encode()).hexdigest()[:32]


@login_required
def income_import(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Paste or import the months, see the preview with each line's errors, then confirm
    (issue 10, item 6). Nothing is saved before the confirmation; the typed text is always kept."""
    case, roles = _participant(request, public_id)
    if not services.can_edit_facts(roles, case):
        raise PermissionDenied
    on = today()
    posted = request.POST.copy() if request.method == "POST" else None
    form = IncomeImportForm(posted, request.FILES or None, initial={"version": case.version})
    preview = None
    confirmable = False
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        source = _("粘贴纳税记录")
        upload = form.cleaned_data.get("upload")
        if upload is not None:
            data = upload.read(income_parser.MAX_UPLOAD_BYTES + 1)
            try:
                text = income_parser.read_upload(data)
            except income_parser.ImportRefused as exc:
                form.add_error("upload", exc.message)
            else:
                source = _("导入表格文件")
                if posted is not None:
                    posted["text"] = text  # shown again in the text box, editable
        if not form.errors:
            lines, _skipped = income_parser.split_text(text)
            wants_save = request.POST.get("action") == "confirm" and upload is None
            if wants_save and form.cleaned_data["previewed"] == _digest(text):
                try:
                    services.accept_income_lines(
                        _user(request),
                        case,
                        version=form.cleaned_data["version"],
                        lines=lines,
                        today=on,
                        source=source,
                    )
                except services.IncomeImportRefused as exc:
                    preview = exc.preview
                except services.CaseError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("已保存导入的应税收入记录。"))
                    return redirect("cases:income", case.public_id)
            elif wants_save:
                form.add_error(None, _("文本在预览后被修改过，请核对下面新的预览后再确认保存。"))
            if preview is None:
                try:
                    preview = services.preview_income_lines(_user(request), case, lines=lines, today=on)
                except services.CaseError as exc:
                    form.add_error(None, exc.message)
            if preview is not None:
                preview.skipped = _skipped
                confirmable = preview.ok and not form.errors
                if posted is not None:
                    posted["previewed"] = _digest(text) if confirmable else ""
    status = 400 if request.method == "POST" and (form.errors or (preview and preview.errors)) else 200
    return render(
        request,
        "cases/income_import.html",
        {
            "case": case,
            "form": form,
            "preview": preview,
            "confirmable": confirmable,
            "window": selectors.income_window(case, on),
        },
        status=status,
    )


def _checklist_rows(case: Case, roles: set[str], on: date) -> tuple[list[dict[str, Any]], str]:
    try:
        items = services.checklist_items(case, on)
    except engine.PolicyError as exc:
        return [], engine.explain(exc)
    have = services.current_documents(case)
    rows = []
    for item in items:
        document = have.get((item.id, item.child))
        rows.append(
            {
                "item": item,
                "label": material_label(item.id),
                "uploader_label": UPLOADER_LABELS.get(item.uploader, item.uploader),
                "reason": item.reason_en if (request_lang() == "en") else item.reason_zh,
                "document": document,
                "can_upload": services.can_upload(roles, case, item.uploader),
                "anchor": f"m-{item.id}-{item.child}",
            }
        )
    return rows, ""


def request_lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "").startswith("en") else "zh"


@login_required
def materials(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, roles = _participant(request, public_id)
    on = today()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_document(
                _user(request),
                case,
                material=form.cleaned_data["material"],
                child=form.cleaned_data.get("child"),
                uploaded_file=form.cleaned_data["file"],
                valid_until=form.cleaned_data.get("valid_until"),
                issued_on=form.cleaned_data.get("issued_on"),
                today=on,
            )
        except services.CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("已上传：%(label)s") % {"label": material_label(form.cleaned_data["material"])}
            )
            return redirect(reverse("cases:materials", args=[case.public_id]))
    rows, error = _checklist_rows(case, roles, on)
    summary = _upload_errors(request, form, rows) if request.method == "POST" else []
    return render(
        request,
        "cases/materials.html",
        {"case": case, "rows": rows, "error": error, "upload_errors": summary},
        status=400 if summary else 200,
    )


def _upload_errors(
    request: HttpRequest, form: UploadForm, rows: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """A refused upload's errors put beside its own item (issue 10, item 3), the dates typed kept;
    returns the error summary's entries, each linking to its field."""
    if not form.errors:
        return []
    material, child = request.POST.get("material", ""), request.POST.get("child", "")
    row = next(
        (
            r
            for r in rows
            if r["item"].id == material and ("" if r["item"].child is None else str(r["item"].child)) == child
        ),
        None,
    )
    prefixes = {"file": "f", "valid_until": "v", "issued_on": "i"}
    summary = []
    if row is not None:
        row["errors"] = {name: [str(e) for e in form.errors.get(name, [])] for name in prefixes}
        row["errors"]["file"] += [str(e) for e in form.non_field_errors()]
        row["typed"] = {name: request.POST.get(name, "") for name in ("valid_until", "issued_on")}
    for name, errors in form.errors.items():
        field = name if name in prefixes else "file"
        href = f"#{prefixes[field]}-{row['anchor']}" if row is not None else ""
        label = row["label"] if row is not None else ""
        summary += [{"href": href, "label": label, "message": str(e)} for e in errors]
    return summary


@login_required
def employer_check(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, roles = _participant(request, public_id)
    if OPERATOR not in roles:
        raise Http404
    initial = {
        "version": case.version,
        "contract": bool(case.same_employer_contract),
        "tax_withholding": bool(case.same_employer_tax),
        "social_insurance": bool(case.same_employer_social_insurance),
        "social_insurance_continuous": bool(case.social_insurance_continuous),
        "checked": case.employer_checked,
    }
    editable = services.can_edit_facts(roles, case)
    form = EmployerCheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and not editable:
        messages.error(
            request, _("申请当前状态为「%(state)s」，单位不能核查。") % {"state": case.get_state_display()}
        )
        return redirect("cases:detail", case.public_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_employer_check(
                _user(request),
                case,
                version=data["version"],
                contract=data["contract"],
                tax_withholding=data["tax_withholding"],
                social_insurance=data["social_insurance"],
                social_insurance_continuous=data["social_insurance_continuous"],
                checked=data["checked"],
            )
        except services.CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("核查结果已保存。"))
            return redirect("cases:detail", case.public_id)
    return render(
        request,
        "cases/employer_check.html",
        {"case": case, "form": form, "editable": editable, **_answers_context(case)},
    )


def _answers_context(case: Case) -> dict[str, Any]:
    """Check-answers: material names and only the current version of each, the clause's name, study
    and work history, and old → new values for an information change (issue 10, item 5)."""
    applicant = case.applicant
    periods = list(applicant.periods.all())
    current = services.current_documents(case)
    documents = [
        {"label": material_label(material), "child": child, "document": document}
        for (material, child), document in sorted(
            current.items(), key=lambda kv: (str(material_label(kv[0][0])), kv[0][1] or 0)
        )
    ]
    return {
        "applicant": applicant,
        "children": list(applicant.children.all()),
        "periods": periods,
        "study_periods": [p for p in periods if p.kind == "study"],
        "work_periods": [p for p in periods if p.kind == "work"],
        "incomes": list(case.income_records.order_by("month")),
        "annuals": list(case.annual_incomes.order_by("year")),
        "documents": documents,
        "clause_label": dict(CLAUSE_CHOICES).get(str(case.claimed_clause or ""), "")
        if case.claimed_clause
        else "",
        "info_changes": _info_changes(case),
    }


def _info_changes(case: Case) -> list[dict[str, str]]:
    """Each chosen change kind with its value when the change started and its value now."""
    if case.kind != Kind.INFO_CHANGE:
        return []
    now = services.info_change_values(case.applicant, case.info_change_kinds)
    labels = dict(InfoChangeKind.choices)
    rows = []
    for kind in case.info_change_kinds:
        before, after = case.info_change_before.get(kind, ""), now.get(kind, "")
        if kind == InfoChangeKind.CHILD:
            before = "、".join(mask_name(n) for n in before.split("、") if n)
            after = "、".join(mask_name(n) for n in after.split("、") if n)
        rows.append({"label": str(labels.get(kind, kind)), "before": before, "after": after, "kind": kind})
    return rows


@login_required
def answers(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Check your answers, then submit (to the employer, or the employer to the authority)."""
    case, roles = _participant(request, public_id)
    role = OPERATOR if OPERATOR in roles else APPLICANT
    action = Action.EMPLOYER_SUBMIT if role == OPERATOR else Action.SUBMIT
    on = today()
    if action not in actions_from(case.kind, case.state, role):
        messages.error(
            request, _("申请当前状态为「%(state)s」，不能提交。") % {"state": case.get_state_display()}
        )
        return redirect("cases:detail", case.public_id)
    problems: list[services.Problem] = []
    if request.method == "POST":
        form = ReasonForm(request.POST, required=False)
        if form.is_valid():
            try:
                services.transition(
                    _user(request),
                    case,
                    action,
                    version=form.cleaned_data["version"],
                    today=on,
                    acknowledge_late=request.POST.get("acknowledge_late") == "on",
                )
            except services.SubmissionBlocked as exc:
                problems = exc.problems
            except services.CaseError as exc:
                messages.error(request, exc.message)
                return redirect("cases:answers", case.public_id)
            else:
                return redirect("cases:confirmation", case.public_id)
    else:
        problems = services.submission_problems(case, action, on)
    context = {
        "case": case,
        "role": role,
        "problems": problems,
        "warnings": services.submission_warnings(case, action),
        "form": ReasonForm(initial={"version": case.version}, required=False),
        "deadlines": _deadlines(case, on),
        "late_text": services.late_risk_text(case, on)
        if role == OPERATOR and case.late_risk_acknowledged_at is None
        else "",
        "deadline_warnings": services.deadline_warnings(case, on) if role == OPERATOR else [],
        **_answers_context(case),
    }
    return render(request, "cases/answers.html", context)


def _deadlines(case: Case, on: date) -> dict[str, Any] | None:
    """The dates shown to the submitter: the latest working day (REN-DEADLINE), the window."""
    if case.kind not in (Kind.RENEWAL, Kind.EMPLOYER_CHANGE) or case.permit_expires_on is None:
        return None
    try:
        d = engine.case_deadlines(case.permit_expires_on, services.submission_day(case, on))
    except engine.PolicyError:
        return None
    return {
        "window_opens": d.window_opens,
        "complete_by": d.complete_by,
        "latest_working_day": engine.latest_day(d),
        "estimated": d.estimated,
        "in_time": d.in_time,
    }


@login_required
def confirmation(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, _roles = _participant(request, public_id)
    return render(
        request, "cases/confirmation.html", {"case": case, "ratify_days": _ratify_days(case, today())}
    )


@login_required
def act(request: HttpRequest, public_id: UUID, action: str) -> HttpResponse:
    """Withdraw (applicant; employer for its own business types) or return to the applicant (employer)."""
    case, _roles = _participant(request, public_id)
    if action not in (Action.WITHDRAW, Action.EMPLOYER_RETURN):
        raise Http404
    required = action == Action.EMPLOYER_RETURN
    form = ReasonForm(request.POST or None, initial={"version": case.version}, required=required)
    if request.method == "POST" and form.is_valid():
        try:
            services.transition(
                _user(request),
                case,
                action,
                version=form.cleaned_data["version"],
                today=today(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except services.CaseError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已%(action)s。") % {"action": ACTION_LABELS[action]})
        return redirect("cases:detail", case.public_id)
    return render(
        request,
        "cases/act.html",
        {"case": case, "form": form, "action": action, "action_label": ACTION_LABELS[action]},
    )


# --- reviewer workbench --------------------------------------------------------------------------


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    on = today()
    form = QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters.kind = data.get("kind") or ""
        filters.state = data.get("state") or ""
        filters.employer = (data.get("employer") or "").strip()
        filters.clause = data.get("clause")
        if data.get("days_left") is not None:
            filters.due_before = _add_working_days(on, data["days_left"])
        if data.get("overdue"):
            filters.overdue_on = on
        if data.get("mine"):
            filters.assigned_to = request.user.pk
    page = selectors.queue(filters, cursor=request.GET.get("after", ""))
    log_personal_data_access(
        _user(request), "list:cases.queue", f"queue {request.GET.urlencode()}", request=request
    )
    calendar = engine.calendar()
    rows = [
        {
            "case": c,
            "days_left": selectors.working_days_left(calendar, on, c.due_on)
            if calendar and c.due_on
            else None,
        }
        for c in page.rows
    ]
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "cases/queue.html",
        {"form": form, "rows": rows, "page": page, "query": query.urlencode(), "bulk_form": BulkForm()},
    )


def _add_working_days(on: date, n: int) -> date:
    calendar = engine.calendar()
    if n == 0:
        return on
    return calendar.add_working_days(on, n, estimate=True)


@staff_required
def review_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = selectors.case_for_staff(public_id)
    log_personal_data_access(_user(request), case, "case review", request=request)
    return render(request, "cases/review_detail.html", _review_context(case, viewing=request.GET.get("doc")))


def _review_context(
    case: Case,
    bound: DocumentVerdictForm | None = None,
    decision: DecisionForm | None = None,
    *,
    viewing: str | None = None,
) -> dict[str, Any]:
    """The reviewer's workbench; `bound` is a refused verdict form and `decision` a refused decision
    form, shown again with what was typed and the errors next to their fields (issue 10, item 3).
    Documents needing attention come first; `viewing` is the public id of the document shown in the
    viewer pane (by default the first one; a refused verdict form shows its own document) (item 7)."""
    document_rows = selectors.workbench_documents(selectors.review_documents(case))
    if bound is not None:
        viewing = bound.prefix
    viewed = next((row for row in document_rows if str(row["document"].public_id) == viewing), None)
    if viewed is None and document_rows:
        viewed = document_rows[0]
    scans = {
        s["document"].pk: s for s in selectors.income_scans(case, selectors.income_window(case, today()))
    }
    for row in document_rows:
        document = row["document"]
        if document.pk in scans:
            row["scan"] = _scan_view(scans[document.pk])
        if bound is not None and bound.prefix == str(document.public_id):
            row["form"] = bound
        else:
            row["form"] = DocumentVerdictForm(
                prefix=str(document.public_id),
                stamped=row["stamped"],
                check_failed=document.check_status == CheckStatus.FAILED,
            )
    snapshot = services.latest_snapshot(case)
    overrides = list(snapshot.overrides.select_related("by", "decided_by")) if snapshot else []
    override_map: dict[Any, list[Any]] = {}
    for item in overrides:
        override_map.setdefault((item.rule, item.clause), []).append(item)
    checks: list[dict[str, Any]] = []
    clauses: list[dict[str, Any]] = []
    business = str((snapshot.result or {}).get("business", case.kind)) if snapshot else case.kind
    english: dict[tuple[str, int | None], str] = {}
    if snapshot is not None and (get_language() or "").startswith("en"):
        # The reviewer's explanations in English (issue 10, 9): the stored result is in Chinese.
        english = engine.messages_in(snapshot.facts, snapshot.as_of, snapshot.parameters_hash, "en")
    if snapshot is not None:
        for check in snapshot.result.get("checks", []):
            checks.append(_check_row(business, check, None, override_map, english))
        for block in snapshot.result.get("clauses", []):
            clauses.append(
                {
                    "clause": block["clause"],
                    "outcome": block.get("outcome"),
                    "checks": [
                        _check_row(business, c, block["clause"], override_map, english)
                        for c in block.get("checks", [])
                    ],
                }
            )
    actions = actions_from(case.kind, case.state, REVIEWER)
    return {
        "case": case,
        "snapshot": snapshot,
        "checks": checks,
        "clauses": clauses,
        "overrides": overrides,
        "effective_decision": services.effective_decision(snapshot) if snapshot else "",
        "actions": actions,
        "can_accept": Action.ACCEPT in actions,
        "can_decide": case.state in AUTHORITY_STATES,
        "decision_form": decision
        if decision is not None
        else DecisionForm(
            initial={"version": case.version, "opinion": selectors.problem_opinion(document_rows)}
        ),
        "document_rows": document_rows,
        "viewed": viewed,
        "other_rows": [row for row in document_rows if row is not viewed],
        "approval_problems": services.approval_blockers(case, snapshot)
        if case.state == State.ACCEPTED
        else [],
        "timeline": selectors.timeline(case, full=True),
        "reads": selectors.personal_data_reads(case)[:50],
        "reviewers": User.objects.filter(role__in=[Role.REVIEWER, Role.SUPERVISOR], is_active=True).order_by(
            "username"
        ),
        "outcome_labels": OUTCOME_LABELS,
        "action_labels": ACTION_LABELS,
        **_answers_context(case),
    }


@staff_required
@require_POST
def document_verdict(request: HttpRequest, public_id: UUID, document_id: UUID) -> HttpResponse:
    """A reviewer's verdict on one document of this case (append-only; DOC-STAMPED confirmation)."""
    case = selectors.case_for_staff(public_id)
    link = case.documents.select_related("document").filter(document__public_id=document_id).first()
    if link is None:
        raise Http404
    document = link.document
    form = DocumentVerdictForm(
        request.POST,
        prefix=str(document.public_id),
        stamped=document.material in STAMPED_MATERIALS,
        check_failed=document.check_status == CheckStatus.FAILED,
    )
    if form.is_valid():
        try:
            services.record_document_verdict(
                _user(request),
                case,
                document,
                form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
                stamp_confirmed=form.stamp_value(),
                accept_failed_check=form.accept_failed_check_value(),
            )
        except services.CaseError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request, _("已记录《%(material)s》的审核结论。") % {"material": material_label(link.material)}
            )
            return redirect(
                f"{reverse('cases:review_detail', args=[case.public_id])}?doc={document.public_id}"
                f"#doc-{document.public_id}"
            )
    log_personal_data_access(_user(request), case, "case review", request=request)
    return render(request, "cases/review_detail.html", _review_context(case, form), status=400)


def _check_row(
    business: str,
    check: dict[str, Any],
    clause: int | None,
    overrides: dict[Any, list[Any]],
    messages: dict[tuple[str, int | None], str] | None = None,
) -> dict[str, Any]:
    history = overrides.get((check.get("rule"), clause), [])
    message = (messages or {}).get((str(check.get("rule")), clause), check.get("message"))
    return {
        **check,
        "message": message,
        "clause": clause,
        "outcome_label": OUTCOME_LABELS.get(check.get("outcome", ""), check.get("outcome")),
        "overrides": history,
        "pending": any(o.status == CheckOverride.Status.PROPOSED for o in history),
        "overridable": services.overridable(business, check),
    }


@staff_required
@require_POST
def accept(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = selectors.case_for_staff(public_id)
    form = ReasonForm(request.POST, required=False)
    if form.is_valid():
        try:
            services.accept(_user(request), case, version=form.cleaned_data["version"], today=today())
        except services.CaseError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已受理 %(ref)s，判定结果已按受理日固定。") % {"ref": case.reference})
    return redirect("cases:review_detail", case.public_id)


@staff_required
@require_POST
def decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = selectors.case_for_staff(public_id)
    form = DecisionForm(request.POST)

    def refused() -> HttpResponse:
        """The page again with the decision, the opinion and the tips as typed, errors beside them.

        The hidden version becomes the case's current one: the page shown is the current state."""
        fresh = selectors.case_for_staff(public_id)
        data = cast(QueryDict, form.data).copy()
        data["version"] = str(fresh.version)
        form.data = data
        log_personal_data_access(_user(request), fresh, "case review", request=request)
        return render(request, "cases/review_detail.html", _review_context(fresh, decision=form), status=400)

    if not form.is_valid():
        return refused()
    data = form.cleaned_data
    try:
        services.transition(
            _user(request),
            case,
            data["decision"],
            version=data["version"],
            today=today(),
            opinion=data["opinion_text"],
            tips=data["tips_text"],
        )
    except services.ApprovalBlocked:
        # The reasons are listed beside the decision (approval_blockers in the review context); what
        # was typed stays.
        form.add_error("decision", _("不能审核通过，请先处理审核结论旁列出的事项。"))
        return refused()
    except services.CaseError as exc:
        form.add_error(None, exc.message)
        return refused()
    else:
        messages.success(
            request,
            _("已%(action)s：%(ref)s。") % {"action": ACTION_LABELS[data["decision"]], "ref": case.reference},
        )
    return redirect("cases:review_detail", case.public_id)


@staff_required
@require_POST
def override(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A reviewer proposes an override of one check (edition 2: per check, with a reason and citation)."""
    case = selectors.case_for_staff(public_id)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("人工判定必须选择结果，并填写理由和所依据的办理指南条款。"))
        return redirect("cases:review_detail", case.public_id)
    data = form.cleaned_data
    try:
        done = services.propose_override(
            actor=_user(request),
            case=case,
            version=data["version"],
            rule=data["rule"],
            clause=data.get("clause"),
            outcome=data["outcome"],
            reason=data["reason"],
            citation=data["citation"],
        )
    except services.CaseError as exc:
        messages.error(request, exc.message)
    else:
        if done.status == CheckOverride.Status.PROPOSED:
            messages.success(request, _("人工判定已提交，须由另一名主管人员批准后生效。"))
        else:
            messages.success(request, _("人工判定已记录并生效。"))
    return redirect("cases:review_detail", case.public_id)


@supervisor_required
def override_queue(request: HttpRequest) -> HttpResponse:
    """Supervisors: overrides to or from `fail` that wait for a second approval (four eyes)."""
    pending = selectors.pending_overrides()
    return render(
        request,
        "cases/override_queue.html",
        {
            "pending": pending,
            "recent": selectors.decided_overrides()[:20],
            "form": OverrideDecisionForm(),
            "outcome_labels": OUTCOME_LABELS,
        },
    )


@supervisor_required
@require_POST
def override_decide(request: HttpRequest, override_id: int) -> HttpResponse:
    item = selectors.override_by_id(override_id)
    form = OverrideDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或不批准，并填写意见。"))
        return redirect("cases:override_queue")
    data = form.cleaned_data
    decide = services.approve_override if data["decision"] == "approve" else services.refuse_override
    try:
        decide(actor=_user(request), override=item, note=data["note"])
    except services.CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已批准该人工判定。") if data["decision"] == "approve" else _("已不批准该人工判定。"),
        )
    return redirect("cases:override_queue")


@staff_required
@require_POST
def assign(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case = selectors.case_for_staff(public_id)
    reviewer_id = request.POST.get("reviewer", "")
    reviewer = None
    if reviewer_id:
        reviewer = User.objects.filter(pk=reviewer_id if reviewer_id.isdigit() else 0).first()
        if reviewer is None:
            messages.error(request, _("请选择审核人员。"))
            return redirect("cases:review_detail", case.public_id)
    try:
        services.assign(_user(request), case, reviewer=reviewer)
    except services.CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("分配已保存。"))
    return redirect("cases:review_detail", case.public_id)


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Bulk accept or return: a mandatory reason, then a confirmation step listing the cases."""
    ids = request.POST.getlist("cases")
    form = BulkForm(request.POST)
    cases = list(selectors.queue_cases_by_ids(ids))
    if not cases:
        messages.error(request, _("请先勾选申请。"))
        return redirect("cases:queue")
    if not form.is_valid():
        return render(request, "cases/bulk_confirm.html", {"form": form, "cases": cases, "confirm": False})
    if not request.POST.get("confirmed"):
        return render(request, "cases/bulk_confirm.html", {"form": form, "cases": cases, "confirm": True})
    data = form.cleaned_data
    try:
        result = services.bulk_transition(
            _user(request),
            cases,
            data["action"],
            today=today(),
            reason=data["reason"],
            tips=data.get("tips", ""),
        )
    except services.CaseError as exc:
        messages.error(request, exc.message)
        return redirect("cases:queue")
    if result.done:
        messages.success(request, _("已处理 %(n)d 笔。") % {"n": len(result.done)})
    for case, reason in result.refused:
        messages.error(request, f"{case.reference}：{reason}")
    return redirect("cases:queue")


@supervisor_required
def templates(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/templates.html",
        {
            "opinions": OpinionTemplate.objects.all().annotate(n=Count("id")),
            "tips": TipTemplate.objects.all(),
        },
    )


TEMPLATE_MODELS: dict[str, Any] = {"opinion": OpinionTemplate, "tip": TipTemplate}


@supervisor_required
def template_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    model = TEMPLATE_MODELS.get(kind)
    if model is None:
        raise Http404
    instance = model.objects.filter(pk=pk).first() if pk is not None else None
    if pk is not None and instance is None:
        raise Http404
    initial = (
        {"title": instance.title, "text": instance.text, "active": instance.active} if instance else None
    )
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_template(_user(request), model, pk=pk, **form.cleaned_data)
        except services.CaseError as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, _("模板已保存。"))
        return redirect("cases:templates")
    return render(request, "cases/template_edit.html", {"form": form, "kind": kind, "instance": instance})


# --- the municipal authority's 核准 (BIZ-TIME-LIMIT) -----------------------------------------------


@ratifier_required
def ratify_queue(request: HttpRequest) -> HttpResponse:
    """District approvals waiting for 核准, the earliest due first; tick several to ratify at once."""
    cases = list(selectors.ratification_queue()[:200])
    log_personal_data_access(_user(request), "list:cases.ratify_queue", "ratification queue", request=request)
    return render(request, "cases/ratify_queue.html", {"cases": cases, "today": today()})


@ratifier_required
@require_POST
def ratify_bulk(request: HttpRequest) -> HttpResponse:
    """Bulk 核准: the ticked cases are listed back for confirmation, then ratified one by one."""
    cases = list(selectors.ratification_cases_by_ids(request.POST.getlist("cases")))
    if not cases:
        messages.error(request, _("请先勾选申请。"))
        return redirect("cases:ratify_queue")
    if not request.POST.get("confirmed"):
        return render(request, "cases/ratify_confirm.html", {"cases": cases})
    result = services.bulk_ratify(_user(request), cases, today=today())
    if result.done:
        messages.success(request, _("已核准 %(n)d 笔，证件已签发。") % {"n": len(result.done)})
    for case, reason in result.refused:
        messages.error(request, f"{case.reference}：{reason}")
    return redirect("cases:ratify_queue")


@ratifier_required
def ratify_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One district approval: what was decided, and the return to the district with a reason."""
    case = selectors.case_for_ratifier(public_id)
    log_personal_data_access(_user(request), case, "case ratification", request=request)
    form = ReasonForm(request.POST or None, initial={"version": case.version}, required=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_to_district(
                _user(request),
                case,
                version=form.cleaned_data["version"],
                today=today(),
                reason=form.cleaned_data["reason"],
            )
        except services.CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已退回区级复核：%(ref)s。") % {"ref": case.reference})
            return redirect("cases:ratify_queue")
    return render(
        request,
        "cases/ratify_detail.html",
        {
            "case": case,
            "form": form,
            "approval": selectors.district_approval(case),
            "snapshot": services.latest_snapshot(case),
            "timeline": selectors.timeline(case, full=True),
            "action_labels": ACTION_LABELS,
            **_answers_context(case),
        },
        status=400 if request.method == "POST" else 200,
    )
