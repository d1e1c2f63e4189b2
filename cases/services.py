"""Writes of the cases context: start a case, enter its facts, link documents, every transition.

Each use case checks who may do it first, runs in one transaction with the case row locked
(`select_for_update`), bumps `version` (a stale form never overwrites newer data), writes an
append-only `CaseEvent` and notifies the people who must act (core.notifications: inbox now, e-mail
after commit). A transition the table does not allow raises `TransitionNotAllowed` with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.selectors import children_for as applicant_children
from cases import engine, guards, income_import, workflow
from cases import selectors as case_selectors
from cases.facts import facts_for_case
from cases.labels import OUTCOME_LABELS, material_label
from cases.models import (
    AcceptanceSnapshot,
    AnnualIncome,
    Case,
    CaseDocument,
    CaseEvent,
    CheckOverride,
    IncomeRecord,
    InfoChangeKind,
    Kind,
    OpinionTemplate,
    ReferenceCounter,
    State,
    TipTemplate,
)
from cases.workflow import APPLICANT, OPERATOR, RATIFIER, REVIEWER, Action
from core.notifications import notify
from employers import selectors as employer_selectors
from employers.models import Association, AssociationStatus, RightsKind, RightsStatus
from materials.services import store_upload
from oversight import selectors as oversight_selectors
from permits import selectors as permit_selectors
from permits.services import PermitError, apply_case_decision
from policy import overrides as override_policy

if TYPE_CHECKING:
    from accounts.models import User
    from applicants.models import Applicant
    from materials.models import Document


class CaseError(Exception):
    """A use case refused, with a message for the person who tried."""

    def __init__(self, message: str) -> None:
        self.message = str(message)
        super().__init__(self.message)


class TransitionNotAllowed(CaseError):
    """The state machine, the actor's role or a rule does not allow this step now."""


class StaleCase(CaseError):
    """Someone else changed the case after this form was loaded."""


@dataclass(frozen=True)
class Problem:
    """One thing that blocks submission, with where to fix it."""

    section: str
    message: str
    url: str = ""


class SubmissionBlocked(TransitionNotAllowed):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(_("还有 %(n)d 项需要处理，处理后才能提交。") % {"n": len(problems)})


class ApprovalBlocked(TransitionNotAllowed):
    """The district's approval is refused; `blockers` lists each reason (shown beside the decision)."""

    def __init__(self, blockers: list[str]) -> None:
        self.blockers = blockers
        super().__init__(_("不能审核通过：") + " ".join(blockers))


# --- who is who ----------------------------------------------------------------------------------


def roles_of(user: User | Any, case: Case) -> set[str]:
    """The actor's relations to the case: applicant of it, operator of its employer, district staff."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    roles: set[str] = set()
    if user.is_applicant and case.applicant.user_id == user.pk:
        roles.add(APPLICANT)
    if user.is_operator:
        operator = getattr(user, "operator", None)
        if operator is not None and operator.employer_id == case.employer_id:
            roles.add(OPERATOR)
    if user.is_district_staff:
        roles.add(REVIEWER)
    if user.is_ratifier:
        roles.add(RATIFIER)
    return roles


def can_edit_facts(roles: set[str], case: Case) -> bool:
    """Who may change the case's facts in its current state."""
    if (
        APPLICANT in roles
        and case.kind == Kind.NEW
        and case.state in (State.DRAFT, State.RETURNED_TO_APPLICANT)
    ):
        return True
    if APPLICANT in roles and case.state == State.RETURNED_TO_APPLICANT:
        return True
    if OPERATOR in roles and case.state in (State.WITH_EMPLOYER, State.RETURNED_TO_EMPLOYER):
        return True
    return OPERATOR in roles and case.employer_started and case.state == State.DRAFT


def can_upload(roles: set[str], case: Case, uploader: str) -> bool:
    """The applicant uploads their own materials; the employer its own (DOC-CHECKLIST `uploader`)."""
    if uploader == "applicant" and APPLICANT in roles:
        return case.state in (State.DRAFT, State.RETURNED_TO_APPLICANT)
    if uploader == "employer" and OPERATOR in roles:
        return case.state in (State.WITH_EMPLOYER, State.RETURNED_TO_EMPLOYER) or (
            case.employer_started and case.state == State.DRAFT
        )
    return False


# --- helpers -------------------------------------------------------------------------------------


