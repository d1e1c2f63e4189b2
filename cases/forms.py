"""Forms of the case pages. Every form carries the case `version` it was loaded with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import InfoChangeKind, Kind, OpinionTemplate, State, TipTemplate
from cases.workflow import Action
from core.dates import PastDatesMixin
from materials.models import Verdict

# Free text (reasons, opinions, notes) is bounded: a 10 MB withdrawal reason once made the case pages
# 10 MB (issue 11). A technical limit, not a figure of the guide.
TEXT_MAX = 2000

CLAUSE_CHOICES = [
    ("", _("请选择")),
    ("1", _("条款1：学士（含）以上学位且2年以上工作经历")),
    ("2", _("条款2：中级（含）以上职称或相当资格")),
    ("3", _("条款3：省部级二等奖（含）以上或国家级奖项")),
    ("4", _("条款4：科技创新主体，近3年收入达4倍")),
    ("5", _("条款5：科技创新服务主体，近3年收入达8倍")),
    ("6", _("条款6：知识产权成果在京转化")),
    ("7", _("条款7：创新创业团队")),
    ("8", _("条款8：自由职业或个体经营")),
]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseFactsForm(VersionForm):
    """Case facts: hiring date, claimed clause and the clause's evidence facts, information-change kinds."""

    employed_since = forms.DateField(
        label=_("入职日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    claimed_clause = forms.TypedChoiceField(
        label=_("申报条款"), choices=CLAUSE_CHOICES, coerce=int, required=False, empty_value=None
    )
    award_level = forms.ChoiceField(
        label=_("奖项级别（条款3）"),
        required=False,
        choices=[("", "—"), ("national", _("国家级")), ("provincial", _("省部级"))],
    )
    award_prize = forms.IntegerField(label=_("奖项等级（1 为一等奖）"), required=False, min_value=1)
    award_field = forms.ChoiceField(
        label=_("奖项领域"),
        required=False,
        choices=[
            ("", "—"),
            ("science", _("科学技术")),
            ("arts", _("文学艺术")),
            ("social_science", _("哲学社会科学")),
        ],
    )
    invention_patents = forms.IntegerField(label=_("发明专利（件，条款6）"), required=False, min_value=0)
    other_patents = forms.IntegerField(label=_("实用新型、外观设计专利（件）"), required=False, min_value=0)
    software_copyrights = forms.IntegerField(label=_("软件著作权（件）"), required=False, min_value=0)
    ip_author_rank = forms.IntegerField(label=_("本人署名排名"), required=False, min_value=1)
    ip_commercialised_in_beijing = forms.BooleanField(label=_("成果已在京落地转化"), required=False)
    startup_self_investment_3y = forms.IntegerField(
        label=_("近3年累计自主投入（元，条款7）"), required=False, min_value=0
    )
    startup_equity_financing = forms.IntegerField(
        label=_("股权类现金融资（元）"), required=False, min_value=0
    )
    startup_average_annual_tax_3y = forms.IntegerField(
        label=_("近三年平均每年纳税（元）"), required=False, min_value=0
    )
    startup_shareholding_percent = forms.DecimalField(
        label=_("持股比例（%）"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    startup_shareholder_rank = forms.IntegerField(label=_("自然人股东排名"), required=False, min_value=1)
    freelancer_tax_1 = forms.IntegerField(
        label=_("近三年纳税：前第三年（元，条款8）"), required=False, min_value=0
    )
    freelancer_tax_2 = forms.IntegerField(label=_("近三年纳税：前第二年（元）"), required=False, min_value=0)
    freelancer_tax_3 = forms.IntegerField(label=_("近三年纳税：上一年（元）"), required=False, min_value=0)
    info_change_kinds = forms.MultipleChoiceField(
        label=_("变更事项"),
        required=False,
        choices=InfoChangeKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    info_change_note = forms.CharField(
        max_length=TEXT_MAX, label=_("变更说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    added_children = forms.MultipleChoiceField(
        label=_("本次新增的随往子女"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("变更事项含随往子女时，请勾选本次新增的子女；不勾选视为全部子女均为本次新增。"),
    )

    INFO_CHANGE_FIELDS = ("info_change_kinds", "info_change_note", "added_children")

    def __init__(
        self,
        *args: Any,
        kind: str,
        as_of: date,
        children: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.as_of = as_of
        if kind != Kind.NEW:
            for name in list(self.fields):
                if name not in ("version", "employed_since", *self.INFO_CHANGE_FIELDS):
                    del self.fields[name]
        if kind != Kind.INFO_CHANGE:
            for name in self.INFO_CHANGE_FIELDS:
                del self.fields[name]
        elif children:
            self.fields["added_children"].choices = list(children)  # type: ignore[attr-defined]
        else:
            del self.fields["added_children"]

    @staticmethod
    def initial_from(case: Any) -> dict[str, Any]:
        evidence = case.evidence or {}
        initial: dict[str, Any] = {
            "version": case.version,
            "employed_since": case.employed_since,
            "claimed_clause": case.claimed_clause,
            "info_change_kinds": case.info_change_kinds,
            "info_change_note": case.info_change_note,
            "added_children": case.added_children,
            "ip_commercialised_in_beijing": evidence.get("ip_commercialised_in_beijing", False),
        }
        awards = evidence.get("awards") or []
        if awards:
            initial.update(
                award_level=awards[0].get("level"),
                award_prize=awards[0].get("prize"),
                award_field=awards[0].get("field"),
            )
        ip = evidence.get("ip") or []
        initial["invention_patents"] = sum(1 for i in ip if i["kind"] == "invention_patent") or None
        initial["other_patents"] = (
            sum(1 for i in ip if i["kind"] in ("utility_model", "design_patent")) or None
        )
        initial["software_copyrights"] = sum(1 for i in ip if i["kind"] == "software_copyright") or None
        if ip:
            initial["ip_author_rank"] = ip[0].get("author_rank")
        startup = evidence.get("startup") or {}
        for key in (
            "self_investment_3y",
            "equity_financing",
            "average_annual_tax_3y",
            "shareholding_percent",
            "shareholder_rank",
        ):
            initial[f"startup_{key}"] = startup.get(key)
        taxes = evidence.get("freelancer_annual_tax") or []
        for index, entry in enumerate(taxes[-3:], start=1):
            initial[f"freelancer_tax_{index}"] = entry.get("amount")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clause = data.get("claimed_clause")
        if clause == 3 and not (
            data.get("award_level") and data.get("award_prize") and data.get("award_field")
        ):
            self.add_error("award_level", _("以条款3申报的，请填写奖项级别、等级和领域。"))
        if clause == 6 and not (
            data.get("invention_patents") or data.get("other_patents") or data.get("software_copyrights")
        ):
            self.add_error("invention_patents", _("以条款6申报的，请填写知识产权数量。"))
        if clause == 6 and not data.get("ip_author_rank"):
            self.add_error("ip_author_rank", _("请填写本人署名排名。"))
        if clause == 7 and data.get("startup_shareholding_percent") is None:
            self.add_error("startup_shareholding_percent", _("以条款7申报的，请填写持股比例。"))
        if self.kind == Kind.INFO_CHANGE and not data.get("info_change_kinds"):
            self.add_error("info_change_kinds", _("请至少选择一项变更事项。"))
        employed = data.get("employed_since")
        if employed and employed > self.as_of:
            self.add_error("employed_since", _("入职日期不能晚于今天。"))
        return data

    def case_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {"employed_since": data.get("employed_since")}
        if self.kind == Kind.INFO_CHANGE:
            out["info_change_kinds"] = list(data.get("info_change_kinds") or [])
            out["info_change_note"] = data.get("info_change_note", "")
            kinds = out["info_change_kinds"]
            out["added_children"] = list(data.get("added_children") or []) if "child" in kinds else []
        if self.kind != Kind.NEW:
            return out
        out["claimed_clause"] = data.get("claimed_clause")
        evidence: dict[str, Any] = {}
        if data.get("award_level"):
            evidence["awards"] = [
                {
                    "level": data["award_level"],
                    "prize": data.get("award_prize") or 1,
                    "field": data.get("award_field"),
                }
            ]
        rank = data.get("ip_author_rank") or 1
        ip = [{"kind": "invention_patent", "author_rank": rank}] * (data.get("invention_patents") or 0)
        ip += [{"kind": "utility_model", "author_rank": rank}] * (data.get("other_patents") or 0)
        ip += [{"kind": "software_copyright", "author_rank": rank}] * (data.get("software_copyrights") or 0)
        if ip:
            evidence["ip"] = ip
        evidence["ip_commercialised_in_beijing"] = bool(data.get("ip_commercialised_in_beijing"))
        if data.get("startup_shareholding_percent") is not None:
            evidence["startup"] = {
                "self_investment_3y": data.get("startup_self_investment_3y") or 0,
                "equity_financing": data.get("startup_equity_financing") or 0,
                "average_annual_tax_3y": data.get("startup_average_annual_tax_3y") or 0,
                "shareholding_percent": float(data["startup_shareholding_percent"]),
                "shareholder_rank": data.get("startup_shareholder_rank") or 1,
            }
        taxes = [data.get(f"freelancer_tax_{i}") for i in (1, 2, 3)]
        if any(t is not None for t in taxes):
            year = self.as_of.year
            evidence["freelancer_annual_tax"] = [
                {"year": year - 4 + i, "amount": t or 0} for i, t in enumerate(taxes, start=1)
            ]
        out["evidence"] = evidence
        return out


class IncomeRowForm(forms.Form):
    month = forms.DateField(
        label=_("月份"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    amount = forms.IntegerField(label=_("应税收入（元）"), required=False, min_value=0)
    corrected = forms.BooleanField(label=_("曾更正申报"), required=False)
    original_amount = forms.IntegerField(label=_("更正前申报金额（元）"), required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("original_amount") is not None and not data.get("corrected"):
            self.add_error("original_amount", _("只有更正过的月份才填写更正前申报金额。"))
        if data.get("month") and data.get("amount") is None:
            self.add_error("amount", _("请填写该月应税收入（没有收入填 0）。"))
        if data.get("amount") is not None and not data.get("month"):
            self.add_error("month", _("请填写月份。"))
        return data


IncomeFormSet = forms.formset_factory(IncomeRowForm, extra=0, max_num=60, absolute_max=60)


class IncomeImportForm(VersionForm):
    """Paste the tax bureau's printout or pick a CSV/XLSX file (issue 10, item 6). `previewed` is the
    digest of the text the user last saw previewed: confirming anything else previews it again."""

    text = forms.CharField(
        label=_("粘贴纳税记录"),
        required=False,
        max_length=20000,
        help_text=_(
            "每行一个月：月份、金额，用制表符或空格隔开，如“2025-01  12,000.00”。"
            "可从《申报收入查询记录》直接复制。"
        ),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "mono"}),
    )
    upload = forms.FileField(
        label=_("或导入表格文件（CSV、XLSX）"),
        required=False,
        help_text=_("第一列月份、第二列金额；公式不会计算。导入后内容会显示在上面的文本框中，可以修改。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)


class AnnualRowForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    amount = forms.IntegerField(label=_("全年应税收入（元）"), required=False, min_value=0)


AnnualFormSet = forms.formset_factory(AnnualRowForm, extra=0, max_num=5, absolute_max=5)


class EmployerCheckForm(VersionForm):
    """The employer checks every field and material (新办: 单位对员工的全部信息及材料进行核查)."""

    contract = forms.BooleanField(label=_("劳动合同签订单位为本单位"), required=False)
    tax_withholding = forms.BooleanField(label=_("个人所得税由本单位扣缴"), required=False)
    social_insurance = forms.BooleanField(label=_("社会保险由本单位缴纳"), required=False)
    social_insurance_continuous = forms.BooleanField(label=_("社会保险足额、连续缴纳"), required=False)
    checked = forms.MultipleChoiceField(
        label=_("已逐项核查"),
        required=True,
        choices=[
            ("profile", _("申请人个人信息")),
            ("facts", _("申报信息")),
            ("income", _("应税收入记录")),
            ("materials", _("全部材料")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_checked(self) -> list[str]:
        checked = list(self.cleaned_data.get("checked") or [])
        if len(checked) < 4:
            raise forms.ValidationError(_("请逐项核查并全部勾选后再保存。"))
        return checked


class UploadForm(PastDatesMixin, forms.Form):
    """The slot (`material`, `child`) is checked against the case's checklist by the service; the
    uploader is the checklist item's, never a form field (DOC-CHECKLIST)."""

    past_date_fields = ("issued_on",)

    material = forms.CharField(widget=forms.HiddenInput, max_length=40)
    child = forms.IntegerField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(label=_("选择文件（PDF）"))
    valid_until = forms.DateField(
        label=_("有效期至（如有）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_on = forms.DateField(
        label=_("出具日期（如有）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(VersionForm):
    reason = forms.CharField(max_length=TEXT_MAX, label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


DECISIONS = [
    (Action.APPROVE, _("审核通过")),
    (Action.RETURN_TO_APPLICANT, _("退回申请人修改")),
    (Action.RETURN_TO_EMPLOYER, _("退回单位修改")),
    (Action.REJECT, _("不予通过")),
]


class DecisionForm(VersionForm):
    """The reviewer's decision: the binding opinion and, separately, non-binding tips."""

    decision = forms.ChoiceField(label=_("审核结论"), choices=DECISIONS, widget=forms.RadioSelect)
    opinion_template = forms.ModelChoiceField(
        label=_("审核意见模板"), queryset=OpinionTemplate.objects.none(), required=False
    )
    opinion = forms.CharField(
        max_length=TEXT_MAX,
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("退回或不予通过时必填；对申请人和单位具有约束力。"),
    )
    tip_template = forms.ModelChoiceField(
        label=_("温馨提示模板"), queryset=TipTemplate.objects.none(), required=False
    )
    tips = forms.CharField(
        max_length=TEXT_MAX,
        label=_("温馨提示"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("仅供参考，不作为审核意见。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opinion_template"].queryset = OpinionTemplate.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["tip_template"].queryset = TipTemplate.objects.filter(active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opinion = _join(data.get("opinion_template"), data.get("opinion", ""))
        tips = _join(data.get("tip_template"), data.get("tips", ""))
        data["opinion_text"], data["tips_text"] = opinion, tips
        if data.get("decision") and data["decision"] != Action.APPROVE and not opinion:
            self.add_error("opinion", _("退回或不予通过必须填写审核意见（可选用模板）。"))
        return data


def _join(template: Any, typed: str) -> str:
    """A chosen template's text followed by what the reviewer typed."""
    parts = [template.text if template is not None else "", (typed or "").strip()]
    return "\n".join(part for part in parts if part)


class OverrideForm(VersionForm):
    rule = forms.CharField(widget=forms.HiddenInput)
    clause = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(
        label=_("人工判定"), choices=[("pass", _("通过")), ("fail", _("不通过"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        max_length=TEXT_MAX, label=_("判定理由"), widget=forms.Textarea(attrs={"rows": 3})
    )
    citation = forms.CharField(
        label=_("办理指南依据"),
        max_length=200,
        help_text=_("注明所依据的办理指南条款或原文，如“四（九）”“续签 注意事项 4”。"),
    )


class OverrideDecisionForm(forms.Form):
    """A supervisor's second approval of an override to or from `fail` (four eyes)."""

    decision = forms.ChoiceField(
        label=_("主管意见"),
        choices=[("approve", _("批准")), ("refuse", _("不批准"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(max_length=TEXT_MAX, label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("业务类型"), required=False, choices=[("", _("全部")), *Kind.choices])
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("待受理及审核中")),
            (State.SUBMITTED, State.SUBMITTED.label),
            (State.ACCEPTED, State.ACCEPTED.label),
            (State.RETURNED_TO_EMPLOYER, State.RETURNED_TO_EMPLOYER.label),
            (State.RETURNED_TO_APPLICANT, State.RETURNED_TO_APPLICANT.label),
            (State.AWAITING_RATIFICATION, State.AWAITING_RATIFICATION.label),
            (State.APPROVED, State.APPROVED.label),
            (State.REJECTED, State.REJECTED.label),
        ],
    )
    employer = forms.CharField(label=_("单位名称或统一社会信用代码"), required=False, max_length=100)
    clause = forms.TypedChoiceField(
        label=_("申报条款"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部"))] + [(str(i), str(i)) for i in range(1, 9)],
    )
    days_left = forms.IntegerField(label=_("剩余工作日不超过"), required=False, min_value=0, max_value=60)
    overdue = forms.BooleanField(label=_("仅显示已超期"), required=False)
    mine = forms.BooleanField(label=_("仅显示分配给我的"), required=False)


class BulkForm(forms.Form):
    cases = forms.CharField(widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(
        label=_("批量操作"),
        choices=[
            (Action.ACCEPT, _("受理")),
            (Action.RETURN_TO_EMPLOYER, _("退回单位")),
            (Action.RETURN_TO_APPLICANT, _("退回申请人")),
        ],
    )
    reason = forms.CharField(
        max_length=TEXT_MAX, label=_("理由（必填）"), widget=forms.Textarea(attrs={"rows": 3})
    )
    tips = forms.CharField(
        max_length=TEXT_MAX,
        label=_("温馨提示（选填，仅供参考）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    text = forms.CharField(max_length=TEXT_MAX, label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class StartEmployerCaseForm(forms.Form):
    applicant = forms.ChoiceField(label=_("持证人"))
    kind = forms.ChoiceField(
        label=_("业务类型"),
        choices=[
            (Kind.RENEWAL, Kind.RENEWAL.label),
            (Kind.EMPLOYER_CHANGE, Kind.EMPLOYER_CHANGE.label),
            (Kind.INFO_CHANGE, Kind.INFO_CHANGE.label),
        ],
        widget=forms.RadioSelect,
    )
    info_change_kinds = forms.MultipleChoiceField(
        label=_("变更事项（信息变更）"),
        required=False,
        choices=InfoChangeKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    info_change_note = forms.CharField(
        max_length=TEXT_MAX, label=_("变更说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, applicants: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["applicant"]).choices = [("", _("请选择")), *applicants]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Kind.INFO_CHANGE and not data.get("info_change_kinds"):
            self.add_error("info_change_kinds", _("请至少选择一项变更事项。"))
        return data


class DocumentVerdictForm(forms.Form):
    """A reviewer's verdict on one document of the case (DOC-STAMPED: the seal and annotations).

    Bound with the document's public id as prefix so that every document's form has its own field ids.
    """

    verdict = forms.ChoiceField(label=_("审核结论"), choices=Verdict.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        max_length=TEXT_MAX,
        label=_("问题及理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("材料有问题时必填，将列入退回或不予通过的审核意见。"),
    )
    stamp_confirmed = forms.BooleanField(
        label=_("已核对申请单位财务章（逐页）及“经核真实有效、…签字”签注"),
        required=False,
        help_text=_("确认材料无误前必须核对。"),
    )

    accept_failed_check = forms.BooleanField(
        label=_("接受未通过的自动检查结果（须在“问题及理由”中写明理由）"),
        required=False,
        help_text=_("该文件未通过自动检查；不接受的，请记为材料有问题，由上传方重新上传。"),
    )

    def __init__(self, *args: Any, stamped: bool, check_failed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stamped = stamped
        self.check_failed = check_failed
        if not stamped:
            del self.fields["stamp_confirmed"]
        if not check_failed:
            del self.fields["accept_failed_check"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") == Verdict.PROBLEM and not (data.get("reason") or "").strip():
            self.add_error("reason", _("请填写材料存在的问题。"))
        return data

    def accept_failed_check_value(self) -> bool:
        return bool(self.cleaned_data.get("accept_failed_check")) if self.check_failed else False

    def stamp_value(self) -> bool | None:
        """What record_verdict expects: the checkbox for DOC-STAMPED materials, None for the others."""
        return bool(self.cleaned_data.get("stamp_confirmed")) if self.stamped else None
