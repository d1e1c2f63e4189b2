"""Writes of the oversight context: sanctions with four eyes (SAN-MEASURES) and inspections (INSPECTION)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from materials.models import Document
from materials.services import store_upload
from oversight import inspection as inspection_job
from oversight.models import (
    FindingDecision,
    Inspection,
    InspectionFinding,
    InspectionStatus,
    Sanction,
    SanctionEvent,
    SanctionKind,
    SanctionStatus,
)
from permits import selectors as permit_selectors
from permits import services as permit_services

if TYPE_CHECKING:
    from accounts.models import User
    from applicants.models import Applicant
    from employers.models import Employer

EVIDENCE_MATERIAL = "SANCTION-EVIDENCE"


def _require_staff(actor: User) -> None:
    if not getattr(actor, "is_district_staff", False):
        raise PermissionDenied(_("只有审核人员可以提出处理措施。"))


def _require_other_supervisor(actor: User, proposer_id: int | None) -> None:
    if not getattr(actor, "is_supervisor", False):
        raise PermissionDenied(_("只有主管人员可以批准。"))
    if proposer_id == actor.pk:
        raise PermissionDenied(_("提出人不能批准自己提出的事项（双人复核）。"))


def _evidence(file: UploadedFile, actor: User) -> Document:
    # Stored without employer/applicant so the sanctioned party's "owner" access rule does not reach it;
    # only the uploader and district staff may read it (materials.access).
    return store_upload(uploaded_file=file, material=EVIDENCE_MATERIAL, uploaded_by=actor)


@transaction.atomic
def propose_sanction(
    actor: User,
    *,
    kind: str,
    reason: str,
    starts_on: date,
    evidence: UploadedFile,
    employer: Employer | None = None,
    applicant: Applicant | None = None,
    ends_on: date | None = None,
    quota: int | None = None,
) -> Sanction:
    """A reviewer or supervisor proposes a measure; it takes effect once another supervisor approves."""
    _require_staff(actor)
    if (employer is None) == (applicant is None):
        raise ValidationError(_("请选择一个单位或一名申请人。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写理由。")})
    if kind == SanctionKind.REDUCED_QUOTA and (employer is None or quota is None):
        raise ValidationError({"quota": _("压减办理数量须针对单位并填写数量上限。")})
    if kind == SanctionKind.PERMIT_CANCELLATION and applicant is None:
        raise ValidationError({"kind": _("注销工作居住证须针对持证人（申请人）。")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    document = _evidence(evidence, actor)
    sanction = Sanction.objects.create(
        employer=employer,
        applicant=applicant,
        kind=kind,
        quota=quota if kind == SanctionKind.REDUCED_QUOTA else None,
        reason=reason.strip(),
        evidence=document,
        starts_on=starts_on,
        ends_on=ends_on,
        proposed_by=actor,
    )
    SanctionEvent.objects.create(sanction=sanction, action=SanctionEvent.Action.PROPOSED, actor=actor)
    return sanction


def _locked(sanction: Sanction, expected: str) -> Sanction:
    locked = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if locked.status != expected:
        raise ValidationError(_("该处理措施的状态已变化，请刷新页面。"))
    return locked


@transaction.atomic
def decide_sanction(
    sanction: Sanction, actor: User, *, approve: bool, note: str = "", today: date
) -> Sanction:
    """A supervisor other than the proposer approves or rejects (four eyes). Approving a permit
    cancellation cancels the holder's current permit on the start day."""
    sanction = _locked(sanction, SanctionStatus.PROPOSED)
    _require_other_supervisor(actor, sanction.proposed_by_id)
    if not approve and not note.strip():
        raise ValidationError({"note": _("不予批准时请填写意见。")})
    sanction.status = SanctionStatus.ACTIVE if approve else SanctionStatus.REJECTED
    sanction.decided_by = actor
    sanction.decided_at = timezone.now()
    sanction.decision_note = note.strip()
    sanction.save()
    action = SanctionEvent.Action.APPROVED if approve else SanctionEvent.Action.REJECTED
    SanctionEvent.objects.create(sanction=sanction, action=action, actor=actor, note=note.strip())
    if approve and sanction.kind == SanctionKind.PERMIT_CANCELLATION and sanction.applicant is not None:
        permit = permit_selectors.current_permit_for(sanction.applicant)
        if permit is not None:
            permit_services.cancel_permit(
                permit,
                on=max(sanction.starts_on, today),
                reason=sanction.reason,
                actor=actor,
                sanction=str(sanction.public_id),
            )
    return sanction


@transaction.atomic
def propose_lift(
    sanction: Sanction, actor: User, *, reason: str, lift_on: date, evidence: UploadedFile
) -> Sanction:
    """Lifting is proposed and approved the same way as the measure itself."""
    _require_staff(actor)
    sanction = _locked(sanction, SanctionStatus.ACTIVE)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写解除理由。")})
    if lift_on < sanction.starts_on:
        raise ValidationError({"lift_on": _("解除日期不能早于开始日期。")})
    sanction.lift_evidence = _evidence(evidence, actor)
    sanction.lift_reason = reason.strip()
    sanction.lift_on = lift_on
    sanction.lift_proposed_by = actor
    sanction.lift_proposed_at = timezone.now()
    sanction.status = SanctionStatus.LIFT_PROPOSED
    sanction.save()
    SanctionEvent.objects.create(
        sanction=sanction, action=SanctionEvent.Action.LIFT_PROPOSED, actor=actor, note=reason.strip()
    )
    return sanction