def next_reference(year: int) -> str:
    """HD + year + 6 digits, one counter row per year, locked while incremented."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"HD{year}{counter.last:06d}"


def _locked(case: Case, version: int | None) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("applicant__user", "employer__registry", "association")
        .get(pk=case.pk)
    )
    if version is not None and locked.version != version:
        raise StaleCase(_("该申请已被他人更新（您看到的是旧版本），请刷新页面后重试。"))
    return locked


def _event(
    case: Case, actor: User | None, action: str, from_state: str, to_state: str, **text: str
) -> CaseEvent:
    role = ""
    if actor is not None:
        role = actor.role
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        actor_role=role,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=text.get("reason", ""),
        opinion=text.get("opinion", ""),
        tips=text.get("tips", ""),
    )


def _bump(case: Case, *fields: str) -> None:
    """Compare-and-set the version, then save the changed fields: of two concurrent writers exactly one
    wins, even where the database ignores `select_for_update`."""
    current = case.version
    if not Case.objects.filter(pk=case.pk, version=current).update(version=current + 1):
        raise StaleCase(_("该申请已被他人更新（您看到的是旧版本），请刷新页面后重试。"))
    case.version = current + 1
    case.save(update_fields=["updated_at", *fields])


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.public_id])


def review_url(case: Case) -> str:
    return reverse("cases:review_detail", args=[case.public_id])


def _operators(case: Case) -> list[User]:
    return employer_selectors.operator_users(case.employer)


def _applicant_users(case: Case) -> list[User]:
    user = case.applicant.user
    return [user] if user.is_active else []


def _notify(users: Iterable[User], key: str, case: Case, url: str, **extra: Any) -> None:
    context = {
        "reference": case.reference,
        # Lazy labels: each recipient's message is rendered in Chinese and in English (core.notifications).
        "kind": Kind(case.kind).label,
        "state": State(case.state).label,
        "employer": case.employer.name,
        **extra,
    }
    notify(users, f"case_{key}", context, url)


# --- starting a case ----------------------------------------------------------------------------


def _lock_applicant(applicant: Applicant) -> None:
    """Starting a case is check-then-insert: the applicant's row is locked first, so two starts for one
    applicant run one after the other and the second sees the first's case (issue 11, race-free start).
    (No unique constraint: benchmarks and tests build queues of many open cases for one applicant.)"""
    type(applicant).objects.select_for_update().filter(pk=applicant.pk).first()


def _refuse_if_open(applicant: Applicant, kind: str) -> None:
    existing = Case.objects.filter(
        applicant=applicant, kind=kind, state__in=[str(s) for s in _open()]
    ).first()
    if existing is not None:
        raise TransitionNotAllowed(
            _("该申请人已有一笔未办结的%(kind)s业务（%(ref)s），请先办结或撤回。")
            % {"kind": existing.get_kind_display(), "ref": existing.reference}
        )


def _open() -> tuple[str, ...]:
    from cases.models import OPEN_STATES

    return tuple(str(s) for s in OPEN_STATES)


@transaction.atomic
def start_new_case(user: User, *, today: date) -> Case:
    """新办: the applicant starts a case with the employer they are associated with (BIZ-ONE-EMPLOYER)."""
    applicant = getattr(user, "applicant", None) if user.is_applicant else None
    if applicant is None:
        raise TransitionNotAllowed(_("只有申请人可以发起新办申请。"))
    _lock_applicant(applicant)
    association = employer_selectors.approved_association_for(applicant)
    if association is None:
        raise TransitionNotAllowed(_("请先关联申请单位，单位确认关联后才能发起申请（BIZ-ONE-EMPLOYER）。"))
    if not association.employer.can_file_new:
        raise TransitionNotAllowed(
            _("您关联的单位没有新办业务权限（仅接收已持证人员），不能办理新办业务（ORG-PERMISSION）。")
        )
    if permit_selectors.current_permit_for(applicant) is not None:
        raise TransitionNotAllowed(_("您已持有有效的工作居住证，无需新办。"))
    _refuse_if_open(applicant, Kind.NEW)
    case = Case.objects.create(
        reference=next_reference(today.year),
        kind=Kind.NEW,
        applicant=applicant,
        employer=association.employer,
        association=association,
        employed_since=hiring_date(association),
        created_by=user,
    )
    _event(case, user, "create", "", State.DRAFT)
    reuse_association_documents(case, today=today)
    return case


@transaction.atomic
def start_employer_case(
    user: User,
    *,
    applicant: Applicant,
    kind: str,
    today: date,
    info_change_kinds: Sequence[str] = (),
    info_change_note: str = "",
) -> Case:
    """续签 / 单位变更 / 信息变更: started by an operator of the applicant's employer, prefilled from the
    holder's current permit (REN-*, CHG-RESIGNATION, INF-CHANGE)."""
    if kind not in (Kind.RENEWAL, Kind.EMPLOYER_CHANGE, Kind.INFO_CHANGE):
        raise TransitionNotAllowed(_("该业务由申请人发起。"))
    employer = employer_selectors.employer_for_operator(user) if user.is_operator else None
    if employer is None:
        raise TransitionNotAllowed(_("只有单位经办人可以发起该业务。"))
    if employer.rights_status != RightsStatus.APPROVED or employer.rights_kind not in (
        RightsKind.FULL,
        RightsKind.RECEIVE_ONLY,
    ):
        raise TransitionNotAllowed(_("单位尚未开通办理权限（ORG-PERMISSION）。"))
    _lock_applicant(applicant)
    association = (
        Association.objects.filter(applicant=applicant, employer=employer, status=AssociationStatus.APPROVED)
        .order_by("-id")
        .first()
    )
    if association is None:
        raise TransitionNotAllowed(_("该申请人尚未与本单位关联（BIZ-ONE-EMPLOYER）。"))
    permit = permit_selectors.current_permit_for(applicant)
    if permit is None:
        raise TransitionNotAllowed(_("该申请人没有有效的工作居住证；证件一旦过期，无法恢复（REN-EXPIRED）。"))
    if permit.expires_on < today:
        raise TransitionNotAllowed(
            _("证件已于 %(date)s 过期，无法续签或变更（REN-EXPIRED）。") % {"date": permit.expires_on}
        )
    refusal = start_deadline_refusal(kind, permit.expires_on, today)
    if refusal:
        raise TransitionNotAllowed(refusal)
    former_employer = None
    former_association = None
    if kind == Kind.EMPLOYER_CHANGE:
        if permit.employer_id == employer.pk:
            raise TransitionNotAllowed(_("证件的聘用单位已是本单位，无需办理单位变更。"))
        former_employer = permit.employer
        former_association = (
            Association.objects.filter(applicant=applicant, employer=former_employer).order_by("-id").first()
        )
        if former_association is None and permit.migrated:
            # CHG-RESIGNATION (edition 2): a permit from the old system has no former association
            # here; the holder uploads the resignation certificate themself (申请人上传 2).
            pass
        elif former_association is None or former_association.status != AssociationStatus.DISSOCIATED:
            raise TransitionNotAllowed(
                _(
                    "原单位（%(name)s）尚未解除与持证人的关联，请原单位先办理解除关联并上传离职证明（CHG-RESIGNATION）。"
                )
                % {"name": former_employer.name}
            )
        if Case.objects.filter(applicant=applicant, kind=Kind.RENEWAL, state__in=_open()).exists():
            raise TransitionNotAllowed(_("持证人有未办结的续签业务，请先办结续签（CHG-RENEW-FIRST）。"))
    elif permit.employer_id != employer.pk:
        raise TransitionNotAllowed(_("证件登记的聘用单位不是本单位，请先办理单位变更（CHG-RESIGNATION）。"))
    kinds = [k for k in info_change_kinds if k in InfoChangeKind.values]
    if kind == Kind.INFO_CHANGE and not kinds:
        raise TransitionNotAllowed(_("请至少选择一项变更事项（INF-CHANGE）。"))
    _refuse_if_open(applicant, kind)
    case = Case.objects.create(
        reference=next_reference(today.year),
        kind=kind,
        applicant=applicant,
        employer=employer,
        association=association,
        former_employer=former_employer,
        former_association=former_association,
        permit_number=permit.number,
        permit_expires_on=permit.expires_on,
        permit_held_since=permit.issued_on,
        permit_migrated=permit.migrated,
        employed_since=hiring_date(association),
        info_change_kinds=kinds if kind == Kind.INFO_CHANGE else [],
        info_change_note=info_change_note if kind == Kind.INFO_CHANGE else "",
        info_change_before=info_change_values(applicant, kinds) if kind == Kind.INFO_CHANGE else {},
        created_by=user,
    )
    _event(case, user, "create", "", State.DRAFT)
    if kind == Kind.EMPLOYER_CHANGE and former_association is not None:
        _link_resignation_certificate(case, user)
    reuse_association_documents(case, today=today)
    _notify(_applicant_users(case), "started", case, case_url(case))
    return case


def start_deadline_refusal(kind: str, expires_on: date, today: date) -> str:
    """Why a renewal or employer change cannot start today, with the dates (empty: it can).

    REN-WINDOW: a renewal before the window opens (尚未到续签期). REN-DEADLINE / CHG-DEADLINE: on or
    after `complete_by` the case can no longer be completed before the permit lapses. A late start
    before `complete_by` is allowed (the submitter acknowledges the risk at submission, edition 2)."""
    if kind not in (Kind.RENEWAL, Kind.EMPLOYER_CHANGE) or today > expires_on:
        return ""
    d = engine.case_deadlines(expires_on, today)
    dates = {
        "expires": expires_on,
        "opens": d.window_opens,
        "complete_by": d.complete_by,
        "latest": engine.latest_day(d),
        "today": today,
        "estimated": _("（估算）") if d.estimated else "",
    }
    if kind == Kind.RENEWAL and today < d.window_opens:
        return str(
            _(
                "尚未到续签期：证件有效期至 %(expires)s，续签期自 %(opens)s 起至 %(complete_by)s，"
                "最晚提交日为 %(latest)s%(estimated)s；请于 %(opens)s 起再发起续签（REN-WINDOW）。"
            )
            % dates
        )
    if today >= d.complete_by:
        rule = "REN-DEADLINE" if kind == Kind.RENEWAL else "CHG-DEADLINE"
        return str(
            _(
                "证件有效期至 %(expires)s，须在 %(complete_by)s 前完成审批，最晚提交日为 %(latest)s；"
                "%(today)s 发起已无法在证件到期前办结（%(rule)s）。"
            )
            % {**dates, "rule": rule}
        )
    return ""


def info_change_values(applicant: Applicant, kinds: Iterable[str]) -> dict[str, str]:
    """INF-CHANGE: the current values of the chosen kinds (kept at start, shown as old → new)."""
    values = {
        InfoChangeKind.ADDRESS: lambda: applicant.residence_address,
        InfoChangeKind.HUKOU_ADDRESS: lambda: applicant.hukou_address,
        InfoChangeKind.CHILD: lambda: "、".join(c.name for c in applicant.children.order_by("birth_date")),
    }
    return {kind: str(values[kind]()) for kind in kinds if kind in values}  # type: ignore[index]


def hiring_date(association: Association) -> date | None:
    """入职日期 for a new case: the one the employer recorded when it confirmed the association, else
    the start of the applicant's current work period at that employer (工作经历, no end date)."""
    if association.employed_since is not None:
        return association.employed_since
    period = (
        association.applicant.periods.filter(
            kind="work", organisation=association.employer.name, end__isnull=True
        )
        .order_by("-start")
        .first()
    )
    return period.start if period is not None else None


def reuse_association_documents(case: Case, *, today: date) -> list[CaseDocument]:
    """DOC-CHECKLIST: a document the employer uploaded when it confirmed the association (the labour
    contract) fills the same item of the case, as its current version and with its original
    uploader, so nobody is asked for it again (a contract replaced since: its latest version). Not
    reused: an expired contract, an item the case's checklist does not have, or a file whose uploader
    is no longer an operator of the case's employer (the link would not count, DOC-CHECKLIST)."""
    from materials.selectors import latest_version

    association = case.association
    contract = association.labour_contract if association is not None else None
    if contract is None:
        return []
    document = latest_version(contract)
    if document.valid_until is not None and document.valid_until < today:
        return []
    uploader = document.uploaded_by
    operator = getattr(uploader, "operator", None) if uploader.is_operator else None
    if operator is None or operator.employer_id != case.employer_id:
        return []
    try:
        items = checklist_items(case, today)
    except engine.PolicyError:
        return []
    slots = {(item.id, item.child): item.uploader for item in items}
    slot = (document.material, None)
    if slots.get(slot) != "employer" or slot in current_documents(case):
        return []
    link = CaseDocument.objects.create(
        case=case, material=document.material, uploader="employer", document=document, added_by=uploader
    )
    return [link]


