"""Account forms: login with a clear Chinese message, the second-factor code, staff creation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。连续输错多次账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系海淀区人力资源公共服务中心。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名或电子邮箱")
        self.fields["password"].label = _("密码")

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "").strip()
        if "@" in username:
            user = User.objects.filter(email__iexact=username).only("username").first()
            if user is not None:
                self.cleaned_data["username"] = user.username
        return super().clean()


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6位动态验证码"),
        regex=r"^\d{6}$",
        max_length=6,
        help_text=_("打开身份验证器应用，输入当前显示的6位数字"),
        error_messages={"invalid": _("请输入6位数字验证码。"), "required": _("请输入6位数字验证码。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class StaffCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        error_messages={"invalid": _("用户名为3-30位字母、数字或 _ . -")},
    )
    display_name = forms.CharField(label=_("姓名"), max_length=100)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("设置密码的链接将发送到该邮箱"))
    role = forms.ChoiceField(
        label=_("角色"),
        choices=[(Role.REVIEWER.value, Role.REVIEWER.label), (Role.SUPERVISOR.value, Role.SUPERVISOR.label)],
    )

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"))
        return username

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("该电子邮箱已被使用。"))
        return email


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("停用原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：调离岗位、离职。将记入人员账号记录。"),
    )
