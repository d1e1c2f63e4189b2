"""Users and their roles. The custom user model exists from the first migration."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    OPERATOR = "operator", _("单位经办人")
    REVIEWER = "reviewer", _("审核人员")
    SUPERVISOR = "supervisor", _("主管人员")
    RATIFIER = "ratifier", _("核准人员（市级主管部门）")


STAFF_ROLES = frozenset({Role.REVIEWER, Role.SUPERVISOR})
"""District staff (海淀区人力社保局): review, decide, oversee."""
SECOND_FACTOR_ROLES = frozenset({*STAFF_ROLES, Role.RATIFIER})
"""Every authority role logs in with a TOTP second factor (district staff and the municipal 核准)."""


class User(ChoiceLabels, AbstractUser):
    """One login. `role` decides the home page and what the user may do; staff need a second factor."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    email = models.EmailField(_("电子邮箱"), unique=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        # Issue 12: the staff lists (assignment, four eyes) among hundreds of thousands of applicants.
        indexes = [models.Index(fields=["role", "username"], name="user_role_idx")]

    @property
    def is_district_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_ratifier(self) -> bool:
        """The municipal authority's 核准 (BIZ-TIME-LIMIT): ratifies or returns district approvals."""
        return self.role == Role.RATIFIER

    @property
    def needs_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_reviewer(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    def __str__(self) -> str:
        return self.display_name or self.username


class StaffAccountEvent(models.Model):
    """Append-only audit of staff accounts: who created one, who approved it (four-eyes: never its
    creator); `actor` is empty for an out-of-band activation (management command)."""

    class Action(models.TextChoices):
        CREATED = "created", _("创建")
        APPROVED = "approved", _("批准开通")
        DEACTIVATED = "deactivated", _("停用")

    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_events")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("人员账号记录")
        verbose_name_plural = _("人员账号记录")

    def __str__(self) -> str:
        return f"{self.member_id} {self.action}"


class LoginSession(models.Model):
    """The session keys of a user's logins (whatever the session engine: database, cache or both), so
    that deactivating an account ends its sessions at once (issue 11, production 10)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class OidcLink(models.Model):
    """The identity provider's subject (`sub`) an applicant account was first linked with. A later
    login whose ID number claim differs from the account's is refused (issue 11, production 10)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_links")
    subject = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("北京通账号关联")
        verbose_name_plural = _("北京通账号关联")

    def __str__(self) -> str:
        return f"{self.user_id} {self.subject[:8]}"