def _link_resignation_certificate(case: Case, user: User) -> None:
    """CHG-RESIGNATION: the former employer uploaded the certificate when it dissociated the holder."""
    from materials.models import Document

    document = (
        Document.objects.filter(
            material="RESIGNATION-CERT",
            employer=case.former_employer,
            applicant=case.applicant,
            replaced_by__isnull=True,
        )
        .order_by("-uploaded_at")
        .first()
    )
    if document is not None:
        CaseDocument.objects.create(
            case=case,
            material="RESIGNATION-CERT",
            uploader="former_employer",
            document=document,
            added_by=user,
        )


# --- facts on the case ---------------------------------------------------------------------------


def _editable(user: User, case: Case, version: int | None) -> Case:
    locked = _locked(case, version)
    if not can_edit_facts(roles_of(user, locked), locked):
        raise TransitionNotAllowed(
            _("申请当前状态为「%(state)s」，您不能修改。") % {"state": locked.get_state_display()}
        )
    return locked


def reset_employer_check(locked: Case, actor: User, what: str) -> bool:
    """The applicant changed facts or materials after the operator's 单位核查: the check goes back to
    not done, with a history line, and the operators are told (issue 10, item 4). Called inside the
    writer's transaction on the locked row; returns whether a check was reset (the caller saves
    `employer_checked` with its own bump)."""
    roles = roles_of(actor, locked)
    if APPLICANT not in roles or OPERATOR in roles or not locked.employer_checked:
        return False
    locked.employer_checked = []
    _event(
        locked,
        actor,
        "employer_check_reset",
        locked.state,
        locked.state,
        reason=str(_("申请人在单位核查后修改了%(what)s，单位核查须重新完成。") % {"what": what}),
    )
    _notify(
        _operators(locked),
        "check_reset",
        locked,
        reverse("cases:employer_check", args=[locked.public_id]),
        what=str(what),
    )
    return True


# The states in which an operator's 单位核查 stands for a case not yet with the authority.
CHECK_RESET_STATES = (
    State.DRAFT,
    State.WITH_EMPLOYER,
    State.RETURNED_TO_APPLICANT,
    State.RETURNED_TO_EMPLOYER,
)


def applicant_profile_changed(*, applicant: Any) -> None:
    """The applicant changed their profile (study, work, children, photo …), which is part of every
    case's facts: an operator's 单位核查 done before it goes back to not done (issue 10, item 4).
    Runs inside the profile's saving transaction (signal `applicants.signals.profile_changed`)."""
    for case in Case.objects.filter(applicant=applicant, state__in=CHECK_RESET_STATES):
        locked = _locked(case, None)
        if reset_employer_check(locked, applicant.user, _("个人信息")):
            _bump(locked, "employer_checked")


CASE_FACT_FIELDS = (
    "employed_since",
    "claimed_clause",
    "evidence",
    "info_change_kinds",
    "info_change_note",
    "added_children",
)


@transaction.atomic
def save_case_facts(user: User, case: Case, *, version: int | None, data: dict[str, Any]) -> Case:
    """Case facts: employed-since, claimed clause and its evidence facts, information-change kinds."""
    locked = _editable(user, case, version)
    if "added_children" in data:
        # CHILD-MINOR: only the applicant's own profile children can be added by the change.
        own = {str(child.public_id) for child in applicant_children(locked.applicant)}
        data = {**data, "added_children": [c for c in data["added_children"] if str(c) in own]}
    changed = []
    for field in CASE_FACT_FIELDS:
        if field in data and getattr(locked, field) != data[field]:
            setattr(locked, field, data[field])
            changed.append(field)
    if changed and reset_employer_check(locked, user, _("申报信息")):
        changed.append("employer_checked")
    _bump(locked, *changed)
    return locked


@transaction.atomic
def save_income(
    user: User,
    case: Case,
    *,
    version: int | None,
    monthly: Sequence[tuple[date, int, bool] | tuple[date, int, bool, int | None]],
    annual: Sequence[tuple[int, int]] | None = None,
) -> Case:
    """Monthly income records (month, amount, corrected[, original amount]) and, for clauses 4/5,
    annual income. A corrected month keeps the amount first declared (APP-INCOME-INTEGRITY: 更正无效)."""
    locked = _editable(user, case, version)
    rows = [(row[0].replace(day=1), row[1], row[2], row[3] if len(row) > 3 else None) for row in monthly]
    months = [row[0] for row in rows]
    if len(set(months)) != len(months):
        raise CaseError(_("同一月份只能填写一次。"))
    if any(original is not None and not corrected for _m, _a, corrected, original in rows):
        raise CaseError(_("只有更正过的月份才填写更正前申报金额。"))
    locked.income_records.all().delete()
    IncomeRecord.objects.bulk_create(
        IncomeRecord(
            case=locked,
            month=month,
            amount=amount,
            corrected=corrected,
            original_amount=original if corrected else None,
        )
        for month, amount, corrected, original in rows
    )
    if annual is not None:
        years = [year for year, _amount in annual]
        if len(set(years)) != len(years):
            raise CaseError(_("同一年度只能填写一次。"))
        locked.annual_incomes.all().delete()
        AnnualIncome.objects.bulk_create(AnnualIncome(case=locked, year=y, amount=a) for y, a in annual)
    if reset_employer_check(locked, user, _("应税收入记录")):
        _bump(locked, "employer_checked")
    else:
        _bump(locked)
    return locked


@transaction.atomic
def accept_extracted_income(
    user: User,
    case: Case,
    *,
    version: int | None,
    document_id: Any,
    rows: Sequence[tuple[date, Decimal, bool]],
    corrections: list[dict[str, Any]],
) -> Case:
    """Accept the income table read from an income printout of this case into its monthly income
    facts (issue 13): months on the table replace what was entered for them, other months stay.

    Amounts are printed with fen and kept in whole yuan, jiao and fen dropped. A month marked
    更正申报 keeps the amount first declared when it was entered (APP-INCOME-INTEGRITY: 更正无效).
    Same permission, lock and history as typing the amounts (`save_income`); the corrected cells are
    kept on the document.
    """
    from materials import services as material_services
    from materials.conf import EXTRACT_MATERIALS
    from materials.ocr.crosscheck import yuan

    locked = _editable(user, case, version)
    document = next(
        (
            d
            for (material, _c), d in current_documents(locked).items()
            if material in EXTRACT_MATERIALS and str(d.public_id) == str(document_id)
        ),
        None,
    )
    if document is None:
        raise CaseError(_("该文件不是本申请当前的收入记录材料。"))
    months = [month.replace(day=1) for month, _a, _c in rows]
    if len(set(months)) != len(months):
        raise CaseError(_("同一月份只能填写一次。"))
    existing = {r.month: r for r in locked.income_records.all()}
    merged: dict[date, tuple[date, int, bool, int | None]] = {
        m: (m, r.amount, r.corrected, r.original_amount) for m, r in existing.items()
    }
    for (month, amount, corrected), first in zip(rows, months, strict=True):
        whole = yuan(amount)
        if whole is None or whole < 0:
            raise CaseError(_("%(month)s 的金额无效。") % {"month": f"{month:%Y-%m}"})
        prior = existing.get(first)
        original = prior.original_amount if prior is not None and corrected else None
        merged[first] = (first, whole, corrected, original)
    locked = save_income(user, locked, version=locked.version, monthly=[merged[m] for m in sorted(merged)])
    _event(
        locked,
        user,
        "income_from_scan",
        locked.state,
        locked.state,
        reason=_("%(count)s 个月，更正 %(fixed)s 处") % {"count": len(rows), "fixed": len(corrections)},
    )
    try:
        material_services.accept_extraction(
            actor=user, document=document, corrections=corrections, case_public_id=locked.public_id
        )
    except ValidationError as exc:
        raise CaseError(" ".join(exc.messages)) from exc
    return locked


class IncomeImportRefused(CaseError):
    """The pasted or imported lines have errors: nothing was saved; `preview` says where."""

    def __init__(self, preview: income_import.IncomePreview) -> None:
        self.preview = preview
        super().__init__(_("有 %(n)d 处需要更正，更正后才能保存。") % {"n": len(preview.errors)})


