"""Applicant pages: registration, the profile task list (auto-saved drafts), a staff read-only view."""

from __future__ import annotations

import re
import secrets
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from accounts.identity import IdentityError, get_identity_provider
from accounts.models import User
from accounts.permissions import applicant_required, staff_required
from applicants import services
from applicants.forms import (
    SECTION_FORMS,
    ChildForm,
    PeriodForm,
    PhotoForm,
    ProfileSectionForm,
    RegistrationForm,
)
from applicants.models import Applicant, Child, Period
from applicants.selectors import SECTION_LABELS, SECTIONS, missing_profile_items, section_status
from core import ratelimit
from core.audit import log_personal_data_access

FORM_SECTIONS = tuple(SECTION_FORMS)


def _user(request: HttpRequest) -> User:
    """The signed-in user (the role guards have already refused anonymous requests)."""
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


VERSIONED_FORMS = (*FORM_SECTIONS, "photo")


def register(request: HttpRequest) -> HttpResponse:
    """申请人注册 with the real-name check; nothing typed is lost on error (except passwords)."""
    if request.user.is_authenticated:
        return redirect("core:home")
    provider = get_identity_provider()
    if provider.key == "oidc":
        return render(request, "applicants/register_oidc.html")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and not ratelimit.allow(
        "register-applicant",
        request,
        limit=settings.REGISTRATION_RATE_LIMIT,
        window=settings.REGISTRATION_RATE_WINDOW_SECONDS,
    ):
        form.is_valid()
        form.add_error(None, _("注册尝试过于频繁，请稍后再试。"))
        return render(request, "applicants/register.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            identity = provider.verify(data["name"], data["id_number"])
            applicant = services.register_applicant(
                identity=identity,
                email=data["email"],
                phone=data["phone"],
                password=data["password1"],
                provider=provider.key,
            )
        except (IdentityError, services.DuplicateRegistration) as error:
            form.add_error(error.field, error.message)
        else:
            login(request, applicant.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功。请完善个人信息。"))
            return redirect("applicants:profile")
    return render(request, "applicants/register.html", {"form": form})


def _own_applicant(request: HttpRequest) -> Applicant:
    applicant = Applicant.objects.filter(user=_user(request)).first()
    if applicant is None:
        raise Http404
    return applicant


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _page_token(request: HttpRequest) -> str:
    """The rendering of the profile page a POST comes from (its own autosaves are no conflict)."""
    token = request.POST.get("page", "")
    return token if re.fullmatch(r"[0-9a-f]{16,32}", token) else ""


def _profile_context(applicant: Applicant, **overrides: Any) -> dict[str, Any]:
    forms: dict[str, Any] = {key: form_class(instance=applicant) for key, form_class in SECTION_FORMS.items()}
    forms.update(overrides.pop("forms", {}))
    status = section_status(applicant)
    sections = [
        {"key": key, "label": label, "done": status[key], "form": forms.get(key)} for key, label in SECTIONS
    ]
    return {
        "applicant": applicant,
        "sections": sections,
        "missing": missing_profile_items(applicant),
        "photo_form": overrides.pop("photo_form", PhotoForm()),
        "periods": applicant.periods.all(),
        "children": applicant.children.all(),
        "page_token": overrides.pop("page_token", "") or secrets.token_hex(8),
        **overrides,
    }


@applicant_required
def profile(request: HttpRequest) -> HttpResponse:
    """个人信息: a task list of sections, each done / to do, each saving as you go."""
    applicant = _own_applicant(request)
    return render(request, "applicants/profile.html", _profile_context(applicant))


def _conflicts(form: ProfileSectionForm, current: Applicant) -> list[dict[str, str]]:
    """The saved values that differ from what the user typed, to show beside their input."""
    rows = []
    for name, field in form.fields.items():
        saved = getattr(current, name)
        typed = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if saved != typed:
            display = getattr(current, f"get_{name}_display", None)
            if callable(display):
                shown = display()
            elif isinstance(saved, bool):
                shown = _("是") if saved else _("否")
            else:
                shown = saved or _("（空）")
            rows.append({"label": str(field.label), "saved": str(shown)})
    return rows


def _section_response(
    request: HttpRequest, applicant: Applicant, key: str, form: ProfileSectionForm, **extra: Any
) -> HttpResponse:
    """The section re-rendered with the user's typed values (validation error or stale version)."""
    if _is_htmx(request):
        context = {
            "applicant": applicant,
            "section": {
                "key": key,
                "label": SECTION_LABELS[key],
                "done": section_status(applicant)[key],
                "form": form,
            },
            "page_token": _page_token(request),
            **extra,
        }
        response = render(request, "applicants/_section_form.html", context)
        return reswap(retarget(response, f"#section-{key}"), "outerHTML")
    context = _profile_context(applicant, forms={key: form}, page_token=_page_token(request), **extra)
    return render(request, "applicants/profile.html", context, status=409 if extra.get("conflict") else 200)


@applicant_required
@require_POST
def save_section(request: HttpRequest, key: str) -> HttpResponse:
    """Save one section's draft (htmx auto-save on change, or a plain submit without JavaScript)."""
    if key not in SECTION_FORMS:
        raise Http404
    applicant = _own_applicant(request)
    version = _version(request)
    form = SECTION_FORMS[key](request.POST, instance=Applicant.objects.get(pk=applicant.pk))
    if not form.is_valid():
        return _section_response(request, applicant, key, form, version=version)
    fields = {name: form.cleaned_data[name] for name in form.fields}
    try:
        applicant = services.save_profile_fields(
            applicant=applicant,
            user=_user(request),
            version=version,
            fields=fields,
            page=_page_token(request),
        )
    except services.StaleProfile as stale:
        return _section_response(
            request,
            stale.current,
            key,
            form,
            conflict=key,
            conflict_rows=_conflicts(form, stale.current),
            version=stale.current.version,
        )
    if _is_htmx(request):
        return render(
            request,
            "applicants/_autosaved.html",
            {
                "applicant": applicant,
                "saved_at": timezone.localtime(),
                "status": section_status(applicant),
                "missing": missing_profile_items(applicant),
                "versioned": VERSIONED_FORMS,
            },
        )
    messages.success(request, _("“%(section)s”已保存。") % {"section": SECTION_LABELS[key]})
    return redirect(f"{reverse('applicants:profile')}#section-{key}")


@applicant_required
@require_POST
def upload_photo(request: HttpRequest) -> HttpResponse:
    applicant = _own_applicant(request)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.save_photo(
                applicant=applicant,
                user=_user(request),
                version=_version(request),
                uploaded_file=form.cleaned_data["photo"],
                page=_page_token(request),
            )
        except services.StaleProfile as stale:
            form.add_error("photo", _("个人信息已在其他窗口更新，照片未保存。请重新选择照片上传。"))
            context = _profile_context(stale.current, photo_form=form, page_token=_page_token(request))
            return render(request, "applicants/profile.html", context, status=409)
        except ValidationError as error:
            form.add_error("photo", error)
        else:
            messages.success(request, _("证件照片已上传。"))
            return redirect(f"{reverse('applicants:profile')}#section-photo")
    context = _profile_context(applicant, photo_form=form, page_token=_page_token(request))
    return render(request, "applicants/profile.html", context)


def _item_view(
    request: HttpRequest,
    *,
    model: type[Period] | type[Child],
    form_class: type[PeriodForm] | type[ChildForm],
    public_id: str | None,
    save: Any,
    kind_label: str,
    section: str,
) -> HttpResponse:
    applicant = _own_applicant(request)
    item = None
    if public_id is not None:
        item = get_object_or_404(model, public_id=public_id, applicant=applicant)
    version = _version(request) if request.method == "POST" else applicant.version
    form = form_class(request.POST or None, instance=item)
    stale = False
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            save(
                applicant=applicant,
                user=_user(request),
                version=version,
                fields=fields,
                **({"period": item} if model is Period else {"child": item}),
            )
        except services.StaleProfile as error:
            stale = True
            version = error.current.version
            form.add_error(
                None,
                _("个人信息已在其他窗口或设备上更新，您的输入尚未保存。请核对后再次保存。"),
            )
        else:
            messages.success(request, _("%(kind)s已保存。") % {"kind": kind_label})
            return redirect(f"{reverse('applicants:profile')}#section-{section}")
    return render(
        request,
        "applicants/item_form.html",
        {"form": form, "item": item, "kind_label": kind_label, "version": version, "stale": stale},
        status=409 if stale else 200,
    )


def _remove_view(
    request: HttpRequest,
    *,
    model: type[Period] | type[Child],
    public_id: str,
    remove: Any,
    kind_label: str,
    section: str,
) -> HttpResponse:
    applicant = _own_applicant(request)
    item = get_object_or_404(model, public_id=public_id, applicant=applicant)
    if request.method == "POST":
        try:
            remove(
                applicant=applicant,
                user=_user(request),
                version=_version(request),
                **({"period": item} if model is Period else {"child": item}),
            )
        except services.StaleProfile:
            messages.error(request, _("个人信息已在其他窗口更新，未删除。请核对后重试。"))
            return redirect(f"{reverse('applicants:profile')}#section-{section}")
        messages.success(request, _("%(kind)s已删除。") % {"kind": kind_label})
        return redirect(f"{reverse('applicants:profile')}#section-{section}")
    return render(
        request,
        "applicants/item_remove.html",
        {"item": item, "kind_label": kind_label, "version": applicant.version, "section": section},
    )


@applicant_required
def period_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    return _item_view(
        request,
        model=Period,
        form_class=PeriodForm,
        public_id=public_id,
        save=services.save_period,
        kind_label=_("经历"),
        section="periods",
    )


@applicant_required
def period_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    return _remove_view(
        request,
        model=Period,
        public_id=public_id,
        remove=services.remove_period,
        kind_label=_("经历"),
        section="periods",
    )


@applicant_required
def child_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    return _item_view(
        request,
        model=Child,
        form_class=ChildForm,
        public_id=public_id,
        save=services.save_child,
        kind_label=_("随往子女"),
        section="children",
    )


@applicant_required
def child_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    return _remove_view(
        request,
        model=Child,
        public_id=public_id,
        remove=services.remove_child,
        kind_label=_("随往子女"),
        section="children",
    )


@staff_required
def staff_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """District staff read an applicant's profile (masked); every read is logged."""
    applicant = get_object_or_404(Applicant, public_id=public_id)
    log_personal_data_access(_user(request), applicant, "view_profile", request=request)
    return render(
        request,
        "applicants/staff_detail.html",
        {
            "applicant": applicant,
            "missing": missing_profile_items(applicant),
            "periods": applicant.periods.all(),
            "children": applicant.children.all(),
        },
    )
