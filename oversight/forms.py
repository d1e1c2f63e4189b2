"""Forms of the oversight context; every field error is shown at the field (core/includes/form.html)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.models import Applicant
from core.crypto import id_hmac
from employers.models import Employer
from oversight.models import SanctionKind


class DateInput(forms.DateInput):
    input_type = "date"


class SanctionForm(forms.Form):
    TARGETS = [("employer", _("单位")), ("applicant", _("申请人"))]

    target = forms.ChoiceField(label=_("对象类型"), choices=TARGETS, widget=forms.RadioSelect)
    credit_code = forms.CharField(label=_("单位统一社会信用代码"), max_length=18, required=False)
    id_number = forms.CharField(label=_("申请人身份证号码"), max_length=18, required=False)
    kind = forms.ChoiceField(label=_("处理措施"), choices=SanctionKind.choices)
    quota = forms.IntegerField(
        label=_("压减后办理数量上限"), min_value=0, required=False, help_text=_("仅“压减办理数量”需要填写")
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}))
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    ends_on = forms.DateField(
        label=_("结束日期"), widget=DateInput, required=False, help_text=_("长期有效可不填")
    )
    evidence = forms.FileField(label=_("证据材料（PDF）"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("target")
        self.employer: Employer | None = None
        self.applicant: Applicant | None = None
        if target == "employer":
            code = (data.get("credit_code") or "").strip().upper()
            self.employer = Employer.objects.filter(registry__credit_code=code).first() if code else None
            if self.employer is None:
                self.add_error("credit_code", _("未找到该统一社会信用代码对应的单位。"))
        elif target == "applicant":
            number = (data.get("id_number") or "").strip().upper()
            self.applicant = (
                Applicant.objects.filter(id_number_hmac=id_hmac(number)).first() if number else None
            )
            if self.applicant is None:
                self.add_error("id_number", _("未找到该身份证号码对应的申请人。"))
        kind = data.get("kind")
        if kind == SanctionKind.REDUCED_QUOTA:
            if target != "employer":
                self.add_error("kind", _("压减办理数量只适用于单位。"))
            if data.get("quota") is None:
                self.add_error("quota", _("请填写压减后的办理数量上限。"))
        if kind == SanctionKind.PERMIT_CANCELLATION and target != "applicant":
            self.add_error("kind", _("注销工作居住证须针对持证人（申请人）。"))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[("approve", _("批准")), ("reject", _("不予批准"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审批意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("不予批准时请填写意见。"))
        return data


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("解除理由"), widget=forms.Textarea(attrs={"rows": 3}))
    lift_on = forms.DateField(label=_("解除日期"), widget=DateInput)
    evidence = forms.FileField(label=_("解除依据材料（PDF）"))


class StartInspectionForm(forms.Form):
    as_of = forms.DateField(label=_("检查基准日"), widget=DateInput)


class CancelFindingsForm(forms.Form):
    """Step one of the bulk cancellation: which findings, and the mandatory reason."""

    findings = forms.TypedMultipleChoiceField(
        label=_("拟注销的证件"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        error_messages={"required": _("请选择要处理的证件。")},
    )
    reason = forms.CharField(
        label=_("注销原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写注销原因。")},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].choices = choices or []  # type: ignore[attr-defined]

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError(_("请填写注销原因。"))
        return reason