def preview_income_lines(
    user: User, case: Case, *, lines: Sequence[income_import.RawLine], today: date
) -> income_import.IncomePreview:
    """What pasting or importing these lines would save, with an error per line and column
    (issue 10, item 6; APP-INCOME-RECENT / REN-INCOME-3Y window). Saves nothing. Only someone who may
    edit the case's facts now gets a preview. `lines` may come from a paste, a CSV/XLSX file or a
    reader of scanned income records (`cases.income_import.RawLine`)."""
    if not can_edit_facts(roles_of(user, case), case):
        raise TransitionNotAllowed(
            _("申请当前状态为「%(state)s」，您不能修改。") % {"state": case.get_state_display()}
        )
    return income_import.check(lines, window=case_selectors.income_window(case, today), today=today)


@transaction.atomic
def accept_income_lines(
    user: User,
    case: Case,
    *,
    version: int | None,
    lines: Sequence[income_import.RawLine],
    today: date,
    source: str = "",
) -> Case:
    """Save the previewed lines into the case's monthly income after the user confirmed them: checked
    again inside the row lock; any error refuses the whole import (nothing saved). A month already
    on the case takes the imported amount and keeps its correction mark and first-declared amount
    (APP-INCOME-INTEGRITY: 更正无效); months not in the import are kept. One history event."""
    locked = _editable(user, case, version)
    preview = income_import.check(lines, window=case_selectors.income_window(locked, today), today=today)
    if not preview.ok:
        raise IncomeImportRefused(preview)
    existing = {record.month: record for record in locked.income_records.select_for_update()}
    created = updated = 0
    for row in preview.rows:
        record = existing.get(row.month)
        if record is None:
            IncomeRecord.objects.create(case=locked, month=row.month, amount=row.amount)
            created += 1
        elif record.amount != row.amount:
            record.amount = row.amount
            record.save(update_fields=["amount"])
            updated += 1
    _bump(locked)
    first, last = preview.rows[0].month, preview.rows[-1].month
    _event(
        locked,
        user,
        "income_import",
        locked.state,
        locked.state,
        reason=_(
            "%(source)s：%(n)d 个月（%(first)s 至 %(last)s），新增 %(created)d 个月，更新 %(updated)d 个月。"
        )
        % {
            "source": source or _("粘贴纳税记录"),
            "n": len(preview.rows),
            "first": f"{first:%Y-%m}",
            "last": f"{last:%Y-%m}",
            "created": created,
            "updated": updated,
        },
    )
    return locked


@transaction.atomic
def save_employer_check(
    user: User,
    case: Case,
    *,
    version: int | None,
    contract: bool,
    tax_withholding: bool,
    social_insurance: bool,
    social_insurance_continuous: bool,
    checked: Sequence[str],
) -> Case:
    """The employer's confirmation (APP-SAME-EMPLOYER, APP-SOCIAL-INSURANCE) and the sections it checked."""
    locked = _locked(case, version)
    roles = roles_of(user, locked)
    if OPERATOR not in roles or not can_edit_facts(roles, locked):
        raise TransitionNotAllowed(
            _("申请当前状态为「%(state)s」，单位不能核查。") % {"state": locked.get_state_display()}
        )
    locked.same_employer_contract = contract
    locked.same_employer_tax = tax_withholding
    locked.same_employer_social_insurance = social_insurance
    locked.social_insurance_continuous = social_insurance_continuous
    locked.employer_checked = sorted(set(checked))
    _bump(
        locked,
        "same_employer_contract",
        "same_employer_tax",
        "same_employer_social_insurance",
        "social_insurance_continuous",
        "employer_checked",
    )
    return locked


@transaction.atomic
def attach_document(
    user: User,
    case: Case,
    *,
    material: str,
    child: int | None,
    uploaded_file: UploadedFile,
    uploader: str | None = None,
    valid_until: date | None = None,
    issued_on: date | None = None,
    today: date | None = None,
) -> CaseDocument:
    """Store a file through materials.services.store_upload and link it to the case's checklist slot.

    DOC-CHECKLIST: the slot must be an item of this case's checklist that the actor may upload; the
    uploader is the item's, never the caller's (`uploader`, when given, must name the same party).
    """
    locked = _locked(case, None)
    roles = roles_of(user, locked)
    on = today or timezone.localdate()
    try:
        items = checklist_items(locked, on)
    except engine.PolicyError as exc:
        raise CaseError(engine.explain(exc)) from exc
    slot = [item for item in items if item.id == material and item.child == child]
    if not slot:
        raise CaseError(_("该材料不在本申请的材料清单中。"))
    item = next((i for i in slot if can_upload(roles, locked, i.uploader)), None)
    if item is None or (uploader is not None and uploader != item.uploader):
        raise TransitionNotAllowed(
            _("申请当前状态为「%(state)s」，您不能上传该材料。") % {"state": locked.get_state_display()}
        )
    previous = current_documents(locked).get((material, child))
    replaces = None
    if previous is not None and previous.is_current and previous.uploaded_by_id == user.pk:
        replaces = previous
    try:
        document = store_upload(
            uploaded_file=uploaded_file,
            material=material,
            uploaded_by=user,
            employer=locked.employer if item.uploader == "employer" else None,
            applicant=locked.applicant,
            replaces=replaces,
            valid_until=valid_until,
            issued_on=issued_on,
        )
    except ValidationError as exc:
        raise CaseError(" ".join(exc.messages)) from exc
    link = CaseDocument.objects.create(
        case=locked, material=material, uploader=item.uploader, child=child, document=document, added_by=user
    )
    if reset_employer_check(locked, user, _("材料（%(label)s）") % {"label": material_label(material)}):
        _bump(locked, "employer_checked")
    else:
        _bump(locked)
    return link


# --- what blocks submission ---------------------------------------------------------------------


def current_documents(case: Case) -> dict[tuple[str, int | None], Document]:
    """The latest document linked to each (material, child) slot by its rightful uploader
    (DOC-CHECKLIST `uploader`): a link added by anyone else never becomes current."""
    return {slot: link.document for slot, link in case_selectors.current_links(case).items()}


def checklist_items(case: Case, today: date) -> list[Any]:
    """DOC-CHECKLIST for this case's facts (policy.checklist)."""
    return engine.checklist_for(facts_for_case(case, as_of=today, submitted_on=today))


def missing_materials(case: Case, today: date, uploaders: Iterable[str]) -> list[Any]:
    wanted = set(uploaders)
    have = current_documents(case)
    return [
        item
        for item in checklist_items(case, today)
        if item.uploader in wanted and (item.id, item.child) not in have
    ]


def _profile_problems(case: Case) -> list[Problem]:
    from applicants.selectors import missing_profile_items

    profile = reverse("applicants:profile")
    return [
        Problem("profile", _("个人信息未填写：%(item)s") % {"item": label}, f"{profile}#section-{section}")
        for section, label in missing_profile_items(case.applicant)
    ]


def _fact_problems(case: Case) -> list[Problem]:
    url = reverse("cases:facts", args=[case.public_id])
    income_url = reverse("cases:income", args=[case.public_id])
    problems: list[Problem] = []
    if case.kind == Kind.NEW:
        if not case.claimed_clause:
            problems.append(Problem("facts", _("请选择申报条款。"), url + "#id_claimed_clause"))
        if case.claimed_clause in (4, 5) and not case.annual_incomes.exists():
            problems.append(
                Problem("income", _("以条款4、5申报的，请填写近三个自然年度的应税收入。"), income_url)
            )
    if case.kind in (Kind.NEW, Kind.RENEWAL) and not case.income_records.exists():
        problems.append(Problem("income", _("请填写月度应税收入记录。"), income_url))
    if (
        case.kind in (Kind.NEW, Kind.RENEWAL)
        and case.employed_since is None
        and (case.association is None or case.association.employed_since is None)
    ):
        problems.append(Problem("facts", _("请填写入职日期。"), url + "#id_employed_since"))
    if case.kind == Kind.INFO_CHANGE and not case.info_change_kinds:
        problems.append(Problem("facts", _("请至少选择一项变更事项（INF-CHANGE）。"), url))
    return problems


def _material_problems(case: Case, today: date, uploaders: Iterable[str]) -> list[Problem]:
    url = reverse("cases:materials", args=[case.public_id])
    problems = []
    for item in missing_materials(case, today, uploaders):
        label = material_label(item.id)
        if item.child is not None:
            label = _("%(label)s（第%(n)d个子女）") % {"label": label, "n": item.child + 1}
        problems.append(
            Problem(
                "materials", _("材料未上传：%(label)s") % {"label": label}, f"{url}#m-{item.id}-{item.child}"
            )
        )
    return problems


def submission_day(case: Case, today: date) -> date:
    """The contract's `submitted_on`: the first submission to the authority (a resubmission after a
    return keeps it), else today for a case not yet submitted."""
    return case.first_submitted_on or today


