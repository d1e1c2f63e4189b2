"""Applicants (申请人): real-name identity (read-only once verified) and the profile they keep up to date.

Field values follow the eligibility contract (`../shared/spec/eligibility-contract.md`) so the profile
maps onto the engine's facts without translation tables.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedCharField, HmacField


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class RetirementCategory(models.TextChoices):
    """APP-RETIREMENT: the original statutory age group."""

    MALE = "male", _("男职工（原60周岁）")
    FEMALE_55 = "female_55", _("女职工（原55周岁，干部/管理技术岗位）")
    FEMALE_50 = "female_50", _("女职工（原50周岁）")


class Hukou(models.TextChoices):
    NON_BEIJING = "non_beijing", _("非北京户籍")
    BEIJING = "beijing", _("北京户籍")
    BEIJING_COLLECTIVE = "beijing_collective", _("北京市集体户口")
    BEIJING_SCHOOL_TEMPORARY = "beijing_school_temporary", _("学校临时户口")


class Degree(models.TextChoices):
    NONE = "none", _("无学位")
    ASSOCIATE = "associate", _("专科")
    BACHELOR = "bachelor", _("学士")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


class EducationVerification(models.TextChoices):
    VALID = "valid", _("有效")
    MANUAL = "manual", _("需人工审核")


class Title(models.TextChoices):
    JUNIOR = "junior", _("初级")
    INTERMEDIATE = "intermediate", _("中级")
    DEPUTY_SENIOR = "deputy_senior", _("副高级")
    SENIOR = "senior", _("正高级")
    EQUIVALENT = "equivalent", _("相当资格、资质")


class TitleRoute(models.TextChoices):
    EXAM = "exam", _("考试取得")
    REVIEW = "review", _("评审取得")


class ResidenceKind(models.TextChoices):
    RESIDENCE_CARD = "residence_card", _("北京市居住证（卡）")
    OWNED = "owned", _("自有住房")
    RENTED = "rented", _("租住房屋")
    EMPLOYER_HOUSING = "employer_housing", _("单位公房")
    RELATIVES = "relatives", _("居住亲友住房")


class Landlord(models.TextChoices):
    RESIDENT_HOUSEHOLD = "resident_household", _("居民户房屋")
    RURAL_HOMESTEAD = "rural_homestead", _("农村宅基地房屋")
    OTHER = "other", _("其他（如租赁企业）")


class Applicant(models.Model):
    """An applicant's identity and profile. Identity fields come from the identity provider only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Identity (read-only for the applicant; from the real-name check).
    name = models.CharField(_("姓名"), max_length=100)
    # Encrypted at rest; unique and looked up through its keyed HMAC (core.crypto).
    id_number = EncryptedCharField(_("身份证号码"), plain_max_length=18)
    id_number_hmac = HmacField(source="id_number", unique=True, null=True)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=10, choices=Sex.choices)
    identity_provider = models.CharField(_("实名认证方式"), max_length=30, default="dev")
    identity_verified_at = models.DateTimeField(_("实名认证时间"))

    # Profile (draft-saved as the applicant types).
    retirement_category = models.CharField(
        _("退休年龄类别"), max_length=20, choices=RetirementCategory.choices, blank=True
    )
    hukou = models.CharField(_("户籍类型"), max_length=30, choices=Hukou.choices, blank=True)
    hukou_address = models.CharField(_("户口所在地"), max_length=300, blank=True)
    degree = models.CharField(_("最高学位"), max_length=20, choices=Degree.choices, blank=True)
    school = models.CharField(_("毕业院校"), max_length=200, blank=True)
    graduation_date = models.DateField(_("毕业日期"), null=True, blank=True)
    education_verification = models.CharField(
        _("学历在线核验状态"), max_length=20, choices=EducationVerification.choices, blank=True
    )
    has_title = models.BooleanField(_("是否持有专业技术职务证书"), default=False)
    title = models.CharField(_("专业技术职务"), max_length=20, choices=Title.choices, blank=True)
    title_route = models.CharField(_("职称取得方式"), max_length=20, choices=TitleRoute.choices, blank=True)
    title_verifiable_online = models.BooleanField(_("职称可网络查验"), default=True)
    residence_kind = models.CharField(_("住所类型"), max_length=30, choices=ResidenceKind.choices, blank=True)
    residence_address = models.CharField(_("现居住地址"), max_length=300, blank=True)
    residence_in_beijing = models.BooleanField(_("住所位于北京市行政区域内"), default=True)
    residence_residential = models.BooleanField(_("房屋用途为住宅"), default=True)
    landlord = models.CharField(_("出租方类型"), max_length=30, choices=Landlord.choices, blank=True)
    co_owned = models.BooleanField(_("亲友房产为共有产权"), default=False)
    photo = models.ForeignKey(
        "materials.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("证件照片"),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="optimistic lock: a stale form never overwrites"
    )
    version_page = models.CharField(
        max_length=32,
        blank=True,
        default="",
        help_text="the rendered page whose save made the current version (its own autosaves: no conflict)",
    )

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """A period of study or work (学习经历 / 工作经历); CL1 counts the union of work periods."""

    class Kind(models.TextChoices):
        STUDY = "study", _("学习经历")
        WORK = "work", _("工作经历")

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="periods")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    organisation = models.CharField(_("学校/单位"), max_length=200)
    role = models.CharField(_("专业/职务"), max_length=200, blank=True)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("至今可不填"))

    class Meta:
        ordering = ["kind", "start"]
        verbose_name = _("经历")
        verbose_name_plural = _("经历")

    def __str__(self) -> str:
        return f"{self.organisation} {self.start}–{self.end or ''}"


class Child(models.Model):
    """An accompanying child (随往子女); CHILD-MINOR applies."""

    class Parents(models.TextChoices):
        MARRIED = "married", _("父母婚内生育")
        UNMARRIED = "unmarried", _("未婚生育")
        DIVORCED = "divorced", _("父母离异，由申请人抚养")

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="children")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=100)
    id_number = EncryptedCharField(_("身份证号码"), plain_max_length=18, blank=True)
    id_number_hmac = HmacField(source="id_number", null=True, db_index=True)
    birth_date = models.DateField(_("出生日期"))
    hukou = models.CharField(_("户籍类型"), max_length=30, choices=Hukou.choices, default=Hukou.NON_BEIJING)
    parents = models.CharField(_("父母情况"), max_length=20, choices=Parents.choices, default=Parents.MARRIED)
    # CHILD-MINOR (edition 2): for divorced parents, whether the applicant has sole custody.
    sole_custody = models.BooleanField(_("由申请人单独抚养"), null=True, blank=True)

    class Meta:
        ordering = ["birth_date"]
        verbose_name = _("随往子女")
        verbose_name_plural = _("随往子女")

    def __str__(self) -> str:
        return self.name
