"""Thin views: forms in, services and selectors out."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import applicant_required, operator_required, staff_required
from core import ratelimit
from core.audit import log_personal_data_access
from employers import materials_catalogue as mc
from employers import selectors, services
from employers.forms import (
    AccountForm,
    ApproveAssociationForm,
    AssociationCodeForm,
    ClaimVerifyForm,
    CreditCodeForm,
    DecisionForm,
    DissociateForm,
    DocumentForm,
    InvitationForm,
    ProfileForm,
    RejectAssociationForm,
    RightsForm,
)
from employers.models import (
    AssociationStatus,
    Employer,
    EmployerFactChange,
    Invitation,
    RightsKind,
    RightsStatus,
)

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _apply_errors(form: BaseForm, error: ValidationError, default_field: str | None = None) -> None:
    """Put a service's ValidationError onto the form: at its field, or at `default_field`."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else default_field, field_errors)
    else:
        form.add_error(default_field, error.messages)


def _operator_employer(request: HttpRequest) -> Employer:
    employer = selectors.employer_for_operator(request.user)  # type: ignore[arg-type]
    if employer is None:
        raise Http404
    return employer


# --- registration --------------------------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    """注册 1: credit code → registry data to confirm → the first operator's account."""
    if request.user.is_authenticated:
        return redirect("core:home")
    code_form = CreditCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not _registration_allowed(request):
        code_form.is_valid()
        code_form.add_error(None, _("注册尝试过于频繁，请稍后再试。"))
        return render(request, "employers/register_code.html", {"form": code_form}, status=429)
    if request.method != "POST" or not code_form.is_valid():
        return render(request, "employers/register_code.html", {"form": code_form})
    try:
        entry = services.registry_entry_for(code_form.cleaned_data["credit_code"])
    except ValidationError as error:
        code_form.add_error("credit_code", error.messages)
        return render(request, "employers/register_code.html", {"form": code_form})
    if request.POST.get("step") != "account":
        return render(
            request,
            "employers/register_account.html",
            {"entry": entry, "form": AccountForm(), "code": entry.credit_code},
        )
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            claim = services.start_registration_claim(
                credit_code=entry.credit_code,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            request.session[CLAIM_SESSION_KEY] = str(claim.public_id)
            return redirect("employers:register_verify")
    return render(
        request, "employers/register_account.html", {"entry": entry, "form": form, "code": entry.credit_code}
    )


CLAIM_SESSION_KEY = "employer_registration_claim"


def _registration_allowed(request: HttpRequest) -> bool:
    return ratelimit.allow(
        "register-employer",
        request,
        limit=settings.REGISTRATION_RATE_LIMIT,
        window=settings.REGISTRATION_RATE_WINDOW_SECONDS,
    )


def register_verify(request: HttpRequest) -> HttpResponse:
    """注册 1, verification (issue 11, Medium 6): the code sent to the registrant's e-mail and the one
    sent to the registry's contact e-mail. Only the browser that started the claim can finish it."""
    if request.user.is_authenticated:
        return redirect("core:home")
    claim = (
        services.claim_for(request.session.get(CLAIM_SESSION_KEY, ""))
        if request.session.get(CLAIM_SESSION_KEY)
        else None
    )
    if claim is None:
        return redirect("employers:register")
    form = ClaimVerifyForm(request.POST or None)
    if request.method == "POST" and not _registration_allowed(request):
        form.is_valid()
        form.add_error(None, _("注册尝试过于频繁，请稍后再试。"))
    elif request.method == "POST" and form.is_valid():
        try:
            operator = services.verify_registration_claim(
                claim=claim,
                email_code=form.cleaned_data["email_code"],
                authority_code=form.cleaned_data["authority_code"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            request.session.pop(CLAIM_SESSION_KEY, None)
            login(request, operator.user, backend=LOGIN_BACKEND)
            messages.success(request, _("单位注册成功。请完善单位信息、上传材料并申请办理权限。"))
            return redirect("employers:profile")
    return render(
        request, "employers/register_verify.html", {"claim": claim, "entry": claim.registry, "form": form}
    )


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as error:
        return render(request, "employers/invitation_invalid.html", {"errors": error.messages}, status=410)
    form = AccountForm(request.POST or None, email_fixed=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            operator = services.accept_invitation(
                token=token,
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            login(request, operator.user, backend=LOGIN_BACKEND)
            messages.success(request, _("账号已创建，您已成为本单位经办人。"))
            return redirect("employers:profile")
    return render(request, "employers/invitation_accept.html", {"invitation": invitation, "form": form})


# --- operators -----------------------------------------------------------------------------------


@operator_required
def operators(request: HttpRequest) -> HttpResponse:
    employer = _operator_employer(request)
    operator = selectors.operator_for(request.user)  # type: ignore[arg-type]
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if operator is None or not operator.is_admin:
            raise Http404
        if form.is_valid():
            try:
                services.invite_operator(actor=request.user, email=form.cleaned_data["email"])  # type: ignore[arg-type]
            except ValidationError as error:
                _apply_errors(form, error, "email")
            else:
                messages.success(request, _("邀请邮件已发送，链接7天内有效。"))
                return redirect("employers:operators")
    return render(
        request,
        "employers/operators.html",
        {
            "employer": employer,
            "operators": selectors.operators_of(employer),
            "invitations": selectors.open_invitations(employer),
            "is_admin": bool(operator and operator.is_admin),
            "form": form,
        },
    )


@require_POST
def revoke_invitation(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The employer's admin operator, or district staff with TOTP, revoke an open invitation."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_district_staff and not getattr(user, "is_verified", lambda: False)():
        return redirect(f"{reverse('accounts:otp')}?next={request.get_full_path()}")
    try:
        invitation = services.revoke_invitation(actor=user, public_id=public_id)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        invitation = None
    else:
        messages.success(request, _("邀请已撤销，邀请链接已失效。"))
    if user.is_district_staff:
        employer = (invitation or Invitation.objects.get(public_id=public_id)).employer
        return redirect("employers:review_detail", credit_code=employer.registry.credit_code)
    return redirect("employers:operators")


# --- profile, documents, rights ------------------------------------------------------------------


def _documents_context(
    employer: Employer, forms: dict[str, DocumentForm] | None = None
) -> list[dict[str, Any]]:
    current = selectors.current_documents(employer)
    forms = forms or {}
    return [
        {
            "material": material,
            "label": mc.LABELS[material],
            "hint": mc.HINTS.get(material, ""),
            "document": current.get(material),
            "form": forms.get(material) or DocumentForm(prefix=material),
        }
        for material in mc.EMPLOYER_MATERIALS
    ]


def _render_profile(request: HttpRequest, employer: Employer, **overrides: Any) -> HttpResponse:
    today = timezone.localdate()
    status = 400 if overrides else 200
    context: dict[str, Any] = {
        "employer": employer,
        "entry": employer.registry,
        "profile_form": ProfileForm(instance=employer),
        "documents": _documents_context(employer, overrides.pop("document_forms", None)),
        "rights_form": RightsForm(initial={"kind": employer.rights_kind or "full"}),
        "missing_full": [mc.label(m) for m in selectors.missing_rights_materials(employer, "full", today)],
        "missing_receive_only": [
            mc.label(m) for m in selectors.missing_rights_materials(employer, "receive_only", today)
        ],
        "can_request": employer.rights_status in (RightsStatus.NONE, RightsStatus.REJECTED),
        # Issue 10, item 8: a receive-only employer asks for full rights once it meets the conditions.
        "can_upgrade": employer.rights_status == RightsStatus.APPROVED
        and employer.rights_kind == RightsKind.RECEIVE_ONLY
        and employer.upgrade_status != RightsStatus.PENDING,
        "upgrade_shortfalls": selectors.condition_shortfalls(employer, today)
        if employer.rights_kind == RightsKind.RECEIVE_ONLY
        else [],
        "rights_history": list(selectors.rights_history(employer)),
        "pending_fact_changes": selectors.pending_fact_changes(employer),
        "code_expired": bool(
            employer.association_code_expires_on and employer.association_code_expires_on < today
        ),
    }
    context.update(overrides)
    return render(request, "employers/profile.html", context, status=status)


@operator_required
def profile(request: HttpRequest) -> HttpResponse:
    employer = _operator_employer(request)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=Employer.objects.get(pk=employer.pk))
        if form.is_valid():
            data = {field: form.cleaned_data[field] for field in form.fields}
            try:
                services.update_profile(actor=request.user, data=data)  # type: ignore[arg-type]
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("单位信息已保存。"))
                waiting = [change.field_label for change in selectors.pending_fact_changes(employer)]
                if waiting:
                    messages.info(
                        request,
                        _("以下信息的修改需经审核后生效，审核前仍按原值办理：%(fields)s")
                        % {"fields": "、".join(waiting)},
                    )
                return redirect("employers:profile")
        return _render_profile(request, employer, profile_form=form)
    return _render_profile(request, employer)


@operator_required
@require_POST
def upload_document(request: HttpRequest) -> HttpResponse:
    employer = _operator_employer(request)
    material = request.POST.get("material", "")
    if material not in mc.EMPLOYER_MATERIALS:
        raise Http404
    form = DocumentForm(request.POST, request.FILES, prefix=material)
    if form.is_valid():
        try:
            services.upload_employer_document(
                actor=request.user,  # type: ignore[arg-type]
                material=material,
                uploaded_file=form.cleaned_data["file"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            _apply_errors(form, error, "file")
        else:
            messages.success(request, _("已上传：%(label)s") % {"label": mc.label(material)})
            return redirect(f"{reverse('employers:profile')}#doc-{material}")
    return _render_profile(request, employer, document_forms={material: form})


@operator_required
@require_POST
def request_rights(request: HttpRequest) -> HttpResponse:
    employer = _operator_employer(request)
    form = RightsForm(request.POST)
    if form.is_valid():
        try:
            services.request_rights(
                actor=request.user,  # type: ignore[arg-type]
                kind=form.cleaned_data["kind"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            _apply_errors(form, error, "kind")
        else:
            messages.success(request, _("办理权限申请已提交，请等待海淀区人力资源公共服务中心审核。"))
            return redirect("employers:profile")
    return _render_profile(request, employer, rights_form=form)


@operator_required
@require_POST
def request_full_rights(request: HttpRequest) -> HttpResponse:
    """A receive-only employer (承诺书) asks for full rights (issue 10, item 8)."""
    employer = _operator_employer(request)
    try:
        services.request_full_rights(actor=request.user, today=timezone.localdate())  # type: ignore[arg-type]
    except ValidationError as error:
        return _render_profile(request, employer, upgrade_errors=[str(m) for m in error.messages])
    messages.success(
        request,
        _("全部业务权限申请已提交，请等待海淀区人力资源公共服务中心审核；审核期间仍可接收已持证人员。"),
    )
    return redirect("employers:profile")


@operator_required
@require_POST
def regenerate_code(request: HttpRequest) -> HttpResponse:
    _operator_employer(request)
    try:
        services.regenerate_code(actor=request.user, today=timezone.localdate())  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已生成新的关联码，原关联码即时失效。"))
    return redirect("employers:profile")


# --- district review of rights -------------------------------------------------------------------


@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employers/review_queue.html",
        {
            "employers": selectors.pending_rights_requests(),
            "fact_changes": selectors.employers_with_pending_fact_changes(),
        },
    )


@staff_required
@require_POST
def fact_change_decide(request: HttpRequest, credit_code: str, change_id: int) -> HttpResponse:
    """A reviewer decides an operator's change of a decision fact (issue 11)."""
    change = (
        EmployerFactChange.objects.select_related("employer")
        .filter(pk=change_id, employer__registry__credit_code=credit_code)
        .first()
    )
    if change is None:
        raise Http404
    try:
        services.decide_fact_change(
            actor=request.user,  # type: ignore[arg-type]
            change=change,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", "")[:2000],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("审核结果已保存。"))
    return redirect("employers:review_detail", credit_code)


@staff_required
def review_detail(request: HttpRequest, credit_code: str) -> HttpResponse:
    employer = Employer.objects.select_related("registry").filter(registry__credit_code=credit_code).first()
    if employer is None:
        raise Http404
    log_personal_data_access(request.user, employer, "rights review", request=request)  # type: ignore[arg-type]
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        upgrade = employer.upgrade_status == RightsStatus.PENDING
        decide = services.decide_full_rights if upgrade else services.decide_rights
        try:
            decide(
                actor=request.user,  # type: ignore[arg-type]
                employer=employer,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("审核结果已保存，已通知单位经办人。"))
            return redirect("employers:review_queue")
    today = timezone.localdate()
    return render(
        request,
        "employers/review_detail.html",
        {
            "employer": employer,
            "entry": employer.registry,
            "documents": _documents_context(employer),
            "required": [
                mc.label(m) for m in selectors.required_rights_materials(employer, employer.rights_kind)
            ],
            "missing": [
                mc.label(m) for m in selectors.missing_rights_materials(employer, employer.rights_kind, today)
            ],
            "checks": selectors.organisation_checks(employer, today, get_language() or "zh"),
            "invitations": selectors.open_invitations(employer),
            "form": form,
            "rights_history": list(selectors.rights_history(employer)),
            "fact_changes": selectors.fact_change_history(employer)[:50],
        },
        status=400 if form.errors else 200,
    )


# --- association: applicant side -----------------------------------------------------------------


@applicant_required
def associate(request: HttpRequest) -> HttpResponse:
    """申请人关联单位 (BIZ-ONE-EMPLOYER)."""
    applicant = getattr(request.user, "applicant", None)
    form = AssociationCodeForm(request.POST or None)
    if applicant is not None and request.method == "POST" and form.is_valid():
        try:
            services.request_association(
                actor=request.user,  # type: ignore[arg-type]
                code=form.cleaned_data["code"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            _apply_errors(form, error, "code")
        else:
            messages.success(request, _("关联申请已提交，请等待单位确认。"))
            return redirect("employers:associate")
    context: dict[str, Any] = {"applicant": applicant, "form": form}
    if applicant is not None:
        context.update(
            approved=selectors.approved_association_for(applicant),
            pending=selectors.pending_association_for(applicant),
            history=selectors.associations_of(applicant).exclude(
                status__in=[AssociationStatus.PENDING, AssociationStatus.APPROVED]
            ),
        )
    return render(request, "employers/associate.html", context, status=400 if form.errors else 200)


@applicant_required
@require_POST
def withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        services.withdraw_association(actor=request.user, public_id=public_id)  # type: ignore[arg-type]
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("关联申请已撤回，您可以关联其他单位。"))
    return redirect("employers:associate")


# --- association: employer side ------------------------------------------------------------------


@operator_required
def associations(request: HttpRequest) -> HttpResponse:
    employer = _operator_employer(request)
    log_personal_data_access(request.user, "list:employers.associations", "association list", request=request)  # type: ignore[arg-type]
    return render(
        request,
        "employers/associations.html",
        {
            "employer": employer,
            "pending": selectors.associations_for_employer(employer, AssociationStatus.PENDING),
            "approved": selectors.associations_for_employer(employer, AssociationStatus.APPROVED),
        },
    )


@operator_required
def association_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    association = selectors.association_for_operator(request.user, public_id)  # type: ignore[arg-type]
    if association is None:
        raise Http404
    log_personal_data_access(request.user, association, "association detail", request=request)  # type: ignore[arg-type]
    today = timezone.localdate()
    approve_form = ApproveAssociationForm()
    reject_form = RejectAssociationForm()
    dissociate_form = DissociateForm()
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "approve":
            approve_form = ApproveAssociationForm(request.POST, request.FILES)
            if approve_form.is_valid():
                try:
                    services.approve_association(
                        actor=request.user,  # type: ignore[arg-type]
                        public_id=association.public_id,
                        employed_since=approve_form.cleaned_data["employed_since"],
                        contract_ends_on=approve_form.cleaned_data["contract_ends_on"],
                        contract_file=approve_form.cleaned_data["contract_file"],
                        today=today,
                    )
                except ValidationError as error:
                    _apply_errors(approve_form, error)
                else:
                    messages.success(request, _("已同意关联。"))
                    return redirect("employers:association_detail", public_id=association.public_id)
        elif action == "reject":
            reject_form = RejectAssociationForm(request.POST)
            if reject_form.is_valid():
                try:
                    services.reject_association(
                        actor=request.user,  # type: ignore[arg-type]
                        public_id=association.public_id,
                        reason=reject_form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    _apply_errors(reject_form, error)
                else:
                    messages.success(request, _("已不同意该关联申请，已通知申请人。"))
                    return redirect("employers:associations")
        elif action == "dissociate":
            dissociate_form = DissociateForm(request.POST, request.FILES)
            if dissociate_form.is_valid():
                try:
                    services.dissociate(
                        actor=request.user,  # type: ignore[arg-type]
                        public_id=association.public_id,
                        left_on=dissociate_form.cleaned_data["left_on"],
                        certificate_file=dissociate_form.cleaned_data["certificate_file"],
                        today=today,
                        renewal_acknowledged=dissociate_form.cleaned_data["renewal_acknowledged"],
                    )
                except ValidationError as error:
                    _apply_errors(dissociate_form, error)
                else:
                    messages.success(request, _("已解除关联。"))
                    return redirect("employers:association_detail", public_id=association.public_id)
        elif action is not None:
            raise Http404
    except PermissionDenied as error:
        raise Http404 from error
    association.refresh_from_db()
    has_errors = any(f.errors for f in (approve_form, reject_form, dissociate_form))
    return render(
        request,
        "employers/association_detail.html",
        {
            "association": association,
            "applicant": association.applicant,
            "approve_form": approve_form,
            "reject_form": reject_form,
            "dissociate_form": dissociate_form,
        },
        status=400 if has_errors else 200,
    )