def _deadline_dates(case: Case, today: date) -> tuple[Any, dict[str, Any]] | None:
    if case.kind not in (Kind.RENEWAL, Kind.EMPLOYER_CHANGE) or case.permit_expires_on is None:
        return None
    day = submission_day(case, today)
    d = engine.case_deadlines(case.permit_expires_on, day)
    dates = {
        "expires": case.permit_expires_on,
        "opens": d.window_opens,
        "complete_by": d.complete_by,
        "latest": engine.latest_day(d),
        "today": day,
        "window": engine.renewal_window_days(day),
        "lead": engine.lead_working_days(day),
    }
    return d, dates


def is_late(case: Case, today: date) -> bool:
    """REN-DEADLINE / CHG-DEADLINE (edition 2): submitted after the latest day but before `complete_by`
    on an exact calendar. Such a submission is allowed at the submitter's acknowledged risk (续签
    注意事项 4: 未按时间提交…责任由申请单位及申请人承担); an estimated deadline never blocks."""
    found = _deadline_dates(case, today)
    if found is None:
        return False
    d, dates = found
    day = dates["today"]
    return (
        day <= case.permit_expires_on
        and d.window_opens <= day < d.complete_by
        and not d.in_time
        and not d.estimated
    )


def late_risk_text(case: Case, today: date) -> str:
    """The acknowledgement the submitter ticks, with the dates (empty when the case is not late)."""
    found = _deadline_dates(case, today)
    if found is None or not is_late(case, today):
        return ""
    _d, dates = found
    return (
        _(
            "本业务的最晚提交日为 %(latest)s（证件有效期至 %(expires)s，须在 %(complete_by)s 前完成审批，"
            "需预留 %(lead)d 个工作日用于审批），今天（%(today)s）提交已晚于最晚提交日。"
            "我已知悉：未按时间提交造成证件过期失效的，责任由申请单位及申请人承担。"
        )
        % dates
    )


def deadline_problems(case: Case, today: date, *, late_acknowledged: bool = False) -> list[Problem]:
    """REN-EXPIRED, REN-WINDOW, REN-DEADLINE, CHG-DEADLINE, CHG-RENEW-FIRST at submission, with the dates.

    Edition 2: a late submission (after the latest working day, before `complete_by`) is not
    refused; it needs the submitter's acknowledgement of the risk, then reaches the reviewer as
    `review`. A submission on or after `complete_by` cannot be completed before the permit lapses.
    An estimated deadline (unpublished calendar year) never blocks.
    """
    found = _deadline_dates(case, today)
    if found is None:
        return []
    d, dates = found
    expires = case.permit_expires_on
    day = dates["today"]
    if day > expires:
        return [
            Problem(
                "deadline", _("证件已于 %(date)s 过期，一旦过期无法恢复（REN-EXPIRED）。") % {"date": expires}
            )
        ]
    problems: list[Problem] = []
    if case.kind == Kind.RENEWAL and day < d.window_opens:
        problems.append(
            Problem(
                "deadline",
                _(
                    "续签须在证件有效期满前%(window)d日内办理：证件有效期至 %(expires)s，"
                    "续签期为 %(opens)s 至 %(complete_by)s，%(today)s 尚未到续签期（REN-WINDOW）。"
                )
                % dates,
            )
        )
    elif day >= d.complete_by:
        problems.append(
            Problem(
                "deadline",
                _(
                    "证件有效期至 %(expires)s，须在 %(complete_by)s 前完成审批；"
                    "%(today)s 提交已无法在证件到期前办结（REN-DEADLINE）。"
                )
                % dates,
            )
        )
    elif is_late(case, today) and not (late_acknowledged or case.late_risk_acknowledged_at):
        problems.append(
            Problem(
                "late",
                _(
                    "最晚提交日为 %(latest)s（需预留 %(lead)d 个工作日用于审批），%(today)s 提交已逾期。"
                    "仍可提交，但须勾选确认已知悉逾期风险，申请将由审核人员判断。"
                )
                % dates,
                "#id_acknowledge_late",
            )
        )
    if case.kind == Kind.EMPLOYER_CHANGE:
        renewal_open = Case.objects.filter(applicant=case.applicant, kind=Kind.RENEWAL, state__in=_open())
        if renewal_open.exists():
            problems.append(
                Problem("deadline", _("持证人有未办结的续签业务，请由原单位先办结续签（CHG-RENEW-FIRST）。"))
            )
    return problems


def deadline_warnings(case: Case, today: date) -> list[str]:
    """What the submitter should know but that blocks nothing (CAL-WORKING-DAYS, CHG-RENEW-FIRST)."""
    found = _deadline_dates(case, today)
    if found is None:
        return []
    d, dates = found
    warnings: list[str] = []
    day = dates["today"]
    if d.estimated:
        warnings.append(
            _(
                "最晚提交日 %(latest)s 涉及尚未公布的节假日安排，为保守估算；估算日期不影响提交，"
                "如晚于估算日期提交，将由审核人员判断。"
            )
            % dates
        )
    if case.kind == Kind.EMPLOYER_CHANGE and day < d.complete_by:
        warnings += renew_first_warnings(case.permit_expires_on, day)
    return warnings


def renew_first_warnings(expires_on: date | None, today: date) -> list[str]:
    """CHG-RENEW-FIRST: a renewal after an employer change needs a second review, so the change
    warns when `complete_by` is less than twice the lead working days away."""
    if expires_on is None:
        return []
    d = engine.case_deadlines(expires_on, today)
    lead = engine.lead_working_days(today)
    cal = engine.calendar()
    left = cal.working_days_between(today, d.complete_by, estimate=True)
    if left >= 2 * lead:
        return []
    return [
        _(
            "证件有效期至 %(expires)s，须在 %(complete_by)s 前办结续签；距该日仅余 %(left)d 个工作日，"
            "不足单位变更与续签各需预留的 %(lead)d 个工作日之和。续签与单位变更同时发生时，"
            "应先由原单位办理续签，再办理单位变更（CHG-RENEW-FIRST）。"
        )
        % {"expires": expires_on, "complete_by": d.complete_by, "left": left, "lead": lead}
    ]


def _eligibility_problems(case: Case, today: date) -> list[Problem]:
    problems = []
    if oversight_selectors.employer_sanctioned(case.employer, today):
        problems.append(
            Problem("employer", _("单位已被列入黑名单或取消申报资格，不能提交（ORG-SANCTION）。"))
        )
    if oversight_selectors.applicant_sanctioned(case.applicant, today):
        problems.append(Problem("applicant", _("申请人已被列入黑名单或取消申报资格（APP-SANCTION）。")))
    if case.kind == Kind.NEW and not case.employer.can_file_new:
        problems.append(
            Problem("employer", _("单位仅有接收已持证人员的权限，不能办理新办业务（ORG-PERMISSION）。"))
        )
    return problems


EMPLOYER_CHECK_SECTIONS = ("profile", "facts", "income", "materials")


def _employer_check_problems(case: Case) -> list[Problem]:
    url = reverse("cases:employer_check", args=[case.public_id])
    problems = []
    if None in (
        case.same_employer_contract,
        case.same_employer_tax,
        case.same_employer_social_insurance,
        case.social_insurance_continuous,
    ):
        problems.append(Problem("check", _("请确认劳动合同、个税扣缴、社保缴纳单位及社保缴纳情况。"), url))
    missing = [s for s in EMPLOYER_CHECK_SECTIONS if s not in (case.employer_checked or [])]
    if missing:
        problems.append(Problem("check", _("请逐项核查申请人的全部信息及材料后勾选确认。"), url))
    return problems


SUBMISSION_UPLOADERS = {
    Action.SUBMIT: ("applicant",),
    Action.EMPLOYER_SUBMIT: ("applicant", "employer", "former_employer"),
}


def _check_problems(case: Case, uploaders: Iterable[str]) -> list[Problem]:
    """DOC-FORMAT: a file that could not be opened blocks submission (guards.hard_check_failures)."""
    url = reverse("cases:materials", args=[case.public_id])
    return [
        Problem("materials", message, f"{url}#m-{material}-{child}")
        for material, child, message in guards.hard_check_failures(case, uploaders)
    ]


def submission_warnings(case: Case, action: str) -> list[Problem]:
    """DOC-FORMAT: files that failed a page check; submission goes on, the reviewer decides."""
    url = reverse("cases:materials", args=[case.public_id])
    return [
        Problem("materials", message, f"{url}#m-{material}-{child}")
        for material, child, message in guards.failed_check_warnings(
            case, SUBMISSION_UPLOADERS.get(action, ())
        )
    ]


