"""Forms of policy simulation; a draft's value uses the back office's own parameter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from eligibility import services as eligibility
from eligibility.forms import DateInput, ParameterValueForm
from simulations.models import Population, Run


class DraftForm(forms.Form):
    name = forms.CharField(label=_("草案名称"), max_length=200)


def value_form(data: Any = None, **kwargs: Any) -> ParameterValueForm:
    """The same form (and checks) as the back office's parameter entry."""
    return ParameterValueForm(
        data, first_entries=eligibility.first_entries(), kinds=eligibility.value_kinds(), **kwargs
    )


class RunForm(forms.Form):
    on = forms.DateField(label=_("判定日期"), widget=DateInput(), help_text=_("办理中的申请按这一天判定。"))
    populations = forms.MultipleChoiceField(
        label=_("模拟对象"),
        choices=Population.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Population.OPEN_CASES, Population.HOLDERS],
    )
    period_from = forms.DateField(label=_("快照起始日期"), widget=DateInput(), required=False)
    period_until = forms.DateField(label=_("快照截止日期"), widget=DateInput(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_until")
        if start and end and start > end:
            self.add_error("period_until", _("截止日期不能早于起始日期。"))
        return data


class ProposeForm(forms.Form):
    run = forms.ModelChoiceField(
        label=_("附上的模拟运行"), queryset=Run.objects.none(), to_field_name="public_id", empty_label=None
    )

    def __init__(self, *args: Any, runs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["run"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = runs
        field.label_from_instance = lambda run: f"{run.on} · {run.created_at:%Y-%m-%d %H:%M}"  # type: ignore[method-assign,assignment]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[("approve", _("批准发布")), ("refuse", _("不予批准"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审批意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("不予批准时请写明理由。"))
        return data
