"""Forms for registration and the profile sections. Profile fields are all optional: drafts save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.identity import IdentityError, normalise_id_number, parse_id_number
from applicants.models import Applicant, Child, Period, RetirementCategory
from core.dates import PastDatesMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegistrationForm(forms.Form):
    """申请人注册: name and ID number go to the real-name check; identity fields come from it."""

    name = forms.CharField(label=_("姓名"), max_length=100, help_text=_("与身份证一致"))
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=18, help_text=_("18位居民身份证号码，末位可为X")
    )
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于登录和接收通知"))
    phone = forms.RegexField(
        label=_("手机号码"),
        regex=r"^1\d{10}$",
        error_messages={"invalid": _("请填写11位手机号码。")},
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少10位，不能全为数字，不能过于常见"),
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_id_number(self) -> str:
        return normalise_id_number(self.cleaned_data["id_number"])

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password1:
            try:
                password_validation.validate_password(password1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileSectionForm(forms.ModelForm):
    """A profile section: every field optional so a half-filled draft saves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class BasicForm(ProfileSectionForm):
    class Meta:
        model = Applicant
        fields = ["hukou", "hukou_address", "retirement_category"]
        help_texts = {"retirement_category": _("APP-RETIREMENT：按原法定退休年龄分类")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.sex == "male":
            del self.fields["retirement_category"]
        else:
            field = self.fields["retirement_category"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                ("", "---------"),
                (RetirementCategory.FEMALE_55.value, RetirementCategory.FEMALE_55.label),
                (RetirementCategory.FEMALE_50.value, RetirementCategory.FEMALE_50.label),
            ]


class EducationForm(PastDatesMixin, ProfileSectionForm):
    past_date_fields = ("graduation_date",)

    class Meta:
        model = Applicant
        fields = ["degree", "school", "graduation_date", "education_verification"]
        widgets = {"graduation_date": DateInput()}
        help_texts = {"education_verification": _("系统在线核验显示“有效”或“需人工审核”")}


class TitleForm(ProfileSectionForm):
    class Meta:
        model = Applicant
        fields = ["has_title", "title", "title_route", "title_verifiable_online"]
        help_texts = {"has_title": _("不以职称申报的，请不要勾选")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("has_title"):
            cleaned["title"] = ""
            cleaned["title_route"] = ""
            cleaned["title_verifiable_online"] = True
        return cleaned


class ResidenceForm(ProfileSectionForm):
    class Meta:
        model = Applicant
        fields = [
            "residence_kind",
            "residence_address",
            "residence_in_beijing",
            "residence_residential",
            "landlord",
            "co_owned",
        ]
        help_texts = {
            "landlord": _("租住房屋时填写"),
            "co_owned": _("居住亲友住房时填写"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("residence_kind") != "rented":
            cleaned["landlord"] = ""
        if cleaned.get("residence_kind") != "relatives":
            cleaned["co_owned"] = False
        return cleaned


SECTION_FORMS: dict[str, type[ProfileSectionForm]] = {
    "basic": BasicForm,
    "education": EducationForm,
    "title": TitleForm,
    "residence": ResidenceForm,
}


class PeriodForm(PastDatesMixin, forms.ModelForm):
    past_date_fields = ("start",)
    periods = (("start", "end"),)

    class Meta:
        model = Period
        fields = ["kind", "organisation", "role", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}


class ChildForm(PastDatesMixin, forms.ModelForm):
    past_date_fields = ("birth_date",)

    class Meta:
        model = Child
        fields = ["name", "id_number", "birth_date", "hukou", "parents", "sole_custody"]
        widgets = {"birth_date": DateInput()}
        help_texts = {
            "id_number": _("已办理身份证的填写"),
            "sole_custody": _("父母离异的，请按离婚协议或法院判决填写子女是否由申请人单独抚养。"),
        }

    def clean_id_number(self) -> str:
        value = normalise_id_number(self.cleaned_data.get("id_number") or "")
        if value:
            try:
                parse_id_number(value)
            except IdentityError as error:
                raise forms.ValidationError(error.message) from None
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        id_number, birth = cleaned.get("id_number"), cleaned.get("birth_date")
        if id_number and birth and parse_id_number(id_number)[0] != birth:
            self.add_error("birth_date", _("出生日期与身份证号码不一致。"))
        if cleaned.get("parents") != Child.Parents.DIVORCED:
            # CHILD-MINOR: sole custody is asked only of divorced parents.
            cleaned["sole_custody"] = None
        return cleaned


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("证件照片"), help_text=_("近期一寸免冠白底彩色证件照，JPEG 或 PNG"))