def submission_problems(
    case: Case, action: str, today: date, *, late_acknowledged: bool = False
) -> list[Problem]:
    """Everything that blocks `action` (submit / employer_submit), all at once."""
    problems: list[Problem] = []
    if action == Action.SUBMIT:
        problems += _profile_problems(case)
        problems += _fact_problems(case)
        problems += _material_problems(case, today, ["applicant"])
        problems += _check_problems(case, SUBMISSION_UPLOADERS[action])
    elif action == Action.EMPLOYER_SUBMIT:
        problems += _profile_problems(case)
        problems += _fact_problems(case)
        problems += _material_problems(case, today, ["applicant", "employer", "former_employer"])
        problems += _check_problems(case, SUBMISSION_UPLOADERS[action])
        problems += _employer_check_problems(case)
        problems += _eligibility_problems(case, today)
        problems += deadline_problems(case, today, late_acknowledged=late_acknowledged)
    return problems


# --- transitions ---------------------------------------------------------------------------------


def _policy_overrides(snapshot: AcceptanceSnapshot) -> list[override_policy.Override]:
    return [
        override_policy.Override(o.rule, o.clause, o.original_outcome, o.outcome, o.status)
        for o in snapshot.overrides.order_by("at", "id")
    ]


def effective_outcomes(snapshot: AcceptanceSnapshot) -> dict[tuple[str, int | None], str]:
    """Every check's outcome after the overrides in force (key: rule, clause); edition 2 principle."""
    return override_policy.effective_outcomes(snapshot.result or {}, _policy_overrides(snapshot))


def effective_decision(snapshot: AcceptanceSnapshot) -> str:
    """The engine's decision recomputed on the effective outcomes."""
    return override_policy.effective_decision(snapshot.result or {}, _policy_overrides(snapshot))


def approval_problems(case: Case, snapshot: AcceptanceSnapshot | None) -> list[str]:
    """What stops approval: checks that fail or still wait for a reviewer's written decision."""
    if snapshot is None:
        return [_("该申请尚未受理，没有受理日的判定结果。")]
    outcomes = effective_outcomes(snapshot)
    problems = []
    for waiting in override_policy.waiting(_policy_overrides(snapshot)):
        problems.append(
            _("%(rule)s 的人工判定（改为“%(outcome)s”）尚待主管批准。")
            % {"rule": waiting.rule, "outcome": OUTCOME_LABELS.get(waiting.outcome, waiting.outcome)}
        )
    for (rule, clause), outcome in outcomes.items():
        if clause is not None:
            continue
        if outcome == "fail":
            problems.append(_("%(rule)s 不符合。") % {"rule": rule})
        elif outcome == "review":
            problems.append(_("%(rule)s 需人工判定，请填写理由后作出判定。") % {"rule": rule})
    if case.kind == Kind.NEW:
        clauses = (snapshot.result or {}).get("clauses", [])
        qualifying = []
        pending = []
        for clause in clauses:
            number = clause["clause"]
            checks = [outcomes[(c["rule"], number)] for c in clause.get("checks", [])]
            if checks and all(o == "pass" for o in checks):
                qualifying.append(number)
            elif checks and all(o in ("pass", "review") for o in checks):
                pending.append(number)
        if not qualifying:
            if pending:
                problems.append(
                    _("条款 %(clauses)s 需人工判定，请填写理由后作出判定。")
                    % {"clauses": "、".join(str(n) for n in pending)}
                )
            else:
                problems.append(_("没有符合的申报条款。"))
    return problems


def approval_blockers(case: Case, snapshot: AcceptanceSnapshot | None) -> list[str]:
    """Everything that stops the district's approval: the checks (`approval_problems`) and the
    materials guards (`cases.guards.material_blockers`: problem verdicts, failed automatic checks not
    accepted with a reason, DOC-STAMPED confirmations)."""
    return [*(str(p) for p in approval_problems(case, snapshot)), *guards.material_blockers(case)]


def latest_snapshot(case: Case) -> AcceptanceSnapshot | None:
    return case.snapshots.order_by("-created_at", "-id").first()


def transition(
    user: User,
    case: Case,
    action: str,
    *,
    version: int | None,
    today: date,
    reason: str = "",
    opinion: str = "",
    tips: str = "",
    acknowledge_late: bool = False,
) -> Case:
    """Perform `action` on the case if the table and the actor's role allow it.

    `acknowledge_late`: the submitter ticked the acknowledgement of a late submission's risk
    (REN-DEADLINE / CHG-DEADLINE, edition 2); it is recorded on the case and in its history.

    Two people acting at the same moment: the row lock makes the second wait and then see the new
    state (PostgreSQL); a database that refuses the second writer instead gets the same clear message.
    """
    try:
        return _transition(
            user,
            case,
            action,
            version=version,
            today=today,
            reason=reason,
            opinion=opinion,
            tips=tips,
            acknowledge_late=acknowledge_late,
        )
    except OperationalError as exc:
        if "locked" not in str(exc).lower() and "could not obtain lock" not in str(exc).lower():
            raise
        raise StaleCase(_("该申请正由他人处理，请刷新页面查看最新状态。")) from exc


@transaction.atomic
def _transition(
    user: User,
    case: Case,
    action: str,
    *,
    version: int | None,
    today: date,
    reason: str,
    opinion: str,
    tips: str,
    acknowledge_late: bool = False,
) -> Case:
    locked = _locked(case, version)
    step = workflow.transition_for(locked.kind, locked.state, action)
    label = str(workflow.ACTION_LABELS.get(action, action))
    if step is None:
        raise TransitionNotAllowed(
            _("申请当前状态为「%(state)s」，不能执行「%(action)s」。")
            % {"state": locked.get_state_display(), "action": label}
        )
    roles = roles_of(user, locked)
    if not roles & step.roles:
        raise TransitionNotAllowed(_("您无权对该申请执行「%(action)s」。") % {"action": label})
    if (
        REVIEWER in roles & step.roles
        and locked.assigned_to_id is not None
        and locked.assigned_to_id != user.pk
        and not user.is_supervisor
    ):
        raise TransitionNotAllowed(
            _("该申请已分配给审核人员 %(name)s，只有该审核人员或主管人员可以处理。")
            % {"name": locked.assigned_to}
        )
    reason, opinion, tips = reason.strip(), opinion.strip(), tips.strip()
    if action in workflow.OPINION_ACTIONS:
        if not opinion:
            raise TransitionNotAllowed(_("请填写审核意见。"))
    elif action in workflow.REASON_REQUIRED and not reason:
        raise TransitionNotAllowed(_("请填写退回理由。"))

    from_state = locked.state
    changed: list[str] = ["state"]
    late_text = ""
    if action in (Action.SUBMIT, Action.EMPLOYER_SUBMIT):
        problems = submission_problems(locked, action, today, late_acknowledged=acknowledge_late)
        if problems:
            raise SubmissionBlocked(problems)
    if action == Action.EMPLOYER_SUBMIT:
        if acknowledge_late and locked.late_risk_acknowledged_at is None and is_late(locked, today):
            late_text = late_risk_text(locked, today)
            locked.late_risk_acknowledged_at = timezone.now()
            locked.late_risk_acknowledged_by = user
            changed += ["late_risk_acknowledged_at", "late_risk_acknowledged_by"]
        locked.submitted_at = timezone.now()
        locked.submitted_on = today
        if locked.first_submitted_on is None:
            locked.first_submitted_on = today
        locked.due_on, locked.due_estimated = engine.review_due(today)
        changed += ["submitted_at", "submitted_on", "first_submitted_on", "due_on", "due_estimated"]
    elif action == Action.ACCEPT:
        _snapshot(locked, user, today)
        locked.accepted_on = today
        changed.append("accepted_on")
    elif action == Action.APPROVE:
        blockers = approval_blockers(locked, latest_snapshot(locked))
        if blockers:
            raise ApprovalBlocked(blockers)
        # BIZ-TIME-LIMIT: the district's approval goes to the municipal 核准; no permit yet.
        locked.district_approved_on = today
        locked.ratify_due_on, locked.ratify_due_estimated = engine.ratify_due_date(today)
        changed += ["district_approved_on", "ratify_due_on", "ratify_due_estimated"]
    elif action == Action.RATIFY:
        # 核准: only now is the permit issued (and the confirmation slip printable).
        locked.state = step.to_state
        try:
            apply_case_decision(locked, decided_on=today, actor=user)
        except PermitError as exc:
            raise TransitionNotAllowed(" ".join(exc.messages)) from exc
    elif action == Action.RETURN_TO_DISTRICT:
        locked.ratify_due_on = None
        locked.ratify_due_estimated = False
        changed += ["ratify_due_on", "ratify_due_estimated"]
    if action in (Action.RATIFY, Action.REJECT, Action.WITHDRAW):
        locked.decided_at = timezone.now()
        locked.decided_by = user
        changed += ["decided_at", "decided_by"]
    locked.state = step.to_state
    _bump(locked, *changed)
    if late_text:
        _event(locked, user, "acknowledge_late", from_state, from_state, reason=late_text)
    _event(locked, user, action, from_state, step.to_state, reason=reason, opinion=opinion, tips=tips)
    _notify_transition(locked, action, user, opinion=opinion, tips=tips, reason=reason)
    return locked