@transaction.atomic
def decide_lift(sanction: Sanction, actor: User, *, approve: bool, note: str = "") -> Sanction:
    sanction = _locked(sanction, SanctionStatus.LIFT_PROPOSED)
    _require_other_supervisor(actor, sanction.lift_proposed_by_id)
    if not approve and not note.strip():
        raise ValidationError({"note": _("不予解除时请填写意见。")})
    if approve:
        sanction.status = SanctionStatus.LIFTED
        sanction.lift_decided_by = actor
        sanction.lift_decided_at = timezone.now()
    else:
        sanction.status = SanctionStatus.ACTIVE
    sanction.save()
    action = SanctionEvent.Action.LIFT_APPROVED if approve else SanctionEvent.Action.LIFT_REJECTED
    SanctionEvent.objects.create(sanction=sanction, action=action, actor=actor, note=note.strip())
    return sanction


@transaction.atomic
def refuse_future_reference_date(as_of: date, today: date) -> None:
    """INSPECTION: the reference date is a day that has come; a later one would list valid permits as
    expired (and offer to cancel them)."""
    if as_of > today:
        raise ValidationError(
            {"as_of": _("检查基准日不能晚于今天（%(today)s）。") % {"today": today.isoformat()}}
        )


def start_inspection(actor: User, *, as_of: date, today: date) -> Inspection:
    """A supervisor starts an inspection on a reference date up to today; the classification runs as
    a background task."""
    if not getattr(actor, "is_supervisor", False):
        raise PermissionDenied(_("只有主管人员可以发起年检。"))
    refuse_future_reference_date(as_of, today)
    inspection = Inspection.objects.create(as_of=as_of, started_by=actor)
    inspection_job.prepare(inspection)
    transaction.on_commit(lambda: enqueue_inspection(inspection.pk))
    return inspection


def enqueue_inspection(inspection_id: int) -> None:
    from oversight.tasks import run_inspection

    run_inspection.enqueue(inspection_id)


def resume_stalled_inspections(*, grace_seconds: float | None = None) -> int:
    """Queue again every unfinished inspection that has no queued or running task (run by each worker
    periodically), so an interrupted inspection resumes by itself from its cursor (INSPECTION)."""
    from datetime import timedelta

    from django.conf import settings

    from core.recovery import has_live_task, uses_database_tasks

    if not uses_database_tasks():
        return 0
    grace = grace_seconds if grace_seconds is not None else getattr(settings, "WORKER_HEARTBEAT_TIMEOUT", 30)
    resumed = 0
    unfinished = Inspection.objects.filter(
        status__in=[InspectionStatus.QUEUED, InspectionStatus.RUNNING],
        started_at__lt=timezone.now() - timedelta(seconds=float(grace)),
    ).values_list("pk", flat=True)
    for inspection_id in unfinished:
        if not has_live_task("oversight.tasks.run_inspection", inspection_id):
            enqueue_inspection(inspection_id)
            resumed += 1
    return resumed


@transaction.atomic
def cancel_findings(
    inspection: Inspection, finding_ids: list[int], *, reason: str, actor: User, today: date
) -> int:
    """Cancel the permits of the chosen findings (INSPECTION), set-based; repeats cancel nothing twice."""
    if not getattr(actor, "is_supervisor", False):
        raise PermissionDenied(_("只有主管人员可以注销证件。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写注销原因。")})
    findings = InspectionFinding.objects.select_for_update().filter(
        inspection=inspection, pk__in=finding_ids, decision=FindingDecision.PENDING
    )
    pairs = list(findings.values_list("pk", "permit_id"))
    if not pairs:
        return 0
    permit_services.cancel_permits_bulk(
        [permit_id for _pk, permit_id in pairs],
        on=today,
        reason=reason,
        actor=actor,
        inspection=str(inspection.public_id),
    )
    InspectionFinding.objects.filter(pk__in=[pk for pk, _permit in pairs]).update(
        decision=FindingDecision.CANCELLED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reason=reason,
    )
    return len(pairs)


@transaction.atomic
def keep_findings(inspection: Inspection, finding_ids: list[int], *, reason: str, actor: User) -> int:
    """Record that a flagged permit stays (for example a renewal filed on paper)."""
    if not getattr(actor, "is_supervisor", False):
        raise PermissionDenied(_("只有主管人员可以作出处理决定。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写理由。")})
    return InspectionFinding.objects.filter(
        inspection=inspection, pk__in=finding_ids, decision=FindingDecision.PENDING
    ).update(
        decision=FindingDecision.KEPT,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reason=reason.strip(),
    )


@transaction.atomic
def close_inspection(inspection: Inspection, actor: User) -> Inspection:
    if not getattr(actor, "is_supervisor", False):
        raise PermissionDenied(_("只有主管人员可以结束年检。"))
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != InspectionStatus.CLASSIFIED:
        raise ValidationError(_("年检尚未完成分类，不能结束。"))
    inspection.status = InspectionStatus.CLOSED
    inspection.closed_at = timezone.now()
    inspection.save(update_fields=["status", "closed_at"])
    return inspection
