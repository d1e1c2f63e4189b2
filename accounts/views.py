"""Login, second factor (TOTP) for staff, staff management by supervisors."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import DeactivateForm, LoginForm, StaffCreateForm, TokenForm
from accounts.models import SECOND_FACTOR_ROLES, User
from accounts.permissions import supervisor_required


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = getattr(settings, "IDENTITY_PROVIDER", "dev") == "oidc"
        return context

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if getattr(user, "needs_second_factor", False):
            return f"{reverse('accounts:otp')}?next={url}"
        return url


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")


@login_required
def otp(request: HttpRequest) -> HttpResponse:
    """Second factor for reviewers, supervisors and ratifiers: enter the TOTP code, or set up a device."""
    user = request.user
    if not getattr(user, "needs_second_factor", False):
        raise Http404
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_safe_next(request))
    confirmed = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    setup = not confirmed
    device = None
    if setup:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        candidates = [device] if device is not None else confirmed
        for candidate in candidates:
            allowed, _details = candidate.verify_is_allowed()
            if not allowed:
                form.add_error("token", _("验证码错误次数过多，请稍后再试。"))
                break
            if candidate.verify_token(token):
                if setup:
                    candidate.confirmed = True
                    candidate.save(update_fields=["confirmed"])
                    messages.success(request, _("身份验证器已绑定。"))
                otp_login(request, candidate)
                return redirect(_safe_next(request))
        else:
            form.add_error("token", _("验证码不正确或已过期，请输入身份验证器当前显示的6位数字。"))
    context: dict[str, object] = {"form": form, "setup": setup, "next": _safe_next(request)}
    if device is not None:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("二维码"))
        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "accounts/otp.html", context)


@supervisor_required
def staff(request: HttpRequest) -> HttpResponse:
    """人员管理: supervisors create reviewer / supervisor accounts; another supervisor approves them."""
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = services.create_staff(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(
            request,
            _("已创建账号 %(username)s，须由另一位主管人员批准后开通。") % {"username": member.username},
        )
        return redirect("accounts:staff")
    members = list(User.objects.filter(role__in=SECOND_FACTOR_ROLES).order_by("role", "username"))
    for member in members:
        member.may_deactivate = member.is_active and member.pk != request.user.pk  # type: ignore[attr-defined]
        member.pending = services.is_pending(member)  # type: ignore[attr-defined]
        creator = services.creator_of(member) if member.pending else None  # type: ignore[attr-defined]
        member.may_approve = member.pending and creator is not None and creator.pk != request.user.pk  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/staff.html",
        {
            "form": form,
            "members": members,
            "deactivate_form": DeactivateForm(),
            "events": services.account_events(),
        },
    )


@supervisor_required
@require_POST
def staff_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Another supervisor approves a pending staff account (four-eyes; never its creator)."""
    member = get_object_or_404(User, pk=pk, role__in=SECOND_FACTOR_ROLES)
    try:
        services.approve_staff(actor=request.user, member=member)  # type: ignore[arg-type]
    except PermissionDenied:
        messages.error(request, _("该账号须由创建者以外的主管人员批准。"))
    else:
        messages.success(
            request, _("已批准开通 %(username)s，设置密码的邮件已发送。") % {"username": member.username}
        )
    return redirect("accounts:staff")


@supervisor_required
@require_POST
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Offboarding: a supervisor (with TOTP) deactivates a staff account; its sessions end at once."""
    member = get_object_or_404(User, pk=pk, role__in=SECOND_FACTOR_ROLES)
    form = DeactivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写停用原因（不超过500字）。"))
        return redirect("accounts:staff")
    try:
        services.deactivate_staff(
            actor=request.user,  # type: ignore[arg-type]
            member=member,
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied:
        messages.error(request, _("不能停用该账号（本人账号或已停用的账号）。"))
    else:
        messages.success(
            request, _("已停用 %(username)s，其登录会话已全部结束。") % {"username": member.username}
        )
    return redirect("accounts:staff")


def oidc_refused(request: HttpRequest) -> HttpResponse:
    """Where a refused Beijing Tong (OIDC) sign-in lands: says why, logs nobody in."""
    from accounts.oidc import REFUSAL_SESSION_KEY, REFUSED_MISMATCH, REFUSED_TOKEN

    reason = request.session.pop(REFUSAL_SESSION_KEY, "")
    messages_by_reason = {
        REFUSED_TOKEN: _(
            "北京通返回的登录凭证未能通过验证（签名、接收方或签发方不符），您没有登录。"
            "请重新登录；如多次出现，请联系海淀区人力资源公共服务中心。"
        ),
        REFUSED_MISMATCH: _(
            "北京通返回的身份信息与本服务中该账号的身份证号不一致，已拒绝登录。"
            "请携带身份证件联系海淀区人力资源公共服务中心核实。"
        ),
    }
    message = messages_by_reason.get(
        reason, _("北京通登录没有完成（身份信息不完整或登录已取消），您没有登录。请重新登录。")
    )
    return render(request, "accounts/oidc_refused.html", {"message": message}, status=403 if reason else 200)