def _snapshot(case: Case, user: User, today: date) -> AcceptanceSnapshot:
    """四（九）: fix the facts, parameters (snapshot + hash), engine version and result on acceptance."""
    facts = facts_for_case(case, as_of=today, submitted_on=submission_day(case, case.submitted_on or today))
    try:
        evaluation = engine.evaluate_facts(facts, today)
    except engine.PolicyError as exc:
        raise TransitionNotAllowed(
            _("无法按受理日判定，不能受理：%(error)s") % {"error": engine.explain(exc)}
        ) from exc
    return AcceptanceSnapshot.objects.create(
        case=case,
        as_of=today,
        facts=facts,
        parameters=evaluation.parameters,
        parameters_hash=evaluation.parameters_hash,
        engine_version=evaluation.engine_version,
        result=evaluation.result,
        created_by=user,
    )


def _notify_transition(case: Case, action: str, actor: User, **text: str) -> None:
    url = case_url(case)
    applicant, operators = _applicant_users(case), _operators(case)
    others = [u for u in [*applicant, *operators] if u.pk != actor.pk]
    if action == Action.SUBMIT:
        _notify(operators, "to_employer", case, url)
    elif action == Action.EMPLOYER_SUBMIT:
        _notify(
            applicant,
            "submitted",
            case,
            url,
            due_on=case.due_on.isoformat() if case.due_on else "",
            lead_days=str(engine.parameter_int("P-LEAD-WORKING-DAYS", case.submitted_on)),
            ratify_days=str(engine.parameter_int("P-RATIFY-WORKING-DAYS", case.submitted_on)),
        )
        if case.assigned_to is not None:
            _notify([case.assigned_to], "resubmitted", case, review_url(case))
    elif action == Action.EMPLOYER_RETURN:
        _notify(applicant, "returned_to_applicant", case, url, **text)
    elif action == Action.ACCEPT:
        _notify(others, "accepted", case, url)
    elif action == Action.RETURN_TO_APPLICANT:
        _notify(applicant, "returned_to_applicant", case, url, **text)
        _notify(operators, "returned_info", case, url, **text)
    elif action == Action.RETURN_TO_EMPLOYER:
        _notify(operators, "returned_to_employer", case, url, **text)
        _notify(applicant, "returned_info", case, url, **text)
    elif action == Action.APPROVE:
        _notify(
            others,
            "approved",
            case,
            url,
            ratify_days=str(engine.ratify_working_days(case.district_approved_on or timezone.localdate())),
            ratify_due_on=case.ratify_due_on.isoformat() if case.ratify_due_on else "",
        )
    elif action == Action.RATIFY:
        _notify(others, "ratified", case, url)
    elif action == Action.RETURN_TO_DISTRICT:
        approver = case.events.filter(action=Action.APPROVE).order_by("-at", "-id").first()
        district = [u for u in (case.assigned_to, approver.actor if approver else None) if u is not None]
        _notify({u.pk: u for u in district}.values(), "returned_to_district", case, review_url(case), **text)
    elif action == Action.REJECT:
        _notify(others, "rejected", case, url, **text)
    elif action == Action.WITHDRAW:
        _notify(others, "withdrawn", case, url)


def submit(user: User, case: Case, *, version: int | None, today: date) -> Case:
    return transition(user, case, Action.SUBMIT, version=version, today=today)


def employer_submit(user: User, case: Case, *, version: int | None, today: date) -> Case:
    return transition(user, case, Action.EMPLOYER_SUBMIT, version=version, today=today)


def employer_return(user: User, case: Case, *, version: int | None, today: date, reason: str) -> Case:
    return transition(user, case, Action.EMPLOYER_RETURN, version=version, today=today, reason=reason)


def accept(user: User, case: Case, *, version: int | None, today: date) -> Case:
    return transition(user, case, Action.ACCEPT, version=version, today=today)


def approve(user: User, case: Case, *, version: int | None, today: date) -> Case:
    return transition(user, case, Action.APPROVE, version=version, today=today)


def ratify(user: User, case: Case, *, version: int | None, today: date) -> Case:
    """核准 (BIZ-TIME-LIMIT): the municipal authority ratifies the district's approval; the permit is
    issued now."""
    return transition(user, case, Action.RATIFY, version=version, today=today)


def return_to_district(user: User, case: Case, *, version: int | None, today: date, reason: str) -> Case:
    """The municipal authority returns a district approval for another look, with a reason."""
    return transition(user, case, Action.RETURN_TO_DISTRICT, version=version, today=today, reason=reason)


def bulk_ratify(user: User, cases: Sequence[Case], *, today: date) -> BulkResult:
    """核准 of several district approvals (after a confirmation step); each in its own transaction, each
    refusal reported with its reason."""
    if not getattr(user, "is_ratifier", False):
        raise TransitionNotAllowed(_("只有市级核准人员可以核准。"))
    result = BulkResult([], [])
    for case in cases:
        try:
            done = transition(user, case, Action.RATIFY, version=None, today=today)
        except CaseError as exc:
            result.refused.append((case, exc.message))
        else:
            result.done.append(done)
    return result


def reject(user: User, case: Case, *, version: int | None, today: date, opinion: str, tips: str = "") -> Case:
    return transition(user, case, Action.REJECT, version=version, today=today, opinion=opinion, tips=tips)


def return_case(
    user: User, case: Case, *, to: str, version: int | None, today: date, opinion: str, tips: str = ""
) -> Case:
    action = Action.RETURN_TO_EMPLOYER if to == "employer" else Action.RETURN_TO_APPLICANT
    return transition(user, case, action, version=version, today=today, opinion=opinion, tips=tips)


def withdraw(user: User, case: Case, *, version: int | None, today: date, reason: str = "") -> Case:
    return transition(user, case, Action.WITHDRAW, version=version, today=today, reason=reason)


# --- reviewer tools ------------------------------------------------------------------------------


def record_document_verdict(
    user: User,
    case: Case,
    document: Document,
    verdict: str,
    *,
    reason: str = "",
    stamp_confirmed: bool | None = None,
    accept_failed_check: bool = False,
) -> Any:
    """A reviewer's verdict on one document of this case, only while the authority holds the case
    (submitted or accepted): once approved, rejected, returned or with the municipal 核准, the
    documents are read-only for the district (issue 10, item 4)."""
    from cases.models import AUTHORITY_STATES
    from materials.services import record_verdict

    with transaction.atomic():
        locked = _locked(case, None)
        if REVIEWER not in roles_of(user, locked):
            raise TransitionNotAllowed(_("只有审核人员可以记录审核结论。"))
        if locked.state not in AUTHORITY_STATES:
            raise TransitionNotAllowed(
                _("申请当前状态为「%(state)s」，不能再记录材料审核结论。")
                % {"state": locked.get_state_display()}
            )
        return record_verdict(
            user,
            document,
            verdict,
            reason=reason,
            stamp_confirmed=stamp_confirmed,
            accept_failed_check=accept_failed_check,
        )


def overridable(business: str, check: dict[str, Any]) -> bool:
    """A computed outcome a reviewer may override (not a never-overridable rule; edition 2)."""
    return override_policy.overridable(business, check)


