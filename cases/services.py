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
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.selectors import children_for as applicant_children
from cases import engine, workflow
from cases.facts import facts_for_case
from cases.labels import IN_PRINCIPLE_RULES, material_label
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
from cases.workflow import APPLICANT, OPERATOR, REVIEWER, Action
from core.notifications import notify
from employers import selectors as employer_selectors
from employers.models import Association, AssociationStatus, RightsKind, RightsStatus
from materials.services import store_upload
from oversight import selectors as oversight_selectors
from permits import selectors as permit_selectors
from permits.services import PermitError, apply_case_decision

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
        "kind": case.get_kind_display(),
        "state": case.get_state_display(),
        "employer": case.employer.name,
        **extra,
    }
    notify(users, f"case_{key}", context, url)


# --- starting a case ----------------------------------------------------------------------------


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
        employed_since=association.employed_since,
        created_by=user,
    )
    _event(case, user, "create", "", State.DRAFT)
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
        employed_since=association.employed_since,
        info_change_kinds=kinds if kind == Kind.INFO_CHANGE else [],
        info_change_note=info_change_note if kind == Kind.INFO_CHANGE else "",
        created_by=user,
    )
    _event(case, user, "create", "", State.DRAFT)
    if kind == Kind.EMPLOYER_CHANGE and former_association is not None:
        _link_resignation_certificate(case, user)
    _notify(_applicant_users(case), "started", case, case_url(case))
    return case


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
        if field in data:
            setattr(locked, field, data[field])
            changed.append(field)
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
    _bump(locked)
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
    uploader: str,
    child: int | None,
    uploaded_file: UploadedFile,
    valid_until: date | None = None,
    issued_on: date | None = None,
) -> CaseDocument:
    """Store a file through materials.services.store_upload and link it to the case's checklist slot."""
    locked = _locked(case, None)
    if not can_upload(roles_of(user, locked), locked, uploader):
        raise TransitionNotAllowed(
            _("申请当前状态为「%(state)s」，您不能上传该材料。") % {"state": locked.get_state_display()}
        )
    previous = (
        CaseDocument.objects.filter(case=locked, material=material, child=child)
        .select_related("document")
        .order_by("-added_at", "-id")
        .first()
    )
    replaces = None
    if previous is not None and previous.document.is_current and previous.document.uploaded_by_id == user.pk:
        replaces = previous.document
    try:
        document = store_upload(
            uploaded_file=uploaded_file,
            material=material,
            uploaded_by=user,
            employer=locked.employer if uploader == "employer" else None,
            applicant=locked.applicant,
            replaces=replaces,
            valid_until=valid_until,
            issued_on=issued_on,
        )
    except ValidationError as exc:
        raise CaseError(" ".join(exc.messages)) from exc
    link = CaseDocument.objects.create(
        case=locked, material=material, uploader=uploader, child=child, document=document, added_by=user
    )
    _bump(locked)
    return link


# --- what blocks submission ---------------------------------------------------------------------


def current_documents(case: Case) -> dict[tuple[str, int | None], Document]:
    """The latest document linked to each (material, child) slot."""
    slots: dict[tuple[str, int | None], Document] = {}
    for link in case.documents.select_related("document").order_by("added_at", "id"):
        slots[(link.material, link.child)] = link.document
    return slots


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


def submission_problems(
    case: Case, action: str, today: date, *, late_acknowledged: bool = False
) -> list[Problem]:
    """Everything that blocks `action` (submit / employer_submit), all at once."""
    problems: list[Problem] = []
    if action == Action.SUBMIT:
        problems += _profile_problems(case)
        problems += _fact_problems(case)
        problems += _material_problems(case, today, ["applicant"])
    elif action == Action.EMPLOYER_SUBMIT:
        problems += _profile_problems(case)
        problems += _fact_problems(case)
        problems += _material_problems(case, today, ["applicant", "employer", "former_employer"])
        problems += _employer_check_problems(case)
        problems += _eligibility_problems(case, today)
        problems += deadline_problems(case, today, late_acknowledged=late_acknowledged)
    return problems


# --- transitions ---------------------------------------------------------------------------------


def effective_outcomes(snapshot: AcceptanceSnapshot) -> dict[tuple[str, int | None], str]:
    """Every check's outcome after the reviewer's written overrides (key: rule, clause)."""
    outcomes: dict[tuple[str, int | None], str] = {}
    result = snapshot.result or {}
    for check in result.get("checks", []):
        outcomes[(check["rule"], None)] = check["outcome"]
    for clause in result.get("clauses", []):
        for check in clause.get("checks", []):
            outcomes[(check["rule"], clause["clause"])] = check["outcome"]
    for override in snapshot.overrides.all():
        outcomes[(override.rule, override.clause)] = override.outcome
    return outcomes


def approval_problems(case: Case, snapshot: AcceptanceSnapshot | None) -> list[str]:
    """What stops approval: checks that fail or still wait for a reviewer's written decision."""
    if snapshot is None:
        return [_("该申请尚未受理，没有受理日的判定结果。")]
    outcomes = effective_outcomes(snapshot)
    problems = []
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
        blockers = approval_problems(locked, latest_snapshot(locked))
        if blockers:
            raise TransitionNotAllowed(_("不能审核通过：") + " ".join(str(b) for b in blockers))
        locked.state = step.to_state
        try:
            apply_case_decision(locked, decided_on=today, actor=user)
        except PermitError as exc:
            raise TransitionNotAllowed(" ".join(exc.messages)) from exc
    if action in (Action.APPROVE, Action.REJECT, Action.WITHDRAW):
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
        _notify(others, "approved", case, url)
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


def overridable(check: dict[str, Any]) -> bool:
    """A `review` outcome, or an 原则上 rule (ORG-TAX-TENURE, ORG-ANNUAL-TAX) that did not pass."""
    return check.get("outcome") == "review" or (
        check.get("rule") in IN_PRINCIPLE_RULES and check.get("outcome") == "fail"
    )


@transaction.atomic
def override_check(
    user: User,
    case: Case,
    *,
    version: int | None,
    rule: str,
    clause: int | None,
    outcome: str,
    reason: str,
) -> CheckOverride:
    """The reviewer decides a discretionary outcome; only with a written reason, recorded and shown."""
    locked = _locked(case, version)
    if REVIEWER not in roles_of(user, locked):
        raise TransitionNotAllowed(_("只有审核人员可以人工判定。"))
    if locked.state != State.ACCEPTED:
        raise TransitionNotAllowed(_("只有已受理的申请可以人工判定。"))
    reason = reason.strip()
    if not reason:
        raise TransitionNotAllowed(_("人工判定必须填写理由。"))
    if outcome not in CheckOverride.Outcome.values:
        raise TransitionNotAllowed(_("请选择判定结果。"))
    snapshot = latest_snapshot(locked)
    if snapshot is None:
        raise TransitionNotAllowed(_("该申请尚无受理日判定结果。"))
    check = _find_check(snapshot.result, rule, clause)
    if check is None or not overridable(check):
        raise TransitionNotAllowed(
            _("%(rule)s 的结果不能人工改判：只有“需人工审核”或“原则上”的规则可以。") % {"rule": rule}
        )
    override = CheckOverride.objects.create(
        snapshot=snapshot,
        rule=rule,
        clause=clause,
        original_outcome=check["outcome"],
        outcome=outcome,
        reason=reason,
        by=user,
    )
    _bump(locked)
    _event(locked, user, "override", locked.state, locked.state, reason=f"{rule}: {outcome} — {reason}")
    return override


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
