"""Document-read rule and home-page panels of the employers context (registered in AppConfig.ready)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home_panels import Panel, PanelItem
from core.masking import mask_name
from employers import materials_catalogue as mc
from employers import selectors
from employers.models import Association, AssociationStatus, RightsStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User
    from materials.models import Document


def operators_read_associated_applicants(user: User, document: Document) -> bool:
    """An employer's operators may read the documents of applicants with a pending or approved
    association to that employer (they check them before filing, 新办业务办理规范). Of what another
    employer uploaded for the applicant, only the resignation certificate is readable: the new
    employer files the employer change with it (CHG-RESIGNATION); a former contract is not theirs."""
    if document.applicant_id is None or not user.is_operator:
        return False
    employer = selectors.employer_for_operator(user)
    if employer is None:
        return False
    if document.employer_id not in (None, employer.pk) and document.material != mc.RESIGNATION_CERT:
        return False
    return Association.objects.filter(
        employer=employer,
        applicant_id=document.applicant_id,
        status__in=[AssociationStatus.PENDING, AssociationStatus.APPROVED],
    ).exists()


def home_panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    if user.is_operator:
        return _operator_panels(user)
    if user.is_reviewer:
        return _reviewer_panels()
    if user.is_applicant:
        return _applicant_panels(user)
    return []


def _operator_panels(user: User) -> list[Panel]:
    employer = selectors.employer_for_operator(user)
    if employer is None:
        return []
    note = employer.get_rights_kind_display() if employer.rights_kind else ""
    if employer.rights_status == RightsStatus.APPROVED and employer.association_code:
        note = _("%(kind)s · 关联码 %(code)s（有效期至 %(until)s）") % {
            "kind": employer.get_rights_kind_display(),
            "code": employer.association_code,
            "until": employer.association_code_expires_on,
        }
    rights = Panel(
        title=_("单位办理权限"),
        items=[
            PanelItem(
                label=f"{employer.name}：{employer.get_rights_status_display()}",
                url=reverse("employers:profile"),
                note=note,
            )
        ],
        order=20,
    )
    pending = selectors.associations_for_employer(employer, AssociationStatus.PENDING)
    associations = Panel(
        title=_("待确认的员工关联申请"),
        items=[
            PanelItem(
                label=mask_name(association.applicant.name),
                url=reverse("employers:association_detail", args=[association.public_id]),
                note=timezone.localtime(association.requested_at).strftime("%Y-%m-%d %H:%M"),
            )
            for association in pending
        ],
        empty_text=_("没有待确认的关联申请。"),
        action_label=_("全部员工关联"),
        action_url=reverse("employers:associations"),
        order=30,
    )
    return [rights, associations]


def _reviewer_panels() -> list[Panel]:
    return [
        Panel(
            title=_("待审核的单位办理权限申请"),
            items=[
                PanelItem(
                    label=employer.name,
                    url=reverse("employers:review_detail", args=[employer.credit_code]),
                    note=employer.get_rights_kind_display(),
                )
                for employer in selectors.pending_rights_requests()
            ],
            empty_text=_("没有待审核的办理权限申请。"),
            action_label=_("办理权限审核"),
            action_url=reverse("employers:review_queue"),
            order=40,
        )
    ]


def _applicant_panels(user: User) -> list[Panel]:
    applicant = getattr(user, "applicant", None)
    url = reverse("employers:associate")
    if applicant is None:
        return []
    approved = selectors.approved_association_for(applicant)
    pending = selectors.pending_association_for(applicant)
    if approved is not None:
        items = [PanelItem(label=approved.employer.name, url=url, note=str(approved.get_status_display()))]
    elif pending is not None:
        items = [PanelItem(label=pending.employer.name, url=url, note=str(pending.get_status_display()))]
    else:
        items = []
    return [
        Panel(
            title=_("关联单位"),
            items=items,
            empty_text=_("尚未关联单位。请向单位经办人索取关联码。"),
            action_label="" if approved else _("输入关联码关联单位"),
            action_url="" if approved else url,
            order=30,
        )
    ]