def propose_override(
    *,
    actor: User,
    case: Case,
    version: int | None,
    rule: str,
    clause: int | None,
    outcome: str,
    reason: str,
    citation: str,
) -> CheckOverride:
    """A reviewer overrides one check's computed outcome with a written reason citing the guide.

    To or from `fail` it waits for a supervisor's approval (four eyes); otherwise it is in force at
    once. The catalogue's never-overridable rules are refused: their facts are corrected at source."""
    with transaction.atomic():
        locked = _locked(case, version)
        if REVIEWER not in roles_of(actor, locked):
            raise TransitionNotAllowed(_("只有审核人员可以人工判定。"))
        if locked.state != State.ACCEPTED:
            raise TransitionNotAllowed(_("只有已受理的申请可以人工判定。"))
        reason, citation = reason.strip(), citation.strip()
        if not reason:
            raise TransitionNotAllowed(_("人工判定必须填写理由。"))
        if not citation:
            raise TransitionNotAllowed(_("人工判定必须注明所依据的办理指南条款。"))
        snapshot = latest_snapshot(locked)
        if snapshot is None:
            raise TransitionNotAllowed(_("该申请尚无受理日判定结果。"))
        check = _find_check(snapshot.result, rule, clause)
        if check is None:
            raise TransitionNotAllowed(_("受理日判定结果中没有该项检查。"))
        business = str((snapshot.result or {}).get("business", locked.kind))
        if override_policy.never_overridable(business, check):
            raise TransitionNotAllowed(
                _(
                    "%(rule)s 不能人工改判：请在信息来源处更正相关信息"
                    "（如单位登记、户籍、处理措施或证件记录），再重新判定。"
                )
                % {"rule": rule}
            )
        original = check.get("outcome", "")
        if not override_policy.overridable(business, check):
            raise TransitionNotAllowed(_("%(rule)s 的结果不能人工改判。") % {"rule": rule})
        if not override_policy.valid_target(original, outcome):
            raise TransitionNotAllowed(_("请选择与系统判定不同的判定结果（通过或不通过）。"))
        if snapshot.overrides.filter(rule=rule, clause=clause, status=CheckOverride.Status.PROPOSED).exists():
            raise TransitionNotAllowed(
                _("%(rule)s 已有一项人工判定待主管批准，请等待批准结果。") % {"rule": rule}
            )
        needs = override_policy.needs_second_approval(original, outcome)
        override = CheckOverride.objects.create(
            snapshot=snapshot,
            rule=rule,
            clause=clause,
            original_outcome=original,
            outcome=outcome,
            reason=reason,
            citation=citation,
            by=actor,
            needs_approval=needs,
            status=override_policy.initial_status(original, outcome),
        )
        _bump(locked)
        _event(locked, actor, "override", locked.state, locked.state, reason=_override_text(override))
        if needs:
            supervisors = [u for u in _supervisors() if u.pk != actor.pk]
            _notify(supervisors, "override_proposed", locked, reverse("cases:override_queue"), rule=rule)
    return override


def _override_text(override: CheckOverride, note: str = "") -> str:
    """The timeline line of an override (staff only)."""
    label = "" if override.clause is None else _("（条款 %(clause)s）") % {"clause": override.clause}
    text = _("%(rule)s%(clause)s：%(original)s → %(outcome)s；理由：%(reason)s；依据：%(citation)s") % {
        "rule": override.rule,
        "clause": label,
        "original": OUTCOME_LABELS.get(override.original_outcome, override.original_outcome),
        "outcome": OUTCOME_LABELS.get(override.outcome, override.outcome),
        "reason": override.reason,
        "citation": override.citation or "—",
    }
    if note:
        text += _("；主管意见：%(note)s") % {"note": note}
    return str(text)


def _supervisors() -> list[User]:
    from accounts.models import Role
    from accounts.models import User as UserModel

    return list(UserModel.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk"))


def _decide_override(*, actor: User, override: CheckOverride, approve: bool, note: str) -> CheckOverride:
    with transaction.atomic():
        case = override.snapshot.case
        locked_case = _locked(case, None)
        locked = CheckOverride.objects.select_for_update().select_related("snapshot").get(pk=override.pk)
        if not getattr(actor, "is_supervisor", False) or not actor.is_active:
            raise TransitionNotAllowed(_("只有主管人员可以批准或不批准人工判定。"))
        if locked.status != CheckOverride.Status.PROPOSED:
            raise TransitionNotAllowed(_("该人工判定已处理，请刷新页面。"))
        if locked.by_id == actor.pk:
            raise TransitionNotAllowed(_("人工判定须由提出人以外的主管人员批准（双人复核）。"))
        note = note.strip()
        if not note:
            raise TransitionNotAllowed(_("请填写批准或不批准的意见。"))
        if approve:
            latest = latest_snapshot(locked_case)
            if locked_case.state != State.ACCEPTED or latest is None or latest.pk != locked.snapshot_id:
                raise TransitionNotAllowed(
                    _("该申请已不在原受理判定下审核（已退回或已办结），该人工判定不能再批准，只能不批准。")
                )
        locked.status = CheckOverride.Status.APPROVED if approve else CheckOverride.Status.REFUSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _bump(locked_case)
        action = "override_approved" if approve else "override_refused"
        _event(
            locked_case,
            actor,
            action,
            locked_case.state,
            locked_case.state,
            reason=_override_text(locked, note),
        )
        _notify(
            [locked.by],
            action,
            locked_case,
            review_url(locked_case),
            rule=locked.rule,
            note=note,
        )
    return locked


def approve_override(*, actor: User, override: CheckOverride, note: str) -> CheckOverride:
    """A supervisor other than the proposer puts an override to or from `fail` in force."""
    return _decide_override(actor=actor, override=override, approve=True, note=note)


def refuse_override(*, actor: User, override: CheckOverride, note: str) -> CheckOverride:
    """A supervisor other than the proposer refuses it; the computed outcome stands."""
    return _decide_override(actor=actor, override=override, approve=False, note=note)


def _find_check(result: dict[str, Any], rule: str, clause: int | None) -> dict[str, Any] | None:
    if clause is None:
        return next((c for c in result.get("checks", []) if c.get("rule") == rule), None)
    for block in result.get("clauses", []):
        if block.get("clause") == clause:
            return next((c for c in block.get("checks", []) if c.get("rule") == rule), None)
    return None


@transaction.atomic
def assign(user: User, case: Case, *, reviewer: User | None, version: int | None = None) -> Case:
    """Assign the case to a reviewer (supervisors assign anyone; a reviewer takes a case for themself)."""
    locked = _locked(case, version)
    if not user.is_district_staff:
        raise TransitionNotAllowed(_("只有审核人员可以分配申请。"))
    if reviewer is not None and not reviewer.is_district_staff:
        raise TransitionNotAllowed(_("只能分配给审核人员。"))
    if not user.is_supervisor and (reviewer is None or reviewer.pk != user.pk):
        raise TransitionNotAllowed(_("审核人员只能把申请分配给自己；其他分配由主管人员办理。"))
    if not user.is_supervisor and locked.assigned_to_id not in (None, user.pk):
        raise TransitionNotAllowed(_("该申请已分配给其他审核人员。"))
    locked.assigned_to = reviewer
    _bump(locked, "assigned_to")
    _event(locked, user, "assign", locked.state, locked.state, reason=str(reviewer or "—"))
    if reviewer is not None and reviewer.pk != user.pk:
        _notify([reviewer], "assigned", locked, review_url(locked))
    return locked


@dataclass
class BulkResult:
    done: list[Case]
    refused: list[tuple[Case, str]]


def bulk_transition(
    user: User, cases: Sequence[Case], action: str, *, today: date, reason: str, tips: str = ""
) -> BulkResult:
    """Bulk accept or return (with a mandatory reason); each case in its own transaction."""
    if action not in (Action.ACCEPT, Action.RETURN_TO_EMPLOYER, Action.RETURN_TO_APPLICANT):
        raise TransitionNotAllowed(_("批量操作只支持受理或退回。"))
    if not reason.strip():
        raise TransitionNotAllowed(_("批量操作必须填写理由。"))
    result = BulkResult([], [])
    for case in cases:
        try:
            if action == Action.ACCEPT:
                done = transition(user, case, action, version=None, today=today, reason=reason)
            else:
                done = transition(user, case, action, version=None, today=today, opinion=reason, tips=tips)
        except CaseError as exc:
            result.refused.append((case, exc.message))
        else:
            result.done.append(done)
    return result


# --- templates of opinions and tips --------------------------------------------------------------


@transaction.atomic
def save_template(
    user: User,
    model: type[OpinionTemplate] | type[TipTemplate],
    *,
    pk: int | None,
    title: str,
    text: str,
    active: bool,
) -> OpinionTemplate | TipTemplate:
    """Supervisors maintain the reusable opinions (审核意见) and tips (温馨提示)."""
    if not user.is_supervisor:
        raise TransitionNotAllowed(_("只有主管人员可以维护模板。"))
    if pk is None:
        return model.objects.create(title=title, text=text, active=active, updated_by=user)
    template = model.objects.select_for_update().get(pk=pk)
    template.title, template.text, template.active, template.updated_by = title, text, active, user
    template.save()
    return template
