"""Forms of the eligibility context: the public self-check, the deadline calculator and the back office."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import not_after

INCOME_ROWS = 6
CHILD_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthInput(forms.TextInput):
    input_type = "month"


def _month_list(last: str, count: int) -> list[str]:
    year, month = (int(part) for part in last.split("-"))
    months = []
    for _i in range(count):
        months.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def previous_months(as_of: date, count: int) -> list[str]:
    """The `count` calendar months before `as_of`'s month, oldest first (APP-INCOME-RECENT window)."""
    first = as_of.replace(day=1) - timedelta(days=1)
    return _month_list(f"{first.year:04d}-{first.month:02d}", count)


YES_NO = [("yes", _("是")), ("no", _("否"))]


def yes_no(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )


def yuan(label: Any, help_text: Any = "", required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": 1}),
    )


class SelfCheckForm(forms.Form):
    """The facts of the contract asked in plain Chinese; `facts()` builds the contract JSON from them."""

    business = forms.ChoiceField(
        label=_("办理业务"),
        choices=[
            ("new", _("新办")),
            ("renewal", _("续签")),
            ("employer_change", _("聘用单位变更")),
            ("info_change", _("信息变更")),
        ],
        initial="new",
    )
    as_of = forms.DateField(
        label=_("受理日期"), widget=DateInput(), help_text=_("按受理日判断是否符合条件；默认今天。")
    )

    # 申请单位
    employer_kind = forms.ChoiceField(
        label=_("单位类型"),
        choices=[
            ("enterprise", _("企业")),
            ("public_institution", _("事业单位")),
            ("private_non_enterprise", _("民办非企业单位")),
            ("social_organization", _("社会团体")),
            ("professional_partnership", _("合伙制专业服务机构（律师事务所、会计师事务所等）")),
            ("other", _("其他（非法人单位）")),
        ],
        initial="enterprise",
    )
    employer_haidian = yes_no(_("单位在海淀区登记注册"))
    employer_tax_since = forms.DateField(
        label=_("单位在海淀区登记注册并开始缴纳税费的日期"), widget=DateInput(), required=False
    )
    employer_capital = yuan(_("注册资本（元）"), _("企业填写；整数元，如 1000000。"))
    employer_annual_tax = yuan(_("单位年纳税额（元）"), _("企业填写；整数元。"))
    employer_ai_key_area = yes_no(_("属于人工智能等重点领域单位"))
    employer_growth_tech = yes_no(_("属于高精尖产业方向的成长型科技类企业"))
    employer_innovation_entity = yes_no(_("属于科技创新主体（新型研发机构、创新型总部企业、高新技术企业等）"))
    employer_service_entity = yes_no(_("属于科技创新服务主体（律师、会计、审计、税务师事务所，金融机构）"))
    employer_receive_only = yes_no(_("单位仅开通接收已持证员工的权限（承诺书）"))

    # 申请人
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput(), required=False)
    retirement_category = forms.ChoiceField(
        label=_("退休年龄类别"),
        choices=[
            ("male", _("男性")),
            ("female_55", _("女性（原法定退休年龄55周岁）")),
            ("female_50", _("女性（原法定退休年龄50周岁）")),
        ],
        initial="male",
    )
    hukou = forms.ChoiceField(
        label=_("户籍"),
        choices=[
            ("non_beijing", _("非北京户籍")),
            ("beijing", _("北京户籍")),
            ("beijing_collective", _("北京集体户口")),
            ("beijing_school_temporary", _("北京学校临时户口")),
        ],
        initial="non_beijing",
    )
    employed_since = forms.DateField(label=_("入职申请单位的日期"), widget=DateInput(), required=False)
    residence_kind = forms.ChoiceField(
        label=_("在京住所类型"),
        choices=[
            ("rented", _("租住房屋")),
            ("owned", _("自有住房")),
            ("residence_card", _("北京市居住证（卡）")),
            ("employer_housing", _("单位宿舍")),
            ("relatives", _("借住亲属房屋")),
        ],
        initial="rented",
    )
    residence_in_beijing = yes_no(_("住所在北京市"))
    residence_residential = yes_no(_("住所为住宅（不是办公、酒店或商业用房）"))
    same_contract = yes_no(_("劳动合同由申请单位签订"))
    same_tax = yes_no(_("个人所得税由申请单位扣缴"))
    same_social = yes_no(_("社会保险由申请单位缴纳"))
    social_insurance_continuous = yes_no(_("社会保险足额、连续缴纳"))

    degree = forms.ChoiceField(
        label=_("最高学位"),
        choices=[
            ("none", _("无学位")),
            ("associate", _("专科")),
            ("bachelor", _("学士")),
            ("master", _("硕士")),
            ("doctor", _("博士")),
        ],
        initial="bachelor",
    )
    work_start = forms.DateField(label=_("参加工作日期"), widget=DateInput(), required=False)
    title = forms.ChoiceField(
        label=_("专业技术职务（职称）"),
        choices=[
            ("", _("无")),
            ("junior", _("初级")),
            ("intermediate", _("中级")),
            ("deputy_senior", _("副高级")),
            ("senior", _("正高级")),
            ("equivalent", _("相当资格、资质")),
        ],
        required=False,
    )
    award_level = forms.ChoiceField(
        label=_("获奖级别"),
        choices=[
            ("", _("无")),
            ("national", _("国家级")),
            ("ministerial", _("国家部委（省部级）")),
            ("provincial_beijing", _("北京市（省部级）")),
            ("provincial_other", _("其他省、自治区、直辖市")),
        ],
        required=False,
    )
    award_prize = forms.IntegerField(label=_("获奖等级（几等奖）"), min_value=1, required=False)
    award_field = forms.ChoiceField(
        label=_("奖项类别"),
        choices=[
            ("science", _("科学技术")),
            ("arts", _("文学艺术")),
            ("social_science", _("哲学社会科学")),
        ],
        initial="science",
    )
    ip_invention = forms.IntegerField(
        label=_("发明专利授权（第一或第二作者）项数"), min_value=0, required=False
    )
    ip_other_patents = forms.IntegerField(
        label=_("实用新型、外观设计专利授权（第一或第二作者）项数"), min_value=0, required=False
    )
    ip_software = forms.IntegerField(
        label=_("软件著作权登记（第一或第二作者）项数"), min_value=0, required=False
    )
    ip_commercialised = yes_no(_("知识产权成果已在京落地转化"))
    startup_self_investment = yuan(_("创业团队近3年累计自主投入（元）"))
    startup_equity_financing = yuan(_("创业团队股权类现金融资（元）"))
    startup_average_tax = yuan(_("创业企业近三年平均每年纳税额（元）"))
    startup_share_percent = forms.DecimalField(
        label=_("本人持股比例（%）"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        required=False,
    )
    startup_rank = forms.IntegerField(label=_("本人在自然人股东中的持股排名"), min_value=1, required=False)
    renewal_income_continuous = yes_no(
        _("续签：持证期间近三年每月应税收入均正常缴纳、不为零且未更正"),
        _(
            "续签时按持证期间的收入判断（办理指南：“持证期间近三年”）；选“是”即表示下列最近月份之前的各月收入也均正常。"
        ),
    )
    clauses = forms.TypedMultipleChoiceField(
        label=_("您准备按哪一类条件申报？（可多选；不确定可全选）"),
        choices=[
            ("1", _("学位与工作经历（学士及以上学位）")),
            ("2", _("专业技术职务（职称）")),
            ("3", _("获奖")),
            ("4", _("科技创新主体员工的应税收入")),
            ("5", _("科技创新服务主体员工的应税收入")),
            ("6", _("知识产权（专利、软件著作权）")),
            ("7", _("创新创业团队")),
        ],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    has_children = forms.ChoiceField(
        label=_("是否有子女随您一同办理？"), choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    permit_expires_on = forms.DateField(
        label=_("《北京市工作居住证》有效期至"),
        widget=DateInput(),
        required=False,
        help_text=_("续签、聘用单位变更、信息变更时填写。"),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["as_of"].initial = today
        self.fields["employer_ai_key_area"].initial = "no"
        self.fields["employer_growth_tech"].initial = "no"
        self.fields["employer_innovation_entity"].initial = "no"
        self.fields["employer_service_entity"].initial = "no"
        self.fields["employer_receive_only"].initial = "no"
        self.fields["ip_commercialised"].initial = "no"
        months = previous_months(today, INCOME_ROWS)
        for i in range(INCOME_ROWS):
            self.fields[f"income_month_{i}"] = forms.CharField(
                label=_("收入月份 %(n)d") % {"n": i + 1},
                widget=MonthInput(),
                required=False,
                initial=months[i],
            )
            self.fields[f"income_amount_{i}"] = yuan(_("应税收入 %(n)d（元）") % {"n": i + 1})
        for i, offset in enumerate((3, 2, 1)):
            self.fields[f"annual_income_{i}"] = yuan(
                _("%(year)d 年在京应税收入（元）") % {"year": today.year - offset},
                _("申报条款 4、5 使用；按自然年度。"),
            )
        for i in range(CHILD_ROWS):
            self.fields[f"child_birth_{i}"] = forms.DateField(
                label=_("随往子女 %(n)d 出生日期") % {"n": i + 1}, widget=DateInput(), required=False
            )
            self.fields[f"child_hukou_{i}"] = forms.ChoiceField(
                label=_("随往子女 %(n)d 户籍") % {"n": i + 1},
                choices=[("non_beijing", _("非北京户籍")), ("beijing", _("北京户籍"))],
                initial="non_beijing",
            )

    def annual_years(self) -> list[int]:
        as_of = self.cleaned_data.get("as_of") or self.today
        return [as_of.year - 3, as_of.year - 2, as_of.year - 1]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, str] = {}
        for i in range(INCOME_ROWS):
            month = (data.get(f"income_month_{i}") or "").strip()
            amount = data.get(f"income_amount_{i}")
            if month and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
                self.add_error(f"income_month_{i}", _("请按“年-月”填写月份，如 2025-10。"))
                continue
            if amount is not None and not month:
                self.add_error(f"income_month_{i}", _("请选择这笔收入所属的月份。"))
            if month and amount is not None:
                if month in seen:
                    self.add_error(f"income_month_{i}", _("月份与上面的一行重复。"))
                seen[month] = month
        if data.get("business") in ("renewal", "employer_change", "info_change") and not data.get(
            "permit_expires_on"
        ):
            self.add_error("permit_expires_on", _("续签、变更业务请填写证件有效期。"))
        if data.get("award_level") and not data.get("award_prize"):
            self.add_error("award_prize", _("请填写获奖等级，如二等奖填 2。"))
        for name in self.required_names(data):
            if name not in self.errors and data.get(name) in (None, ""):
                self.add_error(name, _("请填写%(field)s。") % {"field": self.fields[name].label})
        self._check_dates(data)
        return data

    def chosen_clauses(self, data: dict[str, Any] | None = None) -> list[int]:
        """The clauses the person chose to be checked against; none chosen means all of them."""
        data = self.cleaned_data if data is None else data
        return sorted(int(c) for c in data.get("clauses") or [])

    def required_names(self, data: dict[str, Any]) -> list[str]:
        """The answers without which no plain answer can be given (the engine would say 未提供)."""
        names = ["employer_tax_since", "birth_date", "employed_since"]
        if data.get("employer_kind") == "enterprise":
            names += ["employer_capital", "employer_annual_tax"]
        names += [f"income_amount_{i}" for i in range(INCOME_ROWS)]
        chosen = self.chosen_clauses(data)
        if 1 in chosen:
            names.append("work_start")
        if 2 in chosen:
            names.append("title")
        if 3 in chosen:
            names.append("award_level")
        if 4 in chosen or 5 in chosen:
            names += [f"annual_income_{i}" for i in range(3)]
        if 7 in chosen:
            names += ["startup_share_percent", "startup_rank"]
        return names

    def _check_dates(self, data: dict[str, Any]) -> None:
        """No impossible dates (issue 10): births, registrations and work never after today;
        the hiring date not after today or, for a planned acceptance date, after that day."""
        children = [] if data.get("has_children") == "no" else [f"child_birth_{i}" for i in range(CHILD_ROWS)]
        for name in ["birth_date", "employer_tax_since", "work_start", *children]:
            message = not_after(data.get(name), self.today, self.fields[name].label)
            if message and name not in self.errors:
                self.add_error(name, message)
        as_of = data.get("as_of")
        limit = max(self.today, as_of) if as_of else self.today
        message = not_after(
            data.get("employed_since"),
            limit,
            self.fields["employed_since"].label,
            is_today=limit == self.today,
        )
        if message and "employed_since" not in self.errors:
            self.add_error("employed_since", message)
        birth, employed = data.get("birth_date"), data.get("employed_since")
        if birth and employed and employed < birth and "employed_since" not in self.errors:
            self.add_error("employed_since", _("入职日期不能早于出生日期。"))

    def _incomes(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(INCOME_ROWS):
            month = (self.cleaned_data.get(f"income_month_{i}") or "").strip()
            amount = self.cleaned_data.get(f"income_amount_{i}")
            if month and amount is not None:
                rows.append({"month": month, "amount": amount, "corrected": False})
        rows.sort(key=lambda row: row["month"])
        business = self.cleaned_data["business"]
        if business == "renewal" and rows and self.cleaned_data["renewal_income_continuous"]:
            # REN-INCOME-3Y (edition 2): "continuous" stands for every month from January of
            # (year of submission − P-RENEWAL-INCOME-MONTHS in years) to the latest month given.
            from eligibility.services import parameter_int

            as_of: date = self.cleaned_data.get("as_of") or self.today
            years = parameter_int("P-RENEWAL-INCOME-MONTHS", as_of) // 12
            last_year, last_month = (int(part) for part in rows[-1]["month"].split("-"))
            count = (last_year - (as_of.year - years)) * 12 + last_month
            have = {row["month"] for row in rows}
            earliest = rows[0]["amount"]
            extra = [
                {"month": month, "amount": earliest, "corrected": False}
                for month in _month_list(rows[-1]["month"], count)
                if month not in have
            ]
            rows = sorted(extra + rows, key=lambda row: row["month"])
        return rows

    def _ip(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for key, kind in (
            ("ip_invention", "invention_patent"),
            ("ip_other_patents", "utility_model"),
            ("ip_software", "software_copyright"),
        ):
            items.extend({"kind": kind, "author_rank": 1} for _i in range(self.cleaned_data.get(key) or 0))
        return items

    def _startup(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        values = {
            "self_investment_3y": d.get("startup_self_investment"),
            "equity_financing": d.get("startup_equity_financing"),
            "average_annual_tax_3y": d.get("startup_average_tax"),
            "shareholding_percent": d.get("startup_share_percent"),
            "shareholder_rank": d.get("startup_rank"),
        }
        if all(value is None for value in values.values()):
            return None
        return values

    def facts(self) -> dict[str, Any]:
        """The contract's input built from the answers.

        Sanctions are not asked: a self-check assumes none (ORG-SANCTION, APP-SANCTION pass).
        """
        d = self.cleaned_data
        as_of: date = d["as_of"]
        annual = [
            {"year": year, "amount": d[f"annual_income_{i}"]}
            for i, year in enumerate(self.annual_years())
            if d.get(f"annual_income_{i}") is not None
        ]
        awards = []
        if d.get("award_level") and d.get("award_prize"):
            # CL3-AWARD (edition 2): 国家和本市 — a provincial award counts only when it is Beijing's
            level, _sep, region = str(d["award_level"]).partition("_")
            award = {"level": level, "prize": d["award_prize"], "field": d["award_field"]}
            awards.append({**award, "region": region} if region else award)
        children = [
            {"birth_date": d[f"child_birth_{i}"].isoformat(), "hukou": d[f"child_hukou_{i}"]}
            for i in range(CHILD_ROWS)
            if d.get(f"child_birth_{i}") and d.get("has_children") != "no"
        ]
        business = d["business"]
        permit = None
        if business != "new" and d.get("permit_expires_on"):
            permit = {"expires_on": d["permit_expires_on"].isoformat(), "employer_change_pending": False}

        def iso(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "business": business,
            "as_of": as_of.isoformat(),
            "submitted_on": as_of.isoformat(),
            "employer": {
                "kind": d["employer_kind"],
                "registered_district": "haidian" if d["employer_haidian"] else "other",
                "tax_registered_on": iso(d.get("employer_tax_since")),
                "registered_capital": d.get("employer_capital"),
                "annual_tax": d.get("employer_annual_tax"),
                "ai_key_area": d["employer_ai_key_area"],
                "growth_tech": d["employer_growth_tech"],
                "innovation_entity": d["employer_innovation_entity"],
                "service_entity": d["employer_service_entity"],
                "receive_only": d["employer_receive_only"],
                "sanctioned": False,
            },
            "applicant": {
                "birth_date": iso(d.get("birth_date")),
                "retirement_category": d["retirement_category"],
                "hukou": d["hukou"],
                "employed_since": iso(d.get("employed_since")),
                "residence": {
                    "kind": d["residence_kind"],
                    "in_beijing": d["residence_in_beijing"],
                    "residential": d["residence_residential"],
                },
                "same_employer": {
                    "contract": d["same_contract"],
                    "tax_withholding": d["same_tax"],
                    "social_insurance": d["same_social"],
                },
                "social_insurance_continuous": d["social_insurance_continuous"],
                "monthly_income": self._incomes(),
                "annual_income": annual,
                "degree": d["degree"],
                "work_periods": [{"start": d["work_start"].isoformat(), "end": None}]
                if d.get("work_start")
                else [],
                "title": d.get("title") or None,
                "awards": awards,
                "ip": self._ip(),
                "ip_commercialised_in_beijing": d["ip_commercialised"],
                "startup": self._startup(),
                "freelancer_annual_tax": [],
                "sanctioned": False,
                "children": children,
            },
            "permit": permit,
            "documents": [],
        }

    SECTIONS = (
        (_("办理业务"), ("business", "as_of", "permit_expires_on")),
        (
            _("申请单位"),
            (
                "employer_kind",
                "employer_haidian",
                "employer_tax_since",
                "employer_capital",
                "employer_annual_tax",
                "employer_ai_key_area",
                "employer_growth_tech",
                "employer_innovation_entity",
                "employer_service_entity",
                "employer_receive_only",
            ),
        ),
        (
            _("申请人基本情况"),
            (
                "birth_date",
                "retirement_category",
                "hukou",
                "employed_since",
                "residence_kind",
                "residence_in_beijing",
                "residence_residential",
                "same_contract",
                "same_tax",
                "same_social",
                "social_insurance_continuous",
            ),
        ),
        (_("最近 6 个月在京应税收入"), ("@income", "renewal_income_continuous")),
        (
            _("学历、职称与业绩"),
            (
                "degree",
                "work_start",
                "title",
                "award_level",
                "award_prize",
                "award_field",
                "ip_invention",
                "ip_other_patents",
                "ip_software",
                "ip_commercialised",
                "@annual",
                "startup_self_investment",
                "startup_equity_financing",
                "startup_average_tax",
                "startup_share_percent",
                "startup_rank",
            ),
        ),
        (_("随往子女"), ("@children",)),
    )

    def sections(self) -> list[tuple[Any, list[Any]]]:
        """The visible fields grouped as the page shows them (fieldsets)."""
        out = []
        for title, names in self.SECTIONS:
            fields = []
            for name in names:
                if name == "@income":
                    for i in range(INCOME_ROWS):
                        fields += [self[f"income_month_{i}"], self[f"income_amount_{i}"]]
                elif name == "@annual":
                    fields += [self[f"annual_income_{i}"] for i in range(3)]
                elif name == "@children":
                    for i in range(CHILD_ROWS):
                        fields += [self[f"child_birth_{i}"], self[f"child_hukou_{i}"]]
                else:
                    fields.append(self[name])
            out.append((title, fields))
        return out


class DeadlineForm(forms.Form):
    """REN-WINDOW / REN-DEADLINE: the permit's expiry and, optionally, the planned submission day."""

    expires_on = forms.DateField(label=_("证件有效期至"), widget=DateInput())
    submitted_on = forms.DateField(
        label=_("计划提交日期（可选）"),
        widget=DateInput(),
        required=False,
        help_text=_("填写后将判断该日提交是否来得及。"),
    )


def _parse_dates(text: str, year: int | None = None) -> list[date]:
    """Dates one per line (or separated by commas/spaces); `A~B` (or `A..B`) is a range, both included."""
    out: list[date] = []
    for token in re.split(r"[\s,，、;；]+", text.strip()):
        if not token:
            continue
        parts = re.split(r"~|\.\.|至", token)
        try:
            if len(parts) == 2:
                start, end = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
                if end < start:
                    raise forms.ValidationError(_("日期范围的结束早于开始：%(t)s") % {"t": token})
                day = start
                while day <= end:
                    out.append(day)
                    day += timedelta(days=1)
            elif len(parts) == 1:
                out.append(date.fromisoformat(token))
            else:
                raise ValueError(token)
        except ValueError as exc:
            raise forms.ValidationError(
                _("无法识别的日期：%(t)s（请按 2026-01-01 或 2026-10-01~2026-10-08 填写）") % {"t": token}
            ) from exc
    if year is not None:
        outside = sorted({d for d in out if d.year != year})
        if outside:
            raise forms.ValidationError(
                _("这些日期不在 %(year)d 年内：%(dates)s")
                % {"year": year, "dates": "、".join(d.isoformat() for d in outside)}
            )
    return sorted(set(out))


class CalendarYearForm(forms.Form):
    """A year's working-day calendar as published by the State Council (CAL-WORKING-DAYS)."""

    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=_("法定节假日（放假日期）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个日期或日期范围，如 2026-10-01~2026-10-07。"),
    )
    workdays = forms.CharField(
        label=_("调休上班日（周末上班的日期）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一个日期，如 2026-09-27。"),
    )
    citation = forms.CharField(
        label=_("依据"), max_length=500, help_text=_("国务院办公厅关于该年部分节假日安排的通知文号。")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year")
        if year is None:
            return data
        for name in ("holidays", "workdays"):
            try:
                data[f"{name}_dates"] = _parse_dates(data.get(name) or "", year)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        holidays = set(data.get("holidays_dates") or [])
        workdays = set(data.get("workdays_dates") or [])
        both = sorted(holidays & workdays)
        if both:
            self.add_error(
                "workdays",
                _("同一天不能既放假又上班：%(dates)s") % {"dates": "、".join(d.isoformat() for d in both)},
            )
        weekdays = sorted(d for d in workdays if d.weekday() < 5)
        if weekdays:
            self.add_error(
                "workdays",
                _("调休上班日应为周六或周日：%(dates)s")
                % {"dates": "、".join(d.isoformat() for d in weekdays)},
            )
        return data


class ParameterValueForm(forms.Form):
    """A new value of a shipped parameter in force from a date (P-FALLBACK). Numbers never float."""

    parameter_id = forms.ChoiceField(label=_("参数"))
    effective_from = forms.DateField(label=_("生效日期"), widget=DateInput())
    value = forms.CharField(
        label=_("数值"), max_length=32, help_text=_("金额填整数元，如 12345；倍数可填小数，如 1.5。")
    )
    citation = forms.CharField(label=_("依据"), max_length=500, help_text=_("发布该数值的文件或公告。"))

    def __init__(
        self, *args: Any, first_entries: dict[str, date], kinds: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.first_entries = first_entries
        self.kinds = kinds
        choice_field = self.fields["parameter_id"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = [("", "—")] + [(pid, pid) for pid in sorted(first_entries)]

    def clean_value(self) -> str:
        text = self.cleaned_data["value"].strip().replace(",", "").replace("，", "")
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            raise forms.ValidationError(_("请填写不含单位的非负数，如 12345 或 1.5。"))
        return text

    def clean_citation(self) -> str:
        text = self.cleaned_data["citation"].strip()
        if not text:
            raise forms.ValidationError(_("请填写依据。"))
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pid = data.get("parameter_id")
        when = data.get("effective_from")
        value = data.get("value")
        if pid and when and when < self.first_entries[pid]:
            self.add_error(
                "effective_from",
                _("生效日期不能早于该参数的首个取值（%(d)s）。") % {"d": self.first_entries[pid].isoformat()},
            )
        if pid and value and self.kinds.get(pid) == "int" and "." in value:
            self.add_error("value", _("该参数是整数（元、月、天），请不要填小数。"))
        return data


class Step:
    """One question page of the guided self-check: its fields and when it applies (None: always)."""

    def __init__(self, name: str, title: Any, fields: tuple[str, ...], when: Any = None) -> None:
        self.name, self.title, self.fields, self.when = name, title, fields, when

    def applies(self, data: dict[str, Any]) -> bool:
        return self.when is None or bool(self.when(data))


def _chosen(data: dict[str, Any]) -> set[int]:
    return {int(c) for c in data.get("clauses") or [] if str(c).isdigit()}


INCOME_FIELDS = tuple(f"income_{part}_{i}" for i in range(INCOME_ROWS) for part in ("month", "amount"))
CHILD_FIELDS = tuple(f"child_{part}_{i}" for i in range(CHILD_ROWS) for part in ("birth", "hukou"))
STEPS: tuple[Step, ...] = (
    Step("business", _("您要办理什么业务？"), ("business", "as_of")),
    Step(
        "permit",
        _("您现有的证件"),
        ("permit_expires_on",),
        lambda d: d.get("business") not in (None, "", "new"),
    ),
    Step(
        "employer",
        _("您的单位"),
        ("employer_kind", "employer_haidian", "employer_tax_since", "employer_receive_only"),
    ),
    Step(
        "employer_size",
        _("单位的注册资本和纳税"),
        ("employer_capital", "employer_annual_tax"),
        lambda d: d.get("employer_kind") == "enterprise",
    ),
    Step(
        "employer_field",
        _("单位所属领域"),
        (
            "employer_ai_key_area",
            "employer_growth_tech",
            "employer_innovation_entity",
            "employer_service_entity",
        ),
    ),
    Step("applicant", _("您的基本情况"), ("birth_date", "retirement_category", "hukou", "employed_since")),
    Step(
        "residence",
        _("住所、劳动合同与社保"),
        (
            "residence_kind",
            "residence_in_beijing",
            "residence_residential",
            "same_contract",
            "same_tax",
            "same_social",
            "social_insurance_continuous",
        ),
    ),
    Step("income", _("最近 6 个月在京应税收入"), INCOME_FIELDS),
    Step(
        "renewal_income",
        _("持证期间的收入"),
        ("renewal_income_continuous",),
        lambda d: d.get("business") == "renewal",
    ),
    Step("route", _("您准备按哪一类条件申报？"), ("clauses",)),
    Step("clause1", _("学位与工作经历"), ("degree", "work_start"), lambda d: 1 in _chosen(d)),
    Step("clause2", _("专业技术职务（职称）"), ("title",), lambda d: 2 in _chosen(d)),
    Step("clause3", _("获奖"), ("award_level", "award_prize", "award_field"), lambda d: 3 in _chosen(d)),
    Step(
        "clause45",
        _("近三年在京应税收入"),
        tuple(f"annual_income_{i}" for i in range(3)),
        lambda d: bool({4, 5} & _chosen(d)),
    ),
    Step(
        "clause6",
        _("知识产权"),
        ("ip_invention", "ip_other_patents", "ip_software", "ip_commercialised"),
        lambda d: 6 in _chosen(d),
    ),
    Step(
        "clause7",
        _("创新创业团队"),
        (
            "startup_self_investment",
            "startup_equity_financing",
            "startup_average_tax",
            "startup_share_percent",
            "startup_rank",
        ),
        lambda d: 7 in _chosen(d),
    ),
    Step("children_any", _("随往子女"), ("has_children",)),
    Step("children", _("随往子女的情况"), CHILD_FIELDS, lambda d: d.get("has_children") == "yes"),
)
STEP_NAMES = [step.name for step in STEPS]


def step_named(name: str) -> Step:
    return STEPS[STEP_NAMES.index(name)] if name in STEP_NAMES else STEPS[0]


def applicable_steps(data: Any) -> list[Step]:
    """The question pages that apply to the answers so far (raw POST values)."""
    plain = {
        "business": data.get("business"),
        "employer_kind": data.get("employer_kind"),
        "has_children": data.get("has_children"),
        "clauses": data.getlist("clauses") if hasattr(data, "getlist") else data.get("clauses"),
    }
    return [step for step in STEPS if step.applies(plain)]
