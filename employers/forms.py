"""Forms for employers' pages; business rules live in services and policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import PastDatesMixin
from employers.models import Employer, RightsKind


class CreditCodeForm(forms.Form):
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        help_text=_("18位，见营业执照或法人登记证书。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AccountForm(forms.Form):
    """The first operator's account (the employer's admin operator)."""

    name = forms.CharField(label=_("经办人姓名"), max_length=100)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于登录和接收通知。"))
    phone = forms.RegexField(
        label=_("手机号码"),
        regex=r"^1\d{10}$",
        error_messages={"invalid": _("请输入11位手机号码。")},
    )
    password1 = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少10位，不能全为数字，不能过于常见。"),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email_fixed: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if email_fixed:
            del self.fields["email"]
        self.email_fixed = email_fixed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password1:
            try:
                validate_password(password1)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ClaimVerifyForm(forms.Form):
    """注册 1, verification: the two codes sent by e-mail (issue 11, Medium 6)."""

    email_code = forms.RegexField(
        label=_("电子邮箱验证码"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("发送到您填写的电子邮箱的6位数字。"),
        error_messages={"invalid": _("请输入6位数字验证码。")},
    )
    authority_code = forms.RegexField(
        label=_("单位授权验证码"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("发送到本单位在市场监管登记信息中的联系邮箱的6位数字，请向单位负责人索取。"),
        error_messages={"invalid": _("请输入6位数字验证码。")},
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("被邀请经办人的电子邮箱"))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = [
            "category",
            "ai_key_area",
            "growth_tech",
            "tax_registered_on",
            "annual_tax",
            "office_address",
            "contact_name",
            "contact_phone",
        ]
        widgets = {"tax_registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "category": _("没有资质证书的，请选择“其他”。"),
            "annual_tax": _("上一年度或近12个月，单位：元。"),
        }

    def clean_annual_tax(self) -> int | None:
        value = self.cleaned_data.get("annual_tax")
        if value is not None and value < 0:
            raise ValidationError(_("年纳税额不能为负数。"))
        return value


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("选择 PDF 文件"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"})
    )


class RightsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("申请的权限类型"),
        choices=RightsKind.choices,
        initial=RightsKind.FULL,
        help_text=_("暂不符合单位申请条件、仅需接收已持证员工的，选择“仅接收已持证人员”，并上传承诺书。"),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("通过")), ("reject", _("不予通过"))],
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不予通过时必填。"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("不予通过时请填写理由。"))
        return cleaned


class AssociationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("单位关联码"),
        max_length=20,
        help_text=_("8位，由申请单位经办人提供。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ApproveAssociationForm(PastDatesMixin, forms.Form):
    past_date_fields = ("employed_since",)

    employed_since = forms.DateField(label=_("入职日期"), widget=forms.DateInput(attrs={"type": "date"}))
    contract_ends_on = forms.DateField(
        label=_("劳动合同截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contract_file = forms.FileField(
        label=_("劳动（聘用）合同（PDF）"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("employed_since"), cleaned.get("contract_ends_on")
        if start and end and end <= start:
            self.add_error("contract_ends_on", _("劳动合同截止日期应晚于入职日期。"))
        return cleaned


class RejectAssociationForm(forms.Form):
    reason = forms.CharField(label=_("不同意关联的理由"), widget=forms.Textarea(attrs={"rows": 3}))


class DissociateForm(forms.Form):
    left_on = forms.DateField(label=_("离职日期"), widget=forms.DateInput(attrs={"type": "date"}))
    certificate_file = forms.FileField(
        label=_("单位离职证明（PDF，注明离职日期）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )
    renewal_acknowledged = forms.BooleanField(
        label=_("已知悉：证件处于续签期，解除关联后须由新单位办理变更，原单位不再为其办理续签。"),
        help_text=_("离职日期处于持证人工作居住证续签期时须勾选（CHG-RENEW-FIRST）。"),
        required=False,
    )
